"""WeChat Pay APIv3 signatures (003 §2.1 签名生成 / 签名验证 / 敏感信息加解密; 004 Authorization).

Request signing: the message is five lines, each ended by ``\\n``::

    POST\\n/v3/pay/transactions/jsapi\\n1554208460\\n593BEC0C930BF1AFEB40B4A08C8FB242\\n{"appid":...}\\n

signed SHA256withRSA (PKCS#1 v1.5) with the merchant API private key, base64, and sent as
``Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",timestamp="…",
serial_no="…"``. Responses and notifications are signed by WeChat Pay over three lines
(``timestamp\\nnonce\\nbody\\n``), verified with the platform certificate or the WeChat Pay public key
named by ``Wechatpay-Serial``. Notification resources are AEAD_AES_256_GCM-encrypted with the APIv3 key.

>>> build_message("get", "/v3/certificates", "1554208460", "N", "")
'GET\\n/v3/certificates\\n1554208460\\nN\\n\\n'
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import NoReturn

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from diagnostics.core import textdiff
from diagnostics.core.keys import (
    CERTIFICATE,
    KeyInput,
    LoadedKey,
    as_private_key,
    as_public_key,
    decode_signature,
    rsa_sign,
    rsa_verify,
    same_serial,
    serial_hex,
    serial_is_decimal,
)
from diagnostics.core.params import (
    MAX_NESTING,
    Finding,
    ParseError,
    load_json,
    nested_deeper_than,
    split_url,
)
from diagnostics.core.text import Message, _
from diagnostics.core.textdiff import Segment

SCHEME = "WECHATPAY2-SHA256-RSA2048"
AUTHORIZATION_FIELDS = ("mchid", "nonce_str", "signature", "timestamp", "serial_no")
MAX_SKEW_SECONDS = 5 * 60
PUBLIC_KEY_ID_PREFIX = "PUB_KEY_ID_"
AEAD_AES_256_GCM = "AEAD_AES_256_GCM"
# WeChat Pay sends deliberately wrong signatures to check that merchants really verify.
SIGNATURE_PROBE_PREFIX = "WECHATPAY/SIGNTEST/"

SRC_AUTH = "004 Header Authorization（签名认证）"
SRC_SIGN = "003 §2.1 签名生成"
SRC_VERIFY = "003 §2.1 签名验证; §3.2.6"
SRC_DECRYPT = "003 §2.1 敏感信息加解密; §3.2.6"
SRC_JSAPI = "003 §3.2.2"
SRC_APP = "003 §3.2.3"
SRC_401 = "004 公共错误码 401 SIGN_ERROR"


# --- shared pieces ---------------------------------------------------------------------------


def show_invisible(text: str) -> str:
    """``text`` with line ends and other invisible characters written out (``\\n``, ``\\r``...)."""
    return (
        text.replace("\\", "\\\\")
        .replace("\r", "\\r")
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\ufeff", "\\ufeff")
        .replace("\u00a0", "\\u00a0")
    )


MAX_SHOWN_LINES = 500  # a real message has five lines and a body of a few dozen


def visible_lines(message: str) -> tuple[str | Message, ...]:
    """Each line of a signed message with its line end made visible; past MAX_SHOWN_LINES, one
    line saying how many more there are (a hostile body of 262,144 lines is not shown whole).

    >>> visible_lines("GET\\n/v3/x\\n")
    ('GET\\\\n', '/v3/x\\\\n')
    """
    pieces = message.split("\n")  # only \n ends a line of the message; \r is shown in it
    lines = [piece + "\n" for piece in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
    shown: list[str | Message] = [show_invisible(line) for line in lines[:MAX_SHOWN_LINES]]
    if len(lines) > MAX_SHOWN_LINES:
        shown.append(
            _(
                "……另有 {count} 行未显示（共 {size} 字节）。",
                count=len(lines) - MAX_SHOWN_LINES,
                size=len(message.encode("utf-8", "replace")),
            )
        )
    return tuple(shown)


def _skew_finding(
    timestamp: str, now: datetime | None, field_name: str, source: str
) -> list[Finding]:
    if not re.fullmatch(r"\d{10}", timestamp.strip()):
        if re.fullmatch(r"\d{13}", timestamp.strip()):
            # The unit is wrong whatever the clock says; its seconds are checked for age too.
            return [
                Finding(
                    "timestamp_milliseconds",
                    _(
                        "{field} 是 13 位的毫秒数 {timestamp}；APIv3 用 10 位的秒数（{seconds}）。",
                        field=field_name,
                        timestamp=timestamp,
                        seconds=timestamp.strip()[:10],
                    ),
                    source,
                    field_name,
                ),
                *_skew_finding(timestamp.strip()[:10], now, field_name, source),
            ]
        return [
            Finding(
                "timestamp_format",
                _(
                    "{field}=“{timestamp}” 不是 10 位数字的秒级时间戳。",
                    field=field_name,
                    timestamp=timestamp,
                ),
                source,
                field_name,
            )
        ]
    if now is None:
        return []
    skew = int(timestamp) - int(now.timestamp())
    if abs(skew) <= MAX_SKEW_SECONDS:
        return []
    direction = _("早于现在") if skew < 0 else _("晚于现在")
    if source == SRC_VERIFY:
        # 004 签名验证: WeChat Pay and its SDKs refuse a response or notification older than
        # 5 minutes (replay protection) — a valid signature does not make it fresh.
        message = _(
            "{field} 与服务器当前时间相差 {seconds} 秒（{direction}），超过 5 分钟。"
            "签名可以是有效的，但时间戳已过期：微信支付的 SDK 会拒绝超过 5 分钟的应答/通知，"
            "你的处理程序也应拒绝（防重放）。若是刚收到的，请检查服务器时钟。",
            field=field_name,
            seconds=abs(skew),
            direction=direction,
        )
    else:
        message = _(
            "{field} 与服务器当前时间相差 {seconds} 秒（{direction}），超过 5 分钟："
            "签名可以是有效的，但微信支付会拒绝这个请求。请校准服务器时钟，每次请求现取时间戳。",
            field=field_name,
            seconds=abs(skew),
            direction=direction,
        )
    return [Finding("timestamp_skew", message, source, field_name)]


# --- request signing (003 §2.1 签名生成; 004 Authorization) ------------------------------------


def build_message(method: str, url: str, timestamp: str, nonce: str, body: str) -> str:
    """The request's signed message: five lines, each ending with ``\\n``."""
    return f"{method.upper()}\n{url}\n{timestamp}\n{nonce}\n{body}\n"


def signing_url(url: str) -> tuple[str, list[Finding]]:
    """The part of ``url`` that is signed: the path plus ``?query``, never scheme or host."""
    text = url.strip()
    findings: list[Finding] = []
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text):
        parts = split_url(text)
        path = parts.path or "/"
        text = path + (f"?{parts.query}" if parts.query else "")
        findings.append(
            Finding(
                "host_not_signed",
                _(
                    "签名串里的 URL 只取路径和查询参数（{url}），不含 {origin}。",
                    url=text,
                    origin=f"{parts.scheme}://{parts.netloc}",
                ),
                SRC_SIGN,
                "url",
            )
        )
    elif text and not text.startswith("/"):
        findings.append(
            Finding(
                "url_not_absolute_path",
                _("URL “{url}” 不是以 / 开头的路径；签名串里应是 /v3/… 这样的绝对路径。", url=text),
                SRC_SIGN,
                "url",
            )
        )
    return text, findings


