"""Local mode (本地计算) on the APIv3 notification simulator, in a real browser: ``resource`` is
encrypted here with the APIv3 key (WebCrypto AES-256-GCM), only the ciphertext goes back and the
server signs the notification with its throw-away key. Every request is recorded and searched for
the key in every encoding; the notification shown opens with the key here (cryptography) and its
signature verifies against the public key shown."""

from __future__ import annotations

import base64
import json
import re

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tests.browser.test_local_mode_v2 import Recorder, encodings

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests skipped: the playwright package is not installed (pip install playwright)",
)
expect = sync_api.expect
TIMEOUT = 20_000
PAGE = "/wechat/v3/simulate/"
APIV3_KEY = "Lm4Nb6Vc8Xz0Aq2Sw4De6Fr8Gt0Hy2Ju"  # 32 characters, made up
URL = "https://merchant.example/pay/notify"


def raw_parts(raw: str) -> tuple[dict[str, str], str]:
    """The headers and body of the raw HTTP request shown."""
    head, body = raw.split("\n\n", 1)
    headers = dict(line.split(": ", 1) for line in head.splitlines()[1:] if ": " in line)
    return headers, body


@pytest.mark.parametrize("kind", ["payment", "refund"])
def test_resource_is_encrypted_in_the_browser_and_the_key_is_in_no_request(page, kind):
    recorder = Recorder(page)
    page.goto(PAGE)
    expect(page.get_by_role("radio", name=re.compile("本地计算"))).to_be_checked()
    expect(page.locator("[data-server-only]")).to_have_count(0)
    page.get_by_label("通知类型", exact=True).select_option(kind)
    page.get_by_label("回调地址", exact=True).fill(URL)
    page.get_by_label("APIv3 密钥", exact=True).fill(APIV3_KEY)
    page.get_by_role("button", name="计算 Run").click()
    expect(page.locator('[data-code="encrypted_locally"]')).to_contain_text(
        "加密/签名由你的浏览器完成", timeout=TIMEOUT
    )
    page.wait_for_load_state("networkidle")
    # One read of the result (a later request would show a new notification, with a new key).
    raw, plaintext, public_pem = page.evaluate(
        "['#sim-raw', '#sim-resource', '#sim-public-key']"
        ".map((id) => document.querySelector(id).textContent)"
    )
    headers, body = raw_parts(raw.replace("\r\n", "\n"))
    resource = json.loads(body)["resource"]
    opened = AESGCM(APIV3_KEY.encode()).decrypt(
        resource["nonce"].encode(),
        base64.b64decode(resource["ciphertext"]),
        resource["associated_data"].encode(),
    )
    assert json.loads(opened) == json.loads(plaintext)
    assert resource["associated_data"] == ("refund" if kind == "refund" else "transaction")
    public = serialization.load_pem_public_key(public_pem.encode())
    message = f"{headers['Wechatpay-Timestamp']}\n{headers['Wechatpay-Nonce']}\n{body}\n"
    public.verify(  # raises when the signature does not verify
        base64.b64decode(headers["Wechatpay-Signature"]),
        message.encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )
    assert recorder.posts()
    for name, form in encodings(APIV3_KEY).items():
        for text in recorder.seen:
            assert form not in text, f"the key went out ({name}) in:\n{text[:300]}"


def test_a_key_of_the_wrong_length_gets_the_servers_sentence_and_goes_nowhere(page):
    recorder = Recorder(page)
    page.goto(PAGE)
    page.get_by_label("回调地址", exact=True).fill(URL)
    page.get_by_label("APIv3 密钥", exact=True).fill(APIV3_KEY[:20])
    page.get_by_role("button", name="计算 Run").click()
    expect(page.locator("#result [role=alert]")).to_contain_text("APIv3", timeout=TIMEOUT)
    expect(page.locator("#sim-raw")).to_have_count(0)
    for name, form in encodings(APIV3_KEY[:20]).items():
        for text in recorder.seen:
            assert form not in text, f"the key went out ({name}) in:\n{text[:300]}"
