"""Alipay's certificate SNs (公钥证书模式) and which pasted certificate is which.

In certificate mode every request carries ``app_cert_sn`` (the 应用公钥证书's SN) and
``alipay_root_cert_sn`` (the 支付宝根证书 file's), and every answer ``alipay_cert_sn`` (the
支付宝公钥证书's). A certificate's SN is the lower-case hex MD5 of its issuer's name followed by
its serial number in decimal — written as the official Java SDK writes them
(``AntCertificationUtil.getCertSN``: ``X500Principal.getName()``, i.e. RFC 2253: the RDNs in
reverse order, ``key=value`` joined by commas, then ``getSerialNumber()``); the Node SDK
(``antcertutil.ts``) builds the same string from the attributes' short names, and for the Ant
Financial issuers of real Alipay certificates every SDK agrees. The root SN joins with ``_`` the SNs of
the root file's certificates signed with an RSA algorithm (signature OID under
1.2.840.113549.1.1, as the Java and Node SDKs test it; the PHP SDK and EasySDK accept only
sha1WithRSA and sha256WithRSA, which is what Alipay's file holds).

Alipay's ``alipayRootCert.crt`` holds four roots: an SM2 one, two RSA ones and an ECDSA one whose
signature algorithm carries parameters that recent ``cryptography`` releases refuse to parse. The
file is read certificate by certificate; one that will not parse is skipped by name, with its
signature algorithm read from the DER, and only when that algorithm is an RSA one does the root SN
become unknowable (said so, never guessed).

The published fixtures reproduce (tests/diagnostics/alipay/test_certs.py): alipay-sdk-nodejs-all
``test/antcertutil.test.ts`` and yansongda/pay ``tests/CertManagerTest.php``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.x509.oid import NameOID

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.keys import (
    MAX_KEY_CHARS,
    LoadedKey,
    der_tlv,
    keys_match,
    load_private_key,
)
from diagnostics.core.text import Text, _

# A root file is ~5 KB with four certificates; a chain file two. Counted before anything is parsed.
MAX_CERTIFICATES = 10
MAX_CERTIFICATE_TEXT = MAX_KEY_CHARS

BEGIN, END = "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"

# The PKCS#1 arc: the Java and Node SDKs keep a root certificate whose signature OID starts so.
RSA_SIGNATURE_ARC = "1.2.840.113549.1.1."
# The PHP SDK and EasySDK compare signatureTypeLN with exactly these two.
PHP_RSA_SIGNATURES = {"1.2.840.113549.1.1.5", "1.2.840.113549.1.1.11"}
SIGNATURE_NAMES = {
    "1.2.840.113549.1.1.4": "md5WithRSAEncryption",
    "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
    "1.2.840.113549.1.1.10": "RSASSA-PSS",
    "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
    "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
    "1.2.840.113549.1.1.13": "sha512WithRSAEncryption",
    "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
    "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
    "1.2.840.10045.4.3.4": "ecdsa-with-SHA512",
    "1.2.156.10197.1.501": "SM2-with-SM3",
}

# RFC 2253 §2.3 keywords, the ones Java's X500Principal.getName() writes; any other attribute is
# written as its dotted OID and "#" + the hex of its DER value (RFC 2253 §2.4).
RFC2253_KEYWORDS = {
    NameOID.COMMON_NAME: "CN",
    NameOID.COUNTRY_NAME: "C",
    NameOID.LOCALITY_NAME: "L",
    NameOID.STATE_OR_PROVINCE_NAME: "ST",
    NameOID.ORGANIZATION_NAME: "O",
    NameOID.ORGANIZATIONAL_UNIT_NAME: "OU",
    NameOID.STREET_ADDRESS: "STREET",
    NameOID.DOMAIN_COMPONENT: "DC",
    NameOID.USER_ID: "UID",
}
# OpenSSL's short names, which the PHP SDK's openssl_x509_parse() keys the issuer by.
OPENSSL_SHORT_NAMES = {
    **RFC2253_KEYWORDS,
    NameOID.STREET_ADDRESS: "street",
    NameOID.EMAIL_ADDRESS: "emailAddress",
    NameOID.SERIAL_NUMBER: "serialNumber",
    NameOID.SURNAME: "SN",
    NameOID.GIVEN_NAME: "GN",
    NameOID.TITLE: "title",
    NameOID.BUSINESS_CATEGORY: "businessCategory",
}
# Java's AVA.toRFC2253String escapes these anywhere in a value, and a space at either end.
_RFC2253_ESCAPED = frozenset(',=+<>#;"\\')

# Roles, and the names the merchant knows them by (Alipay's console and file names).
APP, ALIPAY, INTERMEDIATE, ROOT, OTHER = "app", "alipay", "intermediate", "root", "other"
ROLE_LABELS = {
    APP: _("应用公钥证书（appCertPublicKey_*.crt）"),
    ALIPAY: _("支付宝公钥证书（alipayCertPublicKey_RSA2.crt）"),
    INTERMEDIATE: _("蚂蚁金服中间 CA 证书（支付宝公钥证书文件里的第二张）"),
    ROOT: _("根证书（支付宝根证书 alipayRootCert.crt 里的一张）"),
    OTHER: _("不是支付宝开放平台签发的证书"),
}
_ALIPAY_CN = "支付宝(中国)网络技术有限公司"
_ANT_CA = "Ant Financial Certification Authority"
# An 应用公钥证书's CN is "<the merchant's PID>-<app_id>", both 16 digits.
_APP_CN = re.compile(r"(\d{16})-(\d{16})")


@dataclass(frozen=True)
class CertificateSn:
    """One certificate of a paste: what it is and its SN (empty when it could not be read)."""

    position: int  # 1-based, in the order pasted
    role: str  # APP | ALIPAY | INTERMEDIATE | ROOT | OTHER ("" when unreadable)
    sn: str = ""
    issuer: str = ""  # as the Java SDK writes it: the text the SN hashes, before the serial
    serial: str = ""  # decimal
    subject: str = ""
    signature_algorithm: str = ""
    rsa_signed: bool = False
    app_id: str = ""  # an 应用公钥证书's app_id, from its CN
    not_after: datetime | None = None
    expired: bool = False
    skipped: Text | None = None  # why it could not be read
    php_sn: str = ""  # when the PHP SDK's issuer string differs (unusual attributes)

    @property
    def role_label(self) -> Text | str:
        return ROLE_LABELS.get(self.role, "")


@dataclass(frozen=True)
class RootSn:
    """The root file's SN: the RSA-signed certificates' SNs joined by ``_``."""

    root_sn: str  # "" when a skipped certificate may have been an RSA one
    certificates: tuple[CertificateSn, ...]
    findings: tuple[Finding, ...] = ()

    @property
    def used(self) -> tuple[CertificateSn, ...]:
        return tuple(cert for cert in self.certificates if cert.rsa_signed and cert.sn)

    @property
    def skipped(self) -> tuple[CertificateSn, ...]:
        return tuple(cert for cert in self.certificates if not (cert.rsa_signed and cert.sn))


@dataclass(frozen=True)
class CertReport:
    """What the certificate workbench shows: each certificate, the SNs to send, the pair check."""

    certificates: tuple[CertificateSn, ...]
    app_cert_sn: str
    alipay_cert_sn: str
    root: RootSn | None
    findings: tuple[Finding, ...]  # the pasted certificates' (the root file's are root.findings)

    @property
    def all_findings(self) -> tuple[Finding, ...]:
        """The certificates' findings and the root file's, as the page and the API list them."""
        return (*self.findings, *(self.root.findings if self.root else ()))


# --- the SN -----------------------------------------------------------------------------------


def _der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    octets = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(octets)]) + octets


def _value_der(attribute: x509.NameAttribute) -> bytes:
    """The attribute value's DER encoding (tag, length, content), for RFC 2253's "#hex" form."""
    value = attribute.value
    if isinstance(value, bytes):
        content, tag = value, 0x03  # a BIT STRING (x500UniqueIdentifier)
    else:
        tag = attribute._type.value  # the string type the certificate used
        codec = {0x0C: "utf-8", 0x1E: "utf-16-be", 0x1C: "utf-32-be"}.get(tag, "latin-1")
        content = value.encode(codec, errors="replace")
    return bytes([tag]) + _der_length(len(content)) + content


def _rfc2253_value(value: str) -> str:
    escaped = "".join("\\" + char if char in _RFC2253_ESCAPED else char for char in value)
    escaped = escaped.replace("\x00", "\\00")
    # A leading or trailing space is escaped too (RFC 2253 §2.4).
    if escaped.startswith(" "):
        escaped = "\\" + escaped
    if escaped.endswith(" ") and not escaped.endswith("\\ "):
        escaped = escaped[:-1] + "\\ "
    return escaped


def _rfc2253_attribute(attribute: x509.NameAttribute) -> str:
    keyword = RFC2253_KEYWORDS.get(attribute.oid)
    if keyword is None or isinstance(attribute.value, bytes):
        return f"{attribute.oid.dotted_string}=#{_value_der(attribute).hex()}"
    return f"{keyword}={_rfc2253_value(str(attribute.value))}"


def issuer_string(name: x509.Name) -> str:
    """The issuer as ``X500Principal.getName()`` writes it (RFC 2253), what the SN hashes.

    >>> from cryptography.x509.oid import NameOID as N
    >>> issuer_string(x509.Name([x509.NameAttribute(N.COUNTRY_NAME, "CN"),
    ...                          x509.NameAttribute(N.ORGANIZATION_NAME, "Ant Financial")]))
    'O=Ant Financial,C=CN'
    """
    return ",".join(
        "+".join(_rfc2253_attribute(attribute) for attribute in rdn)
        for rdn in reversed(list(name.rdns))
    )


def php_issuer_string(name: x509.Name) -> str:
    """The issuer as the PHP SDK writes it: ``openssl_x509_parse()``'s short names, reversed,
    ``key=value`` joined by commas, nothing escaped."""
    attributes = [attribute for rdn in name.rdns for attribute in rdn]
    return ",".join(
        f"{OPENSSL_SHORT_NAMES.get(attribute.oid, attribute.oid.dotted_string)}={attribute.value}"
        for attribute in reversed(attributes)
        if not isinstance(attribute.value, bytes)
    )


def sn_of(issuer: str, serial_number: int) -> str:
    """Hex MD5 of the issuer string followed by the decimal serial (UTF-8, as the SDKs hash it)."""
    return hashlib.md5(f"{issuer}{serial_number}".encode()).hexdigest()


def certificate_sn(certificate: x509.Certificate) -> str:
    """A certificate's SN as app_cert_sn / alipay_cert_sn carry it."""
    return sn_of(issuer_string(certificate.issuer), certificate.serial_number)