@dataclass(frozen=True)
class SignedRequest:
    """A signed APIv3 request: the message, its signature and the Authorization header."""

    method: str
    url: str  # path + query, as signed
    timestamp: str
    nonce: str
    body: str
    message: str
    message_lines: tuple[str, ...]
    signature: str
    authorization: str
    findings: tuple[Finding, ...] = ()


def build_authorization(
    mchid: str, nonce_str: str, signature: str, timestamp: str, serial_no: str
) -> str:
    """The Authorization header value, fields in the order WeChat Pay's SDKs write them."""
    return (
        f'{SCHEME} mchid="{mchid}",nonce_str="{nonce_str}",signature="{signature}",'
        f'timestamp="{timestamp}",serial_no="{serial_no}"'
    )


def sign_request(
    *,
    method: str,
    url: str,
    timestamp: str,
    nonce: str,
    body: str = "",
    private_key: KeyInput,
    mchid: str = "",
    serial_no: str = "",
) -> SignedRequest:
    """Sign a request the way WeChat Pay checks it; the keywords match the JSON API's fields."""
    signed_url, findings = signing_url(url)
    method = method.strip().upper()
    timestamp = str(timestamp).strip()
    if method == "GET" and body:
        findings.append(
            Finding(
                "get_with_body",
                _("GET 请求没有请求体，签名串第五行应为空（只有一个 \\n），已按空请求体签名。"),
                SRC_SIGN,
                "body",
            )
        )
        body = ""
    findings += _skew_finding(timestamp, None, "timestamp", SRC_SIGN)
    findings += check_serial_no(serial_no) if serial_no else []
    for name, value in (("mchid", mchid), ("serial_no", serial_no)):
        if not value.strip():
            findings.append(
                Finding(
                    "authorization_field_empty",
                    _(
                        '{name} 是空的：这里的 Authorization 头里 {name}=""，微信支付会拒绝它（401）。'
                        "签名值本身不受影响；发送前填上{what}。",
                        name=name,
                        what=_("商户号") if name == "mchid" else _("商户 API 证书的序列号"),
                    ),
                    "004 Header Authorization",
                    name,
                )
            )
    message = build_message(method, signed_url, timestamp, nonce, body)
    # 003 §2.1: SHA256withRSA, PKCS#1 v1.5, for every APIv3 message.
    signature = rsa_sign(as_private_key(private_key), message, hashes.SHA256())
    return SignedRequest(
        method=method,
        url=signed_url,
        timestamp=timestamp,
        nonce=nonce,
        body=body,
        message=message,
        message_lines=visible_lines(message),
        signature=signature,
        authorization=build_authorization(mchid, nonce, signature, timestamp, serial_no),
        findings=tuple(findings),
    )


def check_serial_no(serial_no: str, field_name: str = "serial_no") -> list[Finding]:
    """A certificate serial should be 40 upper-case hex characters, as WeChat Pay prints it."""
    serial = serial_no.strip()
    if serial.startswith(PUBLIC_KEY_ID_PREFIX):
        if field_name == "serial_no":
            return [
                Finding(
                    "public_key_id_as_serial_no",
                    _(
                        "Authorization 的 serial_no 是商户 API 证书的序列号；PUB_KEY_ID_… 是微信支付公钥 ID，"
                        "应放在请求头 Wechatpay-Serial 里（加密敏感字段时）。"
                    ),
                    SRC_AUTH,
                    field_name,
                )
            ]
        return []
    if not serial:
        return [
            Finding("serial_missing", _("{field} 为空。", field=field_name), SRC_AUTH, field_name)
        ]
    if serial_is_decimal(serial):
        as_hex = serial_hex(int(serial))
        return [
            Finding(
                "serial_decimal",
                _(
                    "{field} 看起来是十进制写法；微信支付使用十六进制大写的序列号：{serial}。",
                    field=field_name,
                    serial=as_hex,
                ),
                SRC_AUTH,
                field_name,
            )
        ]
    if not re.fullmatch(r"[0-9A-Fa-f]+", serial):
        return [
            Finding(
                "serial_not_hex",
                _(
                    "{field} 里有非十六进制字符（如冒号或空格）；请写成连续的大写十六进制。",
                    field=field_name,
                ),
                SRC_AUTH,
                field_name,
            )
        ]
    findings = []
    if serial != serial.upper():
        findings.append(
            Finding(
                "serial_lowercase",
                _(
                    "{field} 用了小写字母；微信支付的证书序列号是大写十六进制：{serial}。",
                    field=field_name,
                    serial=serial.upper(),
                ),
                SRC_AUTH,
                field_name,
            )
        )
    if len(serial) != 40:
        findings.append(
            Finding(
                "serial_length",
                _(
                    "{field} 有 {length} 个字符；微信支付的证书序列号是 40 个十六进制字符，"
                    "请从证书中完整复制（openssl x509 -noout -serial）。",
                    field=field_name,
                    length=len(serial),
                ),
                SRC_AUTH,
                field_name,
            )
        )
    return findings


# --- Authorization header: parse and check -----------------------------------------------------


@dataclass(frozen=True)
class AuthorizationHeader:
    scheme: str
    fields: tuple[tuple[str, str], ...]
    findings: tuple[Finding, ...] = ()

    def get(self, name: str) -> str:
        for field_name, value in self.fields:
            if field_name == name:
                return value
        return ""

    @property
    def mchid(self) -> str:
        return self.get("mchid")

    @property
    def nonce_str(self) -> str:
        return self.get("nonce_str")

    @property
    def signature(self) -> str:
        return self.get("signature")

    @property
    def timestamp(self) -> str:
        return self.get("timestamp")

    @property
    def serial_no(self) -> str:
        return self.get("serial_no")


# A name starts after a non-letter: a match always does, and without the look-behind a long run of
# letters with no "=" is rescanned from each of its letters (O(n²), 3.5 s for 20,000).
_AUTH_FIELD = re.compile(r'(?<![A-Za-z_])([A-Za-z_]+)\s*=\s*(?:"([^"]*)"|([^,\s]*))')


def recognise_reply(body: str) -> dict[str, str] | None:
    """WeChat Pay's own answer pasted where the merchant's request body was expected: an error
    answer (``code`` and ``message``) or a notification (``resource``).

    >>> recognise_reply('{"code":"SIGN_ERROR","message":"签名错误"}')
    {'kind': 'error', 'code': 'SIGN_ERROR', 'message': '签名错误'}
    >>> recognise_reply('{"appid":"wx1","mchid":"1"}') is None
    True
    """
    text = body.strip()
    if not text.startswith("{") or len(text) > 64 * 1024:
        return None
    try:
        document = load_json(text)
    except ParseError:
        return None
    if not isinstance(document, dict):
        return None
    if isinstance(document.get("resource"), dict) and (
        "event_type" in document or "resource_type" in document
    ):
        return {"kind": "notification", "code": str(document.get("event_type", "")), "message": ""}
    code, message = document.get("code"), document.get("message")
    if (
        isinstance(code, str)
        and isinstance(message, str)
        and not {"appid", "mchid"} & set(document)
    ):
        return {"kind": "error", "code": code, "message": message}
    return None


MAX_AUTH_FIELDS = 32  # the header has five; a paste with more is not one header


