"""Local mode (本地计算) on the V2 refund notification page, in a real browser: req_info is
decrypted here with the API key (AES-256-ECB built from WebCrypto's AES-CBC), the plaintext goes
back for the server to show. Every request is recorded and searched for the key in every encoding
— and for its MD5 (the AES key, as secret as the key); the table shown is the one cryptography
decrypts here, independently."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from tests.browser.test_local_mode_v2 import Recorder, encodings

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="browser tests skipped: the playwright package is not installed (pip install playwright)",
)
expect = sync_api.expect
TIMEOUT = 15_000
PAGE = "/wechat/v2/refund-notify/"
API_KEY = "Pz8Lk3Jh6Gf1Ds4Aq9Ww2Ee7Rr5Tt0Yy"  # 32 characters, made up
PLAINTEXT = (
    "<root><out_refund_no><![CDATA[RF-9913-0007]]></out_refund_no>"
    "<out_trade_no><![CDATA[OT-9913-0007]]></out_trade_no>"
    "<refund_fee><![CDATA[1999]]></refund_fee>"
    "<refund_status><![CDATA[SUCCESS]]></refund_status>"
    "<refund_recv_accout><![CDATA[支付用户零钱]]></refund_recv_accout></root>"
)


def md5_hex(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def req_info(plaintext: str, aes_key: bytes) -> str:
    padder = padding.PKCS7(128).padder()
    data = padder.update(plaintext.encode()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(aes_key), modes.ECB()).encryptor()  # noqa: S305
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode()


def decrypted_rows(ciphertext: str, aes_key: bytes) -> list[tuple[str, str]]:
    """The table an independent decryption gives: cryptography, then the XML's elements."""
    decryptor = Cipher(algorithms.AES(aes_key), modes.ECB()).decryptor()  # noqa: S305
    padded = decryptor.update(base64.b64decode(ciphertext)) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    text = (unpadder.update(padded) + unpadder.finalize()).decode()
    return re.findall(r"<(\w+)><!\[CDATA\[(.*?)\]\]></\1>", text)


def secret_forms(key: str) -> dict[str, str]:
    forms = encodings(key)
    for name, form in encodings(md5_hex(key)).items():
        forms["md5_" + name] = form
    forms["md5_upper"] = md5_hex(key).upper()
    forms["md5_digest_base64"] = base64.b64encode(hashlib.md5(key.encode()).digest()).decode()
    return forms


def fill(page, notification: str, key: str) -> None:
    page.get_by_label("退款结果通知 XML（或只粘贴 req_info）", exact=True).fill(notification)
    page.get_by_label("API 密钥（APIv2 密钥）", exact=True).fill(key)
    page.get_by_role("button", name="计算 Run").click()


def test_req_info_opens_in_the_browser_and_the_key_is_in_no_request(page):
    ciphertext = req_info(PLAINTEXT, md5_hex(API_KEY).encode())
    notification = (
        "<xml><return_code>SUCCESS</return_code><mch_id><![CDATA[10000100]]></mch_id>"
        f"<req_info><![CDATA[{ciphertext}]]></req_info></xml>"
    )
    recorder = Recorder(page)
    page.goto(PAGE)
    expect(page.get_by_role("radio", name=re.compile("本地计算"))).to_be_checked()
    fill(page, notification, API_KEY)
    expect(page.locator(".verdict").first).to_contain_text("req_info 解密成功", timeout=TIMEOUT)
    expect(page.locator("#result")).to_contain_text("解密由你的浏览器完成")
    shown = [
        (row.locator("th code").inner_text(), row.locator("td").inner_text())
        for row in page.locator("table.refund-fields tr").all()
    ]
    assert shown == decrypted_rows(ciphertext, md5_hex(API_KEY).encode())
    assert recorder.posts()
    for name, form in secret_forms(API_KEY).items():
        for text in recorder.seen:
            assert form not in text, f"the key went out ({name}) in:\n{text[:300]}"


def test_an_upper_case_md5_slip_is_named_as_server_mode_names_it(page):
    ciphertext = req_info(PLAINTEXT, md5_hex(API_KEY).upper().encode())
    recorder = Recorder(page)
    page.goto(PAGE)
    fill(page, ciphertext, API_KEY)
    expect(page.locator('[data-code="uppercase_md5"]')).to_contain_text("大写", timeout=TIMEOUT)
    for name, form in secret_forms(API_KEY).items():
        for text in recorder.seen:
            assert form not in text, f"the key went out ({name}) in:\n{text[:300]}"
