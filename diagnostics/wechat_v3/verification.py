"""Verifying WeChat Pay's responses and notifications (003 §2.1 签名验证, §3.2.6): the three-line
message ``timestamp\\nnonce\\nbody\\n``, verified with the platform certificate or the WeChat Pay
public key named by ``Wechatpay-Serial``, and what a failure most likely means."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives import hashes

from diagnostics.core.findings import Finding
from diagnostics.core.keys import (
    CERTIFICATE,
    KeyInput,
    LoadedKey,
    as_public_key,
    decode_signature,
    rsa_verify,
)
from diagnostics.core.serials import same_serial, serial_is_decimal
from diagnostics.core.text import _
from diagnostics.wechat_v3.signing import (
    PUBLIC_KEY_ID_PREFIX,
    SIGNATURE_PROBE_PREFIX,
    SRC_VERIFY,
    _skew_finding,
    check_serial_no,
    visible_lines,
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
