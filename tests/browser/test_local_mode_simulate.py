"""Local mode (本地计算) on the notification simulators, in a real browser. APIv3: ``resource`` is
encrypted here with the APIv3 key (WebCrypto AES-256-GCM), only the ciphertext goes back and the
server signs the notification with its throw-away key. V2: the sign (MD5 or HMAC-SHA256) or the
refund's req_info (AES-256-ECB under MD5 of the key) is made here and only it goes back. Every
request is recorded and searched for the key in every encoding (and, for V2, its MD5); the
notification shown opens or verifies with the key here (hashlib, hmac, cryptography)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives import padding as pkcs7
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tests.browser.test_local_mode_refund import secret_forms
from tests.browser.test_local_mode_v2 import Recorder, encodings

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests skipped: the playwright package is not installed (pip install playwright)",
)
expect = sync_api.expect
TIMEOUT = 20_000
PAGE = "/wechat/v3/simulate/"
V2_PAGE = "/wechat/v2/simulate/"
API_KEY = "Wq3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1Xc"  # 32 characters, made up (V2)
APIV3_KEY = "Lm4Nb6Vc8Xz0Aq2Sw4De6Fr8Gt0Hy2Ju"  # 32 characters, made up
URL = "https://merchant.example/pay/notify"


def raw_parts(raw: str) -> tuple[dict[str, str], str]:
    """The headers and body of the raw HTTP request shown."""
    head, body = raw.split("\n\n", 1)
    headers = dict(line.split(": ", 1) for line in head.splitlines()[1:] if ": " in line)
    return headers, body


def generate(page, path: str, choices: dict[str, str], key: tuple[str, str], note: str) -> None:
    """Open a simulator in local mode (the default), fill it in, run it, wait for the result."""
    page.goto(path)
    expect(page.get_by_role("radio", name=re.compile("本地计算"))).to_be_checked()
    for label, value in choices.items():
        page.get_by_label(label, exact=True).select_option(value)
    page.get_by_label("回调地址", exact=True).fill(URL)
    page.get_by_label(key[0], exact=True).fill(key[1])
    page.get_by_role("button", name="计算 Run").click()
    expect(page.locator(f'[data-code="{note}"]')).to_contain_text(
        "加密/签名由你的浏览器完成", timeout=TIMEOUT
    )
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("kind", ["payment", "refund"])
def test_resource_is_encrypted_in_the_browser_and_the_key_is_in_no_request(page, kind):
    recorder = Recorder(page)
    generate(page, PAGE, {"通知类型": kind}, ("APIv3 密钥", APIV3_KEY), "encrypted_locally")
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


def xml_fields(body: str) -> dict[str, str]:
    return dict(re.findall(r"<(\w+)>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</\1>", body[5:-6]))


@pytest.mark.parametrize(
    ("kind", "sign_type"), [("payment", "MD5"), ("payment", "HMAC-SHA256"), ("refund", "MD5")]
)
def test_a_v2_notification_is_signed_or_encrypted_in_the_browser(page, kind, sign_type):
    recorder = Recorder(page)
    choices = {"通知类型": kind, "签名算法（支付通知）": sign_type}
    generate(page, V2_PAGE, choices, ("API 密钥（APIv2 密钥）", API_KEY), "computed_locally")
    raw, plaintext = page.evaluate(
        "['#sim-raw', '#sim-req-info']"
        ".map((id) => document.querySelector(id) ? document.querySelector(id).textContent : '')"
    )
    fields = xml_fields(raw_parts(raw.replace("\r\n", "\n"))[1])
    if kind == "payment":
        string1 = "&".join(f"{name}={fields[name]}" for name in sorted(fields) if name != "sign")
        message = f"{string1}&key={API_KEY}".encode()
        if sign_type == "MD5":
            expected = hashlib.md5(message).hexdigest().upper()
        else:
            expected = hmac.new(API_KEY.encode(), message, hashlib.sha256).hexdigest().upper()
        assert fields["sign"] == expected
    else:
        aes_key = hashlib.md5(API_KEY.encode()).hexdigest().encode()
        assert opened_req_info(fields["req_info"], aes_key) == plaintext
    assert recorder.posts()
    for name, form in secret_forms(API_KEY).items():
        for text in recorder.seen:
            assert form not in text, f"the key went out ({name}) in:\n{text[:300]}"


def opened_req_info(req_info: str, aes_key: bytes) -> str:
    """req_info opened with cryptography: the <root> XML."""
    decryptor = Cipher(algorithms.AES(aes_key), modes.ECB()).decryptor()  # noqa: S305
    padded = decryptor.update(base64.b64decode(req_info)) + decryptor.finalize()
    unpadder = pkcs7.PKCS7(128).unpadder()
    return (unpadder.update(padded) + unpadder.finalize()).decode()
