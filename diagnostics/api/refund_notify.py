"""The V2 refund notification endpoint: decrypt ``req_info`` with the API key. The key is used
for this request only and never echoed; a failure names its cause and the slips tried."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema, Status

from config.errors import ApiError, error_body
from diagnostics.api.common import FindingOut, findings_out
from diagnostics.wechat_v2.refund_notify import ReqInfoError, read_refund_notification

router = Router(tags=["wechat v2"])


class RefundNotifyIn(Schema):
    # One of the two: the whole notification XML, or its req_info alone.
    req_info: str = ""
    notification: str = ""
    key: str  # the V2 API key (APIv2 密钥), not the APIv3 key


class RefundNotifyOut(Schema):
    plaintext: str
    fields: dict[str, str]  # the decrypted <root>'s fields by name, in the plaintext's order
    findings: list[FindingOut]


class MistakeTried(Schema):
    code: str
    message: str
    decrypts: bool  # whether this slip opens the req_info


class ErrorWithMistakes(Schema):
    code: str
    message: str
    mistakes: list[MistakeTried] = []


class RefundNotifyError(Schema):
    error: ErrorWithMistakes
    mistakes: list[MistakeTried] = []


@router.post(
    "/wechat/v2/refund-notify/decrypt",
    response={200: RefundNotifyOut, 400: RefundNotifyError},
    summary="Decrypt a V2 refund notification's req_info (AES-256-ECB, key = MD5 of the API key)",
)
def refund_notify_decrypt(request: HttpRequest, payload: RefundNotifyIn) -> Any:
    text = payload.notification if payload.notification.strip() else payload.req_info
    if not text.strip():
        raise ApiError(
            "req_info_missing", gettext("请给出 notification（整段通知 XML）或 req_info。")
        )
    try:
        refund = read_refund_notification(text, payload.key)
    except ReqInfoError as error:
        if not error.mistakes:
            raise
        mistakes = [
            {"code": m.code, "message": str(m.message), "decrypts": m.decrypts}
            for m in error.mistakes
        ]
        body = error_body(error.code, error.message)
        body["error"]["mistakes"] = mistakes
        return Status(400, {**body, "mistakes": mistakes})
    return {
        "plaintext": refund.plaintext,
        "fields": {name: value for name, _label, value in refund.fields},
        "findings": findings_out(refund.findings),
    }
