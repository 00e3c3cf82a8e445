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


def pay_sign_message(scene: str, params: Mapping[str, str]) -> tuple[str, list[Finding]]:
    """The message of a client pay sign and what is wrong with the fields given."""
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
    message = "".join(f"{value}\n" for value in values)
    return message, findings


def pay_sign(
    scene: str,
    params: Mapping[str, str],
    *,
    private_key: KeyInput | None = None,
    public_key: KeyInput | None = None,
) -> PaySign:
    """Compute the paySign (JSAPI/小程序) or sign (App) and/or check the one in ``params``."""
    message, findings = pay_sign_message(scene, params)
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
