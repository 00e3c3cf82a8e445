"""Read the RSA keys and certificates merchants paste, and say what they are.

Accepted: PEM private keys (PKCS#8 ``BEGIN PRIVATE KEY`` or PKCS#1 ``BEGIN RSA PRIVATE KEY``),
PEM public keys (``BEGIN PUBLIC KEY`` or PKCS#1 ``BEGIN RSA PUBLIC KEY``), PEM certificates, and
the same things as bare base64 with no header lines (Baidu's console hands keys out that way; 001
调起收银台错误 2 (4): 检查私钥和开发者公钥格式是否正确). Pastes are cleaned first: a BOM, Windows
line ends, stray spaces and ``\\n`` typed literally (a key copied out of a JSON string) are undone.

Anything that cannot be used raises :class:`~diagnostics.core.findings.ParseError` with a message for the
merchant; OpenSSL's key validation stays on. It is also the slow part (a genuine 8192-bit private key
takes seconds to validate, 16384-bit tens of seconds), so an RSA key's size is read first, without
validating, and a modulus over 4096 bits or a public exponent over 2³² is refused before anything
else is done with it. A field that wants a public key never loads a private key: a PEM "PRIVATE
KEY" label or the DER shape of one (outer SEQUENCE, then INTEGER 0) is refused as it is seen.

The RSA signing and verifying both platforms use (PKCS#1 v1.5, base64 signatures) is here too:
APIv3 with SHA256, Baidu with SHA1.

>>> load_key("").info
Traceback (most recent call last):
...
diagnostics.core.findings.ParseError: 没有粘贴任何内容：请粘贴 PEM 格式的密钥/证书，或不带头尾行的 base64。
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa
from cryptography.x509.oid import NameOID

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.serials import serial_hex
from diagnostics.core.text import Text, _, joined

PRIVATE_KEY = "private_key"
PUBLIC_KEY = "public_key"
CERTIFICATE = "certificate"

MAX_KEY_CHARS = 64 * 1024
# Payment platforms hand out 2048-bit keys; 4096 leaves room. Larger keys cost seconds to validate
# (8192-bit: 5 s, 16384-bit: 43 s) and exponents over 2³² make each verification far slower.
MAX_RSA_BITS = 4096
MAX_RSA_EXPONENT = 2**32

# Labels the templates translate ({% translate key_info.kind_label %}; msgids listed in forms.py).
KIND_LABELS = {PRIVATE_KEY: "私钥", PUBLIC_KEY: "公钥", CERTIFICATE: "证书"}
# The same words inside the sentences below.
_KIND_NAMES = {PRIVATE_KEY: _("私钥"), PUBLIC_KEY: _("公钥"), CERTIFICATE: _("证书")}

# Labels are possessive ([A-Z0-9 ]++\s*+): a lazy label before \s* splits a run of spaces n ways at
# each of n places (O(n²), seconds at MAX_KEY_CHARS); its trailing spaces are stripped where read.
_PEM_BLOCK = re.compile(
    r"-----\s*BEGIN ([A-Z0-9 ]++)\s*+-----(.*?)(?:-----\s*END ([A-Z0-9 ]++)\s*+-----|\Z)", re.DOTALL
)

# PEM labels we can read, with the kind and the format label shown to the merchant.
_PEM_LABELS = {
    "PRIVATE KEY": (PRIVATE_KEY, "PEM PKCS#8"),
    "RSA PRIVATE KEY": (PRIVATE_KEY, "PEM PKCS#1"),
    "PUBLIC KEY": (PUBLIC_KEY, "PEM SubjectPublicKeyInfo"),
    "RSA PUBLIC KEY": (PUBLIC_KEY, "PEM PKCS#1"),
    "CERTIFICATE": (CERTIFICATE, "PEM X.509"),
}


@dataclass(frozen=True)
class KeyInfo:
    """What a pasted key or certificate turned out to be."""

    kind: str  # PRIVATE_KEY | PUBLIC_KEY | CERTIFICATE
    format: str  # e.g. "PEM PKCS#8", "base64 DER X.509"
    key_type: str  # "RSA", "EC", "Ed25519" ...
    key_size: int | None  # bits
    serial_no: str = ""  # certificates: upper-case hex, as WeChat Pay prints it
    subject_cn: str = ""
    subject: str = ""
    issuer: str = ""
    not_before: datetime | None = None
    not_after: datetime | None = None
    expired: bool | None = None
    findings: tuple[Finding, ...] = ()

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class LoadedKey:
    """A usable key: ``key`` is the private or public key object, ``certificate`` when one was given."""

    info: KeyInfo
    key: object
    certificate: x509.Certificate | None = field(default=None, repr=False)
    # As pasted: the PEM label ("" for bare base64) and the DER under it, for tools that tell the
    # label from the content (a PKCS#1 key under "BEGIN PRIVATE KEY"). Never shown or stored.
    pem_label: str = field(default="", repr=False)
    der: bytes = field(default=b"", repr=False)

    @property
    def public_key(self) -> object:
        if self.info.kind == PRIVATE_KEY:
            return self.key.public_key()  # type: ignore[attr-defined]
        return self.key


def clean_paste(text: str) -> tuple[str, list[Finding]]:
    """Undo what copying does to a key: BOM, CRLF, literal ``\\n``, quotes around a JSON string."""
    findings: list[Finding] = []
    if text.lstrip().startswith("\ufeff"):
        findings.append(Finding("bom_removed", _("开头有一个 BOM（U+FEFF），已去掉。")))
    text = text.replace("\ufeff", "").strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
        findings.append(Finding("quotes_removed", _("内容两端有引号，已去掉。")))
    if "\\n" in text or "\\r" in text:
        text = text.replace("\\r", "").replace("\\n", "\n")
        findings.append(
            Finding(
                "literal_newlines",
                _(
                    "内容里有字面的 “\\n”（从 JSON 或代码字符串里复制出来的），已换成真正的换行。"
                    "代码里读取密钥时也要做同样的转换。"
                ),
            )
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, findings


def _decode_base64(body: str, what: Text) -> bytes:
    compact = re.sub(r"\s+", "", body)
    if not compact:
        raise ParseError("pem_empty_body", _("{what}的头尾行之间没有内容。", what=what))
    try:
        return base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        bad = sorted({char for char in compact if not re.match(r"[A-Za-z0-9+/=]", char)})
        if bad:
            message = _(
                "{what}不是有效的 base64（出现了 {chars}）：可能复制时多了或少了字符，"
                "请从原文件完整复制。",
                what=what,
                chars=joined(_("、"), (repr(char) for char in bad[:5])),
            )
        else:
            message = _(
                "{what}不是有效的 base64：可能复制时多了或少了字符，请从原文件完整复制。",
                what=what,
            )
        raise ParseError("bad_base64", message) from None


def _key_type(key: object) -> tuple[str, int | None]:
    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        return "RSA", key.key_size
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        return f"EC ({key.curve.name})", key.key_size
    if isinstance(key, dsa.DSAPrivateKey | dsa.DSAPublicKey):
        return "DSA", key.key_size
    if isinstance(key, ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey):
        return "Ed25519", 256
    if isinstance(key, ed448.Ed448PrivateKey | ed448.Ed448PublicKey):
        return "Ed448", 456
    return type(key).__name__, None


def _common_name(name: x509.Name) -> str:
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else ""


def _encrypted_error() -> ParseError:
    return ParseError(
        "key_encrypted",
        _(
            "这个私钥是加密的（有密码保护）。请导出不加密的私钥再粘贴，例如 "
            "openssl pkey -in key.pem -out key_plain.pem；本工具不会要你输入密码。"
        ),
    )


def _load_der(der: bytes, kind: str | None, fmt: str) -> tuple[str, str, object, object]:
    """(kind, format, key, certificate) from DER.

    ``kind`` None means try each in turn; the format then names what was found (``fmt`` + " PKCS#8").
    """
    invalid = False
    for candidate in [kind] if kind else [CERTIFICATE, PRIVATE_KEY, PUBLIC_KEY]:
        try:
            key, certificate, label = _read_der(der, candidate)
        except KeyTooLarge:
            raise
        except TypeError:  # "Password was not given but private key is encrypted"
            raise _encrypted_error() from None
        except ValueError as error:
            if "nvalid private key" in str(error) or "validat" in str(error).lower():
                invalid = True
            continue
        except UnsupportedAlgorithm:
            continue
        return candidate, fmt if kind else f"{fmt} {label}", key, certificate
    if invalid:
        raise ParseError(
            "key_invalid",
            _(
                "这个私钥的结构能读出来，但数值自相矛盾（OpenSSL 校验不通过），"
                "多半是复制时被改动或截断了。"
            ),
        )
    what = _KIND_NAMES[kind] if kind else _("密钥或证书")
    raise ParseError(
        "unreadable_der",
        _(
            "base64 解码成功，但内容不是可读的{what}：可能复制不完整，或粘贴的不是密钥文件"
            "（例如 .p12/.pfx 文件需要先转换成 PEM）。",
            what=what,
        ),
    )


def _read_der(der: bytes, kind: str) -> tuple[object, x509.Certificate | None, str]:
    """(key, certificate, format label) of DER read as ``kind``; cryptography's errors pass.

    An RSA private key is read twice: first without validation, only to check its size; then with
    OpenSSL's validation, once the size is known to be one that validates quickly.
    """
    if kind == CERTIFICATE:
        certificate = x509.load_der_x509_certificate(der)
        public = certificate.public_key()
        _check_rsa_size(public)
        return public, certificate, "X.509"
    if kind == PRIVATE_KEY:
        unchecked = serialization.load_der_private_key(
            der, password=None, unsafe_skip_rsa_key_validation=True
        )
        _check_rsa_size(unchecked)
        key = serialization.load_der_private_key(der, password=None)
        return key, None, "PKCS#8" if _is_pkcs8(der) else "PKCS#1"
    public = serialization.load_der_public_key(der)
    _check_rsa_size(public)
    pkcs1 = isinstance(public, rsa.RSAPublicKey) and _is_pkcs1_public(der)
    return public, None, "PKCS#1" if pkcs1 else "SubjectPublicKeyInfo"


class KeyTooLarge(ParseError):
    """An RSA key refused for its size before validation; not a reason to try another kind."""


def _check_rsa_size(key: object) -> None:
    """Refuse an RSA key whose modulus or public exponent is over the caps (nothing validated yet)."""
    if not isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        return
    public = key.public_key() if isinstance(key, rsa.RSAPrivateKey) else key
    numbers = public.public_numbers()
    if numbers.n.bit_length() > MAX_RSA_BITS:
        raise KeyTooLarge(
            "rsa_key_too_large",
            _(
                "RSA 密钥有 {bits} 位，超过本工具接受的上限 {limit} 位。微信支付和百度的密钥是 "
                "2048 位：请确认粘贴的是平台给你的密钥或证书。",
                bits=numbers.n.bit_length(),
                limit=MAX_RSA_BITS,
            ),
        )
    if numbers.e > MAX_RSA_EXPONENT:
        raise KeyTooLarge(
            "rsa_exponent_too_large",
            _(
                "RSA 公钥指数有 {bits} 位，超过上限 2³²：正常的公钥指数是 65537（0x010001），"
                "这不是支付平台生成的密钥。",
                bits=numbers.e.bit_length(),
            ),
        )


def der_tlv(der: bytes, at: int, *, cut_short: bool = False) -> tuple[int, int, int]:
    """(tag, content start, content end) of the DER element at ``at``; ValueError if cut short,
    unless ``cut_short`` lets the element run past the end (a paste that lost its last lines)."""
    if at + 2 > len(der):
        raise ValueError("truncated")
    tag, length, at = der[at], der[at + 1], at + 2
    if length & 0x80:
        count = length & 0x7F
        if not 0 < count <= 4 or at + count > len(der):
            raise ValueError("bad length")
        length, at = int.from_bytes(der[at : at + count], "big"), at + count
    if at + length > len(der):
        if not cut_short:
            raise ValueError("truncated")
        return tag, at, len(der)
    return tag, at, at + length


def looks_like_private_key(der: bytes) -> bool:
    """Whether DER has a private key's shape: SEQUENCE { INTEGER 0 (or 1), ... }.

    PKCS#1 and PKCS#8 private keys start with version 0 (1 for multi-prime PKCS#1, PKCS#8 v2 and
    SEC1 EC keys); public keys and certificates start with a SEQUENCE or a whole modulus. Read
    without loading anything, so a public-key field refuses a private key before any work.
    """
    try:
        tag, start, _end = der_tlv(der, 0)
        if tag != 0x30:
            return False
        tag, start, end = der_tlv(der, start)
    except ValueError:
        return False
    return tag == 0x02 and der[start:end] in (b"\x00", b"\x01")


def _is_pkcs8(der: bytes) -> bool:
    # PKCS#8 PrivateKeyInfo: SEQUENCE { INTEGER 0, SEQUENCE { OID ... } ...}; PKCS#1 has INTEGER 0
    # followed by another INTEGER (the modulus).
    index = der.find(b"\x02\x01\x00")
    return index >= 0 and der[index + 3 : index + 4] == b"\x30"


def _is_pkcs1_public(der: bytes) -> bool:
    # SubjectPublicKeyInfo starts SEQUENCE { SEQUENCE { OID ...}; PKCS#1 RSAPublicKey starts
    # SEQUENCE { INTEGER modulus ...}.
    length_octets = der[1] & 0x7F if der[1] & 0x80 else 0
    return der[2 + length_octets : 3 + length_octets] == b"\x02"


Refusals = Mapping[str, tuple[str, Text]]


def load_key(
    text: str, *, now: datetime | None = None, refused: Refusals | None = None
) -> LoadedKey:
    """Recognise a private key, a public key or a certificate, PEM or bare base64.

    ``refused`` maps each kind not wanted here to (code, message): such a paste is refused as soon
    as its kind is seen, from its PEM label or its DER shape, before it is loaded.
    """
    refused = refused or {}
    if len(text) > MAX_KEY_CHARS:
        raise ParseError("too_large", _("内容太长，不像一个密钥或证书。"))
    cleaned, findings = clean_paste(text)
    if not cleaned:
        raise ParseError(
            "empty", _("没有粘贴任何内容：请粘贴 PEM 格式的密钥/证书，或不带头尾行的 base64。")
        )
    blocks = _PEM_BLOCK.findall(cleaned)
    if blocks:
        label, body, end_label = blocks[0]
        label = re.sub(r"\s+", " ", label.strip())
        if len(blocks) > 1:
            findings.append(
                Finding(
                    "several_pem_blocks",
                    _(
                        "粘贴的内容里有 {count} 段 PEM，只读取了第一段（{label}）。",
                        count=len(blocks),
                        label=label,
                    ),
                )
            )
        if "PRIVATE KEY" in label and PRIVATE_KEY in refused:
            raise ParseError(*refused[PRIVATE_KEY])
        if not end_label and "PRIVATE KEY" in label:
            # Not quoted as pasted: from "-----BEGIN" on, a private key's block is removed from
            # every message (core.redaction), and the header would show as "[已移除]".
            raise ParseError(
                "pem_incomplete",
                _("有 BEGIN … PRIVATE KEY 行，但没有对应的 END 行：私钥复制不完整。"),
            )
        if not end_label:
            raise ParseError(
                "pem_incomplete",
                _(
                    "有 “-----BEGIN {label}-----” 但没有对应的 END 行：内容复制不完整。",
                    label=label,
                ),
            )
        if "ENCRYPTED" in label or re.search(r"Proc-Type:\s*4,\s*ENCRYPTED", body):
            raise _encrypted_error()
        if label not in _PEM_LABELS:
            if label in ("EC PRIVATE KEY", "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY"):
                raise ParseError(
                    "not_rsa",
                    _(
                        "这是 {algorithm} 私钥，支付签名（SHA256withRSA / SHA1withRSA）需要 RSA 私钥。",
                        algorithm=label.split(" ")[0],
                    ),
                )
            if label in ("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"):
                raise ParseError(
                    "csr_given", _("这是证书请求（CSR），不是证书；请粘贴签发后的证书或密钥。")
                )
            raise ParseError("pem_unknown_label", _("不认识的 PEM 类型 “{label}”。", label=label))
        kind, fmt = _PEM_LABELS[label]
        if kind in refused:
            raise ParseError(*refused[kind])
        body = "\n".join(line for line in body.splitlines() if ":" not in line)
        der = _decode_base64(body, _KIND_NAMES[kind])
        _refuse_private_shape(der, refused)
        kind, fmt, key, certificate = _load_der(der, kind, fmt)
    else:
        if "-----" in cleaned:
            raise ParseError(
                "pem_malformed", _("有 “-----” 但找不到完整的 “-----BEGIN …-----” 头行。")
            )
        label = ""
        der = _decode_base64(cleaned, _("内容"))
        _refuse_private_shape(der, refused)
        kind, fmt, key, certificate = _load_der(der, None, "base64 DER")
        findings.append(
            Finding(
                "bare_base64",
                _(
                    "没有 PEM 头尾行，按内容识别为{kind}（{format}）。",
                    kind=_KIND_NAMES[kind],
                    format=fmt,
                ),
            )
        )
    key_type, key_size = _key_type(key)
    info = KeyInfo(kind=kind, format=fmt, key_type=key_type, key_size=key_size)
    if certificate is not None:
        info = _describe_certificate(certificate, info, now or datetime.now(UTC))
    if key_type == "RSA" and key_size is not None and key_size < 2048:
        findings.append(
            Finding(
                "rsa_key_short",
                _(
                    "RSA 密钥只有 {bits} 位；微信支付 APIv3 使用 2048 位（WECHATPAY2-SHA256-RSA2048）。",
                    bits=key_size,
                ),
            )
        )
    info = replace(info, findings=(*info.findings, *findings))
    return LoadedKey(info=info, key=key, certificate=certificate, pem_label=label, der=der)


def _refuse_private_shape(der: bytes, refused: Refusals) -> None:
    if PRIVATE_KEY in refused and looks_like_private_key(der):
        raise ParseError(*refused[PRIVATE_KEY])


def _describe_certificate(certificate: x509.Certificate, info: KeyInfo, now: datetime) -> KeyInfo:
    not_before = certificate.not_valid_before_utc
    not_after = certificate.not_valid_after_utc
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    expired = now > not_after
    findings: list[Finding] = []
    if expired:
        findings.append(
            Finding(
                "certificate_expired",
                _(
                    "证书已于 {date} 过期；请下载或更换新的证书。",
                    date=not_after.strftime("%Y-%m-%d"),
                ),
                field="not_after",
            )
        )
    elif now < not_before:
        findings.append(
            Finding(
                "certificate_not_yet_valid",
                _("证书从 {date} 起才生效。", date=not_before.date()),
                field="not_before",
            )
        )
    return replace(
        info,
        serial_no=serial_hex(certificate.serial_number),
        subject_cn=_common_name(certificate.subject),
        subject=certificate.subject.rfc4514_string(),
        issuer=certificate.issuer.rfc4514_string(),
        not_before=not_before,
        not_after=not_after,
        expired=expired,
        findings=tuple(findings),
    )


def describe_key(text: str, *, now: datetime | None = None) -> KeyInfo:
    """What ``text`` is, for display; raises ParseError when it is not a readable key."""
    return load_key(text, now=now).info


def _load_rsa(text: str, refused: Refusals, *, now: datetime | None = None) -> LoadedKey:
    """An RSA key or certificate; ``refused`` maps each kind not wanted here to (code, message)."""
    loaded = load_key(text, now=now, refused=refused)
    if loaded.info.kind in refused:
        raise ParseError(*refused[loaded.info.kind])
    if loaded.info.key_type != "RSA":
        raise ParseError(
            "not_rsa",
            _(
                "这是 {key_type} {kind}，支付签名（SHA256withRSA / SHA1withRSA）需要 RSA 密钥。",
                key_type=loaded.info.key_type,
                kind=_KIND_NAMES[loaded.info.kind],
            ),
        )
    return loaded


def load_private_key(text: str) -> LoadedKey:
    """An RSA private key, or a ParseError saying what was pasted instead."""
    return _load_rsa(
        text,
        {
            CERTIFICATE: (
                "certificate_not_private_key",
                _(
                    "这里需要私钥，粘贴的是证书（证书里只有公钥）。商户 API 私钥在 apiclient_key.pem 里，"
                    "以 “-----BEGIN PRIVATE KEY-----” 开头。"
                ),
            ),
            PUBLIC_KEY: (
                "public_key_not_private_key",
                _("这里需要私钥，粘贴的是公钥。签名要用私钥；公钥只能用来验签。"),
            ),
        },
    )


def load_public_key(text: str, *, now: datetime | None = None) -> LoadedKey:
    """An RSA public key or certificate (for verification), or a ParseError."""
    return _load_rsa(
        text,
        {
            PRIVATE_KEY: (
                "private_key_not_public_key",
                _(
                    "这里需要公钥或证书，粘贴的是私钥。验签用对方的公钥/证书；"
                    "私钥请勿外传，也不要粘贴到别处。"
                ),
            ),
        },
        now=now,
    )


def load_certificate(text: str, *, now: datetime | None = None) -> LoadedKey:
    """An X.509 certificate, or a ParseError saying what was pasted instead."""
    return _load_rsa(
        text,
        {
            PRIVATE_KEY: (
                "private_key_not_certificate",
                _(
                    "这里需要证书，粘贴的是私钥。证书以 “-----BEGIN CERTIFICATE-----” 开头"
                    "（商户证书是 apiclient_cert.pem）；私钥请勿外传。"
                ),
            ),
            PUBLIC_KEY: (
                "public_key_not_certificate",
                _("这里需要证书，粘贴的是公钥：公钥里没有序列号和有效期。"),
            ),
        },
        now=now,
    )


# A key argument of the engines: the pasted text, or a key loaded already (one paste used twice).
KeyInput = str | LoadedKey


def as_private_key(key: KeyInput) -> LoadedKey:
    return key if isinstance(key, LoadedKey) else load_private_key(key)


def as_public_key(key: KeyInput, *, now: datetime | None = None) -> LoadedKey:
    return key if isinstance(key, LoadedKey) else load_public_key(key, now=now)


def _public_numbers(key: object) -> object:
    if isinstance(key, LoadedKey):
        key = key.public_key
    if not hasattr(key, "public_numbers"):  # a private key or a certificate
        key = key.public_key()  # type: ignore[attr-defined]
    return key.public_numbers()  # type: ignore[attr-defined]


def keys_match(private: object, public_or_cert: object) -> bool:
    """Whether the two halves belong together (their public numbers are equal).

    Each argument is a :class:`LoadedKey`, a key object or a certificate.
    """
    return _public_numbers(private) == _public_numbers(public_or_cert)


# --- signatures: PKCS#1 v1.5 (unless a search tries another padding), base64 ------------------


def rsa_sign(private: LoadedKey, message: str, algorithm: hashes.HashAlgorithm) -> str:
    """``message`` (UTF-8) signed with PKCS#1 v1.5 padding and ``algorithm``, base64."""
    raw = private.key.sign(message.encode("utf-8"), padding.PKCS1v15(), algorithm)  # type: ignore[attr-defined]
    return base64.b64encode(raw).decode("ascii")


def decode_signature(signature: str) -> bytes | None:
    """A pasted base64 signature's bytes (whitespace dropped), or None when it is not base64."""
    try:
        return base64.b64decode(re.sub(r"\s+", "", signature), validate=True)
    except (binascii.Error, ValueError):
        return None


def rsa_verify(
    public_key: object,
    message: str,
    signature: bytes,
    algorithm: hashes.HashAlgorithm,
    scheme: padding.AsymmetricPadding | None = None,
) -> bool:
    """Whether ``signature`` is ``message``'s, with ``scheme`` padding (PKCS#1 v1.5 when None)."""
    try:
        public_key.verify(  # type: ignore[attr-defined]
            signature, message.encode("utf-8"), scheme or padding.PKCS1v15(), algorithm
        )
    except InvalidSignature:
        return False
    return True
