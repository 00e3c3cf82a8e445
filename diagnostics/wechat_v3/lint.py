"""004's request-body table for the APIv3 App 合单下单 (``POST /v3/combine-transactions/app``): the
JSON body checked field by field, nested objects and arrays included; findings name the path, e.g.
``sub_orders[1].amount.total_amount``.
"""

from __future__ import annotations

from collections.abc import Mapping

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.lint import LintApi, LintResult
from diagnostics.core.params import (
    MAX_NESTING,
    nesting_depth,
)
from diagnostics.core.text import _
from diagnostics.wechat_v3.fields import (
    ARRAY,
    BOOLEAN,
    INTEGER,
    OBJECT,
    STRING,
    JsonField,
    Walk,
    check_currency,
    check_notify_url,
    check_out_trade_no,
    check_payer_client_ip,
    check_time_expire,
    check_total_amount,
    load_json_body,
)
from diagnostics.wechat_v3.partner import PARTNER_SOURCES, lint_partner

COMBINE_APP_BODY = (
    JsonField("combine_appid", STRING, True, 32),
    JsonField("combine_out_trade_no", STRING, True, 32, check=check_out_trade_no),
    JsonField("combine_mchid", STRING, True, 32),
    JsonField(
        "scene_info",
        OBJECT,
        fields=(
            JsonField("device_id", STRING, False, 16),
            JsonField("payer_client_ip", STRING, True, 45, check=check_payer_client_ip),
        ),
    ),
    JsonField(
        "sub_orders",
        ARRAY,
        True,
        min_items=2,  # 004: 一笔合单支付订单可支持2-10笔子单交易
        max_items=10,
        fields=(
            JsonField("mchid", STRING, True, 32),
            JsonField("attach", STRING, True, 128),
            JsonField(
                "amount",
                OBJECT,
                True,
                fields=(
                    JsonField("total_amount", INTEGER, True, check=check_total_amount),
                    JsonField(
                        "currency", STRING, True, 8, check=check_currency, source="004 请求示例"
                    ),
                ),
            ),
            JsonField("out_trade_no", STRING, True, 32, check=check_out_trade_no),
            JsonField("detail", STRING, False, 6000),
            JsonField("description", STRING, True, 127),
            JsonField(
                "settle_info",
                OBJECT,
                fields=(JsonField("profit_sharing", BOOLEAN, source="004 请求示例"),),
            ),
            JsonField("goods_tag", STRING, False, 32),
        ),
    ),
    JsonField("combine_payer_info", OBJECT, fields=(JsonField("openid", STRING, False, 128),)),
    JsonField("time_expire", STRING, check=check_time_expire),
    JsonField("notify_url", STRING, True, 255, check=check_notify_url),
    JsonField("trade_scenario", STRING, source="004 示例代码"),
)


def _sub_order_findings(body: Mapping[str, object]) -> list[Finding]:
    """004: each 子单商户订单号 is unique under the combine merchant — no repeats in one request."""
    sub_orders = body.get("sub_orders")
    if not isinstance(sub_orders, list | tuple):
        return []
    first_seen: dict[str, int] = {}
    findings = []
    for index, sub_order in enumerate(sub_orders):
        if not isinstance(sub_order, Mapping):
            continue
        number = sub_order.get("out_trade_no")
        if not isinstance(number, str) or not number:
            continue
        if number in first_seen:
            path = f"sub_orders[{index}].out_trade_no"
            findings.append(
                Finding(
                    "duplicate_out_trade_no",
                    _(
                        "{path}={value} 与 sub_orders[{index}] 重复：每笔子单要有自己的商户订单号，"
                        "且在同一个合单商户号下唯一（否则 OUT_TRADE_NO_USED）。",
                        path=path,
                        value=repr(number[:40]),
                        index=first_seen[number],
                    ),
                    "004",
                    path,
                )
            )
        else:
            first_seen[number] = index
    return findings


def lint_request(
    lint_api: LintApi, params: Mapping[str, object] | None, body: str | None
) -> LintResult:
    findings: list[Finding] = []
    if params is not None:
        decoded: object = params
    else:
        decoded = load_json_body(body or "", findings)
    if not isinstance(decoded, Mapping):
        raise ParseError("json_not_object", _("请求体必须是一个 JSON 对象 {…}。"))
    if nesting_depth(decoded) > MAX_NESTING:
        raise ParseError("json_too_deep", _("JSON 嵌套超过 {depth} 层。", depth=MAX_NESTING))
    if lint_api.slug in PARTNER_SOURCES:
        return lint_partner(lint_api, decoded, findings)
    walk = Walk()
    walk.object(decoded, COMBINE_APP_BODY, "")
    findings += walk.findings
    findings += _sub_order_findings(decoded)
    return LintResult(lint_api, "json", tuple(findings), walk.fields_checked)


V3 = "wechat_v3"

PARTNER_NOTES = (
    _(
        "服务商模式用服务商的商户号 sp_mchid、证书和私钥签名；sp_appid 与 sp_mchid、"
        "sub_appid 与 sub_mchid 各自要有绑定关系（否则 APPID_MCHID_NOT_MATCH）。"
    ),
)

LINT_APIS: dict[str, LintApi] = {
    api.slug: api
    for api in (
        LintApi(
            "combine-app",
            "App 合单下单 POST /v3/combine-transactions/app (APIv3)",
            "004",
            V3,
            (
                _(
                    "combine_appid 填移动应用类型的 APPID，并与 combine_mchid 有绑定关系"
                    "（否则 APPID_MCHID_NOT_MATCH）。"
                ),
                _(
                    "time_expire 只能在首次下单时设置，之后不允许修改；"
                    "早于下单后 1 分钟的会被自动调整为下单后 1 分钟。"
                ),
            ),
        ),
        LintApi(
            "partner-jsapi",
            "服务商 JSAPI/小程序下单 POST /v3/pay/partner/transactions/jsapi (APIv3)",
            PARTNER_SOURCES["partner-jsapi"],
            V3,
            (
                *PARTNER_NOTES,
                _(
                    "调起支付时的 appId 要与下单时 openid 所属的应用一致：传了 sub_appid 和 "
                    "payer.sub_openid，就用 sub_appid 调起支付。"
                ),
            ),
        ),
        LintApi(
            "partner-app",
            "服务商 App 下单 POST /v3/pay/partner/transactions/app (APIv3)",
            PARTNER_SOURCES["partner-app"],
            V3,
            PARTNER_NOTES,
        ),
        LintApi(
            "partner-h5",
            "服务商 H5 下单 POST /v3/pay/partner/transactions/h5 (APIv3)",
            PARTNER_SOURCES["partner-h5"],
            V3,
            PARTNER_NOTES,
        ),
        LintApi(
            "partner-native",
            "服务商 Native 下单 POST /v3/pay/partner/transactions/native (APIv3)",
            PARTNER_SOURCES["partner-native"],
            V3,
            PARTNER_NOTES,
        ),
    )
}
