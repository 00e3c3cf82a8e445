"""Alipay keys: which format each pasted key is in, the 应用公钥 derived from the 应用私钥, and
whether the halves belong together — the first thing to check for isv.invalid-signature (Alipay's
support puts a private key that does not match the uploaded 应用公钥 at about 70% of cases,
https://developer.aliyun.com/article/707602).

Alipay's 密钥工具 hands keys out as bare base64 with no header lines: the private key as PKCS#8
("JAVA适用") or PKCS#1 ("非JAVA适用"), the public key as X.509 SubjectPublicKeyInfo, which is
also what the open platform's 接口加签方式 page wants pasted. The SDKs differ in what they take:

- the Java SDK decodes the private key as one line of base64 PKCS#8: a PEM header line makes Java's
  decoder say "Illegal base64 character 2d" (0x2d is the "-"), a PKCS#1 key "RSA私钥格式不正确，
  请检查是否正确配置了PKCS8格式的私钥" / "algid parse error, not a sequence";
- the Node SDK (alipay-sdk-nodejs-all ``src/alipay.ts``) wraps the key in
  ``RSA PRIVATE KEY`` header lines unless ``keyType: 'PKCS8'`` is set, and the 支付宝公钥 in
  ``PUBLIC KEY`` lines (SubjectPublicKeyInfo);
- the PHP SDK (``AopClient``) wraps the bare private key in ``RSA PRIVATE KEY`` lines: PKCS#1.

The server never returns a private key re-encoded (that would echo a secret): the conversions are
``openssl`` commands the merchant runs on their own machine.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.keys import (
    LoadedKey,
    der_tlv,
    keys_match,
    load_certificate,
    load_private_key,
    load_public_key,
)
from diagnostics.core.text import Text, _

PRIVATE_KEY, PUBLIC_KEY, CERTIFICATE, ALIPAY_PUBLIC_KEY = (
    "private_key",
    "public_key",
    "certificate",
    "alipay_public_key",
)
FIELD_LABELS = {
    PRIVATE_KEY: _("应用私钥"),
    PUBLIC_KEY: _("公钥"),
    CERTIFICATE: _("证书"),
    ALIPAY_PUBLIC_KEY: _("支付宝公钥"),
}

# What the content is (read from the DER, whatever the header line says).
PKCS1, PKCS8, SPKI, PKCS1_PUBLIC, X509 = "pkcs1", "pkcs8", "spki", "pkcs1_public", "x509"
FORMAT_LABELS = {
    PKCS1: "PKCS#1 RSAPrivateKey",
    PKCS8: "PKCS#8 PrivateKeyInfo",
    SPKI: "X.509 SubjectPublicKeyInfo",
    PKCS1_PUBLIC: "PKCS#1 RSAPublicKey",
    X509: "X.509 certificate",
}
# The PEM label each content format is written with.
PEM_LABELS = {
    PKCS1: "RSA PRIVATE KEY",
    PKCS8: "PRIVATE KEY",
    SPKI: "PUBLIC KEY",
    PKCS1_PUBLIC: "RSA PUBLIC KEY",
    X509: "CERTIFICATE",
}
MIN_RSA_BITS = 2048


@dataclass(frozen=True)
class KeyDescription:
    """A pasted key as the page names it; nothing of a private key but its format and size."""

    field: str
    format: str  # PKCS1 | PKCS8 | SPKI | PKCS1_PUBLIC | X509
    armour: str  # "pem" | "base64"
    pem_label: str  # the header line's label as pasted ("" for bare base64)
    key_type: str
    key_size: int | None
    fingerprint: str  # SHA-256 of the public half's SubjectPublicKeyInfo, first 16 hex digits

    @property
    def label(self) -> Text:
        return FIELD_LABELS[self.field]

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS[self.format]

    @property
    def format_code(self) -> str:
        """e.g. "pkcs8_base64", "pkcs1_pem": what the API's *_format fields say."""
        return f"{self.format}_{self.armour}"


@dataclass(frozen=True)
class PairCheck:
    """Two pasted halves compared by their public numbers."""

    left: str
    right: str
    matches: bool

    @property
    def left_label(self) -> Text:
        return FIELD_LABELS[self.left]

    @property
    def right_label(self) -> Text:
        return FIELD_LABELS[self.right]


