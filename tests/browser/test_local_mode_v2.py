"""Local mode (本地计算) on the V2 workbench, in a real browser: the key never leaves it.

Every request the page makes is recorded (URL, headers, body) and searched for the key in every
encoding a request could carry it in; the sign shown is the one hashlib computes here, and an
injected mistake is named. Without JavaScript the page computes on the server and says so.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from urllib.parse import quote, quote_plus

import pytest

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests skipped: the playwright package is not installed (pip install playwright)",
)
expect = sync_api.expect
TIMEOUT = 10_000

KEY = "Lq8Vx3Nd6Ty1Hb9Rk4Wm7Zc2Fs5Gp0Ja"
PAIRS = [
    ("appid", "wx2421b1c4370ec43b"),
    ("mch_id", "10000100"),
    ("body", "JSAPI 支付测试"),
    ("nonce_str", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS"),
    ("attach", ""),
]
PARAMS = "\n".join(f"{name}={value}" for name, value in PAIRS)
STRING1 = "&".join(f"{name}={value}" for name, value in sorted(PAIRS) if value)
REAL_SIGN = hashlib.md5(f"{STRING1}&key={KEY}".encode()).hexdigest().upper()
# The merchant's program forgot to sort (002 §3.2 a): the sign it sent.
UNSORTED = "&".join(f"{name}={value}" for name, value in PAIRS if value)
UNSORTED_SIGN = hashlib.md5(f"{UNSORTED}&key={KEY}".encode()).hexdigest().upper()


def encodings(secret: str) -> dict[str, str]:
    """Every form a request could carry the secret in."""
    raw = secret.encode()
    return {
        "raw": secret,
        "url": quote(secret, safe=""),
        "url_plus": quote_plus(secret),
        "json": json.dumps(secret)[1:-1],
        "json_ascii": json.dumps(secret, ensure_ascii=True)[1:-1],
        "base64": base64.b64encode(raw).decode(),
        "base64_url": base64.urlsafe_b64encode(raw).decode().rstrip("="),
        "hex": raw.hex(),
        # a secret's base64 inside a longer base64 text starts at one of three offsets
        "base64_at_1": base64.b64encode(b"x" + raw).decode()[4:-4],
        "base64_at_2": base64.b64encode(b"xx" + raw).decode()[4:-4],
    }


class Recorder:
    """Every request a page sends: URL, headers and body, as text to search."""

    def __init__(self, page) -> None:
        self.seen: list[str] = []
        page.on("request", self.record)

    def record(self, request) -> None:
        body = request.post_data_buffer or b""
        headers = json.dumps(request.all_headers(), ensure_ascii=False)
        self.seen.append(
            f"{request.method} {request.url}\n{headers}\n{body.decode('utf-8', 'replace')}"
        )

    def posts(self) -> list[str]:
        return [text for text in self.seen if text.startswith("POST ")]

    def assert_never_sent(self, secret: str) -> None:
        assert self.seen, "no request was recorded"
        for name, form in encodings(secret).items():
            for text in self.seen:
                assert form not in text, f"the key went out ({name}) in:\n{text[:300]}"


def workbench(page, recorder_first: bool = True):
    recorder = Recorder(page) if recorder_first else None
    page.goto("/wechat/v2/")
    return recorder


def test_local_mode_is_the_default_and_its_promise_is_beside_the_key(page):
    page.goto("/wechat/v2/")
    expect(page.get_by_role("radio", name=re.compile("本地计算"))).to_be_checked()
    expect(
        page.get_by_text("本地计算：这个密钥只在本机浏览器里使用，不发送到服务器。")
    ).to_be_visible()
    expect(page.locator("#id_key")).not_to_have_attribute("name", re.compile("."))


def test_the_key_is_in_no_request_and_the_sign_is_hashlibs(page):
    recorder = workbench(page)
    page.get_by_label("你发送的参数").fill(PARAMS)
    page.get_by_label("商户 API 密钥").fill(KEY)
    page.get_by_label("你得到的签名 (可选)").fill(REAL_SIGN)
    expect(page.locator(".verdict")).to_contain_text("签名一致", timeout=TIMEOUT)
    expect(page.locator("#sign")).to_have_text(REAL_SIGN)
    expect(page.locator("#digest")).to_have_text(REAL_SIGN.lower())
    expect(page.locator("#string-sign-temp")).to_have_text(STRING1 + "&key=" + "•" * 28 + KEY[-4:])
    # The submit button too, then the other way round: server mode sends it, and says so.
    page.get_by_role("button", name="计算签名 Sign").click()
    expect(page.locator(".verdict")).to_contain_text("签名一致", timeout=TIMEOUT)
    assert any("mode=local" in text for text in recorder.posts())
    recorder.assert_never_sent(KEY)


def test_an_injected_mistake_is_found_in_the_browser(page):
    recorder = workbench(page)
    page.get_by_label("你发送的参数").fill(PARAMS)
    page.get_by_label("商户 API 密钥").fill(KEY)
    page.get_by_label("你得到的签名 (可选)").fill(UNSORTED_SIGN)
    card = page.locator(".mistake").first
    expect(card).to_have_attribute("data-code", "not_sorted", timeout=TIMEOUT)
    expect(card).to_contain_text("参数没有按字典序排序")
    expect(card.locator("pre").first).to_have_text(UNSORTED)
    expect(page.locator(".verdict h2")).to_contain_text("签名不一致")
    expect(page.locator(".verdict code.sign").nth(1)).to_have_text(REAL_SIGN)
    expect(page.locator("#corrected")).to_contain_text(f"sign={REAL_SIGN}")
    recorder.assert_never_sent(KEY)


def test_hmac_sha256_and_their_string_stay_local(page):
    pairs = [*PAIRS, ("sign_type", "HMAC-SHA256")]
    string1 = "&".join(f"{name}={value}" for name, value in sorted(pairs) if value)
    # A key with whitespace read from a file (key_whitespace): HMAC over "...&key=KEY\n" keyed "KEY\n".
    spaced = KEY + "\n"
    wrong = hmac.new(
        spaced.encode(), f"{string1}&key={spaced}".encode(), hashlib.sha256
    ).hexdigest()
    right = hmac.new(KEY.encode(), f"{string1}&key={KEY}".encode(), hashlib.sha256).hexdigest()
    recorder = workbench(page)
    page.get_by_label("你发送的参数").fill("\n".join(f"{n}={v}" for n, v in pairs))
    page.get_by_label("商户 API 密钥").fill(KEY)
    page.get_by_label("你的 string1 或 stringSignTemp (可选)").fill(f"{string1}&key={KEY}")
    page.get_by_label("你得到的签名 (可选)").fill(wrong.upper())
    expect(page.locator(".mistake").first).to_have_attribute(
        "data-code", "key_whitespace", timeout=TIMEOUT
    )
    expect(page.locator("#sign")).to_have_text(right.upper())
    expect(page.locator(".diff")).to_contain_text("stringSignTemp 里的密钥与你填写的密钥一致")
    recorder.assert_never_sent(KEY)


def test_a_share_in_local_mode_holds_the_result_and_no_key(page, open_page):
    recorder = workbench(page)
    page.get_by_label("你发送的参数").fill(PARAMS)
    page.get_by_label("商户 API 密钥").fill(KEY)
    page.get_by_label("你得到的签名 (可选)").fill(UNSORTED_SIGN)
    expect(page.locator(".mistake").first).to_have_attribute(
        "data-code", "not_sorted", timeout=TIMEOUT
    )
    page.get_by_role("button", name="保存并分享（去掉密钥）").click()
    link = page.locator("#share-url-input")
    expect(link).to_have_value(re.compile("/d/"), timeout=TIMEOUT)
    recorder.assert_never_sent(KEY)

    other = open_page()
    other.goto(link.input_value().strip())
    expect(other.locator("#sign")).to_have_text(REAL_SIGN)
    expect(other.locator(".mistake").first).to_have_attribute("data-code", "not_sorted")
    assert KEY not in other.content()
    assert KEY[-4:] not in other.locator("#string-sign-temp").inner_text()


def test_server_mode_is_chosen_and_labelled_and_sends_the_key(page):
    recorder = workbench(page)
    page.get_by_role("radio", name=re.compile("服务器计算")).check()
    expect(page.get_by_text("服务器计算：密钥随这次请求发送到服务器")).to_be_visible()
    page.get_by_label("你发送的参数").fill(PARAMS)
    page.get_by_label("商户 API 密钥").fill(KEY)
    expect(page.locator("#sign")).to_have_text(REAL_SIGN, timeout=TIMEOUT)
    assert any(f"key={KEY}" in text for text in recorder.posts())
    page.get_by_role("radio", name=re.compile("本地计算")).check()  # the choice is remembered


def test_without_javascript_the_page_computes_on_the_server_and_says_so(js_disabled_page):
    page = js_disabled_page
    page.goto("/wechat/v2/")
    expect(page.get_by_text(re.compile("服务器计算（本页没有运行 JavaScript）"))).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile("本地计算"))).to_be_hidden()
    page.get_by_label("你发送的参数").fill(PARAMS)
    page.get_by_label("商户 API 密钥").fill(KEY)
    page.get_by_label("你得到的签名 (可选)").fill(UNSORTED_SIGN)
    with page.expect_navigation():
        page.get_by_role("button", name="计算签名 Sign").click()
    expect(page.locator("#sign")).to_have_text(REAL_SIGN)
    expect(page.locator(".mistake").first).to_have_attribute("data-code", "not_sorted")
    assert KEY not in page.content()


def test_the_workbench_weighs_under_100_kb_gzipped_on_first_load(page):
    """Issue 17: local mode's scripts (the modules, the MD5 package) keep the page small."""
    import gzip

    answers = []
    page.on("response", lambda answer: answers.append(answer))
    page.goto("/wechat/v2/", wait_until="networkidle")
    sizes = {answer.url: len(gzip.compress(answer.body(), 9)) for answer in answers}
    assert any("/static/vendor/noble-hashes/legacy.js" in url for url in sizes)
    assert sum(sizes.values()) < 100_000, sizes