def parse_authorization(text: str) -> AuthorizationHeader:
    """Read a pasted Authorization header (with or without the ``Authorization:`` name)."""
    raw = text.replace("\ufeff", "").strip()
    raw = re.sub(r"^authorization\s*:\s*", "", raw, flags=re.IGNORECASE).strip()
    if not raw:
        raise ParseError("empty", _("没有粘贴 Authorization 请求头。"))
    findings: list[Finding] = []
    scheme, _space, rest = raw.partition(" ")
    if "=" in scheme:  # no scheme at all
        scheme, rest = "", raw
    if scheme != SCHEME:
        if scheme.upper() == SCHEME:
            code, message = (
                "scheme_case",
                _("认证类型要一字不差地写成 {scheme}（区分大小写）。", scheme=SCHEME),
            )
        elif not scheme:
            code, message = (
                "scheme_missing",
                _("开头缺少认证类型 {scheme} 和一个空格。", scheme=SCHEME),
            )
        else:
            code, message = (
                "scheme_wrong",
                _("认证类型是 “{given}”，应为 {scheme}。", given=scheme, scheme=SCHEME),
            )
        findings.append(Finding(code, message, SRC_AUTH, "scheme"))
    fields: list[tuple[str, str]] = []
    for match in _AUTH_FIELD.finditer(rest):
        if len(fields) >= MAX_AUTH_FIELDS:
            raise ParseError(
                "authorization_too_many_fields",
                _(
                    "Authorization 头里有 {count} 个以上的字段，这不是一个 Authorization 头："
                    "它只有五个字段 mchid、nonce_str、timestamp、serial_no、signature。",
                    count=MAX_AUTH_FIELDS,
                ),
            )
        name, quoted, bare = match.groups()
        if quoted is None:
            findings.append(
                Finding(
                    "value_not_quoted",
                    _(
                        '{name} 的值没有用双引号括起来：应写成 {name}="{value}"。',
                        name=name,
                        value=bare,
                    ),
                    SRC_AUTH,
                    name,
                )
            )
        fields.append((name, quoted if quoted is not None else bare))
    if not fields:
        raise ParseError(
            "authorization_unreadable",
            _(
                '读不出任何 name="value" 字段；格式应为 {scheme} mchid="…",nonce_str="…",…',
                scheme=SCHEME,
            ),
        )
    return AuthorizationHeader(scheme=scheme, fields=tuple(fields), findings=tuple(findings))


# Names written in place of an Authorization field: V2's or the SDKs' other spellings.
_AUTHORIZATION_FIELD_SLIPS = {
    "nonce": "nonce_str",
    "serial": "serial_no",
    "mch_id": "mchid",
    "sign": "signature",
}


@dataclass(frozen=True)
class AuthorizationCheck:
    header: AuthorizationHeader
    findings: tuple[Finding, ...]
    message: str = ""  # the message rebuilt from the request parts, when they were given
    message_lines: tuple[str, ...] = ()
    valid: bool | None = None  # None: not verified (no request parts or no key given)

    @property
    def stale(self) -> bool:
        """The timestamp is more than 5 minutes from the server clock: WeChat Pay refuses it."""
        return any(finding.code == "timestamp_skew" for finding in self.findings)


def check_authorization(
    text: str,
    *,
    now: datetime | None = None,
    method: str | None = None,
    url: str | None = None,
    body: str | None = None,
    public_key: KeyInput | None = None,
) -> AuthorizationCheck:
    """Check each field of a pasted Authorization header; re-verify it if the request is given."""
    header = parse_authorization(text)
    findings = list(header.findings)
    names = [name for name, _value in header.fields]
    for name in AUTHORIZATION_FIELDS:
        if name not in names:
            findings.append(
                Finding("field_missing", _("缺少字段 {name}。", name=name), SRC_AUTH, name)
            )
    for name in dict.fromkeys(names):
        if names.count(name) > 1:
            findings.append(
                Finding(
                    "field_repeated", _("字段 {name} 出现了不止一次。", name=name), SRC_AUTH, name
                )
            )
        if name not in AUTHORIZATION_FIELDS:
            unknown = (
                _(
                    "字段 {name} 不是 Authorization 的字段，是不是应写成 {suggestion}。",
                    name=name,
                    suggestion=_AUTHORIZATION_FIELD_SLIPS[name],
                )
                if name in _AUTHORIZATION_FIELD_SLIPS
                else _("字段 {name} 不是 Authorization 的字段。", name=name)
            )
            findings.append(Finding("field_unknown", unknown, SRC_AUTH, name))
    if "mchid" in names and not re.fullmatch(r"\d+", header.mchid):
        findings.append(
            Finding(
                "mchid_not_digits",
                _("mchid=“{mchid}” 应是纯数字的商户号。", mchid=header.mchid),
                SRC_AUTH,
                "mchid",
            )
        )
    if "timestamp" in names:
        findings += _skew_finding(header.timestamp, now, "timestamp", SRC_AUTH)
    if "nonce_str" in names:
        if not header.nonce_str:
            findings.append(Finding("nonce_empty", _("nonce_str 为空。"), SRC_AUTH, "nonce_str"))
        elif len(header.nonce_str) > 32:
            findings.append(
                Finding(
                    "nonce_too_long",
                    _(
                        "nonce_str 有 {length} 个字符，超过 32；微信支付的 SDK 生成 32 位随机串。",
                        length=len(header.nonce_str),
                    ),
                    SRC_AUTH,
                    "nonce_str",
                )
            )
    if "serial_no" in names:
        findings += check_serial_no(header.serial_no)
    if "signature" in names and decode_signature(header.signature) is None:
        findings.append(
            Finding(
                "signature_not_base64", _("signature 不是有效的 base64。"), SRC_AUTH, "signature"
            )
        )
    if method is None or url is None:
        return AuthorizationCheck(header, tuple(findings))
    signed_url, url_findings = signing_url(url)
    findings += url_findings
    message = build_message(
        method,
        signed_url,
        header.timestamp,
        header.nonce_str,
        "" if method.upper() == "GET" else body or "",
    )
    valid = None
    if public_key is not None:
        loaded = as_public_key(public_key)
        raw = decode_signature(header.signature)
        valid = raw is not None and rsa_verify(loaded.public_key, message, raw, hashes.SHA256())
        if (
            loaded.info.kind == CERTIFICATE
            and header.serial_no
            and not same_serial(header.serial_no, loaded.info.serial_no)
        ):
            findings.append(
                Finding(
                    "serial_no_not_this_certificate",
                    _(
                        "serial_no={serial_no}，而粘贴的证书序列号是 {certificate_serial}："
                        "serial_no 必须是签名所用私钥对应的商户 API 证书的序列号。",
                        serial_no=header.serial_no,
                        certificate_serial=loaded.info.serial_no,
                    ),
                    SRC_AUTH,
                    "serial_no",
                )
            )
    return AuthorizationCheck(header, tuple(findings), message, visible_lines(message), valid)


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


# --- verifying responses and notifications (003 §2.1 签名验证, §3.2.6) ------------------------


@dataclass(frozen=True)
class WechatpayHeaders:
    timestamp: str = ""
    nonce: str = ""
    signature: str = ""
    serial: str = ""
    findings: tuple[Finding, ...] = ()


