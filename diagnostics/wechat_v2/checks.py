"""Static checks on WeChat Pay V2 parameters: what is wrong before any hashing (002 §4, §7.3; 000).

Each finding cites the document section its rule comes from.

>>> [f.code for f in check_params([("total_fee", "0.01")], "")]
['amount_not_integer_fen']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from diagnostics.core.findings import Finding
from diagnostics.core.params import yuan_to_fen
from diagnostics.core.text import _, joined
from diagnostics.wechat_v2.fields import PRESETS, V2_APIS
from diagnostics.wechat_v2.signing import HMAC_SHA256, MD5, SIGN_FIELDS, SIGN_TYPES, guess_sign_type

Pairs = Sequence[tuple[str, str]]

TIMESTAMP_FIELDS = ("timestamp", "timeStamp", "time_stamp")
NONCE_FIELDS = ("nonce_str", "nonceStr", "noncestr")
TRADE_TYPES = ("JSAPI", "NATIVE", "APP", "MWEB", "MICROPAY")
# Characters a query value cannot carry unencoded without changing meaning (000 #2: urlencode).
QUERY_RESERVED = re.compile(r"[&=+/ #%?]")


def normalise_sign_type(value: str) -> str | None:
    """The sign type a spelling means, or None: 'hmac_sha256' -> 'HMAC-SHA256'."""
    squashed = re.sub(r"[\s_-]", "", value).upper()
    return {"MD5": MD5, "HMACSHA256": HMAC_SHA256}.get(squashed)


def check_params(
    pairs: Pairs,
    api: str,
    *,
    entry_point: str = "",
    query_was_encoded: bool = True,
    order: Pairs = (),
) -> list[Finding]:
    """Findings on the parameters themselves, for the call ``api`` (a V2_APIS key or "").

    ``order`` is the unified order a pay call pays, when given (服务商: which appId signs).
    """
    values = dict(pairs)
    findings: list[Finding] = []
    findings += [_partner_wording(finding, api) for finding in _field_table_checks(values, api)]
    findings += partner_findings(values, api, dict(order))
    findings += _timestamp_checks(values)
    findings += _nonce_checks(values)
    findings += _whitespace_checks(pairs)
    findings += _trade_type_checks(values)
    findings += _call_specific_checks(values, api, entry_point, query_was_encoded)
    return findings


def _field_table_checks(values: dict[str, str], api: str) -> list[Finding]:
    specs = V2_APIS.get(api, ())
    if not specs:
        return _amount_checks(values, ("total_fee", "refund_fee", "coupon_fee"), "002 §4.1")
    preset = PRESETS.get(api)
    source = preset.source if preset else _API_SOURCES.get(api, "002 §4")
    by_lower = {name.lower(): name for name in values}
    findings: list[Finding] = []
    for spec in specs:
        if spec.name in values:
            value = values[spec.name]
            if spec.max_length and len(value) > spec.max_length:
                findings.append(
                    Finding(
                        "too_long",
                        _(
                            "{name} 有 {length} 个字符，超过 String({max_length})。",
                            name=spec.name,
                            length=len(value),
                            max_length=spec.max_length,
                        ),
                        source,
                        spec.name,
                    )
                )
            continue
        other = by_lower.get(spec.name.lower())
        if other:
            findings.append(
                Finding(
                    "name_case",
                    _(
                        "参数名是 {other}，应为 {name}：参数名区分大小写，写错既不被识别也改变签名。",
                        other=other,
                        name=spec.name,
                    ),
                    "002 §4.4; 003 §3.2.3",
                    other,
                    (other, spec.name, values[other]),
                )
            )
        elif spec.required and spec.name not in SIGN_FIELDS:
            findings.append(
                Finding(
                    "required_missing",
                    _("缺少必填参数 {name}。", name=spec.name),
                    source,
                    spec.name,
                )
            )
    if preset and preset.fixed_fields:
        known = {spec.name.lower() for spec in specs}
        for name in values:
            if name.lower() not in known and name != "key":
                findings.append(
                    Finding(
                        "unexpected_field",
                        _("{name} 不是这个调用的参数；多出的参数同样会参与签名。", name=name),
                        source,
                        name,
                    )
                )
    integer_fields = tuple(spec.name for spec in specs if spec.integer)
    return findings + _amount_checks(values, integer_fields, source)


_API_SOURCES = {
    "orderquery": "002 §4.3",
    "closeorder": "002 §4.7",
    "refund": "002 §4.8",
    "refundquery": "002 §4.9",
    "downloadbill": "002 §4.10",
}


def _amount_checks(values: dict[str, str], names: Sequence[str], source: str) -> list[Finding]:
    findings = []
    for name in names:
        value = values.get(name, "").strip()
        if not value or re.fullmatch(r"[0-9]+", value):
            continue
        fen = yuan_to_fen(value) if "." in value else None
        if fen is not None:
            message = _(
                "{name}={value} 带了小数点：金额单位是分，不能带小数点（{value} 元应写作 {fen}）。",
                name=name,
                value=value,
                fen=fen,
            )
        else:
            message = _(
                "{name}={value} 不是整数：金额单位是分，只能是整数。", name=name, value=value
            )
        findings.append(Finding("amount_not_integer_fen", message, source, name))
    return findings


def _timestamp_checks(values: dict[str, str]) -> list[Finding]:
    findings = []
    for name in TIMESTAMP_FIELDS:
        value = values.get(name)
        if value is None or re.fullmatch(r"\d{10}", value):
            continue
        if re.fullmatch(r"\d{13}", value):
            message = _(
                "{name}={value} 是 13 位的毫秒时间戳；要的是精确到秒的 10 位（{seconds}）。",
                name=name,
                value=value,
                seconds=value[:10],
            )
        else:
            message = _(
                "{name}={value!r} 不是 10 位数字的 Unix 时间戳（秒）。", name=name, value=value
            )
        # Signed in seconds by the back end, sent in milliseconds by the page: worth re-signing.
        retry = (name, name, value[:10]) if re.fullmatch(r"\d{13}", value) else None
        findings.append(Finding("timestamp_format", message, "002 §7.3 (3)", name, retry))
    return findings


def _nonce_checks(values: dict[str, str]) -> list[Finding]:
    return [
        Finding(
            "nonce_too_long",
            _(
                "{name} 有 {length} 个字符；随机字符串不长于 32 位。",
                name=name,
                length=len(values[name]),
            ),
            "002 §4.1",
            name,
        )
        for name in NONCE_FIELDS
        if name in values and len(values[name]) > 32
    ]


def _whitespace_checks(pairs: Pairs) -> list[Finding]:
    return [
        Finding(
            "value_whitespace",
            _("{name} 的值两端有空白字符；它们会原样参与签名，而很多 SDK 会先 trim()。", name=name),
            "002 §3.2",
            name,
        )
        for name, value in pairs
        if value.strip() and value != value.strip()
    ]


def _trade_type_checks(values: dict[str, str]) -> list[Finding]:
    trade_type = values.get("trade_type")
    if trade_type is None:
        return []
    findings = []
    if trade_type not in TRADE_TYPES:
        findings.append(
            Finding(
                "trade_type_unknown",
                _("trade_type={value!r} 不是 JSAPI、NATIVE、APP 之一（大写）。", value=trade_type),
                "002 §4.1",
                "trade_type",
            )
        )
    # 服务商 orders may carry sub_openid instead (openid 和 sub_openid 选传其中之一).
    if trade_type == "JSAPI" and not (
        values.get("openid", "").strip() or values.get("sub_openid", "").strip()
    ):
        findings.append(
            Finding(
                "jsapi_without_openid",
                _("trade_type 为 JSAPI 时 openid 必传（下单前先用网页授权取得用户的 openid）。"),
                "002 §4.1",
                "openid",
            )
        )
    if trade_type == "NATIVE" and not values.get("product_id", "").strip():
        findings.append(
            Finding(
                "native_without_product_id",
                _("trade_type 为 NATIVE 时要填写 product_id（二维码中包含的商品 ID）。"),
                "002 §4.1",
                "product_id",
            )
        )
    return findings


def _call_specific_checks(
    values: dict[str, str], api: str, entry_point: str, query_was_encoded: bool
) -> list[Finding]:
    findings = []
    pay_sign, order_sign = values.get("paySign", "").strip(), values.get("sign", "").strip()
    if api == "jsapi" and pay_sign and pay_sign == order_sign:
        # The unified order's answer carries a sign of its own; the pay call needs its own sign
        # over appId, timeStamp, nonceStr, package and signType (002 §4.4).
        findings.append(
            Finding(
                "order_sign_reused",
                _(
                    "paySign 和 sign 相同：这是把统一下单应答里的 sign 当成了 paySign。"
                    "调起支付要对 appId、timeStamp、nonceStr、package、signType 重新计算 paySign。"
                ),
                "002 §4.4",
                "paySign",
            )
        )
    package = values.get("package")
    if api == "jsapi" and package is not None and not package.startswith("prepay_id="):
        findings.append(
            Finding(
                "package_format",
                _(
                    "package 应写成 prepay_id=***（统一下单返回的 prepay_id），现在是 {value!r}。",
                    value=package[:40],
                ),
                "002 §4.4",
                "package",
            )
        )
    if api == "app" and package is not None and package != "Sign=WXPay":
        findings.append(
            Finding(
                "package_format",
                _(
                    "App 调起支付的 package 固定为 Sign=WXPay，现在是 {value!r}。",
                    value=package[:40],
                ),
                "003 §3.2.3",
                "package",
            )
        )
    if api.startswith("payscore"):
        sign_type = values.get("sign_type", "")
        if sign_type and normalise_sign_type(sign_type) != HMAC_SHA256:
            findings.append(
                Finding(
                    "payscore_sign_type",
                    _("支付分跳转签名用 HMAC-SHA256（密钥为 API 密钥）。"),
                    "000 #2",
                    "sign_type",
                )
            )
        if entry_point in ("app", "h5") and not query_was_encoded:
            raw = [name for name, value in values.items() if QUERY_RESERVED.search(value)]
            if raw:
                carrier = "query" if entry_point == "app" else "queryString"
                findings.append(
                    Finding(
                        "query_not_urlencoded",
                        _(
                            "{carrier} 里这些值含有 & = + / 等字符却没有 urlencode：{names}。"
                            "签名用原值，放进 query 前逐个 urlencode。",
                            carrier=carrier,
                            names=joined(_("、"), raw),
                        ),
                        "000 #2 2）",
                        raw[0],
                    )
                )
    return findings


# --- 服务商模式 (service-provider mode) ---------------------------------------------------------
# Sources: the V2 partner unified order (https://pay.weixin.qq.com/wiki/doc/api/jsapi_sl.php?chapter=9_1)
# and partner JSAPI pay call (https://pay.weixin.qq.com/doc/v2/partner/4011983201); the platform's
# answers quoted below are those merchants report (binarywang/WxJava#255, #1170; yansongda/pay#1049).
SRC_PARTNER_ORDER = "服务商统一下单（公开文档）"
SRC_PARTNER_PAY = "服务商 JSAPI 调起支付（公开文档）"
PARTNER_FIELDS = ("sub_mch_id", "sub_appid", "sub_openid")


def _partner_wording(finding: Finding, api: str) -> Finding:
    """A missing sub_mch_id, said with the platform's own answer."""
    if api != "partner-unifiedorder" or finding.code != "required_missing":
        return finding
    if finding.field != "sub_mch_id":
        return finding
    return Finding(
        finding.code,
        _("缺少 sub_mch_id：服务商下单必须带特约商户号，否则平台答“受理机构必须传入sub_mch_id”。"),
        finding.source,
        finding.field,
    )


