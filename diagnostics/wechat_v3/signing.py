"""Request signing (003 §2.1 签名生成; 004 Authorization): the five-line message, SHA256withRSA
with the merchant API private key, the Authorization header; the protocol's constants and the checks
every signing path shares (timestamp skew, serial_no shape).

>>> build_message("get", "/v3/certificates", "1554208460", "N", "")
'GET\\n/v3/certificates\\n1554208460\\nN\\n\\n'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from cryptography.hazmat.primitives import hashes

from diagnostics.core.findings import Finding
from diagnostics.core.keys import KeyInput, as_private_key, rsa_sign
from diagnostics.core.params import split_url
from diagnostics.core.serials import serial_hex, serial_is_decimal
from diagnostics.core.text import Message, _

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
    mchid: str = ""
    serial_no: str = ""


def build_authorization(
    mchid: str, nonce_str: str, signature: str, timestamp: str, serial_no: str
) -> str:
    """The Authorization header value, fields in the order WeChat Pay's SDKs write them."""
    return (
        f'{SCHEME} mchid="{mchid}",nonce_str="{nonce_str}",signature="{signature}",'
        f'timestamp="{timestamp}",serial_no="{serial_no}"'
    )


def prepare_request(
    *,
    method: str,
    url: str,
    timestamp: str,
    nonce: str,
    body: str = "",
    mchid: str = "",
    serial_no: str = "",
) -> SignedRequest:
    """Everything of a signed request but the signature: the message to sign and the findings.

    Local mode (本地计算) stops here and the browser signs ``message``; ``signature`` and
    ``authorization`` are empty until then."""
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
    return SignedRequest(
        method=method,
        url=signed_url,
        timestamp=timestamp,
        nonce=nonce,
        body=body,
        message=message,
        message_lines=visible_lines(message),
        signature="",
        authorization="",
        findings=tuple(findings),
        mchid=mchid,
        serial_no=serial_no,
    )


def with_signature(prepared: SignedRequest, signature: str) -> SignedRequest:
    """The prepared request with its signature and the Authorization header that carries it."""
    authorization = build_authorization(
        prepared.mchid, prepared.nonce, signature, prepared.timestamp, prepared.serial_no
    )
    return replace(prepared, signature=signature, authorization=authorization)


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
    prepared = prepare_request(
        method=method,
        url=url,
        timestamp=timestamp,
        nonce=nonce,
        body=body,
        mchid=mchid,
        serial_no=serial_no,
    )
    # 003 §2.1: SHA256withRSA, PKCS#1 v1.5, for every APIv3 message.
    signature = rsa_sign(as_private_key(private_key), prepared.message, hashes.SHA256())
    return with_signature(prepared, signature)


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
