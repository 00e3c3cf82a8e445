"""密钥体检 as JSON: ``POST /api/v1/wechat/v3/keyring`` (issue 15 §1). Secrets in ``items`` are used
for this request only: the answer names their kind, never their value."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema

from config.errors import ApiError
from config.ratelimits import check as check_rate
from config.redaction import request_redactor
from diagnostics.api.common import FindingOut
from diagnostics.wechat_v3.keyring import examine

router = Router(tags=["wechat v3"])


class KeyringIn(Schema):
    items: list[str] = Field(
        ...,
        description="What the merchant holds, in any order: PEM blocks, bare base64 DER, the "
        "/v3/certificates answer, PUB_KEY_ID_…, keys, serials, mchid, name=value lines; one "
        "string may hold several.",
    )
    mchid: str = ""
    wechatpay_serial: str = ""


class KeyringItemOut(Schema):
    kind: str
    label: str
    serial: str | None = None
    not_before: str | None = None
    not_after: str | None = None
    subject: str | None = None
    public_key_id: str | None = None


class RelationOut(Schema):
    code: str
    ok: bool
    message: str


class JobOut(Schema):
    job: str
    ready: bool
    use: list[int] = Field(..., description="Indexes (from 0) into items of what to use")
    message: str


class KeyringOut(Schema):
    items: list[KeyringItemOut]
    relations: list[RelationOut]
    jobs: list[JobOut]
    findings: list[FindingOut]


@router.post(
    "/wechat/v3/keyring",
    response={200: KeyringOut},
    exclude_unset=True,
    tags=["wechat v3"],
    summary="Key ring: label every key, certificate, serial and ID, check them against each "
    "other, and say which to use for each job",
)
def wechat_v3_keyring(request: HttpRequest, payload: KeyringIn) -> dict[str, Any]:
    if not any(text.strip() for text in payload.items):
        raise ApiError(
            "invalid_request",
            gettext("items 为空：放进你手上的密钥、证书、应答、序列号或商户号，每项一个字符串。"),
        )
    if any("PRIVATE KEY" in text or len(text) >= 1000 for text in payload.items):
        check_rate(request, "private_key")
    ring = examine(payload.items, mchid=payload.mchid, wechatpay_serial=payload.wechatpay_serial)
    # The engine shows no secret; what the request's body gives away by name or shape is
    # removed as well, as from every answer.
    return request_redactor(request).tree(ring.as_data())
