"""Local mode (本地计算) on Alipay's request-sign page in a real browser: the 应用私钥 signs the
string to sign here (RSA2 over UTF-8, RSA over the GBK bytes the server sends), and every request
the page makes is searched for the key in every encoding a request could carry it in (PEM raw,
URL-encoded, JSON-escaped, base64, the DER's base64 at each offset and hex, PKCS#1 and PKCS#8).
The sign and the request shown are the ones cryptography computes here, independently."""

from __future__ import annotations

import base64
import re
from urllib.parse import urlencode

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from tests.browser.test_local_mode_tasks import (
    Journey,
    Recorder,
    der_forms,
    encodings,
    expect_shown,
    fill,
    pem,
    private_key,
)

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests skipped: the playwright package is not installed (pip install playwright)",
)
expect = sync_api.expect
TIMEOUT = 15_000

BIZ = '{"out_trade_no":"20261128001","total_amount":"88.88","subject":"测试商品"}'


def alipay_sign(charset: str, sign_type: str, secret: str, *, expected: bool) -> Journey:
    pairs = [
        ("app_id", "2021000000000001"),
        ("method", "alipay.trade.page.pay"),
        ("charset", charset),
        ("sign_type", sign_type),
        ("timestamp", "2026-11-28 12:00:00"),
        ("version", "1.0"),
        ("biz_content", BIZ),
    ]
    # The string to sign written out here: sorted by name, k=v&…, values as they are.
    string = "&".join(f"{name}={value}" for name, value in sorted(pairs))
    algorithm = hashes.SHA256() if sign_type == "RSA2" else hashes.SHA1()
    message = string.encode("gbk" if charset == "GBK" else "utf-8")
    raw = private_key().sign(message, padding.PKCS1v15(), algorithm)
    signature = base64.b64encode(raw).decode()
    fields = [("请求参数", "\n".join(f"{name}={value}" for name, value in pairs))]
    shown = [
        ("#string-to-sign", string),
        ("#sign", signature),
        ("#corrected", urlencode([*pairs, ("sign", signature)])),
    ]
    if expected:
        fields.append(("你得到的 sign（可选）", signature))
        shown.append((".verdict", "sign 一致"))
    return Journey(
        "/alipay/sign/", "应用私钥", secret, tuple(fields), tuple(shown), tuple(der_forms())
    )


def bare_base64_pkcs8() -> str:
    return base64.b64encode(der_forms()[1]).decode()


JOURNEYS = {
    "rsa2_utf8_pkcs1_pem": lambda: alipay_sign(
        "utf-8", "RSA2", pem(serialization.PrivateFormat.TraditionalOpenSSL), expected=True
    ),
    "rsa_gbk_bare_base64": lambda: alipay_sign("GBK", "RSA", bare_base64_pkcs8(), expected=False),
}


@pytest.mark.parametrize("name", JOURNEYS)
def test_the_private_key_stays_in_the_browser_and_the_sign_is_the_keys(page, name):
    journey = JOURNEYS[name]()
    recorder = Recorder(page)
    page.goto(journey.path)
    # The page no longer says it computes on the server only; the key field is local mode's.
    expect(page.get_by_label(journey.secret_label, exact=True)).to_have_attribute(
        "data-local-secret", ""
    )
    fill(page, journey)
    expect_shown(page, journey)
    recorder.assert_none_carries(encodings(journey.secret, list(journey.ders)))


def test_a_wrong_sign_gets_its_mistake_card_in_local_mode(page):
    journey = alipay_sign("utf-8", "RSA2", bare_base64_pkcs8(), expected=False)
    string = dict(journey.shown)["#string-to-sign"]
    # Signed with SHA1withRSA although sign_type=RSA2.
    raw = private_key().sign(string.encode(), padding.PKCS1v15(), hashes.SHA1())
    recorder = Recorder(page)
    page.goto(journey.path)
    page.get_by_label("你得到的 sign（可选）", exact=True).fill(base64.b64encode(raw).decode())
    fill(page, journey)
    expect(page.get_by_role("radio", name=re.compile("本地计算"))).to_be_checked()
    expect(page.locator(".verdict").first).to_contain_text("sign 不一致", timeout=TIMEOUT)
    expect(page.locator(".mistake").first).to_be_visible()
    expect(page.locator("#sign")).to_have_text(dict(journey.shown)["#sign"], timeout=TIMEOUT)
    recorder.assert_none_carries(encodings(journey.secret, list(journey.ders)))
