"""服务商模式 (service-provider mode): the APIv3 partner order bodies
``POST /v3/pay/partner/transactions/jsapi|app|h5|native`` checked field by field with the walker of
:mod:`diagnostics.wechat_v3.lint`, and the mistakes service providers make with them.

The tables are WeChat Pay's public partner API references (URLs beside ``PARTNER_SOURCES`` in
lint.py): a service provider orders for a sub-merchant with ``sp_appid``/``sp_mchid`` (its own) and
``sub_mchid`` (always) plus ``sub_appid`` (the sub-merchant's app); the JSAPI payer is ``sp_openid``
or ``sub_openid``, never the direct merchant's ``openid``.

>>> from diagnostics.wechat_v3.lint import LINT_APIS
>>> body = {"sp_appid": "wx8888888888888888", "sp_mchid": "1230000109", "sub_mchid": "1900000109",
...         "description": "QQ公仔", "out_trade_no": "1217752501201407033233368018",
...         "notify_url": "https://www.weixin.qq.com/wxpay/pay.php", "amount": {"total": 100},
...         "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}
>>> lint_partner(LINT_APIS["partner-jsapi"], body, []).codes
['partner_payer_openid']
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from diagnostics.core.findings import Finding
from diagnostics.core.lint import LintApi, LintResult
from diagnostics.core.text import _
from diagnostics.wechat_v3.fields import (
    ARRAY,
    BOOLEAN,
    INTEGER,
    OBJECT,
    STRING,
    JsonField,
    ValueCheck,
    Walk,
    check_notify_url,
    check_out_trade_no,
    check_payer_client_ip,
    check_time_expire,
    wrong_type,
)

# 服务商模式 order bodies (this module holds their tables and rules), each cited
# by the public API reference it is taken from:
# jsapi  https://pay.weixin.qq.com/doc/v3/partner/4012523579
# app    https://pay.weixin.qq.com/wiki/doc/apiv3_partner/apis/chapter4_2_1.shtml
# h5     https://pay.weixin.qq.com/wiki/doc/apiv3_partner/apis/chapter4_3_1.shtml
# native https://pay.weixin.qq.com/doc/v3/partner/4012523551
PARTNER_SOURCES = {
    "partner-jsapi": "服务商 JSAPI 下单（公开文档）",
    "partner-app": "服务商 App 下单（公开文档）",
    "partner-h5": "服务商 H5 下单（公开文档）",
    "partner-native": "服务商 Native 下单（公开文档）",
}
SRC_JSAPI = PARTNER_SOURCES["partner-jsapi"]


def _cited(check: ValueCheck, source: str) -> ValueCheck:
    """A shared check whose findings cite the partner reference instead of 004."""

    def run(path: str, value: object) -> list[Finding]:
        return [
            Finding(finding.code, finding.message, source, finding.field, finding.retry)
            for finding in check(path, value)
        ]

    return run


def _check_total(source: str) -> ValueCheck:
    def check(path: str, value: object) -> list[Finding]:
        # amount.total: 【总金额】订单总金额，单位为分 (integer)
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return [wrong_type(path, INTEGER, value, source)]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int):
            message = _(
                "{path}={value} 不是整数：金额单位为分，是 JSON 整数（如 1 元写作 100）。",
                path=path,
                value=json.dumps(value, ensure_ascii=False)[:40],
            )
            return [Finding("amount_not_integer_fen", message, source, path)]
        if value <= 0:
            message = _("{path}={value}：订单金额（分）必须大于 0。", path=path, value=value)
            return [Finding("amount_not_positive", message, source, path)]
        return []

    return check


def check_currency(source: str) -> ValueCheck:
    def check(path: str, value: object) -> list[Finding]:
        assert isinstance(value, str)
        if value == "CNY":
            return []
        return [
            Finding(
                "currency_invalid",
                _(
                    "{path}={value}：境内商户号只支持人民币，写作 CNY（大写）。",
                    path=path,
                    value=repr(value[:20]),
                ),
                source,
                path,
            )
        ]

    return check


def _body(source: str, *, payer: bool = False, h5: bool = False) -> tuple[JsonField, ...]:
    """One partner order table; the four share it but for ``payer`` (JSAPI) and ``h5_info`` (H5)."""

    def field(name: str, kind: str, required: bool = False, max_length: int | None = None, **more):
        if "check" in more:
            more["check"] = _cited(more["check"], source)
        return JsonField(name, kind, required, max_length, source=source, **more)

    scene_fields = (
        field("payer_client_ip", STRING, True, 45, check=check_payer_client_ip),
        field("device_id", STRING, False, 32),
        field(
            "store_info",
            OBJECT,
            fields=(
                field("id", STRING, False, 32),
                field("name", STRING, False, 256),
                field("area_code", STRING, False, 32),
                field("address", STRING, False, 512),
            ),
        ),
    )
    if h5:
        scene_fields += (
            field(
                "h5_info",
                OBJECT,
                True,
                fields=(
                    field("type", STRING, True, 32),
                    field("app_name", STRING, False, 64),
                    field("app_url", STRING, False, 128),
                    field("bundle_id", STRING, False, 128),
                    field("package_name", STRING, False, 128),
                ),
            ),
        )
    table = (
        field("sp_appid", STRING, True, 32),
        field("sp_mchid", STRING, True, 32),
        field("sub_appid", STRING, False, 32),
        field("sub_mchid", STRING, True, 32),
        field("description", STRING, True, 127),
        field("out_trade_no", STRING, True, 32, check=check_out_trade_no),
        field("time_expire", STRING, False, 64, check=check_time_expire),
        field("attach", STRING, False, 128),
        field("notify_url", STRING, True, 255, check=_cited(check_notify_url, source)),
        field("goods_tag", STRING, False, 32),
        field("support_fapiao", BOOLEAN),
        field(
            "settle_info",
            OBJECT,
            fields=(field("profit_sharing", BOOLEAN), field("subsidy_amount", INTEGER)),
        ),
        JsonField(
            "amount",
            OBJECT,
            True,
            fields=(
                JsonField("total", INTEGER, True, check=_check_total(source), source=source),
                JsonField(
                    "currency", STRING, False, 16, check=check_currency(source), source=source
                ),
            ),
            source=source,
        ),
        field(
            "detail",
            OBJECT,
            fields=(
                field("cost_price", INTEGER),
                field("invoice_id", STRING, False, 32),
                field(
                    "goods_detail",
                    ARRAY,
                    fields=(
                        field("merchant_goods_id", STRING, True, 32),
                        field("wechatpay_goods_id", STRING, False, 32),
                        field("goods_name", STRING, False, 256),
                        field("quantity", INTEGER, True),
                        field("unit_price", INTEGER, True),
                    ),
                ),
            ),
        ),
        field("scene_info", OBJECT, h5, fields=scene_fields),
    )
    if payer:
        # 【支付者】sp_openid（用户在服务商 sp_appid 下的标识）或 sub_openid（在 sub_appid 下），二选一
        table += (
            field(
                "payer",
                OBJECT,
                True,
                fields=(
                    field("sp_openid", STRING, False, 128),
                    field("sub_openid", STRING, False, 128),
                ),
            ),
        )
    return table


PARTNER_BODIES: dict[str, tuple[JsonField, ...]] = {
    "partner-jsapi": _body(PARTNER_SOURCES["partner-jsapi"], payer=True),
    "partner-app": _body(PARTNER_SOURCES["partner-app"]),
    "partner-h5": _body(PARTNER_SOURCES["partner-h5"], h5=True),
    "partner-native": _body(PARTNER_SOURCES["partner-native"]),
}

# A direct merchant's field names (/v3/pay/transactions/*) and their service-provider counterparts.
# WeChat Pay answers a partner body carrying them with 400 PARAM_ERROR
# "请求中含有未在API文档中定义的参数" naming e.g. /body/payer/openid (minibear2021/wechatpayv3 PR #87).
DIRECT_NAMES = {"appid": "sp_appid", "mchid": "sp_mchid", "sub_mch_id": "sub_mchid"}


def lint_partner(
    lint_api: LintApi, body: Mapping[str, object], findings: list[Finding]
) -> LintResult:
    """Check a decoded partner order ``body`` against its table, then the 服务商 rules.

    ``findings`` are those reading the body produced (a repeated name); the result carries them.
    """
    source = lint_api.source
    walk = Walk(source)
    walk.object(body, PARTNER_BODIES[lint_api.slug], "")
    payer = body.get("payer")
    payer = payer if isinstance(payer, Mapping) else {}
    replaced = {name for name in DIRECT_NAMES if name in body}
    if "openid" in payer and lint_api.slug == "partner-jsapi":
        replaced.add("payer.openid")
    kept = [
        finding
        for finding in walk.findings
        if not (finding.code == "unknown_field" and finding.field in replaced)
    ]
    kept = [_sub_mchid_missing(finding) for finding in kept]
    rules = _direct_name_findings(body, source)
    if lint_api.slug == "partner-jsapi":
        rules += _payer_findings(body, payer, source)
    rules += _same_merchant_findings(body, source)
    return LintResult(lint_api, "json", tuple(findings + kept + rules), walk.fields_checked)


def _sub_mchid_missing(finding: Finding) -> Finding:
    if finding.code != "required_missing" or finding.field != "sub_mchid":
        return finding
    return Finding(
        finding.code,
        _(
            "缺少必填字段 sub_mchid：服务商下单必须带特约商户（子商户）号，"
            "否则平台答“受理机构必须传入sub_mch_id”。"
        ),
        finding.source,
        finding.field,
    )


def _direct_name_findings(body: Mapping[str, object], source: str) -> list[Finding]:
    return [
        Finding(
            "partner_direct_field",
            _(
                "{name} 是普通商户接口的字段名，服务商接口里对应的是 {partner}：平台会答 400 "
                "“请求中含有未在API文档中定义的参数”。",
                name=name,
                partner=partner,
            ),
            source,
            name,
        )
        for name, partner in DIRECT_NAMES.items()
        if name in body
    ]


def _payer_findings(
    body: Mapping[str, object], payer: Mapping[str, object], source: str
) -> list[Finding]:
    findings = []
    given = {name for name in ("sp_openid", "sub_openid") if _text(payer.get(name))}
    sub_appid = _text(body.get("sub_appid"))
    if "openid" in payer:
        findings.append(
            Finding(
                "partner_payer_openid",
                _(
                    "payer.openid 是普通商户 JSAPI 下单的字段，服务商接口的 payer 只有 sp_openid 和 "
                    "sub_openid：平台会答 400 “请求中含有未在API文档中定义的参数” /body/payer/openid。"
                    "用户在 sub_appid 下的 openid 填 payer.sub_openid（并传 sub_appid），"
                    "在 sp_appid 下的填 payer.sp_openid。"
                ),
                source,
                "payer.openid",
            )
        )
    elif isinstance(body.get("payer"), Mapping) and not given:
        findings.append(
            Finding(
                "partner_payer_openid_missing",
                _(
                    "payer 里要有 sp_openid 或 sub_openid（二选一），JSAPI/小程序下单靠它识别付款用户。"
                ),
                source,
                "payer",
            )
        )
    if "sub_openid" in given and not sub_appid:
        # 公开文档 sub_appid: 若sub_openid有传的情况下，sub_appid必填，且sub_appid需与sub_openid对应
        findings.append(
            Finding(
                "sub_openid_without_sub_appid",
                _(
                    "传了 payer.sub_openid 却没有 sub_appid：sub_openid 有传时 sub_appid 必填，"
                    "且 sub_openid 必须是在这个 sub_appid 下取得的（否则“appid和openid不匹配”）。"
                ),
                source,
                "sub_appid",
            )
        )
    if given == {"sp_openid"} and sub_appid:
        findings.append(
            Finding(
                "sp_openid_with_sub_appid",
                _(
                    "payer 只有 sp_openid，又传了 sub_appid：sp_openid 是用户在服务商 sp_appid 下的标识。"
                    "用户是在特约商户的小程序/公众号（sub_appid）里授权的，就把那个 openid 放进 "
                    "payer.sub_openid；确实是 sp_appid 下的 openid，调起支付的 appId 也要用 sp_appid。"
                ),
                source,
                "payer.sp_openid",
            )
        )
    return findings


def _same_merchant_findings(body: Mapping[str, object], source: str) -> list[Finding]:
    sp_mchid, sub_mchid = _text(body.get("sp_mchid")), _text(body.get("sub_mchid"))
    if not sp_mchid or sp_mchid != sub_mchid:
        return []
    return [
        Finding(
            "sub_mchid_is_sp_mchid",
            _(
                "sub_mchid 与 sp_mchid 相同：sub_mchid 填特约商户（子商户）的商户号，"
                "不是服务商自己的；直连商户请用普通商户接口 /v3/pay/transactions/…。"
            ),
            source,
            "sub_mchid",
        )
    ]


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