def partner_findings(values: dict[str, str], api: str, order: dict[str, str]) -> list[Finding]:
    """The service-provider mistakes of research note §13 (V2).

    >>> [f.code for f in partner_findings({"sub_mch_id": "1900000109"}, "unifiedorder", {})]
    ['partner_field_in_direct_order']
    """
    if api == "unifiedorder":
        return _direct_order_with_partner_fields(values)
    if api == "partner-unifiedorder":
        return _partner_order_findings(values)
    if api == "jsapi" and order:
        return _partner_pay_findings(values, order)
    return []


def _direct_order_with_partner_fields(values: dict[str, str]) -> list[Finding]:
    names = [name for name in PARTNER_FIELDS if name in values]
    if not names:
        return []
    return [
        Finding(
            "partner_field_in_direct_order",
            _(
                "{names} 是服务商模式的字段，002 §4.1 的普通商户统一下单里没有：普通商户不要传"
                "（否则“普通商户不允许传sub_mch_id”，也检查 SDK 配置里是否还留着子商户号）；"
                "服务商请按服务商统一下单检查，appid、mch_id 填服务商的。",
                names=joined(_("、"), names),
            ),
            SRC_PARTNER_ORDER,
            names[0],
        )
    ]


def _partner_order_findings(values: dict[str, str]) -> list[Finding]:
    findings = []
    present = {
        name for name in ("openid", "sub_openid", "sub_appid") if values.get(name, "").strip()
    }
    if "sub_openid" in present and "sub_appid" not in present:
        findings.append(
            Finding(
                "sub_openid_without_sub_appid",
                _(
                    "传了 sub_openid 却没有 sub_appid：选择传 sub_openid 时必须传 sub_appid，"
                    "且 sub_openid 要是在这个 sub_appid 下取得的（否则“appid和openid不匹配”）。"
                ),
                SRC_PARTNER_ORDER,
                "sub_appid",
            )
        )
    if "openid" in present and "sub_appid" in present and "sub_openid" not in present:
        findings.append(
            Finding(
                "openid_with_sub_appid",
                _(
                    "传了 sub_appid，用户标识却放在 openid：openid 只能是服务商 appid 下的 openid。"
                    "如果用户是在特约商户的公众号/小程序（sub_appid）里授权的，要改放 sub_openid，"
                    "否则平台答“appid和openid不匹配”。"
                ),
                SRC_PARTNER_ORDER,
                "openid",
            )
        )
    mch_id, sub_mch_id = values.get("mch_id", "").strip(), values.get("sub_mch_id", "").strip()
    if mch_id and mch_id == sub_mch_id:
        findings.append(
            Finding(
                "sub_mch_id_is_mch_id",
                _(
                    "sub_mch_id 与 mch_id 相同：mch_id 填服务商商户号，sub_mch_id 填特约商户号；"
                    "直连商户不用服务商模式。"
                ),
                SRC_PARTNER_ORDER,
                "sub_mch_id",
            )
        )
    return findings