# --- reading a paste certificate by certificate -----------------------------------------------


def _pem_bodies(text: str) -> list[str]:
    """The base64 bodies of the paste's certificates, in order; str.find keeps it linear."""
    if len(text) > MAX_CERTIFICATE_TEXT:
        raise ParseError(
            "certificates_too_large",
            _(
                "内容太长（超过 {limit} 个字符），不像证书文件：支付宝根证书文件约 5 KB。",
                limit=MAX_CERTIFICATE_TEXT,
            ),
        )
    count = text.count(BEGIN)
    if count > MAX_CERTIFICATES:
        raise ParseError(
            "too_many_certificates",
            _(
                "粘贴了 {count} 张证书，超过上限 {limit} 张：支付宝根证书文件里有 4 张，"
                "支付宝公钥证书文件里有 1–2 张。",
                count=count,
                limit=MAX_CERTIFICATES,
            ),
        )
    bodies, at = [], 0
    while (start := text.find(BEGIN, at)) >= 0:
        end = text.find(END, start)
        if end < 0:
            raise ParseError(
                "certificate_incomplete",
                _(
                    "第 {position} 张证书有 BEGIN 行没有 END 行：内容复制不完整。",
                    position=len(bodies) + 1,
                ),
            )
        bodies.append(text[start + len(BEGIN) : end])
        at = end + len(END)
    if bodies:
        return bodies
    compact = re.sub(r"\s+", "", text)
    if not compact:
        raise ParseError("empty", _("没有粘贴任何内容。"))
    if "PRIVATE" in text:
        raise ParseError(
            "private_key_not_certificate",
            _("这里需要证书，粘贴的是私钥。私钥请勿外传，也不要粘贴到别处。"),
        )
    if "-----" in text:
        raise ParseError(
            "not_certificate", _("这不是证书：证书以 “-----BEGIN CERTIFICATE-----” 开头。")
        )
    return [compact]  # bare base64 of one certificate