# The headers a response or notification is verified with, and the WechatpayHeaders field of each.
_WECHATPAY_HEADERS = {
    "Wechatpay-Timestamp": "timestamp",
    "Wechatpay-Nonce": "nonce",
    "Wechatpay-Signature": "signature",
    "Wechatpay-Serial": "serial",
}
_HEADER_FIELDS = {name.lower(): key for name, key in _WECHATPAY_HEADERS.items()}


def parse_wechatpay_headers(text: str) -> WechatpayHeaders:
    """The four Wechatpay-* headers out of a pasted block of ``Name: value`` lines."""
    values: dict[str, str] = {}
    for line in text.replace("\ufeff", "").splitlines():
        name, sep, value = line.partition(":")
        key = _HEADER_FIELDS.get(name.strip().lower())
        if sep and key:
            values[key] = value.strip()
    findings = tuple(
        Finding("header_missing", _("没有找到请求头 {name}。", name=name), SRC_VERIFY, name)
        for name, key in _WECHATPAY_HEADERS.items()
        if key not in values
    )
    return WechatpayHeaders(**values, findings=findings)


def build_response_message(timestamp: str, nonce: str, body: str) -> str:
    """The message WeChat Pay signs in a response or notification: three lines."""
    return f"{timestamp}\n{nonce}\n{body}\n"


@dataclass(frozen=True)
class Verification:
    message: str
    message_lines: tuple[str, ...]
    valid: bool
    mode: str  # "certificate" | "public_key" | "" (serial unknown)
    findings: tuple[Finding, ...] = ()

    @property
    def stale(self) -> bool:
        """The timestamp is more than 5 minutes from the server clock: refuse it even if valid."""
        return any(finding.code == "timestamp_skew" for finding in self.findings)


def serial_mode(serial: str) -> str:
    """Which key ``Wechatpay-Serial`` names: a platform certificate or a WeChat Pay public key."""
    serial = serial.strip()
    if not serial:
        return ""
    return "public_key" if serial.startswith(PUBLIC_KEY_ID_PREFIX) else "certificate"


def _serial_findings(serial: str, loaded: LoadedKey, mchid: str) -> list[Finding]:
    mode = serial_mode(serial)
    findings: list[Finding] = []
    given_cert = loaded.info.kind == CERTIFICATE
    if mode == "public_key" and given_cert:
        findings.append(
            Finding(
                "public_key_mode_certificate_given",
                _(
                    "Wechatpay-Serial={serial} 是微信支付公钥 ID：这条消息要用“微信支付公钥”"
                    "（商户平台 → API安全 → 微信支付公钥，pub_key.pem）验签，而你给的是证书。",
                    serial=serial,
                ),
                SRC_VERIFY,
                "serial",
            )
        )
    if mode == "certificate" and not given_cert:
        findings.append(
            Finding(
                "certificate_mode_public_key_given",
                _(
                    "Wechatpay-Serial={serial} 是平台证书序列号：这条消息是用平台证书的私钥签的，"
                    "请用序列号相同的平台证书验签（你给的是公钥，无法核对序列号）。",
                    serial=serial,
                ),
                SRC_VERIFY,
                "serial",
            )
        )
    if mode != "certificate" or not given_cert:
        return findings
    cert_serial = loaded.info.serial_no
    if same_serial(serial, cert_serial) and not serial_is_decimal(serial):
        # Same number: a lower-case or shortened (leading zero dropped) serial is still this one.
        findings += check_serial_no(serial, "Wechatpay-Serial")
        return findings
    if same_serial(serial, cert_serial):
        findings.append(
            Finding(
                "serial_decimal",
                _(
                    "Wechatpay-Serial 与证书序列号是同一个数，但一个写成了十进制；"
                    "比较前都用十六进制大写：{serial}。",
                    serial=cert_serial,
                ),
                SRC_VERIFY,
                "serial",
            )
        )
    elif mchid and loaded.info.subject_cn == mchid.strip():
        findings.append(
            Finding(
                "merchant_certificate_used",
                _(
                    "你给的是自己的商户 API 证书（CN={mchid}，序列号 {certificate_serial}）。"
                    "验证微信支付的应答/通知要用微信支付平台证书（序列号 {serial}）或微信支付公钥，"
                    "商户证书只用于微信支付验你的签名。",
                    mchid=mchid,
                    certificate_serial=cert_serial,
                    serial=serial,
                ),
                SRC_VERIFY,
                "public_key",
            )
        )
    else:
        findings.append(
            Finding(
                "serial_mismatch",
                _(
                    "证书序列号 {certificate_serial} 与 Wechatpay-Serial {serial} 不一致："
                    "要用序列号为 {serial} 的微信支付平台证书验签"
                    "（平台证书会轮换，请按序列号选择；如果这是你自己的商户证书，也不能用来验签）。",
                    certificate_serial=cert_serial,
                    serial=serial,
                ),
                SRC_VERIFY,
                "serial",
            )
        )
    return findings


def verify_response(
    *,
    timestamp: str = "",
    nonce: str = "",
    body: str = "",
    signature: str = "",
    public_key: KeyInput,
    serial: str = "",
    headers: str = "",
    mchid: str = "",
    now: datetime | None = None,
) -> Verification:
    """Verify a response or notification; ``headers`` (a pasted block) fills what is not given."""
    findings: list[Finding] = []
    if headers:
        parsed = parse_wechatpay_headers(headers)
        timestamp = timestamp or parsed.timestamp
        nonce = nonce or parsed.nonce
        signature = signature or parsed.signature
        serial = serial or parsed.serial
        # A header missing from the pasted block is no finding when its value was given apart.
        given = {"timestamp": timestamp, "nonce": nonce, "signature": signature, "serial": serial}
        findings += [f for f in parsed.findings if not given[_WECHATPAY_HEADERS[f.field]]]
    loaded = as_public_key(public_key, now=now)
    findings += [f for f in loaded.info.findings if f.code.startswith("certificate_")]
    message = build_response_message(str(timestamp).strip(), nonce.strip(), body)
    findings += _skew_finding(str(timestamp), now, "Wechatpay-Timestamp", SRC_VERIFY)
    if serial:
        findings += _serial_findings(serial, loaded, mchid)
    if signature.strip().startswith(SIGNATURE_PROBE_PREFIX):
        findings.append(
            Finding(
                "signature_probe",
                _(
                    "Wechatpay-Signature 以 WECHATPAY/SIGNTEST/ 开头：这是微信支付的签名探测流量，"
                    "验签本来就应该失败，你的系统应拒绝它。"
                ),
                SRC_VERIFY,
                "signature",
            )
        )
        raw = None
    else:
        raw = decode_signature(signature)
        if raw is None:
            findings.append(
                Finding(
                    "signature_not_base64",
                    _("Wechatpay-Signature 不是有效的 base64。"),
                    SRC_VERIFY,
                    "signature",
                )
            )
    valid = raw is not None and rsa_verify(loaded.public_key, message, raw, hashes.SHA256())
    if not valid and body != body.strip():
        findings.append(
            Finding(
                "body_whitespace",
                _("应答主体首尾有空白或换行；验签要用收到的原始字节，不能多也不能少。"),
                SRC_VERIFY,
                "body",
            )
        )
    return Verification(
        message=message,
        message_lines=visible_lines(message),
        valid=valid,
        mode=serial_mode(serial),
        findings=tuple(findings),
    )