def _partner_pay_findings(values: dict[str, str], order: dict[str, str]) -> list[Finding]:
    """The pay call's appId against the order it pays: the service provider's appid or sub_appid,
    and sub_appid when the order carried sub_appid and sub_openid."""
    app_id = values.get("appId", values.get("appid", "")).strip()
    appid, sub_appid = order.get("appid", "").strip(), order.get("sub_appid", "").strip()
    if not app_id or not appid or not order.get("sub_mch_id", "").strip():
        return []  # not a service provider's order, or nothing to compare
    if app_id not in (appid, sub_appid):
        message = _(
            "appId={app_id} 既不是下单时的 appid，也不是 sub_appid：调起支付的 appId "
            "必须是下单时传入的二者之一，且就是实际发起支付的公众号/小程序。",
            app_id=app_id,
        )
        return [Finding("pay_appid_not_in_order", message, SRC_PARTNER_PAY, "appId")]
    if sub_appid and order.get("sub_openid", "").strip() and app_id == appid:
        message = _(
            "appId={app_id} 是服务商的 appid，而下单传了 sub_appid 和 sub_openid："
            "调起支付的 appId 要填 sub_appid {sub_appid}，并用它重新计算 paySign"
            "（仍用服务商的 API 密钥），否则“支付验证签名失败”。",
            app_id=app_id,
            sub_appid=sub_appid,
        )
        return [Finding("pay_appid_not_sub_appid", message, SRC_PARTNER_PAY, "appId")]
    sp_openid_only = order.get("openid", "").strip() and not order.get("sub_openid", "").strip()
    if sp_openid_only and sub_appid and app_id == sub_appid:
        message = _(
            "下单时用户标识放在 openid（服务商 appid 下的 openid），调起支付的 appId 却是 "
            "sub_appid {app_id}：要么 appId 用服务商的 appid {appid}，要么下单时把用户在 "
            "sub_appid 下的 openid 放进 sub_openid。",
            app_id=app_id,
            appid=appid,
        )
        return [Finding("pay_appid_not_sp_appid", message, SRC_PARTNER_PAY, "appId")]
    return []


