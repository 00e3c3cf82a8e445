"""Local mode (本地计算) on /alipay/notify/ in a real browser: the optional 应用私钥 is read here and
only its public half goes out; with it the page names the merchant's own 应用公钥 pasted as the
支付宝公钥, as server mode does with the key. Every request is recorded (URL, headers, body) and
searched for the key in every encoding (PEM raw, URL-encoded, JSON-escaped, base64 of the paste,
base64 and hex of the DER at each offset, PKCS#1 and PKCS#8). The notification is signed here
with cryptography by a 支付宝私钥 made for the test, so the truth is known without the page."""

from __future__ import annotations

import re

import pytest
from cryptography.hazmat.primitives import serialization

from tests.browser.test_local_mode_alipay_keys import public_pem
from tests.browser.test_local_mode_tasks import Recorder, der_forms, encodings, pem, private_key
from tests.diagnostics.alipay.helpers import rsa_sign
from tests.diagnostics.alipay.test_notify_local import NOTIFICATION, alipay_key, string_to_sign

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests skipped: the playwright package is not installed (pip install playwright)",
)
expect = sync_api.expect
TIMEOUT = 15_000
PAGE = "/alipay/notify/"
SECRET_LABEL = "或你的应用私钥（可选）"
ALIPAY_KEY_LABEL = "支付宝公钥或支付宝公钥证书"
APP_KEY_NAMED = '#result [data-code="app_public_key_used"]'


def notification() -> str:
    """The notification's parameters, signed with the 支付宝私钥 (name=value lines: the page reads
    them as its framework would hand them over)."""
    sign = rsa_sign(alipay_key(), string_to_sign())
    return "\n".join(f"{name}={value}" for name, value in [*NOTIFICATION.items(), ("sign", sign)])


def secret_pkcs1() -> str:
    return pem(serialization.PrivateFormat.TraditionalOpenSSL)


def damaged(text: str) -> str:
    lines = text.strip().split("\n")
    middle = len(lines) // 2
    changed = lines[middle][:10] + ("A" if lines[middle][10] != "A" else "B") + lines[middle][11:]
    return "\n".join([*lines[:middle], changed, *lines[middle + 1 :]])


def run(page, alipay_public_key: str, secret: str) -> None:
    """Fill the form (the secret last, as a merchant adds it) and ask for the answer; return once
    a new #result has been swapped in and finished."""
    page.get_by_label("收到的通知参数（含 sign）", exact=True).fill(notification())
    page.get_by_label(ALIPAY_KEY_LABEL, exact=True).fill(alipay_public_key)
    page.get_by_label(SECRET_LABEL, exact=True).fill(secret)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.getElementById('result')?.setAttribute('data-old', '')")
    page.get_by_role("button", name="计算 Run").click()
    expect(page.locator("#result:not([data-old])")).to_be_attached(timeout=TIMEOUT)
    page.wait_for_load_state("networkidle")
    expect(page.locator("#result [data-local-pending]")).to_be_hidden(timeout=TIMEOUT)


def verdict(page) -> str:
    """What the reader sees of the result (a <template> and a hidden note are not shown)."""
    return page.locator("#result").inner_text()


def test_the_app_key_is_named_from_the_key_kept_here_as_server_mode_names_it(page):
    recorder = Recorder(page)
    page.goto(PAGE)
    expect(page.get_by_role("radio", name=re.compile("本地计算"))).to_be_checked()
    expect(page.get_by_label(SECRET_LABEL, exact=True)).not_to_have_attribute(
        "name", re.compile(".")
    )
    secret = secret_pkcs1()
    run(page, public_pem(private_key()), secret)
    # The truth, known here: the notification was signed by another key, and the key pasted is
    # the 应用私钥's own public half.
    expect(page.locator(APP_KEY_NAMED)).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#result .verdict.bad")).to_contain_text("通知验签不通过")
    local = verdict(page)
    recorder.assert_none_carries(encodings(secret, der_forms()))

    page.get_by_role("radio", name=re.compile("服务器计算")).check()
    run(page, public_pem(private_key()), secret)
    expect(page.locator(APP_KEY_NAMED)).to_be_visible(timeout=TIMEOUT)
    assert any("BEGIN RSA PRIVATE KEY" in text for text in recorder.seen)  # server mode sent it
    assert verdict(page) == local
    page.get_by_role("radio", name=re.compile("本地计算")).check()  # the choice is remembered


def test_a_right_setup_verifies_with_or_without_the_key_as_in_server_mode(page):
    recorder = Recorder(page)
    page.goto(PAGE)
    secret = pem(serialization.PrivateFormat.PKCS8)
    run(page, public_pem(alipay_key()), secret)
    expect(page.locator("#result .verdict.good")).to_contain_text("通知验签通过", timeout=TIMEOUT)
    expect(page.locator(APP_KEY_NAMED)).to_have_count(0)
    with_key = verdict(page)
    run(page, public_pem(alipay_key()), "")  # the key is optional: none is no error
    expect(page.locator("#result .verdict.good")).to_contain_text("通知验签通过")
    expect(page.get_by_role("alert")).to_have_count(0)
    assert verdict(page) == with_key
    recorder.assert_none_carries(encodings(secret, der_forms()))

    page.get_by_role("radio", name=re.compile("服务器计算")).check()
    run(page, public_pem(alipay_key()), secret)
    assert verdict(page) == with_key
    page.get_by_role("radio", name=re.compile("本地计算")).check()


def test_a_damaged_key_gets_the_servers_sentence_and_goes_nowhere(page):
    recorder = Recorder(page)
    page.goto(PAGE)
    secret = damaged(pem(serialization.PrivateFormat.PKCS8))
    run(page, public_pem(private_key()), secret)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("输入有问题", timeout=TIMEOUT)
    expect(alert).to_contain_text("这个私钥的结构能读出来，但数值自相矛盾")
    expect(page.locator(APP_KEY_NAMED)).to_have_count(0)
    recorder.assert_none_carries(encodings(secret, []))


def test_without_javascript_the_page_computes_on_the_server_and_says_so(js_disabled_page):
    page = js_disabled_page
    page.goto(PAGE)
    expect(page.get_by_text(re.compile("服务器计算（本页没有运行 JavaScript）"))).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile("本地计算"))).to_be_hidden()
    page.get_by_label("收到的通知参数（含 sign）", exact=True).fill(notification())
    page.get_by_label(ALIPAY_KEY_LABEL, exact=True).fill(public_pem(private_key()))
    page.get_by_label(SECRET_LABEL, exact=True).fill(secret_pkcs1())
    with page.expect_navigation():
        page.get_by_role("button", name="计算 Run").click()
    expect(page.locator(APP_KEY_NAMED)).to_be_visible()
    assert "BEGIN RSA PRIVATE KEY" not in page.content()


def test_on_a_phone_the_switch_and_the_guarantee_are_in_view(open_page):
    page = open_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(PAGE)
    radio = page.get_by_role("radio", name=re.compile("本地计算"))
    expect(radio).to_be_visible()
    expect(radio).to_be_checked()
    guarantee = page.locator("[data-local-guarantee]").first
    expect(guarantee).to_be_visible()
    box = guarantee.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    run(page, public_pem(private_key()), secret_pkcs1())
    expect(page.locator(APP_KEY_NAMED)).to_be_visible(timeout=TIMEOUT)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