@dataclass(frozen=True)
class Command:
    """An openssl command the merchant runs themselves (it never holds key material)."""

    title: Text
    command: str


@dataclass(frozen=True)
class KeyReport:
    private_key: KeyDescription | None
    public_key: KeyDescription | None
    certificate: KeyDescription | None
    alipay_public_key: KeyDescription | None
    derived_public_key_pem: str  # from the private key: SubjectPublicKeyInfo, PEM
    derived_public_key_base64: str  # the same, one line: what the open platform wants pasted
    pairs: tuple[PairCheck, ...]
    commands: tuple[Command, ...]
    findings: tuple[Finding, ...]

    @property
    def keys(self) -> tuple[KeyDescription, ...]:
        """The pasted keys, in the form's order."""
        described = (self.private_key, self.public_key, self.certificate, self.alipay_public_key)
        return tuple(key for key in described if key is not None)

    @property
    def pair(self) -> str:
        """ "match" when the private key belongs to the public key or certificate given,
        "mismatch" when it does not, "" when there was nothing to compare it with."""
        mine = [check for check in self.pairs if check.left == PRIVATE_KEY]
        if not mine:
            return ""
        return "match" if all(check.matches for check in mine) else "mismatch"


# --- what a paste holds ------------------------------------------------------------------------


def content_format(der: bytes, kind: str) -> str:
    """What the DER holds, from its first elements: a private key's version is followed by the
    modulus (PKCS#1) or an AlgorithmIdentifier (PKCS#8); a public key starts with the modulus
    (PKCS#1) or an AlgorithmIdentifier (SubjectPublicKeyInfo)."""
    if kind == CERTIFICATE:
        return X509
    try:
        _tag, start, _end = der_tlv(der, 0)
        if kind == PRIVATE_KEY:
            _tag, _version_start, version_end = der_tlv(der, start)
            tag, _start, _end = der_tlv(der, version_end)
            return PKCS1 if tag == 0x02 else PKCS8
        tag, _start, _end = der_tlv(der, start)
    except ValueError:
        return PKCS8 if kind == PRIVATE_KEY else SPKI
    return PKCS1_PUBLIC if tag == 0x02 else SPKI


def _spki(key: LoadedKey) -> bytes:
    return key.public_key.public_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _describe(field: str, key: LoadedKey) -> tuple[KeyDescription, list[Finding]]:
    kind = PRIVATE_KEY if field == PRIVATE_KEY else key.info.kind
    return _described(field, key.pem_label, content_format(key.der, kind), key)


def _described(
    field: str, label: str, fmt: str, key: LoadedKey, notes: tuple[Finding, ...] | None = None
) -> tuple[KeyDescription, list[Finding]]:
    """A key's description and notes from its pasted label, its content's format and the key (or,
    for a private key kept in the browser, its public half: the size and fingerprint are the
    same, and ``notes`` are the loader's notes on the private key's paste)."""
    description = KeyDescription(
        field=field,
        format=fmt,
        armour="pem" if label else "base64",
        pem_label=label,
        key_type=key.info.key_type,
        key_size=key.info.key_size,
        fingerprint=hashlib.sha256(_spki(key)).hexdigest()[:16],
    )
    # The core loader's notes (BOM, quotes, literal \n) stand; its key-size note speaks of
    # WeChat Pay, so Alipay's own replaces it below.
    notes = key.info.findings if notes is None else notes
    findings = [finding for finding in notes if finding.code != "rsa_key_short"]
    findings.extend(_format_findings(description))
    return description, findings