# --- 401 SIGN_ERROR: compare WeChat Pay's view of the message with ours (004 401) -------------
#
# A 401 SIGN_ERROR whose signature does not match carries detail.sign_information: the method and
# URL WeChat Pay received, sign_message_length (the byte length of the message it verified) and
# truncated_sign_message, its message with the body cut to its first few characters and a "\n"
# put after the cut. The timestamp and nonce it used are lines 3 and 4 of that message, so the
# body alone is enough to compare what was sent with what was signed, without any key.

MESSAGE_PARTS = ("METHOD", "URL", "TIMESTAMP", "NONCE", "BODY")
PART_LABELS = {
    "METHOD": _("HTTP 方法"),
    "URL": _("URL"),
    "TIMESTAMP": _("时间戳"),
    "NONCE": _("随机串"),
    "BODY": _("请求体"),
}


@dataclass(frozen=True)
class SignInformation:
    method: str
    url: str
    sign_message_length: int | None
    truncated_sign_message: str
    timestamp: str = ""  # line 3 of the message WeChat Pay verified
    nonce: str = ""  # line 4
    body_cut: bool = False  # the body was cut: the message shown ends with the cut, then "\n"

    @property
    def shown(self) -> str:
        """The message as far as WeChat Pay shows it, without the "\\n" it puts after a cut."""
        if self.body_cut and self.truncated_sign_message.endswith("\n"):
            return self.truncated_sign_message[:-1]
        return self.truncated_sign_message


@dataclass(frozen=True)
class Difference:
    index: int  # 0-based character index
    line: int  # 1-based line of the message
    column: int  # 1-based
    theirs: str  # visible
    ours: str
    part: str = ""  # METHOD, URL, TIMESTAMP, NONCE or BODY
    theirs_named: Message = ""  # the character, named when it cannot be seen
    ours_named: Message = ""


@dataclass(frozen=True)
class MessageRow:
    """One line of the signed message, as WeChat Pay received it and as signed here."""

    number: int  # 1-based
    part: str
    label: Message
    theirs: tuple[Segment, ...]
    ours: tuple[Segment, ...]
    differs: bool
    first: bool  # the first line that differs
    cut: bool  # WeChat Pay cut the body here


@dataclass(frozen=True)
class SignErrorComparison:
    info: SignInformation
    message: str  # built locally from the merchant's request parts
    message_lines: tuple[str, ...]
    truncated_lines: tuple[str, ...]
    first_difference: Difference | None
    findings: tuple[Finding, ...]  # explanations first, then the details
    consistent: bool = False  # WeChat Pay verified the message built here
    verdict: Message = ""  # the page's headline when a 401 body is given
    explanations: tuple[Finding, ...] = ()  # why the two messages differ, in words
    details: tuple[Finding, ...] = ()
    rows: tuple[MessageRow, ...] = ()
    method: str = ""  # the request parts compared (and signed, when a key is given)
    url: str = ""
    timestamp: str = ""
    nonce: str = ""
    from_401: tuple[str, ...] = ()  # which of method, url, timestamp, nonce came from the 401
    message_length: int = 0  # bytes


def _find_key(value: object, name: str) -> object:
    if isinstance(value, dict):
        if name in value:
            return value[name]
        for item in value.values():
            found = _find_key(item, name)
            if found is not None:
                return found
    return None


def parse_sign_error(text: str) -> SignInformation:
    """The ``sign_information`` of a 401 SIGN_ERROR body (the whole body or an SDK's printout).

    >>> info = parse_sign_error('{"code":"SIGN_ERROR","detail":{"sign_information":{"method":"GET",'
    ...     '"url":"/v3/certificates","sign_message_length":39,'
    ...     '"truncated_sign_message":"GET\\\\n/v3/certificates\\\\n1721639012\\\\nN0NCE\\\\n\\\\n"}}}')
    >>> info.timestamp, info.nonce, info.body_cut
    ('1721639012', 'N0NCE', False)
    """
    start = text.find("{")
    if start < 0:
        raise ParseError("sign_error_not_json", _("没有找到 JSON：请粘贴 401 应答的完整主体。"))
    # An SDK's printout may carry text after the body: decode the first JSON value, bounded.
    if nested_deeper_than(text[start:], MAX_NESTING):
        raise ParseError("sign_error_not_json", _("应答主体嵌套太深，不像微信支付的 401 应答。"))
    try:
        document, _end = json.JSONDecoder().raw_decode(text[start:])
    except json.JSONDecodeError as error:
        raise ParseError(
            "sign_error_not_json", _("应答主体不是有效的 JSON：{reason}。", reason=error.msg)
        ) from None
    except (RecursionError, ValueError):  # an integer too long to convert
        raise ParseError("sign_error_not_json", _("应答主体里有无法读取的数值。")) from None
    info = _find_key(document, "sign_information")
    if not isinstance(info, dict):
        raise ParseError(
            "sign_information_missing",
            _(
                "应答里没有 detail.sign_information：只有签名不匹配（sign not match）的 401 才带它。"
            ),
        )
    length = info.get("sign_message_length")
    sign_message_length = (
        int(length)
        if isinstance(length, int | str) and re.fullmatch(r"[0-9]{1,9}", str(length))
        else None
    )
    truncated = str(info.get("truncated_sign_message", ""))
    if "\n" not in truncated and "\\n" in truncated:
        # A log that printed the JSON string escaped once more: its "\n" are two characters.
        truncated = truncated.replace("\\n", "\n")
    lines = truncated.split("\n")
    body_cut = (
        sign_message_length is not None
        and len(truncated.encode("utf-8")) < sign_message_length
        and len(lines) > 4
    )
    return SignInformation(
        method=str(info.get("method", "")).strip().upper(),
        url=str(info.get("url", "")).strip(),
        sign_message_length=sign_message_length,
        truncated_sign_message=truncated,
        # Lines 3 and 4; a body that names them separately is read too.
        timestamp=str(info.get("sign_timestamp") or (lines[2] if len(lines) > 3 else "")).strip(),
        nonce=str(info.get("sign_nonce") or (lines[3] if len(lines) > 4 else "")).strip(),
        body_cut=body_cut,
    )


def _named(text: str, index: int) -> Message:
    """The character at ``index``, written so it can be seen, named when it is invisible."""
    if index >= len(text):
        return _("（这一行到此结束）")
    char = text[index]
    shown = textdiff.visible(char, spaces=True)
    if shown == char and char.isprintable() and not char.isspace():
        return f"“{char}”"
    return _(
        "“{shown}”（{name}，U+{code}）",
        shown=shown,
        name=unicodedata.name(char, "?"),
        code=f"{ord(char):04X}",
    )


def _part(line: int) -> str:
    return MESSAGE_PARTS[min(line, 5) - 1]


def first_difference(theirs: str, ours: str) -> Difference | None:
    """Where two messages part, or None when one is a prefix of the other."""
    for index, (a, b) in enumerate(zip(theirs, ours, strict=False)):
        if a != b:
            before = ours[:index]
            line = before.count("\n") + 1
            column = index - (before.rfind("\n") + 1) + 1
            their_line = theirs[index - column + 1 :].split("\n", 1)[0]
            our_line = ours[index - column + 1 :].split("\n", 1)[0]
            return Difference(
                index=index,
                line=line,
                column=column,
                theirs=show_invisible(a),
                ours=show_invisible(b),
                part=_part(line),
                theirs_named=_named(their_line, column - 1),
                ours_named=_named(our_line, column - 1),
            )
    return None


