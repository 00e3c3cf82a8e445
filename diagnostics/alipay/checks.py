"""What is wrong with an Alipay request before anything is signed: the public parameters the
gateway needs (app_id, method, charset, sign_type, timestamp, version), the timestamp's format,
biz_content as a JSON object, and the certificate SNs against the signing mode.

The rules come from the Alipay open platform's public pages (cited by ``SRC_*``): 自行实现签名
(https://opendocs.alipay.com/common/02kf5q) for the request, 自行实现验签
(https://opendocs.alipay.com/common/02mse7) for notifications and responses.

>>> [finding.code for finding in check_request([("app_id", "2014072300007148")], mode="key")][:2]
['field_missing', 'field_missing']
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from cryptography.hazmat.primitives import hashes

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.params import load_json
from diagnostics.core.text import _, joined

# Cited in words (diagnostics.core.sources shows them as they are, translated by the catalogue).
SRC_SIGN = "支付宝《自行实现签名》"
SRC_VERIFY = "支付宝《自行实现验签》"
SRC_PUBLIC_PARAMS = "支付宝《公共请求参数》"

Pairs = Sequence[tuple[str, str]]
ParamsInput = str | Mapping[str, object] | Pairs

# 自行实现签名: every parameter except sign takes part (sign_type too); empty values do not.
REQUEST_EXCLUDED = frozenset({"sign"})
# 自行实现验签: a notification's sign and sign_type do not take part.
NOTIFY_EXCLUDED = frozenset({"sign", "sign_type"})
CERT_SN_FIELDS = ("app_cert_sn", "alipay_root_cert_sn")
REQUIRED = ("app_id", "method", "charset", "sign_type", "timestamp", "version")

# sign_type -> the digest of SHA256withRSA / SHA1withRSA (PKCS#1 v1.5 both).
SIGN_TYPES: dict[str, type[hashes.HashAlgorithm]] = {"RSA2": hashes.SHA256, "RSA": hashes.SHA1}
DEFAULT_SIGN_TYPE = "RSA2"
CHARSETS = {"utf-8": "UTF-8", "utf8": "UTF-8", "gbk": "GBK"}
DEFAULT_CHARSET = "UTF-8"

KEY_MODE, CERT_MODE, AUTO_MODE = "key", "cert", "auto"

# The gateway's format, 公共请求参数 timestamp: "yyyy-MM-dd HH:mm:ss".
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")


def sign_type_of(pairs: Pairs, given: str | None = None) -> str:
    """The sign type named in the params (RSA2 or RSA, any case), else ``given``, else RSA2."""
    value = (dict(pairs).get("sign_type") or given or DEFAULT_SIGN_TYPE).strip().upper()
    return value if value in SIGN_TYPES else DEFAULT_SIGN_TYPE


def charset_of(pairs: Pairs) -> str:
    """UTF-8 unless the params say ``charset=GBK``: the bytes signed are in this charset."""
    return CHARSETS.get((dict(pairs).get("charset") or "").strip().lower(), DEFAULT_CHARSET)


def digest(sign_type: str) -> hashes.HashAlgorithm:
    return SIGN_TYPES.get(sign_type, SIGN_TYPES[DEFAULT_SIGN_TYPE])()


def encode_message(text: str, charset: str) -> bytes:
    """The bytes signed: ``text`` in the request's charset (a GBK request with a character GBK
    cannot hold is refused, as the gateway would never receive it)."""
    try:
        return text.encode("gbk" if charset == "GBK" else "utf-8")
    except UnicodeEncodeError as error:
        if charset != "GBK":  # only a lone surrogate (\ud800-\udfff) has no UTF-8
            raise ParseError(
                "invalid_text", _("内容里有无效的 Unicode 字符（孤立的代理项 \\uD800–\\uDFFF）。")
            ) from None
        raise ParseError(
            "charset_cannot_encode",
            _(
                "charset=GBK，但内容里有 GBK 无法表示的字符 “{char}”：改用 charset=utf-8。",
                char=error.object[error.start : error.end],
            ),
        ) from None


def cert_mode(pairs: Pairs, mode: str) -> bool:
    """Certificate mode when chosen, or (``auto``) when the params carry a certificate SN."""
    if mode == AUTO_MODE:
        names = {name for name, _value in pairs}
        return any(name in names for name in CERT_SN_FIELDS)
    return mode == CERT_MODE


def check_request(pairs: Pairs, *, mode: str = AUTO_MODE) -> list[Finding]:
    """The public parameters, their formats and the certificate SNs, in the order the gateway
    would complain about them."""
    values = dict(pairs)
    findings: list[Finding] = []
    missing = [name for name in REQUIRED if not values.get(name, "").strip()]
    for name in missing:
        findings.append(
            Finding(
                "field_missing",
                _("缺少公共参数 {name}（网关要求必填）。", name=name),
                SRC_PUBLIC_PARAMS,
                name,
            )
        )
    sign_type = values.get("sign_type", "").strip()
    if sign_type and sign_type.upper() not in SIGN_TYPES:
        findings.append(
            Finding(
                "sign_type_unknown",
                _(
                    "sign_type=“{value}”：支付宝开放平台只接受 RSA2（SHA256withRSA）和 RSA（SHA1withRSA）；"
                    "这里按 RSA2 计算。",
                    value=sign_type[:20],
                ),
                SRC_SIGN,
                "sign_type",
            )
        )
    elif sign_type.upper() == "RSA":
        findings.append(
            Finding(
                "sign_type_rsa_legacy",
                _(
                    "sign_type=RSA 是 SHA1withRSA：新创建的应用只支持 RSA2，"
                    "它必须与开放平台上为应用设置的加签方式一致。"
                ),
                SRC_SIGN,
                "sign_type",
            )
        )
    elif sign_type and sign_type != sign_type.upper():
        findings.append(
            Finding(
                "sign_type_case",
                _("sign_type 写成了 “{value}”：请用大写的 RSA2。", value=sign_type[:20]),
                SRC_PUBLIC_PARAMS,
                "sign_type",
            )
        )
    charset = values.get("charset", "").strip()
    if charset and charset.lower() not in CHARSETS:
        findings.append(
            Finding(
                "charset_unknown",
                _("charset=“{value}”：只支持 utf-8 和 GBK。", value=charset[:20]),
                SRC_PUBLIC_PARAMS,
                "charset",
            )
        )
    timestamp = values.get("timestamp", "")
    if timestamp.strip() and not _TIMESTAMP.fullmatch(timestamp):
        findings.append(
            Finding(
                "timestamp_format",
                _(
                    "timestamp=“{value}”：格式应为 yyyy-MM-dd HH:mm:ss（例如 2014-07-24 03:07:50），"
                    "日期和时间之间是一个空格。",
                    value=timestamp[:40],
                ),
                SRC_PUBLIC_PARAMS,
                "timestamp",
            )
        )
    if "format" in values and values["format"].strip().upper() not in ("", "JSON"):
        findings.append(
            Finding(
                "format_not_json",
                _("format 只能是 JSON。"),
                SRC_PUBLIC_PARAMS,
                "format",
            )
        )
    if "biz_content" in values:
        findings += check_biz_content(values["biz_content"])
    findings += _check_cert_sns(pairs, mode)
    return findings


def check_biz_content(text: str) -> list[Finding]:
    """biz_content is signed as the JSON string it is; it must be one JSON object."""
    if not text.strip():
        return []
    try:
        document = load_json(text)
    except ParseError as error:
        return [
            Finding(
                "biz_content_not_json",
                _("biz_content 不是有效的 JSON：{reason}", reason=error.message),
                SRC_PUBLIC_PARAMS,
                "biz_content",
            )
        ]
    if not isinstance(document, dict):
        return [
            Finding(
                "biz_content_not_json",
                _("biz_content 必须是一个 JSON 对象 {shape}。", shape="{…}"),
                SRC_PUBLIC_PARAMS,
                "biz_content",
            )
        ]
    return []


def _check_cert_sns(pairs: Pairs, mode: str) -> list[Finding]:
    names = {name for name, value in pairs if value.strip()}
    present = [name for name in CERT_SN_FIELDS if name in names]
    absent = [name for name in CERT_SN_FIELDS if name not in names]
    if mode == KEY_MODE and present:
        return [
            Finding(
                "cert_sn_in_key_mode",
                _(
                    "公钥模式的请求里有 {names}：网关见到它们会按公钥证书模式验签。"
                    "公钥模式请去掉这两个参数；如果应用用的是公钥证书，请选择证书模式。",
                    names=joined(_("、"), present),
                ),
                SRC_SIGN,
                present[0],
            )
        ]
    if (mode == CERT_MODE or (mode == AUTO_MODE and present)) and absent:
        return [
            Finding(
                f"{name}_missing",
                _(
                    "公钥证书模式的请求必须带 {name}，并且它参与签名"
                    "（应用公钥证书的 SN 是 app_cert_sn，支付宝根证书的 SN 是 alipay_root_cert_sn）。",
                    name=name,
                ),
                SRC_SIGN,
                name,
            )
            for name in absent
        ]
    return []