def _format_findings(key: KeyDescription) -> list[Finding]:
    findings: list[Finding] = []
    what = key.label
    if key.pem_label and key.pem_label != PEM_LABELS[key.format]:
        findings.append(
            Finding(
                "pem_label_mismatch",
                _(
                    "{what}的头行写的是 “BEGIN {label}”，内容却是 {format}：头尾行和内容对不上，"
                    "OpenSSL、Node、PHP 会读失败（例如 “DECODER routines::unsupported”）。"
                    "头尾行应当是 “-----BEGIN {expected}-----”。",
                    what=what,
                    label=key.pem_label,
                    format=key.format_label,
                    expected=PEM_LABELS[key.format],
                ),
                field=key.field,
            )
        )
    if key.key_type == "RSA" and key.key_size is not None and key.key_size < MIN_RSA_BITS:
        findings.append(
            Finding(
                "alipay_rsa_key_short",
                _(
                    "{what}只有 {bits} 位：RSA2（SHA256withRSA）要用 2048 位的 RSA 密钥，"
                    "请用支付宝密钥工具重新生成。",
                    what=what,
                    bits=key.key_size,
                ),
                field=key.field,
            )
        )
    elif key.key_type != "RSA":
        findings.append(
            Finding(
                "alipay_key_not_rsa",
                _(
                    "{what}是 {key_type} 密钥：RSA2 / RSA 签名要 RSA 密钥（国密 SM2 是另一种加签方式）。",
                    what=what,
                    key_type=key.key_type,
                ),
                field=key.field,
            )
        )
    if key.format == PKCS1_PUBLIC:
        findings.append(
            Finding(
                "public_key_pkcs1",
                _(
                    "{what}是 PKCS#1 RSAPublicKey（base64 以 MIIBCg 开头）：开放平台和各 SDK 要的是 "
                    "X.509 SubjectPublicKeyInfo（以 MIIBIj 开头）。用下面的 openssl 命令转换。",
                    what=what,
                ),
                field=key.field,
            )
        )
    return findings


def _private_findings(key: KeyDescription) -> list[Finding]:
    """What each SDK makes of this private key as it is."""
    if key.format == PKCS8 and key.armour == "base64":
        return [
            Finding(
                "private_key_java_ready",
                _(
                    "应用私钥是一行 base64 的 PKCS#8：Java SDK 直接用这个格式；Node SDK 要设 "
                    "keyType: 'PKCS8'；PHP SDK（AopClient）要 PKCS#1。"
                ),
                field=PRIVATE_KEY,
            )
        ]
    if key.format == PKCS1:
        return [
            Finding(
                "private_key_pkcs1",
                _(
                    "应用私钥是 PKCS#1（“非JAVA适用”）：PHP SDK 和 Node SDK 默认用这个格式；Java SDK "
                    "会报 “RSA私钥格式不正确，请检查是否正确配置了PKCS8格式的私钥” 或 “algid parse "
                    "error, not a sequence”，要先转成 PKCS#8（见下面的命令）。"
                ),
                field=PRIVATE_KEY,
            )
        ]
    return [
        Finding(
            "private_key_pem",
            _(
                "应用私钥是带头尾行的 PEM（PKCS#8）：Java SDK 只要中间那几行 base64 连成一行，"
                "带着 “-----BEGIN” 头行会报 “Illegal base64 character 2d”（2d 就是 “-”）；"
                "Node SDK 要设 keyType: 'PKCS8'。"
            ),
            field=PRIVATE_KEY,
        )
    ]


def _load(field: str, text: str) -> LoadedKey:
    """The core loader for the field, its refusal named with the field."""
    loader = {
        PRIVATE_KEY: load_private_key,
        CERTIFICATE: load_certificate,
    }.get(field, load_public_key)
    try:
        return loader(text)
    except ParseError as error:
        raise ParseError(
            error.code, _("{what}：{message}", what=FIELD_LABELS[field], message=error.message)
        ) from None


# --- the openssl commands -----------------------------------------------------------------------


def _commands(private: KeyDescription | None, public: list[KeyDescription]) -> list[Command]:
    commands: list[Command] = []
    if private is not None:
        if private.armour == "base64":
            label = PEM_LABELS[private.format]
            commands.append(
                Command(
                    _("把一行 base64 的私钥（app_private_key.txt）加上头尾行存成 PEM"),
                    f'(echo "-----BEGIN {label}-----"; fold -w 64 app_private_key.txt; '
                    f'echo "-----END {label}-----") > app_private_key.pem',
                )
            )
        if private.format == PKCS1:
            commands.append(
                Command(
                    _("PKCS#1 → PKCS#8（Java SDK 要的格式）"),
                    "openssl pkcs8 -topk8 -nocrypt -in app_private_key.pem "
                    "-out app_private_key_pkcs8.pem",
                )
            )
        else:
            commands.append(
                Command(
                    _(
                        "PKCS#8 → PKCS#1（PHP SDK、Node SDK 默认的格式；OpenSSL 1.1 去掉 -traditional）"
                    ),
                    "openssl rsa -in app_private_key.pem -traditional -out app_private_key_pkcs1.pem",
                )
            )
        commands.append(
            Command(
                _("PEM → 一行 base64（Java SDK 的 privateKey，不带头尾行）"),
                "grep -v -- ----- app_private_key_pkcs8.pem | tr -d '\\r\\n'",
            )
        )
        commands.append(
            Command(
                _("由私钥导出应用公钥（上传到开放平台的那个）"),
                "openssl rsa -in app_private_key.pem -pubout -out app_public_key.pem",
            )
        )
    if any(key.format == PKCS1_PUBLIC for key in public):
        commands.append(
            Command(
                _("PKCS#1 公钥 → X.509 SubjectPublicKeyInfo"),
                "openssl rsa -RSAPublicKey_in -in public_key_pkcs1.pem -pubout -out public_key.pem",
            )
        )
    if any(key.format == X509 for key in public):
        commands.append(
            Command(
                _("取出证书里的公钥"),
                "openssl x509 -in appCertPublicKey.crt -pubkey -noout",
            )
        )
    return commands


