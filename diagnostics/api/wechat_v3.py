"""The APIv3 endpoints: sign (and compare a 401), verify, decrypt. Keys are loaded for this
request only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema

from config.errors import ApiError
from config.ratelimits import check as check_rate
from diagnostics import wechat_v3
from diagnostics.api.common import FindingOut, findings_out
from diagnostics.wechat_v3.workbenches import run_v3_sign, run_v3_verify

router = Router(tags=["wechat v3"])


class V3SignIn(Schema):
    # With sign_error (a 401 SIGN_ERROR body) every field may be left out: what is missing is
    # read from the body, and without private_key the answer is the comparison alone.
    method: str = ""
    url: str = ""
    timestamp: str = ""
    nonce: str = ""
    body: str = ""
    private_key: str = ""
    mchid: str = ""
    serial_no: str = ""
    sign_error: str = ""


class V3SignErrorOut(Schema):
    consistent: bool
    verdict: str
    first_difference: dict[str, Any] | None
    wechat_message: str  # as WeChat Pay shows it: the body cut to its first characters
    wechat_message_length: int | None
    message_length: int
    from_401: list[str]
    explanations: list[FindingOut]  # why the messages differ, in words
    findings: list[FindingOut]


class V3SignOut(Schema):
    message: str
    signature: str | None = None
    authorization: str | None = None
    findings: list[FindingOut]
    sign_error: V3SignErrorOut | None = None


@router.post(
    "/wechat/v3/sign",
    response=V3SignOut,
    tags=["wechat v3"],
    summary="Sign an APIv3 request; compare a 401 SIGN_ERROR body (no key needed)",
)
def wechat_v3_sign(request: HttpRequest, payload: V3SignIn) -> dict[str, Any]:
    values = payload.model_dump()
    if not payload.sign_error.strip():
        missing = [
            name
            for name in ("url", "timestamp", "nonce", "private_key")
            if not str(values[name]).strip()
        ]
        if missing:
            raise ApiError(
                "invalid_request",
                gettext("缺少 %(fields)s（或给出 sign_error：401 应答体）。")
                % {"fields": ", ".join(missing)},
            )
    if payload.private_key.strip():
        check_rate(request, "private_key")
    # The JSON API signs the bytes it is sent: no default time or nonce (they come from the
    # 401 body when one is given).
    result = run_v3_sign({**values, "certificate": "", "their_signature": ""})
    answer: dict[str, Any] = {"message": "", "findings": []}
    if "signed" in result:
        signed = result["signed"]
        answer |= {
            "message": signed.message,
            "signature": signed.signature,
            "authorization": signed.authorization,
            "findings": findings_out(signed.findings),
        }
    if "comparison" in result:
        comparison = result["comparison"]
        answer["message"] = answer["message"] or comparison.message
        answer["sign_error"] = comparison.as_data()
    return answer


class V3VerifyIn(Schema):
    timestamp: str
    nonce: str
    body: str = ""
    signature: str
    public_key: str
    serial: str = ""


class V3MistakeOut(Schema):
    code: str
    detail: str
    message: str


class V3VerifyOut(Schema):
    message: str
    valid: bool
    mode: str
    mistakes: list[V3MistakeOut]
    findings: list[FindingOut]


@router.post(
    "/wechat/v3/verify",
    response=V3VerifyOut,
    tags=["wechat v3"],
    summary="Verify a response or notification",
)
def wechat_v3_verify(request: HttpRequest, payload: V3VerifyIn) -> dict[str, Any]:
    # The same run as the verify page: verify, and on failure search for what was signed.
    result = run_v3_verify({**payload.model_dump(), "headers": "", "mchid": ""})
    verification = result["verification"]
    found = result["search"].found if "search" in result else ()
    return {
        "message": verification.message,
        "valid": verification.valid,
        "mode": verification.mode,
        "mistakes": [
            {"code": m.code, "detail": str(m.detail), "message": m.message} for m in found
        ],
        "findings": findings_out(verification.findings),
    }


class V3DecryptIn(Schema):
    apiv3_key: str
    associated_data: str = ""
    nonce: str
    ciphertext: str


class V3DecryptOut(Schema):
    plaintext: str


@router.post(
    "/wechat/v3/decrypt",
    response=V3DecryptOut,
    tags=["wechat v3"],
    summary="Decrypt a notification",
)
def wechat_v3_decrypt(request: HttpRequest, payload: V3DecryptIn) -> dict[str, Any]:
    decrypted = wechat_v3.decrypt_resource(
        apiv3_key=payload.apiv3_key,
        associated_data=payload.associated_data,
        nonce=payload.nonce,
        ciphertext=payload.ciphertext,
    )
    return {"plaintext": decrypted.plaintext}
