"""JSON endpoints of the signature workbenches (django-ninja router, mounted under /api/v1/)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from config.errors import ApiError
from diagnostics.params import from_mapping, parse_params
from diagnostics.wechat_v2_fields import PRESETS
from diagnostics.wechat_v2_report import build_report

router = Router(tags=["wechat v2"])


class V2SignIn(Schema):
    params: dict[str, Any] | None = None
    raw: str | None = None
    key: str = ""
    sign_type: Literal["MD5", "HMAC-SHA256"] | None = None
    expected_sign: str | None = None
    preset: str = "free"
    entry_point: Literal["app", "h5", "miniprogram"] | None = None


class Excluded(Schema):
    name: str
    reason: str


class MistakeOut(Schema):
    code: str
    codes: list[str]
    detail: str
    string1: str
    fixes: list[str]
    source: str


class FindingOut(Schema):
    code: str
    message: str
    source: str


class V2SignOut(Schema):
    format: str
    string1: str
    string_sign_temp: str  # the key masked but for its last 4 characters
    digest: str
    sign: str
    sign_type: str
    excluded: list[Excluded]
    match: bool | None
    mistakes: list[MistakeOut]
    findings: list[FindingOut]


@router.post(
    "/wechat/v2/sign", response=V2SignOut, summary="Sign WeChat Pay V2 params, find the mistake"
)
def wechat_v2_sign(
    request: HttpRequest, response: HttpResponse, payload: V2SignIn
) -> dict[str, Any]:
    response["Cache-Control"] = "no-store"
    if payload.preset not in PRESETS:
        raise ApiError(
            "unknown_preset", f"没有这个预设：{payload.preset[:40]}；可选 {', '.join(PRESETS)}。"
        )
    if payload.raw and payload.raw.strip():
        parsed = parse_params(payload.raw)
    elif payload.params:
        parsed = from_mapping(payload.params, "json")
    else:
        raise ApiError(
            "no_params", "请提供 params（对象）或 raw（XML、query string、name=value 行或 JSON）。"
        )
    if not payload.key.strip() and not parsed.pasted_key:
        raise ApiError("no_key", "请提供 key（商户 API 密钥）。")
    report = build_report(
        parsed,
        payload.key,
        PRESETS[payload.preset],
        chosen_sign_type=payload.sign_type,
        expected_sign=payload.expected_sign,
        entry_point=payload.entry_point or "",
    )
    steps = report.steps
    return {
        "format": parsed.format,
        "string1": steps.string1,
        "string_sign_temp": report.string_sign_temp_masked,
        "digest": steps.digest,
        "sign": steps.sign,
        "sign_type": steps.sign_type,
        "excluded": [{"name": item.name, "reason": item.reason} for item in steps.excluded],
        "match": report.match,
        "mistakes": [
            {
                "code": mistake.code,
                "codes": list(mistake.codes),
                "detail": mistake.detail,
                "string1": mistake.string1,
                "fixes": mistake.fixes,
                "source": mistake.sources,
            }
            for mistake in report.mistakes
        ],
        "findings": [
            {"code": finding.code, "message": finding.message, "source": finding.source}
            for finding in report.findings
        ],
    }