# --- the workbench ------------------------------------------------------------------------------


def derived_public_key(private: LoadedKey) -> tuple[str, str]:
    """(PEM, one-line base64) of the SubjectPublicKeyInfo of the private key's public half."""
    pem = private.public_key.public_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")
    return pem, base64.b64encode(_spki(private)).decode("ascii")


@dataclass(frozen=True)
class BrowserReadKey:
    """A 应用私钥 read in the browser (local mode, static/js/local/alipay-keys.js): its public half,
    with the loader's notes on the paste, and the facts the page judges its format by."""

    public_half: LoadedKey
    notes: tuple[Finding, ...]  # what load_private_key notes on the paste (BOM, bare base64…)
    pem_label: str  # "PRIVATE KEY", "RSA PRIVATE KEY", or "" for bare base64
    format: str  # PKCS1 | PKCS8, read from the DER


def examine_keys(
    *,
    private_key: str = "",
    public_key: str = "",
    certificate: str = "",
    alipay_public_key: str = "",
) -> KeyReport:
    """Formats, the derived 应用公钥, and the pair checks of whatever was pasted.

    ``public_key`` is a public key to check the private key against (normally the 应用公钥);
    ``alipay_public_key`` is the one the merchant's code verifies Alipay with: when it is the
    merchant's own key, every verification fails (app_public_key_used).
    """
    pasted = _pasted(public_key, certificate, alipay_public_key)
    if private_key.strip():
        pasted = {PRIVATE_KEY: private_key, **pasted}
    if not pasted:
        raise ParseError("empty", _("请至少粘贴一个私钥、公钥或证书。"))
    loaded = {name: _load(name, text) for name, text in pasted.items()}
    described = {name: _describe(name, key) for name, key in loaded.items()}
    return _report(loaded, described)


def examine_keys_local(
    private: BrowserReadKey | None,
    *,
    public_key: str = "",
    certificate: str = "",
    alipay_public_key: str = "",
) -> KeyReport:
    """examine_keys in local mode: the 应用私钥 stays in the browser, which posts its public half
    and the format facts. The pairs, the derived 应用公钥 and every note come out as from the key.
    With nothing to examine (a damaged key the browser names itself) the report is empty."""
    pasted = _pasted(public_key, certificate, alipay_public_key)
    loaded = {name: _load(name, text) for name, text in pasted.items()}
    described = {name: _describe(name, key) for name, key in loaded.items()}
    if private is not None:
        key = private.public_half
        loaded = {PRIVATE_KEY: key, **loaded}
        own = _described(PRIVATE_KEY, private.pem_label, private.format, key, private.notes)
        described = {PRIVATE_KEY: own, **described}
    return _report(loaded, described)


def _pasted(public_key: str, certificate: str, alipay_public_key: str) -> dict[str, str]:
    fields = ((PUBLIC_KEY, public_key), (CERTIFICATE, certificate))
    fields += ((ALIPAY_PUBLIC_KEY, alipay_public_key),)
    return {name: text for name, text in fields if text.strip()}


