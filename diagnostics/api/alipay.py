"""The Alipay endpoints: request signing (with the mistake search and the gateway's string),
notification verification, synchronous-response verification. A private key is used for the
request that carries it and counts against RATE_LIMIT_PRIVATE_KEY; no answer returns a key."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema

from config.errors import ApiError
from config.ratelimits import check as check_rate
from diagnostics.alipay.comparison import GATEWAY_MARKER, compare_sign
from diagnostics.alipay.signing import read_params, with_sign
from diagnostics.alipay.verification import verify_notification, verify_response
from diagnostics.api.common import FindingOut
from diagnostics.core.keys import LoadedKey, load_certificate, load_private_key, load_public_key

router = Router(tags=["alipay"])


class AlipayMistakeOut(Schema):
    code: str
    codes: list[str]
    detail: str
    string_to_sign: str
    fixes: list[str]
    source: str


def _params(params: dict[str, Any] | None, raw: str | None) -> dict[str, Any] | str:
    """Exactly one of ``params`` (an object) and ``raw`` (the text as sent or received)."""
    if (params is None) == (raw is None):
        raise ApiError("invalid_request", gettext("请给出 params（对象）或 raw（原文）之一。"))
    return params if params is not None else str(raw)


def _alipay_key(payload: AlipayKeyIn) -> LoadedKey:
    """The 支付宝公钥, or the public key inside the 支付宝公钥证书."""
    public_key, certificate = payload.public_key, payload.certificate
    if bool(public_key and public_key.strip()) == bool(certificate and certificate.strip()):
        raise ApiError(
            "invalid_request",
            gettext("请给出 public_key（支付宝公钥）或 certificate（支付宝公钥证书）之一。"),
        )
    return load_certificate(certificate) if certificate else load_public_key(str(public_key))


class AlipaySignIn(Schema):
    params: dict[str, Any] | None = None
    raw: str | None = None
    private_key: str
    sign_type: Literal["RSA2", "RSA"] | None = None
    mode: Literal["auto", "key", "cert"] = "auto"
    expected_sign: str = ""
    gateway_answer: str = ""  # the gateway's whole isv.invalid-signature answer, or its sub_msg
    gateway_string: str = ""  # or only the string it echoed after 验签字符串为


class GatewayOut(Schema):
    string: str
    equal: bool
    first_difference: int | None
    explained_by: list[str]


class AlipaySignOut(Schema):
    string_to_sign: str
    sign: str
    sign_type: str
    charset: str
    match: bool | None
    mistakes: list[AlipayMistakeOut]
    gateway: GatewayOut | None
    findings: list[FindingOut]
    corrected: str


@router.post(
    "/alipay/sign",
    response=AlipaySignOut,
    summary="Sign an Alipay request; explain the sign you sent or the gateway's string",
)
def alipay_sign(request: HttpRequest, payload: AlipaySignIn) -> dict[str, Any]:
    params = read_params(_params(payload.params, payload.raw))
    check_rate(request, "private_key")
    comparison = compare_sign(
        params,
        load_private_key(payload.private_key),
        expected_sign=payload.expected_sign,
        gateway_answer=payload.gateway_answer or _echoed(payload.gateway_string),
        sign_type=payload.sign_type,
        mode=payload.mode,
    )
    return {
        **comparison.as_data(),
        "corrected": with_sign(params, comparison.signed.sign, payload.sign_type),
    }


def _echoed(gateway_string: str) -> str:
    """A bare echoed string reads as the answer that carries it."""
    if not gateway_string.strip() or GATEWAY_MARKER in gateway_string:
        return gateway_string
    return f"{GATEWAY_MARKER}：{gateway_string.strip()}"


class AlipayKeyIn(Schema):
    """The 支付宝公钥, or the 支付宝公钥证书 whose public key verifies: one of the two."""

    public_key: str | None = None
    certificate: str | None = None


class AlipayNotifyIn(AlipayKeyIn):
    params: dict[str, Any] | None = None
    raw: str | None = None
    app_public_key: str = ""  # to tell whether public_key is the merchant's own key
    their_string: str = ""  # the string the merchant's code verified


class AlipayNotifyOut(Schema):
    string_to_sign: str
    valid: bool
    sign_type_signed: bool
    mistakes: list[AlipayMistakeOut]
    findings: list[FindingOut]


@router.post(
    "/alipay/verify-notify",
    response=AlipayNotifyOut,
    summary="Verify an Alipay asynchronous notification",
)
def alipay_verify_notify(request: HttpRequest, payload: AlipayNotifyIn) -> dict[str, Any]:
    params = _params(payload.params, payload.raw)
    key = _alipay_key(payload)
    app_key = load_public_key(payload.app_public_key) if payload.app_public_key.strip() else None
    verification = verify_notification(
        params, key, app_key=app_key, their_string=payload.their_string
    )
    return verification.as_data()


class AlipayResponseIn(AlipayKeyIn):
    body: str
    method: str = ""
    sign_type: Literal["RSA2", "RSA"] = "RSA2"
    charset: Literal["UTF-8", "GBK"] = "UTF-8"


class AlipayResponseOut(Schema):
    signed_content: str
    response_name: str
    valid: bool
    alipay_cert_sn: str
    mistakes: list[AlipayMistakeOut]
    findings: list[FindingOut]


@router.post(
    "/alipay/verify-response",
    response=AlipayResponseOut,
    summary="Verify an Alipay synchronous response over the exact text of its *_response value",
)
def alipay_verify_response(request: HttpRequest, payload: AlipayResponseIn) -> dict[str, Any]:
    return verify_response(
        payload.body,
        _alipay_key(payload),
        method=payload.method,
        sign_type=payload.sign_type,
        charset=payload.charset,
    ).as_data()