def _lines(message: str) -> list[str]:
    lines = message.split("\n")
    return lines[:-1] if message.endswith("\n") else lines


def _rows(info: SignInformation, ours: str) -> tuple[MessageRow, ...]:
    """Line by line, side by side; a cut body line is compared with as much of ours."""
    their_lines, our_lines = _lines(info.shown), _lines(ours)
    if info.body_cut:
        our_lines = our_lines[: len(their_lines)]
    rows: list[MessageRow] = []
    first_seen = False
    for index in range(max(len(their_lines), len(our_lines))):
        cut = info.body_cut and index == len(their_lines) - 1
        theirs = their_lines[index] if index < len(their_lines) else ""
        ours_line = our_lines[index] if index < len(our_lines) else ""
        if cut:
            ours_line = ours_line[: len(theirs)]
        else:
            theirs += "\n" if index < len(their_lines) else ""
            ours_line += "\n" if index < len(our_lines) else ""
        diff = textdiff.compare(theirs, ours_line)
        first = not diff.equal and not first_seen
        first_seen = first_seen or first
        part = _part(index + 1)
        rows.append(
            MessageRow(
                number=index + 1,
                part=part,
                label=PART_LABELS[part],
                theirs=diff.theirs,
                ours=diff.ours,
                differs=not diff.equal,
                first=first,
                cut=cut,
            )
        )
    return tuple(rows)


def _json_variants(body: str) -> list[tuple[str, Message]]:
    """The body written the other ways JSON libraries write it, each with what that means."""
    try:
        document = load_json(body)
    except ParseError:
        return []
    if not isinstance(document, dict | list):
        return []
    compact = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    variants = [
        (
            compact,
            _(
                "你签名的 JSON 冒号、逗号后有空格（或换行缩进），微信支付收到的是紧凑 JSON（没有空格）："
                "签名和发送要用同一个字符串，不要各自序列化一次。"
            ),
        ),
        (
            json.dumps(document, ensure_ascii=False),
            _(
                "你签名的是紧凑 JSON，微信支付收到的 JSON 冒号、逗号后有空格（例如 Python json.dumps "
                "的默认写法）：签名和发送要用同一个字符串，不要各自序列化一次。"
            ),
        ),
    ]
    for indent in (2, 4):
        variants.append(
            (
                json.dumps(document, ensure_ascii=False, indent=indent),
                _(
                    "微信支付收到的是缩进 {indent} 格的 JSON，你签名的是另一种写法："
                    "签名和发送要用同一个字符串。",
                    indent=indent,
                ),
            )
        )
    variants.append(
        (
            json.dumps(document, separators=(",", ":")),
            _(
                "微信支付收到的请求体把中文等字符转义成了 \\uXXXX，你签名的是原文（或者反过来）："
                "签名和发送要用同一个字符串。"
            ),
        )
    )
    return [(text, why) for text, why in variants if text != body]


def _key_order(info: SignInformation, body: str) -> Finding | None:
    """WeChat Pay's body starts with another of the body's keys: the object was re-serialised."""
    head = info.shown.split("\n", 4)[4] if info.shown.count("\n") >= 4 else ""
    named = re.match(r'\{\s*"([^"]*)', head)
    try:
        document = load_json(body)
    except ParseError:
        return None
    if not named or not isinstance(document, dict) or not document:
        return None
    first = next(iter(document))
    seen = named.group(1)
    if first.startswith(seen):
        return None
    keys = [key for key in document if key.startswith(seen)]
    if not keys:
        return None
    return Finding(
        "json_key_order",
        _(
            "JSON 的键顺序不同：微信支付收到的请求体以 “{theirs}” 开头，你签名的以 “{ours}” 开头——"
            "签名之后对象又被重新序列化（或换了一个 Map）。签名和发送要用同一个字符串。",
            theirs=keys[0],
            ours=first,
        ),
        SRC_401,
        "body",
    )


def _explain(
    info: SignInformation,
    *,
    method: str,
    typed_url: str,
    signed_url: str,
    timestamp: str,
    nonce: str,
    body: str,
    message: str,
) -> list[Finding]:
    """The common reasons the two messages differ, in words."""
    found: list[Finding] = []
    if info.method and info.method != method:
        found.append(
            Finding(
                "method_differs",
                _(
                    "微信支付收到的是 {theirs} 请求，你按 {ours} 计算签名。",
                    theirs=info.method,
                    ours=method,
                ),
                SRC_401,
                "method",
            )
        )
    if info.url and info.url != signed_url:
        path, _sep, query = info.url.partition("?")
        if query and signed_url == path:
            found.append(
                Finding(
                    "query_not_signed",
                    _(
                        "你签名的 URL 少了查询串 ?{query}：签名串里的 URL 要和实际请求一样带上查询参数。",
                        query=query,
                    ),
                    SRC_401,
                    "url",
                )
            )
        found.append(
            Finding(
                "url_differs",
                _(
                    "微信支付收到的 URL 是 {theirs}，你签名用的是 {ours}："
                    "签名串里的 URL 必须与实际请求的路径和查询参数逐字相同。",
                    theirs=info.url,
                    ours=signed_url,
                ),
                SRC_401,
                "url",
            )
        )
    for code, name, theirs, ours in (
        ("timestamp_differs", "timestamp", info.timestamp, timestamp),
        ("nonce_differs", "nonce_str", info.nonce, nonce),
    ):
        if theirs and ours and theirs != ours:
            found.append(
                Finding(
                    code,
                    _(
                        "你签名用的 {name} 是 {ours}，微信支付收到的（Authorization 头里的）是 "
                        "{theirs}：签名串和 Authorization 头要用同一个值，只生成一次。",
                        name=name,
                        ours=ours,
                        theirs=theirs,
                    ),
                    SRC_401,
                    name,
                )
            )
    theirs_length = info.sign_message_length
    if theirs_length is None:
        return found
    ours_bytes = len(message.encode("utf-8"))
    head_bytes = ours_bytes - len(body.encode("utf-8")) - 1
    shown_body = None
    if info.shown.count("\n") >= 4:
        # Measure the body alone: WeChat Pay's first four lines stand in for ours, so a
        # timestamp or URL that differs does not hide what differs in the body.
        *their_head, shown_body = info.shown.split("\n", 4)
        their_head_bytes = len(("\n".join(their_head) + "\n").encode("utf-8"))
        theirs_length += head_bytes - their_head_bytes
    if theirs_length != ours_bytes:
        delta = theirs_length - ours_bytes
        if delta in (-1, -2) and body.endswith(("\n", "\r\n")[-delta - 1]):
            found.append(
                Finding(
                    "body_trailing_newline",
                    _(
                        "你签名的请求体末尾多了换行（↵），微信支付收到的请求体没有："
                        "签名和发送要用同一个字符串。"
                    ),
                    SRC_401,
                    "body",
                )
            )
        else:
            for variant, why in _json_variants(body):
                if head_bytes + len(variant.encode("utf-8")) + 1 == theirs_length and (
                    shown_body is None or variant.startswith(shown_body)
                ):
                    found.append(Finding("json_serialised_differently", why, SRC_401, "body"))
                    return found
        if found:
            return found
        if delta in (1, 2) and body and not body.endswith("\n"):
            found.append(
                Finding(
                    "body_trailing_newline_missing",
                    _(
                        "微信支付收到的请求体比你签名的多 {delta} 个字节，常见是发送的请求体末尾多了换行（↵）"
                        "而签名时没有：签名和发送要用同一个字符串。",
                        delta=delta,
                    ),
                    SRC_401,
                    "body",
                )
            )
        elif theirs_length == len(message) and not message.isascii():
            found.append(
                Finding(
                    "body_not_utf8",
                    _(
                        "微信支付收到的签名串长 {theirs} 字节，正好是你这里的字符数而不是 UTF-8 字节数："
                        "请求体里的中文没有按 UTF-8 发送（常见于没有指定编码，中文变成了 ?）。",
                        theirs=theirs_length,
                    ),
                    SRC_401,
                    "body",
                )
            )
        elif theirs_length == len(message.encode("gbk", errors="replace")) and not body.isascii():
            found.append(
                Finding(
                    "body_gbk",
                    _(
                        "微信支付收到的签名串长 {theirs} 字节，正好是按 GBK 编码的长度："
                        "请求体是按 GBK 发送的，签名却按 UTF-8 计算（或者反过来）。请都用 UTF-8。",
                        theirs=theirs_length,
                    ),
                    SRC_401,
                    "body",
                )
            )
    key_order = _key_order(info, body)
    if key_order is not None:
        found.append(key_order)
    return found