def sign_type_findings(
    declared: str | None, chosen: str | None, resolved: str, expected_sign: str | None, field: str
) -> list[Finding]:
    """Findings about which algorithm is in force: spelling, conflicts, the sign's length."""
    findings = []
    if declared is not None:
        meaning = normalise_sign_type(declared)
        if meaning is None:
            findings.append(
                Finding(
                    "sign_type_unknown",
                    _(
                        "{field}={value!r} 不是 MD5 或 HMAC-SHA256，平台无法识别。",
                        field=field,
                        value=declared,
                    ),
                    "002 §3.2",
                    field,
                )
            )
        elif declared not in SIGN_TYPES:
            findings.append(
                Finding(
                    "sign_type_spelling",
                    _(
                        "{field} 写成了 {value!r}，标准写法是 {meaning}（连字符，大写）。",
                        field=field,
                        value=declared,
                        meaning=meaning,
                    ),
                    "002 §3.2",
                    field,
                )
            )
        if meaning and chosen and chosen != meaning:
            findings.append(
                Finding(
                    "sign_type_conflict",
                    _(
                        "你选择了 {chosen}，但参数里 {field}={value}；以参数为准，按 {meaning} 计算。",
                        chosen=chosen,
                        field=field,
                        value=declared,
                        meaning=meaning,
                    ),
                    "002 §3.2",
                    field,
                )
            )
    if expected_sign:
        implied = guess_sign_type(expected_sign)
        if implied and implied != resolved:
            length = len(expected_sign.strip())
            findings.append(
                Finding(
                    "sign_length_implies_type",
                    _(
                        "你的签名有 {length} 个十六进制字符，像是 {implied} 的结果，"
                        "而这次按 {resolved} 计算（64 位是 HMAC-SHA256，32 位是 MD5）。",
                        length=length,
                        implied=implied,
                        resolved=resolved,
                    ),
                    "002 §3.2",
                    "sign",
                )
            )
    return findings


@dataclass(frozen=True)
class PlatformReply:
    """What WeChat Pay sent back (or pushed), pasted where a request was expected."""

    kind: str  # "reply" (an API's answer) or "notification" (a payment result pushed to notify_url)
    failed: bool
    summary: str  # return_msg, err_code, err_code_des: what to diagnose
    signed: bool


def recognise_reply(pairs: Pairs) -> PlatformReply | None:
    """A V2 answer or notification carries ``return_code`` (002 §4 "返回结果"); a request never does.

    >>> recognise_reply([("return_code", "FAIL"), ("return_msg", "签名错误")])
    PlatformReply(kind='reply', failed=True, summary='签名错误', signed=False)
    """
    values = dict(pairs)
    if "return_code" not in values:
        return None
    notification = "transaction_id" in values and "time_end" in values
    failed = "FAIL" in (values.get("return_code"), values.get("result_code"))
    summary = " ".join(
        value
        for name in ("return_msg", "err_code", "err_code_des")
        if (value := values.get(name, "").strip()) and value.upper() != "OK"
    )
    return PlatformReply(
        "notification" if notification else "reply", failed, summary, bool(values.get("sign"))
    )