def _report(
    loaded: dict[str, LoadedKey],
    described_with_findings: dict[str, tuple[KeyDescription, list[Finding]]],
) -> KeyReport:
    """The report of the loaded keys (the private key's public half will do) and their
    descriptions, in the form's order."""
    described = {name: description for name, (description, _f) in described_with_findings.items()}
    findings = [finding for _d, notes in described_with_findings.values() for finding in notes]
    derived_pem = derived_base64 = ""
    if PRIVATE_KEY in loaded:
        derived_pem, derived_base64 = derived_public_key(loaded[PRIVATE_KEY])
        findings.extend(_private_findings(described[PRIVATE_KEY]))
    pairs = _pairs(loaded)
    # The pairs first: a key that is not the right half outweighs anything about its format.
    findings[:0] = _pair_findings(pairs, loaded)
    public = [
        described[name]
        for name in (PUBLIC_KEY, CERTIFICATE, ALIPAY_PUBLIC_KEY)
        if name in described
    ]
    return KeyReport(
        private_key=described.get(PRIVATE_KEY),
        public_key=described.get(PUBLIC_KEY),
        certificate=described.get(CERTIFICATE),
        alipay_public_key=described.get(ALIPAY_PUBLIC_KEY),
        derived_public_key_pem=derived_pem,
        derived_public_key_base64=derived_base64,
        pairs=tuple(pairs),
        commands=tuple(_commands(described.get(PRIVATE_KEY), public)),
        findings=tuple(findings),
    )


def _pairs(loaded: dict[str, LoadedKey]) -> list[PairCheck]:
    """Every two halves worth comparing: the private key with each public one, the public key
    with the certificate, the 支付宝公钥 with the merchant's own public halves."""
    wanted = [
        (PRIVATE_KEY, PUBLIC_KEY),
        (PRIVATE_KEY, CERTIFICATE),
        (PRIVATE_KEY, ALIPAY_PUBLIC_KEY),
        (PUBLIC_KEY, CERTIFICATE),
        (PUBLIC_KEY, ALIPAY_PUBLIC_KEY),
        (CERTIFICATE, ALIPAY_PUBLIC_KEY),
    ]
    return [
        PairCheck(left, right, _same_rsa_key(loaded[left], loaded[right]))
        for left, right in wanted
        if left in loaded and right in loaded
    ]


def _same_rsa_key(left: LoadedKey, right: LoadedKey) -> bool:
    rsa_keys = (rsa.RSAPrivateKey, rsa.RSAPublicKey)
    if not (isinstance(left.key, rsa_keys) and isinstance(right.key, rsa_keys)):
        return False
    return keys_match(left, right)


def _pair_findings(pairs: list[PairCheck], loaded: dict[str, LoadedKey]) -> list[Finding]:
    findings: list[Finding] = []
    for check in pairs:
        left, right = FIELD_LABELS[check.left], FIELD_LABELS[check.right]
        if check.right == ALIPAY_PUBLIC_KEY:
            if check.matches and not any(f.code == "app_public_key_used" for f in findings):
                findings.append(
                    Finding(
                        "app_public_key_used",
                        _(
                            "填作支付宝公钥的是你自己的应用公钥（和{left}是同一把密钥）：验签要用开放平台"
                            "「接口加签方式」里显示的支付宝公钥，用应用公钥验支付宝的签名一定失败。",
                            left=left,
                        ),
                        field=ALIPAY_PUBLIC_KEY,
                    )
                )
            continue
        if check.left == PRIVATE_KEY:
            findings.append(
                Finding(
                    "key_pair",
                    _("应用私钥和{right}是一对：私钥没有问题，验签失败要找别的原因。", right=right),
                    field=check.right,
                )
                if check.matches
                else Finding(
                    "key_pair_mismatch",
                    _(
                        "应用私钥和{right}不是一对：网关用开放平台上的应用公钥（或应用公钥证书）验签，"
                        "会回 isv.invalid-signature。把下面由私钥导出的应用公钥和开放平台上的比一比；"
                        "换过密钥的话，私钥、应用公钥和支付宝公钥要一起更新。",
                        right=right,
                    ),
                    field=check.right,
                )
            )
        elif not check.matches:
            findings.append(
                Finding(
                    "public_key_not_certificate_key",
                    _("{left}和{right}里的公钥不是同一把。", left=left, right=right),
                    field=check.right,
                )
            )
    if ALIPAY_PUBLIC_KEY in loaded and len(loaded) == 1:
        findings.append(
            Finding(
                "alipay_public_key_alone",
                _("只有支付宝公钥，无法判断它是不是你的应用公钥：同时贴上应用私钥或应用公钥再查。"),
                field=ALIPAY_PUBLIC_KEY,
            )
        )
    return findings