def _oid_string(content: bytes) -> str:
    if not content:
        raise ValueError("empty OID")
    arcs, value = [], 0
    for octet in content:
        value = (value << 7) | (octet & 0x7F)
        if not octet & 0x80:
            arcs.append(value)
            value = 0
    first = min(arcs[0] // 40, 2)
    return ".".join(str(arc) for arc in (first, arcs[0] - 40 * first, *arcs[1:]))


def signature_oid(der: bytes) -> str:
    """The certificate's outer signatureAlgorithm OID, read without parsing the rest; "" if the
    DER is not shaped like a certificate."""
    try:
        # The signature algorithm follows tbsCertificate, before the signature itself: it can be
        # read from a certificate whose last lines were lost in copying.
        _tag, start, _end = der_tlv(der, 0, cut_short=True)
        _tag, _tbs_start, tbs_end = der_tlv(der, start)  # tbsCertificate
        tag, algorithm_start, _algorithm_end = der_tlv(der, tbs_end)
        oid_tag, oid_start, oid_end = der_tlv(der, algorithm_start)
        if tag != 0x30 or oid_tag != 0x06:
            return ""
        return _oid_string(der[oid_start:oid_end])
    except (ValueError, IndexError):
        return ""


def _role(certificate: x509.Certificate) -> tuple[str, str]:
    """(role, app_id) from the subject and issuer: the names Alipay's CA writes."""
    subject_cn = _common_name(certificate.subject)
    if certificate.subject == certificate.issuer:
        return ROOT, ""
    if match := _APP_CN.fullmatch(subject_cn):
        return APP, match.group(2)
    if subject_cn.startswith(_ALIPAY_CN):
        return ALIPAY, ""
    if subject_cn.startswith(_ANT_CA):
        return INTERMEDIATE, ""
    return OTHER, ""


def _common_name(name: x509.Name) -> str:
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else ""


def _algorithm_name(oid: str) -> str:
    return SIGNATURE_NAMES.get(oid, oid)


Parsed = tuple[CertificateSn, x509.Certificate | None]


def _read_certificate(position: int, body: str, now: datetime) -> Parsed:
    try:
        der = base64.b64decode(re.sub(r"\s+", "", body), validate=True)
    except (binascii.Error, ValueError):
        return CertificateSn(
            position, "", skipped=_("不是有效的 base64：可能复制时多了或少了字符。")
        ), None
    oid = signature_oid(der)
    try:
        certificate = x509.load_der_x509_certificate(der)
    except ValueError as error:
        reason = _(
            "cryptography 读不了这张证书（{error}）。",
            error=str(error).split("{", 1)[0].strip() or type(error).__name__,
        )
        return CertificateSn(
            position,
            "",
            signature_algorithm=_algorithm_name(oid),
            rsa_signed=oid.startswith(RSA_SIGNATURE_ARC),
            skipped=reason,
        ), None
    oid = certificate.signature_algorithm_oid.dotted_string
    role, app_id = _role(certificate)
    issuer = issuer_string(certificate.issuer)
    sn = sn_of(issuer, certificate.serial_number)
    php_sn = sn_of(php_issuer_string(certificate.issuer), certificate.serial_number)
    not_after = certificate.not_valid_after_utc
    return CertificateSn(
        position,
        role,
        sn=sn,
        issuer=issuer,
        serial=str(certificate.serial_number),
        subject=issuer_string(certificate.subject),
        signature_algorithm=_algorithm_name(oid),
        rsa_signed=oid.startswith(RSA_SIGNATURE_ARC),
        app_id=app_id,
        not_after=not_after,
        expired=now > not_after,
        php_sn="" if php_sn == sn else php_sn,
    ), certificate


def _parse(text: str, now: datetime | None) -> list[Parsed]:
    """Each certificate and its reading; a paste of which none can be read is refused (one
    unreadable certificate among readable ones is reported in its place)."""
    now = now or datetime.now(UTC)
    parsed = [
        _read_certificate(position, body, now)
        for position, body in enumerate(_pem_bodies(text.replace("\r", "")), start=1)
    ]
    if all(certificate is None for _cert, certificate in parsed):
        first = parsed[0][0]
        raise ParseError(
            "certificate_unreadable",
            _(
                "证书读不出来：{reason}请粘贴开放平台下载的 .crt 文件的全部内容。",
                reason=first.skipped or "",
            ),
        )
    return parsed


def read_certificates(text: str, *, now: datetime | None = None) -> tuple[CertificateSn, ...]:
    """Every certificate of a paste (PEM, several in a row, or one as bare base64), capped first."""
    return tuple(cert for cert, _certificate in _parse(text, now))


def root_cert_sn(text: str, *, now: datetime | None = None) -> RootSn:
    """The 支付宝根证书 file's SN (alipay_root_cert_sn), with each certificate used or skipped."""
    certificates = read_certificates(text, now=now)
    return _root_from(certificates)


def _root_from(certificates: tuple[CertificateSn, ...]) -> RootSn:
    findings: list[Finding] = []
    unknowable = [cert for cert in certificates if cert.skipped and cert.rsa_signed]
    used = [cert for cert in certificates if cert.rsa_signed and cert.sn]
    for cert in certificates:
        if cert.skipped and not cert.rsa_signed:
            findings.append(
                Finding(
                    "root_certificate_skipped",
                    _(
                        "第 {position} 张证书（{algorithm}）读不出来，跳过了：它不是 RSA 签名的，"
                        "本来就不参与 alipay_root_cert_sn。",
                        position=cert.position,
                        algorithm=cert.signature_algorithm or "?",
                    ),
                )
            )
        elif cert.rsa_signed and cert.sn and cert.signature_algorithm not in _php_names():
            findings.append(
                Finding(
                    "root_signature_php_differs",
                    _(
                        "第 {position} 张证书用 {algorithm} 签名：Java 和 Node SDK 把它算进根证书 SN，"
                        "PHP SDK 和 EasySDK 只算 sha1WithRSA、sha256WithRSA，两边的结果会不同。",
                        position=cert.position,
                        algorithm=cert.signature_algorithm,
                    ),
                )
            )
    if unknowable:
        findings.append(
            Finding(
                "root_sn_unknown",
                _(
                    "第 {positions} 张证书是 RSA 签名的，但读不出来：根证书 SN 需要它，无法计算。"
                    "请从开放平台重新下载 alipayRootCert.crt。",
                    positions="、".join(str(cert.position) for cert in unknowable),
                ),
            )
        )
    elif not used:
        findings.append(
            Finding(
                "root_sn_empty",
                _(
                    "这些证书都不是 RSA 签名的，拼不出根证书 SN（Java SDK 会报 "
                    "“AlipayRootCert Is Invalid”）：请粘贴开放平台下载的 alipayRootCert.crt。"
                ),
            )
        )
    not_roots = [cert for cert in certificates if cert.role and cert.role != ROOT]
    if not_roots:
        findings.append(
            Finding(
                "root_file_holds_other_certificate",
                _(
                    "根证书文件里有不是根证书的证书（第 {positions} 张：{label}）：alipay_root_cert_sn "
                    "要用开放平台下载的 alipayRootCert.crt 计算。",
                    positions="、".join(str(cert.position) for cert in not_roots),
                    label=not_roots[0].role_label,
                ),
            )
        )
    root_sn = "" if unknowable else "_".join(cert.sn for cert in used)
    return RootSn(root_sn=root_sn, certificates=certificates, findings=tuple(findings))


def _php_names() -> set[str]:
    return {SIGNATURE_NAMES[oid] for oid in PHP_RSA_SIGNATURES}


# --- the workbench ------------------------------------------------------------------------------


def examine_certificates(
    certificates: str,
    root_certificates: str = "",
    *,
    private_key: str | LoadedKey = "",
    now: datetime | None = None,
) -> CertReport:
    """The certificate workbench: each pasted certificate's role and SN, the root file's SN, and
    whether the private key (when given) belongs to the 应用公钥证书."""
    parsed = _parse(certificates, now) if certificates.strip() else []
    pasted = tuple(cert for cert, _certificate in parsed)
    findings: list[Finding] = []
    root = root_cert_sn(root_certificates, now=now) if root_certificates.strip() else None
    if pasted and all(cert.role == ROOT or cert.skipped for cert in pasted) and len(pasted) > 1:
        # The root file pasted into the certificates box: its SN is the root SN.
        findings.append(
            Finding(
                "root_file_in_certificates",
                _("粘贴的是支付宝根证书文件（几张根证书）：它的 SN 是 alipay_root_cert_sn。"),
            )
        )
        root = root or _root_from(pasted)
        pasted = ()
    app = _first(pasted, APP)
    alipay = _first(pasted, ALIPAY)
    for cert in pasted:
        findings.extend(_certificate_findings(cert, pasted))
    if private_key:
        loaded = {cert.position: certificate for cert, certificate in parsed if certificate}
        findings.extend(_pair_findings(private_key, loaded, pasted))
    return CertReport(
        certificates=pasted,
        app_cert_sn=app.sn if app else "",
        alipay_cert_sn=alipay.sn if alipay else "",
        root=root,
        findings=tuple(findings),
    )


def _first(certificates: tuple[CertificateSn, ...], role: str) -> CertificateSn | None:
    return next((cert for cert in certificates if cert.role == role), None)


def _certificate_findings(cert: CertificateSn, pasted: tuple[CertificateSn, ...]) -> list[Finding]:
    findings: list[Finding] = []
    if cert.skipped:
        findings.append(
            Finding(
                "certificate_unreadable",
                _(
                    "第 {position} 张证书读不出来：{reason}",
                    position=cert.position,
                    reason=cert.skipped,
                ),
            )
        )
    if cert.expired and cert.not_after:
        findings.append(
            Finding(
                "certificate_expired",
                _(
                    "第 {position} 张证书（{label}）已于 {date} 过期：在开放平台更新证书后重新下载。",
                    position=cert.position,
                    label=cert.role_label,
                    date=cert.not_after.strftime("%Y-%m-%d"),
                ),
            )
        )
    if cert.php_sn:
        findings.append(
            Finding(
                "sdk_sn_differs",
                _(
                    "第 {position} 张证书的颁发者含有各 SDK 写法不同的属性：Java SDK 算出 {sn}，"
                    "PHP SDK（openssl_x509_parse 的短名）算出 {php_sn}。网关按 Java 的写法。",
                    position=cert.position,
                    sn=cert.sn,
                    php_sn=cert.php_sn,
                ),
            )
        )
    if cert.role == OTHER:
        findings.append(
            Finding(
                "not_alipay_certificate",
                _(
                    "第 {position} 张证书不是支付宝开放平台签发的（主题 {subject}）："
                    "证书模式要用开放平台上下载的应用公钥证书、支付宝公钥证书和支付宝根证书。",
                    position=cert.position,
                    subject=cert.subject,
                ),
            )
        )
    if cert.role == INTERMEDIATE and cert.position > 1 and pasted[0].role in (ALIPAY, APP):
        findings.append(
            Finding(
                "chain_file",
                _(
                    "第 {position} 张是签发第一张的中间 CA 证书：证书文件里有证书链时，SN 取第一张（{sn}）。",
                    position=cert.position,
                    sn=pasted[0].sn,
                ),
            )
        )
    return findings


def _pair_findings(
    private_key: str | LoadedKey,
    loaded: dict[int, x509.Certificate],
    pasted: tuple[CertificateSn, ...],
) -> list[Finding]:
    key = private_key if isinstance(private_key, LoadedKey) else load_private_key(private_key)
    findings: list[Finding] = []
    for cert in pasted:
        certificate = loaded.get(cert.position)
        if certificate is None or cert.role not in (APP, ALIPAY, OTHER):
            continue
        matches = keys_match(key, certificate)
        if cert.role == APP:
            findings.append(
                Finding(
                    "key_pair" if matches else "key_pair_mismatch",
                    _(
                        "应用私钥和第 {position} 张证书（应用公钥证书）配对。",
                        position=cert.position,
                    )
                    if matches
                    else _(
                        "应用私钥和第 {position} 张证书（应用公钥证书）不配对：网关用证书里的公钥验签，"
                        "会回 isv.invalid-signature。请用生成这张证书的 CSR 时的那个私钥，"
                        "或用现在的私钥重新申请证书。",
                        position=cert.position,
                    ),
                )
            )
        elif cert.role == ALIPAY and not matches and not _first(pasted, APP):
            findings.append(
                Finding(
                    "alipay_certificate_not_yours",
                    _(
                        "第 {position} 张是支付宝公钥证书，里面是支付宝的公钥，和你的私钥本来就不配对："
                        "它只用来验支付宝的签名；app_cert_sn 要用应用公钥证书算。",
                        position=cert.position,
                    ),
                )
            )
    if not _first(pasted, APP):
        findings.append(
            Finding(
                "no_app_certificate",
                _("没有应用公钥证书，无法检查私钥是否配对：请粘贴 appCertPublicKey_<app_id>.crt。"),
            )
        )
    return findings
