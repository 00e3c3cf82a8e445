"""The Authorization header a merchant sent (004 Header Authorization): parsed field by field and
checked — scheme, the five fields, quoting, timestamp, nonce, certificate serial — and, given the
request and a certificate, verified again."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives import hashes

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.keys import CERTIFICATE, KeyInput, as_public_key, decode_signature, rsa_verify
from diagnostics.core.serials import same_serial
from diagnostics.core.text import _
from diagnostics.wechat_v3.signing import (
    AUTHORIZATION_FIELDS,
    SCHEME,
    SRC_AUTH,
    _skew_finding,
    build_message,
    check_serial_no,
    signing_url,
    visible_lines,
)

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