def compare_sign_error(
    text: str,
    *,
    method: str = "",
    url: str = "",
    body: str = "",
    timestamp: str | None = None,
    nonce: str | None = None,
) -> SignErrorComparison:
    """Compare the 401 body's sign_information with the message built from the request parts.

    Whatever is not given (an empty method or URL, a timestamp or nonce that is None or empty)
    is read from the 401 body: WeChat Pay's message holds them on its lines 1 to 4.
    """
    info = parse_sign_error(text)
    from_401: list[str] = []
    given = {"method": method.strip().upper(), "url": url.strip()}
    given |= {"timestamp": (timestamp or "").strip(), "nonce": (nonce or "").strip()}
    theirs = {"method": info.method, "url": info.url}
    theirs |= {"timestamp": info.timestamp, "nonce": info.nonce}
    used: dict[str, str] = {}
    for name in ("method", "url", "timestamp", "nonce"):
        used[name] = given[name] or theirs[name]
        if not given[name] and theirs[name]:
            from_401.append(name)
    method = used["method"] or "POST"
    signed_url, url_findings = signing_url(used["url"])
    body = "" if method == "GET" else body
    message = build_message(method, signed_url, used["timestamp"], used["nonce"], body)
    explanations = _explain(
        info,
        method=method,
        typed_url=used["url"],
        signed_url=signed_url,
        timestamp=used["timestamp"],
        nonce=used["nonce"],
        body=body,
        message=message,
    )
    details: list[Finding] = []
    byte_length = len(message.encode("utf-8"))
    length_differs = (
        info.sign_message_length is not None and info.sign_message_length != byte_length
    )
    if length_differs:
        details.append(
            Finding(
                "length_differs",
                _(
                    "微信支付算出的签名串长 {theirs} 字节，按你的请求构造的长 {bytes} 字节"
                    "（{characters} 个字符）：实际发出的请求（多半是请求体）与你签名的不是同一份。",
                    theirs=info.sign_message_length,
                    bytes=byte_length,
                    characters=len(message),
                ),
                SRC_401,
                "body",
            )
        )
    shown = info.shown
    difference = first_difference(shown, message)
    if difference is None and not info.body_cut and len(shown) > len(message):
        # Ours ended first: the difference is where it ended.
        difference = first_difference(shown, message + "\0")
    if difference is not None:
        details.append(
            Finding(
                "message_differs",
                _(
                    "第 {line} 行（{part}）第 {column} 个字符起不同：微信支付收到的是 {theirs}，"
                    "你这里是 {ours}。",
                    line=difference.line,
                    part=PART_LABELS[difference.part],
                    column=difference.column,
                    theirs=difference.theirs_named,
                    ours=difference.ours_named,
                ),
                SRC_401,
            )
        )
    consistent = not explanations and not details
    if consistent:
        if "://" in used["url"]:
            explanations.append(
                Finding(
                    "host_signed",
                    _(
                        "你填的 URL 带了协议和域名：签名串里只写路径和查询参数 {url}（这里已去掉）。"
                        "如果你的程序签名时带上了域名，微信支付就会验签失败。",
                        url=signed_url,
                    ),
                    SRC_SIGN,
                    "url",
                )
            )
        details.append(
            Finding(
                "message_matches",
                _(
                    "微信支付看到的签名串与按你的请求构造的一致：问题在签名本身——"
                    "私钥与 serial_no 指向的证书不是一对，"
                    "或签名算法不是 SHA256withRSA，或签名时用的串与发出的请求不同。"
                ),
                SRC_401,
            )
        )
        verdict: Message = _("微信支付收到的签名串与你这里的一致：问题在签名值或私钥/证书。")
    elif difference is not None:
        verdict = _(
            "微信支付收到的签名串与你这里的不一致：第 {line} 行（{part}）不同。",
            line=difference.line,
            part=PART_LABELS[difference.part],
        )
    elif length_differs:
        verdict = _(
            "微信支付收到的签名串与你这里的不一致：第 5 行（请求体）不同——"
            "微信支付收到的签名串长 {theirs} 字节，你这里 {ours} 字节。",
            theirs=info.sign_message_length,
            ours=byte_length,
        )
    else:  # the method or the URL: WeChat Pay's fields say so, its message was cut before
        verdict = _("微信支付收到的签名串与你这里的不一致：{why}", why=explanations[0].message)
    # When all else agrees, the host is named above as a possible cause (host_signed).
    details += [f for f in url_findings if not (consistent and f.code == "host_not_signed")]
    return SignErrorComparison(
        info=info,
        message=message,
        message_lines=visible_lines(message),
        truncated_lines=visible_lines(info.truncated_sign_message),
        first_difference=difference,
        findings=tuple(explanations + details),
        consistent=consistent,
        verdict=verdict,
        explanations=tuple(explanations),
        details=tuple(details),
        rows=_rows(info, message),
        method=method,
        url=signed_url,
        timestamp=used["timestamp"],
        nonce=used["nonce"],
        from_401=tuple(from_401),
        message_length=byte_length,
    )


# --- notification decryption (003 §2.1 敏感信息加解密; §3.2.6) -------------------------------


@dataclass(frozen=True)
class Decrypted:
    plaintext: str
    data: object = None  # the plaintext parsed as JSON, when it is JSON
    findings: tuple[Finding, ...] = field(default=())


