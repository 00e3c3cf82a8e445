"""The APIv3 sensitive-field endpoints (issue 15 §3): check a request body, encrypt a value with
a platform certificate or the WeChat Pay public key, decrypt a returned value with the merchant
private key. Keys are used for this request only and never echoed."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema

from config.errors import ApiError
from config.ratelimits import check as check_rate
from diagnostics.api.common import FindingOut, findings_out
from diagnostics.core.keys import load_private_key
from diagnostics.wechat_v3.sensitive import (
    check_request_body,
    decrypt_sensitive,
    encrypt_sensitive,
    load_encryption_key,
)

router = Router(tags=["wechat v3"])


class SensitiveCheckIn(Schema):
    body: str  # the request body (JSON) as it is sent
    wechatpay_serial: str = ""  # the request's Wechatpay-Serial header; "" when it has none
    # One of the two, optional: the key the fields were encrypted with (lengths, the serial).
    public_key: str = ""
    certificate: str = ""


class SensitiveCheckOut(Schema):
    findings: list[FindingOut]


class SensitiveEncryptIn(Schema):
    plaintext: str
    # One of the two: a WeChat Pay public key (pub_key.pem) with its ID, or a platform certificate.
    public_key: str = ""
    certificate: str = ""
    public_key_id: str = ""


class SensitiveEncryptOut(Schema):
    ciphertext: str  # Base64 of RSAES-OAEP (SHA-1, MGF1-SHA1)
    # The certificate's serial (40 hex digits) or the PUB_KEY_ID_… given; null for a public key
    # given without its ID.
    wechatpay_serial: str | None


class SensitiveDecryptIn(Schema):
    ciphertext: str
    private_key: str  # apiclient_key.pem


class SensitiveDecryptOut(Schema):
    plaintext: str


@router.post(
    "/wechat/v3/sensitive/check",
    response=SensitiveCheckOut,
    summary="Check a request body's sensitive fields: plain text, ciphertext lengths, the serial",
)
def sensitive_check(request: HttpRequest, payload: SensitiveCheckIn) -> dict[str, Any]:
    if not payload.body.strip():
        raise ApiError("invalid_request", gettext("请给出 body：要检查的请求体（JSON）。"))
    key = None
    if payload.public_key.strip() or payload.certificate.strip():
        key = load_encryption_key(payload.public_key, payload.certificate)
    check = check_request_body(payload.body, wechatpay_serial=payload.wechatpay_serial, key=key)
    return {"findings": findings_out(check.findings)}


@router.post(
    "/wechat/v3/sensitive/encrypt",
    response=SensitiveEncryptOut,
    summary="Encrypt a sensitive field (RSA-OAEP SHA-1) and say which Wechatpay-Serial to send",
)
def sensitive_encrypt(request: HttpRequest, payload: SensitiveEncryptIn) -> dict[str, Any]:
    if not payload.public_key.strip() and not payload.certificate.strip():
        raise ApiError(
            "invalid_request",
            gettext("请给出 public_key（微信支付公钥）或 certificate（平台证书）。"),
        )
    key = load_encryption_key(payload.public_key, payload.certificate)
    encryption = encrypt_sensitive(payload.plaintext, key, payload.public_key_id)
    return {
        "ciphertext": encryption.ciphertext,
        "wechatpay_serial": encryption.wechatpay_serial or None,
    }


@router.post(
    "/wechat/v3/sensitive/decrypt",
    response=SensitiveDecryptOut,
    summary="Decrypt a sensitive field WeChat Pay returned, with the merchant private key (OAEP)",
)
def sensitive_decrypt(request: HttpRequest, payload: SensitiveDecryptIn) -> dict[str, Any]:
    if not payload.ciphertext.strip() or not payload.private_key.strip():
        raise ApiError(
            "invalid_request", gettext("请给出 ciphertext（密文）和 private_key（商户私钥）。")
        )
    check_rate(request, "private_key")
    decryption = decrypt_sensitive(payload.ciphertext, load_private_key(payload.private_key))
    return {"plaintext": decryption.plaintext}
