"""Client pay signs with signType RSA (003 §3.2.2 JSAPI / 小程序, §3.2.3 App): the four-line message
each client signs, the names each client spells differently, and the sign."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.keys import (
    KeyInput,
    as_private_key,
    as_public_key,
    decode_signature,
    rsa_sign,
    rsa_verify,
)
from diagnostics.core.params import load_json
from diagnostics.core.text import _
from diagnostics.wechat_v3.signing import SRC_APP, SRC_JSAPI, _skew_finding, visible_lines

# --- client pay signs, signType RSA (003 §3.2.2 JSAPI / §3.2.3 App) ---------------------------

JSAPI = "jsapi"
APP = "app"

# Signed fields, in message order, with the exact (case-sensitive) names each call uses.
PAY_SIGN_FIELDS = {
    JSAPI: ("appId", "timeStamp", "nonceStr", "package"),
    APP: ("appid", "timestamp", "noncestr", "prepayid"),
}
PAY_SIGN_NAME = {JSAPI: "paySign", APP: "sign"}
PAY_SOURCES = {JSAPI: SRC_JSAPI, APP: SRC_APP}
NAMING = {
    JSAPI: _("JSAPI/小程序用 appId、timeStamp、nonceStr"),
    APP: _("App 用 appid、partnerid、prepayid、noncestr、timestamp"),
}


@dataclass(frozen=True)
class PaySign:
    scene: str  # JSAPI (also 小程序) or APP
    message: str
    message_lines: tuple[str, ...]
    pay_sign: str  # computed with the private key, or "" when only verifying
    params: tuple[tuple[str, str], ...]  # what to send to the client, sign included
    findings: tuple[Finding, ...] = ()
    valid: bool | None = None  # the merchant's own paySign/sign checked against a public key


def pay_sign_message(
    scene: str, params: Mapping[str, str], order: Mapping[str, object] | None = None
) -> tuple[str, list[Finding]]:
    """The message of a client pay sign and what is wrong with the fields given.

    ``order`` is the decoded order body the call pays, when given: a service provider's order
    (sp_appid, sub_appid, payer) decides which appId the call signs.
    """
    if scene not in PAY_SIGN_FIELDS:
        raise ParseError(
            "scene_unknown", _("不认识的场景 {scene}：应为 jsapi（含小程序）或 app。", scene=scene)
        )
    source = PAY_SOURCES[scene]
    findings: list[Finding] = []
    values: list[str] = []
    lowered = {name.lower(): name for name in params}
    for name in PAY_SIGN_FIELDS[scene]:
        if name in params:
            values.append(str(params[name]).strip())
            continue
        other = lowered.get(name.lower())
        if other is not None:
            findings.append(
                Finding(
                    "field_name_case",
                    _(
                        "字段名应写成 {name}，你写的是 {given}：参数名区分大小写（{naming}）。",
                        name=name,
                        given=other,
                        naming=NAMING[scene],
                    ),
                    source,
                    name,
                )
            )
            values.append(str(params[other]).strip())
        else:
            findings.append(
                Finding("field_missing", _("缺少参与签名的字段 {name}。", name=name), source, name)
            )
            values.append("")
    if values[1]:  # the timestamp's format; no clock to compare with
        findings += _skew_finding(values[1], None, PAY_SIGN_FIELDS[scene][1], source)
    package = str(params.get("package", "")).strip()
    if scene == JSAPI:
        if package and not package.startswith("prepay_id="):
            detail = (
                _("这是 App 的固定值，JSAPI 要用下单返回的 prepay_id")
                if package == "Sign=WXPay"
                else _("要在下单返回的 prepay_id 前加上 “prepay_id=”")
            )
            findings.append(
                Finding(
                    "package_format",
                    _(
                        "package 应为 prepay_id=***，现在是 “{package}”：{detail}。",
                        package=package,
                        detail=detail,
                    ),
                    source,
                    "package",
                )
            )
    else:
        if not package:
            findings.append(
                Finding(
                    "app_package_missing",
                    _(
                        "App 调起支付必须传 package=Sign=WXPay（APIv3 的签名串里没有它，但一定要传）。"
                    ),
                    source,
                    "package",
                )
            )
        elif package != "Sign=WXPay":
            findings.append(
                Finding(
                    "app_package_value",
                    _("App 的 package 取固定值 Sign=WXPay，现在是 “{package}”。", package=package),
                    source,
                    "package",
                )
            )
        if values[3].startswith("prepay_id="):
            findings.append(
                Finding(
                    "prepayid_prefixed",
                    _("App 的 prepayid 直接填下单返回的 prepay_id 值，不要加 “prepay_id=” 前缀。"),
                    source,
                    "prepayid",
                )
            )
        if not str(params.get("partnerid", "")).strip():
            findings.append(
                Finding(
                    "partnerid_missing",
                    _("App 调起支付还要传 partnerid（商户号）。"),
                    source,
                    "partnerid",
                )
            )
    sign_type = str(params.get("signType", "")).strip()
    if sign_type and sign_type != "RSA":
        findings.append(
            Finding(
                "sign_type_not_rsa",
                _(
                    "signType=“{sign_type}”：APIv3 的调起支付只支持 RSA（MD5/HMAC-SHA256 是 V2 的）。",
                    sign_type=sign_type,
                ),
                source,
                "signType",
            )
        )
    elif not sign_type and scene == JSAPI:
        findings.append(
            Finding(
                "sign_type_missing", _('JSAPI 调起支付要传 signType="RSA"。'), source, "signType"
            )
        )
    if order:
        findings += partner_pay_findings(scene, values[0], order)
    message = "".join(f"{value}\n" for value in values)
    return message, findings


# 服务商 pay calls. JSAPI 调起支付: "appId 填写下单时传入的sp_appid或sub_appid，且当前实际调起支付的
# 公众号appid必需是sp_appid或sub_appid之一" —
# https://pay.weixin.qq.com/docs/partner/apis/ecommerce-payment/jsapi-transfer-payment.html ; the
# order's "若sub_openid有传的情况下，sub_appid必填，且sub_appid需与sub_openid对应" —
# https://pay.weixin.qq.com/doc/v3/partner/4012523579 ; App 调起支付 (appid: the app that launches
# the payment) — https://pay.weixin.qq.com/wiki/doc/apiv3_partner/apis/chapter7_3_6.shtml
PARTNER_PAY_SOURCES = {
    JSAPI: "服务商 JSAPI 调起支付（公开文档）",
    APP: "服务商 App 调起支付（公开文档）",
}


def partner_pay_findings(scene: str, app_id: str, order: Mapping[str, object]) -> list[Finding]:
    """A service provider's pay call signs with the app its order used: sub_appid when the order
    carried sub_appid and payer.sub_openid.

    >>> order = {"sp_appid": "wxsp", "sub_appid": "wxsub", "payer": {"sub_openid": "o1"}}
    >>> [f.code for f in partner_pay_findings(JSAPI, "wxsp", order)]
    ['pay_appid_not_sub_appid']
    """
    sp_appid, sub_appid = _text(order.get("sp_appid")), _text(order.get("sub_appid"))
    if not app_id or not sp_appid:
        return []  # not a service provider's order, or no appId to compare
    payer = order.get("payer")
    payer = payer if isinstance(payer, Mapping) else {}
    sub_openid, sp_openid = _text(payer.get("sub_openid")), _text(payer.get("sp_openid"))
    name = PAY_SIGN_FIELDS[scene][0]
    source = PARTNER_PAY_SOURCES[scene]
    if app_id not in (sp_appid, sub_appid):
        message = _(
            "{name}={app_id} 既不是下单时的 sp_appid，也不是 sub_appid：调起支付的 {name} "
            "必须是下单时传入的二者之一，且就是实际发起支付的应用。",
            name=name,
            app_id=app_id,
        )
        return [Finding("pay_appid_not_in_order", message, source, name)]
    if scene == JSAPI and sub_appid and sub_openid and app_id == sp_appid:
        message = _(
            "{name}={app_id} 是服务商的 sp_appid，而下单传了 sub_appid 和 payer.sub_openid："
            "调起支付的 {name} 要填 sub_appid {sub_appid}（签名串的第一行也是它），"
            "否则“支付验证签名失败”。",
            name=name,
            app_id=app_id,
            sub_appid=sub_appid,
        )
        return [Finding("pay_appid_not_sub_appid", message, source, name)]
    if scene == JSAPI and sp_openid and not sub_openid and app_id == sub_appid:
        message = _(
            "下单的 payer 只有 sp_openid（用户在服务商 sp_appid 下的标识），调起支付的 {name} "
            "却是 sub_appid {app_id}：要么 {name} 用 sp_appid {sp_appid}，要么下单时把用户在 "
            "sub_appid 下的 openid 放进 payer.sub_openid。",
            name=name,
            app_id=app_id,
            sp_appid=sp_appid,
        )
        return [Finding("pay_appid_not_sp_appid", message, source, name)]
    if scene == APP and sub_appid and app_id == sp_appid:
        message = _(
            "下单传了 sub_appid {sub_appid}，调起支付的 appid 却是服务商的 sp_appid：appid 要是"
            "实际发起支付、在 OpenSDK 里注册的那个 App；App 属于特约商户时填 sub_appid。",
            sub_appid=sub_appid,
        )
        return [Finding("app_appid_is_sp_appid", message, source, name)]
    return []


def read_order(text: str) -> Mapping[str, object] | None:
    """The pasted order body (the JSON sent to /v3/pay/partner/transactions/…), or None."""
    if not text.strip():
        return None
    order = load_json(text.strip().lstrip("\ufeff"))
    if not isinstance(order, Mapping):
        raise ParseError("order_not_object", _("下单请求体必须是一个 JSON 对象 {…}。"))
    return order


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def pay_sign(
    scene: str,
    params: Mapping[str, str],
    *,
    private_key: KeyInput | None = None,
    public_key: KeyInput | None = None,
    order: Mapping[str, object] | None = None,
) -> PaySign:
    """Compute the paySign (JSAPI/小程序) or sign (App) and/or check the one in ``params``."""
    message, findings = pay_sign_message(scene, params, order)
    sign_name = PAY_SIGN_NAME[scene]
    computed = (
        rsa_sign(as_private_key(private_key), message, hashes.SHA256())
        if private_key is not None
        else ""
    )
    valid = None
    given = str(params.get(sign_name, "")).strip()
    if public_key is not None and given:
        raw = decode_signature(given)
        public = as_public_key(public_key).public_key
        valid = raw is not None and rsa_verify(public, message, raw, hashes.SHA256())
    elif computed and given:
        valid = computed == given  # PKCS#1 v1.5 is deterministic
    sent = {name: str(value) for name, value in params.items() if name != sign_name}
    if scene == JSAPI:
        sent["signType"] = "RSA"
    else:
        sent.setdefault("package", "Sign=WXPay")
    if computed:
        sent[sign_name] = computed
    return PaySign(
        scene=scene,
        message=message,
        message_lines=visible_lines(message),
        pay_sign=computed,
        params=tuple(sent.items()),
        findings=tuple(findings),
        valid=valid,
    )
