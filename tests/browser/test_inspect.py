"""Paste anything, in a real browser: the box on the home page, one post, the answer on the
target workbench — with JavaScript and without (the same form post)."""

from __future__ import annotations

import base64
import json
import os

import pytest

from tests.web import keys
from tests.web import test_inspect as web_inspect

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests skipped: the playwright package is not installed (pip install playwright)",
)
expect = sync_api.expect

V2_KEY = "Zq7Rk2Lm9Xv4Tb8Nc1Hd6Wf3Jg5Ps0Ae"
APIV3_KEY = "Ux8Kp3Rw6Yt1Qz5Nv2Lm7Hd4Jc9Sb0Af"


def v2_notification() -> tuple[str, str]:
    """The web tests' signed notification, with the sign the answer must show."""
    xml = web_inspect.v2_notification(V2_KEY)
    return xml, xml.split("<sign>", 1)[1].split("</sign>", 1)[0]


def v3_notification() -> str:
    """A notification whose resource is encrypted here with AESGCM (cryptography, directly)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce, associated = "fdasflkja484", "transaction"
    plain = json.dumps({"out_trade_no": "ORDER-INSPECT-1", "trade_state": "SUCCESS"})
    sealed = AESGCM(APIV3_KEY.encode()).encrypt(nonce.encode(), plain.encode(), associated.encode())
    resource = {
        "algorithm": "AEAD_AES_256_GCM",
        "ciphertext": base64.b64encode(sealed).decode(),
        "associated_data": associated,
        "nonce": nonce,
    }
    return json.dumps({"id": "EV-1", "event_type": "TRANSACTION.SUCCESS", "resource": resource})


def answer(page):
    """The workbench's result section, or the diagnosis page's main column."""
    return page.locator("#result") if page.locator("#result").count() else page.locator("main")


def paste_on_home(page, text: str) -> None:
    page.goto("/")
    box = page.locator("#inspect-text")
    expect(box).to_be_visible()
    box.fill(text)
    page.get_by_role("button", name="识别并计算").click()


def journeys() -> list[tuple[str, str, list[str], list[str]]]:
    """(name, paste, texts the answer (#result, or the diagnosis) shows, secrets it must not
    show)."""
    notification, sign = v2_notification()
    auth = (
        'WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",'
        'signature="AAAA",timestamp="1554208460",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C"'
    )
    curl = (
        "curl -X POST https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi \\\n"
        f"  -H 'Authorization: {auth}' \\\n  -d '{{\"appid\":\"wx1\"}}'"
    )
    return [
        ("v2 notification and its key", f"{notification}\nkey={V2_KEY}", [sign], [V2_KEY]),
        ("v3 notification and the APIv3 key", f"{v3_notification()}\napiv3_key={APIV3_KEY}",
         ["ORDER-INSPECT-1"], [APIV3_KEY]),
        ("a V2 reply", "<xml><return_code>FAIL</return_code><return_msg>签名错误</return_msg></xml>",
         ["签名错误"], []),
        ("an APIv3 curl command", curl, ["1900009191"], []),
        ("a certificate", keys.certificate_pem(), ["证书"], []),
    ]  # fmt: skip


JOURNEYS = journeys()


@pytest.mark.parametrize(
    ("name", "text", "shown", "secrets"), JOURNEYS, ids=[j[0] for j in JOURNEYS]
)
def test_paste_on_the_home_page_lands_on_the_answer(page, name, text, shown, secrets) -> None:
    paste_on_home(page, text)
    for value in shown:
        expect(answer(page)).to_contain_text(value)
    content = page.content()
    for secret in secrets:
        assert secret not in content
    assert "/inspect" in page.url


@pytest.mark.parametrize(
    ("name", "text", "shown", "secrets"), JOURNEYS, ids=[j[0] for j in JOURNEYS]
)
def test_without_javascript_the_same_post_lands_on_the_answer(
    js_disabled_page, name, text, shown, secrets
) -> None:
    paste_on_home(js_disabled_page, text)
    for value in shown:
        expect(answer(js_disabled_page)).to_contain_text(value)
    for secret in secrets:
        assert secret not in js_disabled_page.content()


def test_several_parts_are_listed_and_a_button_takes_one(open_page) -> None:
    page = open_page(viewport={"width": 390, "height": 844})
    notification, _sign = v2_notification()
    reply = "<xml><return_code>FAIL</return_code><return_msg>签名错误</return_msg></xml>"
    paste_on_home(page, f"{notification}\nkey={V2_KEY}\n{reply}")
    expect(page.locator(".inspect-part")).to_have_count(2)
    assert V2_KEY not in page.content()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    if os.environ.get("PAYDOCTOR_SCREENSHOTS"):
        page.screenshot(path="/tmp/inspect-list-390.png", full_page=True)
    page.locator(".inspect-part").nth(1).get_by_role("button").first.click()
    expect(page.locator("main")).to_contain_text("签名错误")
    if os.environ.get("PAYDOCTOR_SCREENSHOTS"):
        page.screenshot(path="/tmp/inspect-390.png", full_page=True)
        page.goto("/")
        page.screenshot(path="/tmp/inspect-home-390.png")