def _apiv3_key_bytes(apiv3_key: str) -> bytes:
    key = apiv3_key.encode("utf-8")
    if len(key) == 32:
        return key
    stripped = apiv3_key.strip().encode("utf-8")
    if len(stripped) == 32:
        raise ParseError(
            "apiv3_key_whitespace",
            _(
                "APIv3 密钥前后带了空白字符（共 {length} 字节，去掉空白后 32 字节）：请去掉空格和换行；"
                "你的代码读取密钥时也要 trim。",
                length=len(key),
            ),
        )
    where = _("请到商户平台 → API安全 → 设置APIv3密钥处核对（32 个字符）。")
    if re.fullmatch(r"[0-9a-fA-F]{64}", apiv3_key.strip()):
        message = _(
            "APIv3 密钥应为 32 字节（AES-256），你给的是 {length} 字节。它像 64 位十六进制；"
            "APIv3 密钥就是在商户平台设置的 32 个字符，按原样使用，不做十六进制解码。{where}",
            length=len(key),
            where=where,
        )
    else:
        message = _(
            "APIv3 密钥应为 32 字节（AES-256），你给的是 {length} 字节。{where}",
            length=len(key),
            where=where,
        )
    raise ParseError("apiv3_key_length", message)


def _b64(value: str, name: str) -> bytes:
    raw = decode_signature(value)
    if raw is None:
        raise ParseError(
            f"{name}_not_base64",
            _(
                "{name} 不是有效的 base64：可能复制不完整，或被当作表单数据时 “+” 变成了空格。",
                name=name,
            ),
        )
    return raw


def decrypt_resource(
    *,
    apiv3_key: str,
    associated_data: str,
    nonce: str,
    ciphertext: str,
    algorithm: str = AEAD_AES_256_GCM,
    from_one_notification: bool = False,
) -> Decrypted:
    """Decrypt a notification resource; failures raise ParseError naming the likely cause.

    ``from_one_notification``: the three fields were read from one pasted notification, so they
    belong together and a tag mismatch can only mean the key."""
    if algorithm and algorithm != AEAD_AES_256_GCM:
        raise ParseError(
            "algorithm_unsupported",
            _(
                "resource.algorithm 是 “{algorithm}”，APIv3 通知用 {expected} 加密。",
                algorithm=algorithm,
                expected=AEAD_AES_256_GCM,
            ),
        )
    key = _apiv3_key_bytes(apiv3_key)
    if not ciphertext.strip():
        raise ParseError("ciphertext_missing", _("没有 ciphertext。"))
    nonce_bytes = nonce.encode("utf-8")
    if not nonce_bytes:
        raise ParseError("nonce_missing", _("没有 resource.nonce（加密使用的随机串，12 个字符）。"))
    if not 8 <= len(nonce_bytes) <= 128:
        raise ParseError(
            "nonce_length",
            _(
                "resource.nonce 有 {length} 个字节；通知的 nonce 是 12 个字符，请完整复制。",
                length=len(nonce_bytes),
            ),
        )
    aead = AESGCM(key)

    def attempt(data: bytes, iv: bytes, aad: str) -> bytes | None:
        try:
            return aead.decrypt(iv, data, aad.encode("utf-8"))
        except InvalidTag:
            return None

    if " " in ciphertext.strip():
        # A form decoder turns "+" into " "; base64 never holds a space.
        repaired = ciphertext.strip().replace(" ", "+")
        if attempt(_b64(repaired, "ciphertext"), nonce_bytes, associated_data) is not None:
            raise ParseError(
                "ciphertext_plus_as_space",
                _(
                    "ciphertext 里的 “+” 变成了空格（被当作表单数据解码过）；用原始 JSON 里的值即可解密。"
                ),
            )
    raw = _b64(ciphertext, "ciphertext")
    if len(raw) < 16:  # exactly 16 is the tag of an empty plaintext
        raise ParseError(
            "ciphertext_too_short",
            _(
                "ciphertext 解码后只有 {length} 字节，连 16 字节的认证标签都不够：复制不完整。",
                length=len(raw),
            ),
        )
    plain = attempt(raw, nonce_bytes, associated_data)
    if plain is None:
        _diagnose_decryption(attempt, raw, nonce, associated_data, from_one_notification)
    text = plain.decode("utf-8", errors="replace")
    try:
        data = load_json(text)
    except ParseError:
        data = None
    return Decrypted(plaintext=text, data=data)


_KNOWN_ASSOCIATED_DATA = ("transaction", "refund", "certificate", "mch_payment", "")


def _diagnose_decryption(
    attempt: Callable[[bytes, bytes, str], bytes | None],
    raw: bytes,
    nonce: str,
    associated_data: str,
    from_one_notification: bool = False,
) -> NoReturn:
    """Decryption failed: try the one-field slips that explain it, and raise naming the cause."""
    if nonce != nonce.strip() and attempt(raw, nonce.strip().encode(), associated_data) is not None:
        raise ParseError("nonce_whitespace", _("nonce 前后多了空白字符；去掉后即可解密。"))
    for aad in dict.fromkeys((associated_data.strip(), *_KNOWN_ASSOCIATED_DATA)):
        if aad != associated_data and attempt(raw, nonce.strip().encode(), aad) is not None:
            raise ParseError(
                "associated_data_mismatch",
                _(
                    "associated_data 不对：用 “{works}” 才能解密（你给的是 “{given}”）。"
                    "associated_data 要原样取自同一条通知的 resource.associated_data，可能为空字符串。",
                    works=aad,
                    given=associated_data,
                ),
            )
    if from_one_notification:
        raise ParseError(
            "apiv3_key_wrong",
            _(
                "APIv3 密钥不对。nonce、associated_data 和 ciphertext 都取自你粘贴的同一条通知，"
                "它们彼此相符；认证标签不匹配只剩密钥这一个原因。请到商户平台 → API安全 → APIv3密钥"
                "核对：常见的是用成了同样 32 个字符的 API 密钥（V2），或另一个商户号的 APIv3 密钥。"
                "不要急着重设密钥：重设后正在使用旧密钥的程序都会解不开通知。"
            ),
        )
    causes = _(
        "可能的原因：ciphertext、nonce、associated_data 不是取自同一条通知，或复制不完整；"
        "或密钥不对——如果你确定密钥没错，请确认用的是 APIv3密钥，而不是 API密钥（V2，同样 32 个字符）。"
    )
    if len(nonce.strip()) != 12:
        message = _(
            "解密失败（认证标签不匹配）。nonce 有 {length} 个字符，微信支付通知的 nonce 是 12 个字符。"
            "{causes}",
            length=len(nonce.strip()),
            causes=causes,
        )
    else:
        message = _("解密失败（认证标签不匹配）。{causes}", causes=causes)
    raise ParseError("decrypt_failed", message)


def decrypt_notification(notification: str | Mapping[str, object], apiv3_key: str) -> Decrypted:
    """Decrypt a whole pasted notification (or its ``resource`` object)."""
    if isinstance(notification, str):
        try:
            document = load_json(notification.replace("\ufeff", "").strip())
        except ParseError as error:
            raise ParseError(
                "notification_not_json", _("通知不是有效的 JSON：{reason}", reason=error.message)
            ) from None
    else:
        document = dict(notification)
    if not isinstance(document, dict):
        raise ParseError("notification_not_json", _("通知应是一个 JSON 对象。"))
    resource = document.get("resource", document)
    if not isinstance(resource, dict) or "ciphertext" not in resource:
        raise ParseError("resource_missing", _("通知里没有 resource.ciphertext。"))
    return decrypt_resource(
        apiv3_key=apiv3_key,
        associated_data=str(resource.get("associated_data") or ""),
        nonce=str(resource.get("nonce") or ""),
        ciphertext=str(resource.get("ciphertext") or ""),
        algorithm=str(resource.get("algorithm") or AEAD_AES_256_GCM),
        from_one_notification=True,
    )
