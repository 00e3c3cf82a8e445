"""The WeChat Pay V2 endpoint: sign, compare, find the mistake."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext
from ninja import Router, Schema

from config.errors import ApiError
from diagnostics.api.common import Excluded, FindingOut, MistakeOut
from diagnostics.core.params import ParsedParams, from_mapping, parse_params
from diagnostics.wechat_v2.checks import recognise_reply
from diagnostics.wechat_v2.fields import PRESETS
from diagnostics.wechat_v2.report import build_report

router = Router(tags=["wechat v2"])


class V2SignIn(Schema):
    params: dict[str, Any] | None = None
    raw: str | None = None
    key: str = ""
    sign_type: Literal["MD5", "HMAC-SHA256"] | None = None
    expected_sign: str | None = None
    preset: str = "free"
    entry_point: Literal["app", "h5", "miniprogram"] | None = None
    # 服务商模式: the unified order a pay call pays (XML, query, lines, JSON or an object)
    order: dict[str, Any] | str | None = None


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
    corrected: str  # the request as pasted with the right sign in it; "" when the sign matched


@router.post(
    "/wechat/v2/sign", response=V2SignOut, summary="Sign WeChat Pay V2 params, find the mistake"
)
def wechat_v2_sign(request: HttpRequest, payload: V2SignIn) -> JsonResponse:
    if payload.preset not in PRESETS:
        raise ApiError(
            "unknown_preset",
            gettext("没有这个预设：%(preset)s；可选 %(choices)s。")
            % {"preset": payload.preset[:40], "choices": ", ".join(PRESETS)},
        )
    if payload.raw and payload.raw.strip():
        parsed = parse_params(payload.raw)
    elif payload.params:
        parsed = from_mapping(payload.params, "json")
    else:
        raise ApiError(
            "no_params",
            gettext("请提供 params（对象）或 raw（XML、query string、name=value 行或 JSON）。"),
        )
    reply = recognise_reply(parsed.pairs)
    if reply and not reply.signed:
        raise ApiError(
            "platform_reply",
            gettext(
                "这是微信支付的应答，不是你发送的请求：失败的应答不带签名。"
                "请用 GET /api/v1/diagnose?q=… 诊断它，或提交你发送的请求。"
            ),
        )
    if not payload.key.strip() and not parsed.pasted_key:
        raise ApiError("no_key", gettext("请提供 key（商户 API 密钥）。"))
    report = build_report(
        parsed,
        payload.key,
        PRESETS[payload.preset],
        chosen_sign_type=payload.sign_type,
        expected_sign=payload.expected_sign,
        entry_point=payload.entry_point or "",
        order=_order(payload.order),
    )
    # The V2SignOut shape, answered as is (no second validation on the hot path).
    return JsonResponse(report.as_data(), json_dumps_params={"ensure_ascii": False})


def _order(order: dict[str, Any] | str | None) -> ParsedParams | None:
    """The unified order a pay call pays, when given (服务商: which appId the pay call signs)."""
    if isinstance(order, dict):
        return from_mapping(order, "json") if order else None
    return parse_params(order) if order and order.strip() else None
