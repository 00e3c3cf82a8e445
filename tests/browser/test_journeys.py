"""What a merchant or a support agent does in a real browser, and what they see.

Run with ``python -m pytest tests/browser``; see conftest.py for the browser and the checks every
page gets (no console error, no CSP violation, a screenshot).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests skipped: the playwright package is not installed (pip install playwright)",
)
expect = sync_api.expect

# 002 §3.2, as the document prints it.
DEMO_STRING_SIGN_TEMP = (
    "appid=wx930ea5d5a258f4f&auth_code=123456&body=test&device_info=123&mch_id=1900000109"
    "&nonce_str=960f228109051b9969f76c82bde183ac&out_trade_no=1400755861"
    "&spbill_create_ip=127.0.0.1&total_fee=1&key=8934e7d15453e97507ef794cf7b0519d"
)
DEMO_PRINTED_SIGN = "C380BEC2BFD727A4B6845133519F3AD6"

# A made-up merchant: name=value lines as a person pastes them, and a 32-character API key.
KEY = "Zq7Rk2Lm9Xv4Tb8Nc1Hd6Wf3Jg5Ps0Ae"
PARAMS = "appid=wx2421b1c4370ec43b\nmch_id=10000100\nnonce_str=abc\nbody=test\nattach="
STRING1 = "appid=wx2421b1c4370ec43b&body=test&mch_id=10000100&nonce_str=abc"
REAL_SIGN = hashlib.md5(f"{STRING1}&key={KEY}".encode()).hexdigest().upper()

PAYSCORE_H5_ENABLE = "payscore-apply-rejected-enable-h5"

TIMEOUT = 10_000


def result(page):
    return page.locator("#result")


def settled(page) -> None:
    """Wait until no htmx request is in flight (htmx marks the requesting element .htmx-request)."""
    expect(page.locator(".htmx-request")).to_have_count(0, timeout=TIMEOUT)


# --- 1. The 002 §3.2 demo ---------------------------------------------------------------------


def test_demo_shows_the_real_sign_and_that_the_printed_one_does_not_reproduce(page):
    real = hashlib.md5(DEMO_STRING_SIGN_TEMP.encode()).hexdigest().upper()
    assert real == "66E9F5E543A151379CFB4EAC732BFA32"

    page.goto("/wechat/v2/demo/")

    banner = page.get_by_role("note").filter(has_text="002 §3.2 示例")
    expect(banner).to_contain_text("文档印出的 sign 对不上")
    expect(banner).to_contain_text(DEMO_PRINTED_SIGN)
    expect(banner).to_contain_text(real)
    expect(banner).to_contain_text("请不要拿文档的印刷值来核对你的程序")
    # The step by step computation shows the same real sign, never the printed one as the answer.
    expect(page.locator("#sign")).to_have_text(real)
    expect(page.locator("#string1")).to_have_text(DEMO_STRING_SIGN_TEMP.rpartition("&key=")[0])
    expect(page.locator("#string-sign-temp")).to_contain_text("&key=")
    expect(page.locator("#string-sign-temp")).to_contain_text("519d")
    expect(page.locator("#string-sign-temp")).not_to_contain_text(
        "8934e7d15453e97507ef794cf7b0519d"
    )


# --- 2. A wrong sign: the mistake sentence appears as you type ----------------------------------


def type_a_lowercase_sign(page) -> None:
    page.goto("/wechat/v2/")
    page.get_by_label("你发送的参数").fill(PARAMS)
    page.get_by_label("商户 API 密钥").fill(KEY)
    page.get_by_label("你得到的签名").press_sequentially(REAL_SIGN.lower())


def test_a_lowercase_sign_is_named_live_and_the_key_is_never_shown(page):
    type_a_lowercase_sign(page)
    url_before = page.url

    # No click: htmx posts as you type and the result updates in place.
    expect(result(page).locator(".verdict")).to_contain_text("签名不一致", timeout=TIMEOUT)
    expect(result(page).locator(".mistake-sentence").first).to_contain_text("签名没有转成大写")
    expect(page.locator("#sign")).to_have_text(REAL_SIGN)
    assert page.url == url_before  # not a page load

    # The key stays in its box, and nowhere in what the page shows or holds.
    expect(page.get_by_label("商户 API 密钥")).to_have_value(KEY)
    assert KEY not in page.locator("body").inner_text()
    assert KEY not in page.content()
    stamp = page.locator("#string-sign-temp")
    expect(stamp).to_contain_text(STRING1 + "&key=")
    expect(stamp).to_contain_text(KEY[-4:])
    expect(stamp).not_to_contain_text(KEY[:-4])

    # Leave the field and let any answer that causes come in (see the test below); then
    # "显示密钥" composes the full stringSignTemp in the browser, from the key box.
    page.keyboard.press("Tab")
    settled(page)
    page.get_by_role("button", name="显示密钥").click()
    expect(stamp).to_have_text(f"{STRING1}&key={KEY}")
    expect(page.get_by_role("button", name="隐藏密钥")).to_be_visible()
    page.get_by_role("button", name="隐藏密钥").click()
    expect(stamp).not_to_contain_text(KEY)


def test_show_key_right_after_typing_the_sign_stays_shown(page):
    type_a_lowercase_sign(page)
    expect(result(page).locator(".mistake-sentence").first).to_contain_text(
        "签名没有转成大写", timeout=TIMEOUT
    )

    page.get_by_role("button", name="显示密钥").click()
    stamp = page.locator("#string-sign-temp")
    expect(stamp).to_have_text(f"{STRING1}&key={KEY}")
    # Still shown once every request the click caused has been answered.
    settled(page)
    expect(stamp).to_have_text(f"{STRING1}&key={KEY}", timeout=2_000)
    expect(page.get_by_role("button", name="隐藏密钥")).to_be_visible()


# --- 3. Diagnosis narrowed by answering the questions, then the entry's permanent link ----------


def test_diagnosis_narrowed_to_the_payscore_h5_enable_page_entry_and_its_link_copied(page, site):
    from faq.models import Entry

    title = Entry.objects.get(slug=PAYSCORE_H5_ENABLE).as_faq_entry().title
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)

    page.goto("/diagnose")
    page.get_by_label("你看到的报错").fill("系统繁忙")
    results = page.locator("#results")
    expect(results.get_by_role("group", name="是哪个平台的报错？")).to_be_visible(timeout=TIMEOUT)

    results.get_by_role("button", name="微信支付分", exact=True).click()
    expect(results.locator(".filters")).to_contain_text("微信支付分")
    results.get_by_role("group", name="报错出现在支付分的哪个页面？").get_by_role(
        "button", name="开启服务页"
    ).click()
    expect(results.locator(".filters")).to_contain_text("开启服务页")
    results.get_by_role("group", name=re.compile("从哪个入口进入")).get_by_role(
        "button", name="H5", exact=True
    ).click()
    expect(results.locator(".filters")).to_contain_text("H5")

    top = results.locator("li.match").first
    expect(top.get_by_role("heading")).to_have_text(title)
    top.get_by_role("link", name=title).click()

    expect(page).to_have_url(f"{site}/faq/{PAYSCORE_H5_ENABLE}")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.get_by_role("button", name="复制链接").click()
    expect(page.get_by_role("button", name="已复制")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{site}/faq/{PAYSCORE_H5_ENABLE}"


# --- 4. A shared result, opened by someone else -------------------------------------------------


def test_a_shared_v2_result_opens_for_another_person_without_the_key(page, open_page):
    page.goto("/wechat/v2/")
    page.get_by_label("你发送的参数").fill(PARAMS)
    page.get_by_label("商户 API 密钥").fill(KEY)
    expect(page.locator("#sign")).to_have_text(REAL_SIGN, timeout=TIMEOUT)

    page.get_by_role("button", name="保存并分享（去掉密钥）").click()
    # The link appears next to the button, focused and selected, ready to copy.
    link = page.locator("#share-url-input")
    expect(link).to_have_value(re.compile("/d/"), timeout=TIMEOUT)
    expect(link).to_be_focused()
    expect(page.locator("#share-slot")).to_contain_text("不含密钥")
    url = link.input_value().strip()

    other = open_page()  # a new browser context: no cookies, nothing typed
    other.goto(url)
    expect(other.get_by_role("note")).to_contain_text("共享的诊断结果，密钥已移除")
    expect(other.locator("#sign")).to_have_text(REAL_SIGN)
    expect(other.get_by_label("你发送的参数")).to_have_value(PARAMS)
    expect(other.get_by_label("商户 API 密钥")).to_have_value("")
    assert KEY not in other.content()
    assert KEY not in other.locator("body").inner_text()


# --- 5. Decrypting an APIv3 notification --------------------------------------------------------


def test_an_apiv3_notification_is_decrypted(page):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    apiv3_key = "0123456789abcdefABCDEF0123456789"
    nonce = "fdasflkja484"
    plaintext = json.dumps(
        {
            "mchid": "1900000109",
            "out_trade_no": "1217752501201407033233368018",
            "trade_state": "SUCCESS",
        },
        separators=(",", ":"),
    )
    sealed = AESGCM(apiv3_key.encode()).encrypt(nonce.encode(), plaintext.encode(), b"transaction")
    notification = json.dumps(
        {
            "id": "EV-2018022511223320873",
            "create_time": "2015-05-20T13:29:35+08:00",
            "resource_type": "encrypt-resource",
            "event_type": "TRANSACTION.SUCCESS",
            "summary": "支付成功",
            "resource": {
                "original_type": "transaction",
                "algorithm": "AEAD_AES_256_GCM",
                "ciphertext": base64.b64encode(sealed).decode(),
                "associated_data": "transaction",
                "nonce": nonce,
            },
        },
        ensure_ascii=False,
        indent=2,
    )

    page.goto("/wechat/v3/decrypt/")
    page.get_by_label("整段通知 JSON").fill(notification)
    page.get_by_label("APIv3 密钥").fill(apiv3_key)
    page.get_by_role("button", name="计算 Run").click()

    expect(result(page)).to_contain_text("解密成功", timeout=TIMEOUT)
    # Pretty-printed, with what matters first.
    expect(page.locator("#plaintext")).to_have_text(
        json.dumps(json.loads(plaintext), ensure_ascii=False, indent=2)
    )
    expect(page.locator("table.summary")).to_contain_text("trade_state")
    expect(page.locator("table.summary")).to_contain_text("SUCCESS")
    assert apiv3_key not in page.content()


# --- 6. Without JavaScript ----------------------------------------------------------------------


def test_the_v2_workbench_works_without_javascript(js_disabled_page):
    page = js_disabled_page
    page.goto("/wechat/v2/")
    page.get_by_label("你发送的参数").fill(PARAMS)
    page.get_by_label("商户 API 密钥").fill(KEY)
    with page.expect_navigation():
        page.get_by_role("button", name="计算签名 Sign").click()

    # A plain form post: the answer is the new page, already loaded.
    expect(page.locator("#sign")).to_have_text(REAL_SIGN, timeout=2_000)
    expect(page.get_by_label("你发送的参数")).to_have_value(PARAMS)
    expect(page.get_by_label("商户 API 密钥")).to_have_value("")  # never rendered back
    assert KEY not in page.content()


def test_the_diagnosis_and_its_questions_work_without_javascript(js_disabled_page):
    page = js_disabled_page
    page.goto("/diagnose")
    page.get_by_label("你看到的报错").fill("系统繁忙")
    with page.expect_navigation():
        page.get_by_role("button", name="诊断 Diagnose").click()

    results = page.locator("#results")
    expect(results.locator("li.match").first).to_be_visible(timeout=2_000)
    with page.expect_navigation():
        results.get_by_role("button", name="微信支付分", exact=True).click()

    expect(results.locator(".filters")).to_contain_text("微信支付分")
    expect(results.get_by_role("group", name="报错出现在支付分的哪个页面？")).to_be_visible()
    expect(results.locator("li.match").first).to_contain_text("微信支付分")


# --- 7. On a phone ------------------------------------------------------------------------------

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def no_horizontal_scroll(page) -> None:
    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"], f"horizontal scroll on {page.url}: {widths}"


def test_home_and_diagnosis_fit_a_phone_screen(open_page):
    page = open_page(**PHONE)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_label("你看到的报错")).to_be_visible()
    expect(page.get_by_role("button", name="诊断", exact=True)).to_be_visible()
    no_horizontal_scroll(page)

    phone = open_page(**PHONE)
    phone.goto("/diagnose?q=10003")
    expect(phone.get_by_label("你看到的报错")).to_be_visible()
    expect(phone.get_by_role("button", name="诊断 Diagnose")).to_be_visible()
    expect(phone.locator("li.match").first.get_by_role("heading")).to_be_visible()
    no_horizontal_scroll(phone)


# --- 8. Keyboard only ---------------------------------------------------------------------------


def test_the_v2_workbench_by_keyboard_alone(page):
    page.goto("/wechat/v2/")

    labelled = {
        "你发送的参数": "textarea",
        "商户 API 密钥": "input",
        "签名类型 sign_type": "select",
        "你得到的签名": "input",
        "你的 string1 或 stringSignTemp": "textarea",
    }
    for label, tag in labelled.items():
        control = page.get_by_label(label)
        expect(control).to_have_count(1)
        assert control.evaluate("el => el.tagName.toLowerCase()") == tag
    unlabelled = page.locator("form.workbench-form").evaluate(
        """form => [...form.querySelectorAll("input, select, textarea")]
            .filter(el => el.type !== "hidden" && el.labels.length === 0)
            .map(el => el.name)"""
    )
    assert unlabelled == []

    # From the top of the page, Tab alone: type where the focus lands, stop on the submit button.
    order = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const el = document.activeElement;
                return el.id || el.name || (el.textContent || "").trim(); }"""
        )
        order.append(focused)
        if focused == "id_raw":
            page.keyboard.insert_text(PARAMS)
        elif focused == "id_key":
            page.keyboard.type(KEY)
        elif focused == "计算签名 Sign":
            break
    expected = ["id_raw", "id_key", "id_sign_type", "id_expected_sign", "计算签名 Sign"]
    positions = [order.index(name) if name in order else -1 for name in expected]
    assert -1 not in positions, f"Tab order {order} misses one of {expected}"
    assert positions == sorted(positions), f"Tab order {order}"

    submit = page.get_by_role("button", name="计算签名 Sign")
    expect(submit).to_be_focused()
    with page.expect_response(lambda answer: answer.url.endswith("/wechat/v2/free/sign")):
        page.keyboard.press("Enter")
    expect(page.locator("#sign")).to_have_text(REAL_SIGN, timeout=TIMEOUT)
    expect(page.locator("#string1")).to_have_text(STRING1)


# --- 9. The main pages, free of console errors --------------------------------------------------

MAIN_PAGES = {
    "home": ("/", "支付接入诊断台"),
    "v2-demo": ("/wechat/v2/demo/", "微信支付 V2 签名工作台"),
    "diagnose": ("/diagnose?q=系统繁忙", "错误诊断"),
    "faq-index": ("/faq/", "常见问题"),
    "faq-entry": (f"/faq/{PAYSCORE_H5_ENABLE}", None),
    "v3-sign": ("/wechat/v3/sign/", None),
    "baidu-sign": ("/baidu/sign/", None),
    "lint": ("/lint/", None),
}


@pytest.mark.parametrize("name", list(MAIN_PAGES))
def test_main_page_loads_cleanly(page, name):
    path, heading = MAIN_PAGES[name]
    response = page.goto(path)
    assert response is not None and response.status == 200
    h1 = page.get_by_role("heading", level=1)
    expect(h1).to_be_visible()
    if heading:
        expect(h1).to_contain_text(heading)
    page.wait_for_load_state("load")
