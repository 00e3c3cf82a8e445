"""The crypto of APIv3 sensitive fields (敏感信息加解密, 003 §2.1): RSAES-OAEP with SHA-1 and
MGF1-SHA1, Base64. Encrypting with a platform certificate or the WeChat Pay public key (and the
``Wechatpay-Serial`` that goes with it), decrypting a returned value with the merchant private key,
and the sizes: one OAEP-SHA1 block of RSA-2048 holds 214 bytes, its ciphertext is 256 bytes = 344
Base64 characters.

>>> max_plaintext_bytes(2048), ciphertext_chars(2048), ciphertext_chars(3072), ciphertext_chars(4096)
(214, 344, 512, 684)
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, replace

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.keys import CERTIFICATE, LoadedKey
from diagnostics.core.text import _

SOURCE = "003 §2.1"  # the guide lists 敏感信息加解密 among the jobs its SDKs do
# WeChat Pay's guide to the scheme (OAEP modes per language, Wechatpay-Serial, 214 bytes).
GUIDE = "pay.weixin.qq.com/docs/partner/development/interface-rules/sensitive-data-encryption.html"
SRC = f"{SOURCE}; {GUIDE}"

SHA1_BYTES = 20
MAX_PLAINTEXT_CHARS = 4096  # far over any RSA block: refused with the byte count before work
MAX_CIPHERTEXT_CHARS = 8192
WECHAT_KEY_BITS = 2048
KNOWN_KEY_BITS = (2048, 3072, 4096)


# --- sizes -----------------------------------------------------------------------------------


def max_plaintext_bytes(bits: int) -> int:
    """What one OAEP-SHA1 block holds: k − 2·20 − 2 bytes (RFC 8017 §7.1.1): 214 for RSA-2048."""
    return bits // 8 - 2 * SHA1_BYTES - 2


def ciphertext_chars(bits: int) -> int:
    """Base64 characters of one ciphertext: 2048 bits → 256 bytes → 344 characters."""
    return 4 * -(-(bits // 8) // 3)


def _oaep(algorithm: hashes.HashAlgorithm | None = None) -> padding.OAEP:
    algorithm = algorithm or hashes.SHA1()  # noqa: S303 - WeChat Pay's scheme is OAEP with SHA-1
    return padding.OAEP(mgf=padding.MGF1(algorithm), algorithm=algorithm, label=None)


def key_bits(key: LoadedKey) -> int:
    return int(key.info.key_size or 0)


@dataclass(frozen=True)
class Base64Value:
    """A pasted Base64 value: its bytes (None when it is not Base64) and how it was written."""

    raw: bytes | None
    line_breaks: bool = False
    url_safe: bool = False


def read_base64(text: str) -> Base64Value:
    """Standard Base64, tolerating what copying adds: line breaks (Java's MIME encoder, Android's
    Base64.DEFAULT), spaces; the URL-safe alphabet is read too and reported."""
    line_breaks = bool(re.search(r"[\r\n]", text.strip())) or "\\n" in text
    compact = re.sub(r"\s+|\\[rn]", "", text)
    url_safe = bool(re.search(r"[-_]", compact))
    if url_safe:
        compact = compact.replace("-", "+").replace("_", "/")
    if not compact or not re.fullmatch(r"[A-Za-z0-9+/]+={0,2}", compact):
        return Base64Value(None)
    try:
        raw = base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        return Base64Value(None)
    return Base64Value(raw, line_breaks, url_safe)


def format_findings(value: Base64Value, field: str) -> list[Finding]:
    findings = []
    if value.line_breaks:
        findings.append(
            Finding(
                "ciphertext_line_breaks",
                _(
                    "{field} 的 Base64 里有换行：Java 的 Base64.getMimeEncoder()、Android 的 "
                    "Base64.DEFAULT 每 76 个字符插一个换行。请用不换行的标准 Base64"
                    "（Java Base64.getEncoder()，Android Base64.NO_WRAP）。",
                    field=field,
                ),
                SRC,
                field,
            )
        )
    if value.url_safe:
        findings.append(
            Finding(
                "ciphertext_url_safe",
                _(
                    "{field} 用了 URL 安全的 Base64（- 和 _）；微信支付要求标准 Base64（+ 和 /）。",
                    field=field,
                ),
                SRC,
                field,
            )
        )
    return findings


def inner_ciphertext(raw: bytes) -> bytes | None:
    """When ``raw`` is itself ASCII Base64 of an RSA ciphertext's size: those inner bytes."""
    if len(raw) not in {ciphertext_chars(bits) for bits in KNOWN_KEY_BITS}:
        return None
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        return None
    inner = read_base64(text).raw
    return inner if inner is not None and len(inner) * 8 in KNOWN_KEY_BITS else None


# --- encrypting --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Encryption:
    ciphertext: str
    wechatpay_serial: str  # "" when a public key came without its PUB_KEY_ID_…
    mode: str  # "certificate" | "public_key"
    key_bits: int
    plaintext_bytes: int
    max_plaintext_bytes: int
    findings: tuple[Finding, ...] = ()

    @property
    def ciphertext_chars(self) -> int:
        return len(self.ciphertext)


PUBLIC_KEY_ID = re.compile(r"PUB_KEY_ID_[0-9]{1,64}")


def check_public_key_id(public_key_id: str) -> list[Finding]:
    """A WeChat Pay public key ID is ``PUB_KEY_ID_`` and digits, written whole."""
    key_id = public_key_id.strip()
    if not key_id or PUBLIC_KEY_ID.fullmatch(key_id):
        return []
    return [
        Finding(
            "public_key_id_format",
            _(
                "“{key_id}” 不像微信支付公钥 ID：它的写法是 PUB_KEY_ID_ 加一串数字"
                "（商户平台 → API安全 → 微信支付公钥），Wechatpay-Serial 要原样写这个 ID。",
                key_id=key_id,
            ),
            SRC,
            "public_key_id",
        )
    ]


def merchant_certificate_findings(key: LoadedKey) -> list[Finding]:
    """A certificate whose subject CN is all digits is a merchant API certificate (CN = mchid)."""
    cn = key.info.subject_cn.strip()
    if key.info.kind != CERTIFICATE or not cn.isdigit():
        return []
    return [
        Finding(
            "merchant_certificate_for_encryption",
            _(
                "这张证书的 CN={cn}，是商户 API 证书（apiclient_cert.pem）。上送的敏感字段要用"
                "微信支付平台证书或微信支付公钥加密；用自己的商户证书加密，微信支付解不开"
                "（平台私钥解密失败）。",
                cn=cn,
            ),
            SRC,
            "public_key",
        )
    ]


def looks_encrypted(text: str) -> bool:
    """Whether ``text`` already is Base64 of an RSA ciphertext of 2048, 3072 or 4096 bits."""
    raw = read_base64(text).raw
    return raw is not None and len(raw) * 8 in KNOWN_KEY_BITS


def encrypt_sensitive(plaintext: str, key: LoadedKey, public_key_id: str = "") -> Encryption:
    """RSAES-OAEP (SHA-1, MGF1-SHA1) under the platform certificate's or WeChat Pay public key's
    RSA key, Base64; and the ``Wechatpay-Serial`` the request must carry with it."""
    if not plaintext:
        raise ParseError("plaintext_missing", _("请填写要加密的明文。"))
    if len(plaintext) > MAX_PLAINTEXT_CHARS:
        raise ParseError(
            "plaintext_too_long",
            _("明文有 {chars} 个字符，远超一个 RSA 分组能加密的长度。", chars=len(plaintext)),
        )
    bits = key_bits(key)
    limit = max_plaintext_bytes(bits)
    data = plaintext.encode("utf-8")
    findings: list[Finding] = [*key.info.findings]
    if len(data) > limit:
        already = looks_encrypted(plaintext)
        raise ParseError(
            "plaintext_too_long",
            _(
                "明文有 {size} 字节（UTF-8，一个汉字 3 字节）：RSA-{bits} 的 OAEP（SHA-1）"
                "一次最多加密 {limit} 字节。微信支付的敏感字段都很短（姓名、证件号、手机号、银行账号）；"
                "{hint}",
                size=len(data),
                bits=bits,
                limit=limit,
                hint=_("这段文字已经是一个密文（Base64）：不要再加密一次。")
                if already
                else _("请确认粘贴的只是一个字段的值。"),
            ),
        )
    if plaintext != plaintext.strip():
        findings.append(
            Finding(
                "plaintext_whitespace",
                _("明文首尾有空白或换行：它们也会被加密，微信支付解密后看到的值就带着它们。"),
                SRC,
                "plaintext",
            )
        )
    if looks_encrypted(plaintext):
        findings.append(
            Finding(
                "plaintext_already_encrypted",
                _(
                    "这段明文本身就像一个 RSA 密文的 Base64：如果你的 SDK 会自动加密敏感字段"
                    "（如 wechatpayv3），直接传明文，不要先自己加密。"
                ),
                SRC,
                "plaintext",
            )
        )
    raw = key.public_key.encrypt(data, _oaep())  # type: ignore[attr-defined]
    if key.info.kind == CERTIFICATE:
        serial, mode = key.info.serial_no, "certificate"
        findings += merchant_certificate_findings(key)
        if public_key_id.strip():
            findings.append(
                Finding(
                    "public_key_id_with_certificate",
                    _(
                        "你给的是平台证书，Wechatpay-Serial 就是这张证书的序列号 {serial}；"
                        "PUB_KEY_ID_… 只在用微信支付公钥加密时使用，两者不能混用。",
                        serial=serial,
                    ),
                    SRC,
                    "public_key_id",
                )
            )
    else:
        mode = "public_key"
        findings += check_public_key_id(public_key_id)
        serial = public_key_id.strip() if PUBLIC_KEY_ID.fullmatch(public_key_id.strip()) else ""
        if not public_key_id.strip():
            findings.append(
                Finding(
                    "public_key_id_missing",
                    _(
                        "公钥里没有它的 ID：请求头 Wechatpay-Serial 要写这个微信支付公钥的 ID"
                        "（PUB_KEY_ID_…，在商户平台 → API安全 → 微信支付公钥处查看），请一并填写。"
                    ),
                    SRC,
                    "public_key_id",
                )
            )
    return Encryption(
        ciphertext=base64.b64encode(raw).decode("ascii"),
        wechatpay_serial=serial,
        mode=mode,
        key_bits=bits,
        plaintext_bytes=len(data),
        max_plaintext_bytes=limit,
        findings=tuple(findings),
    )


# --- decrypting --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decryption:
    plaintext: str
    key_bits: int
    findings: tuple[Finding, ...] = ()


def _pkcs1v15_plaintext(private: rsa.RSAPrivateKey, raw: bytes) -> bytes | None:
    """The message when ``raw`` is a PKCS#1 v1.5 encryption block (00 02, 8+ non-zero bytes, 00).

    Read from the raw RSA result: OpenSSL's PKCS#1 v1.5 decryption answers a wrong block with random
    bytes (implicit rejection) instead of an error, so its answer cannot tell.
    """
    numbers = private.private_numbers()
    c = int.from_bytes(raw, "big")
    if c >= numbers.public_numbers.n:
        return None
    # c^d mod n by the Chinese remainder theorem: four times faster than pow(c, d, n).
    m1, m2 = pow(c, numbers.dmp1, numbers.p), pow(c, numbers.dmq1, numbers.q)
    m = m2 + (numbers.iqmp * (m1 - m2) % numbers.p) * numbers.q
    block = m.to_bytes(len(raw), "big")
    if block[:2] != b"\x00\x02":
        return None
    end = block.find(b"\x00", 2)
    if end < 10:
        return None
    return block[end + 1 :]


def _opens_with(
    private: rsa.RSAPrivateKey, raw: bytes, scheme: padding.AsymmetricPadding
) -> bytes | None:
    try:
        return private.decrypt(raw, scheme)
    except ValueError:
        return None


@dataclass(frozen=True)
class SensitivePlan:
    """Opening a value WeChat Pay returned, all but the key: its bytes, the findings on how it was
    written, and what each way it fails to open means. The server (open_sensitive) and local
    mode's browser (static/js/local/sensitive.js) run the same plan."""

    raw: bytes
    findings: tuple[Finding, ...]
    pkcs1v15: ParseError  # opens with PKCS#1 v1.5 padding only
    oaep_sha256: ParseError  # opens with OAEP and SHA-256 only
    other_key: ParseError  # opens with none: another key


def plan_sensitive_decryption(ciphertext: str, bits: int) -> SensitivePlan:
    """The checks that need only the key's size (``bits``), then the plan; they raise ParseError."""
    if len(ciphertext) > MAX_CIPHERTEXT_CHARS:
        raise ParseError("ciphertext_too_long", _("密文太长，不像一个敏感字段的值。"))
    value = read_base64(ciphertext)
    if value.raw is None:
        raise ParseError(
            "ciphertext_not_base64",
            _("密文不是有效的 Base64：请粘贴应答里该字段的完整值（RSA-2048 是 344 个字符）。"),
        )
    raw = value.raw
    size = bits // 8
    if len(raw) != size:
        inner = inner_ciphertext(raw)
        if inner is not None:
            raise ParseError(
                "ciphertext_base64_twice",
                _(
                    "这个值做了两次 Base64：解码一次得到的是 {chars} 个字符的 Base64 文本。"
                    "请只解码一次（应答里的值解码后应是 {size} 字节）。",
                    chars=len(raw),
                    size=size,
                ),
            )
        other = (
            _(
                "长度正是 RSA-{other} 的密文：它是用别的密钥加密的，不是你的商户证书公钥。",
                other=len(raw) * 8,
            )
            if len(raw) * 8 in KNOWN_KEY_BITS
            else _("可能复制不完整，或者这不是一个 RSA 密文。")
        )
        raise ParseError(
            "ciphertext_length",
            _(
                "密文解码后有 {length} 字节，你的私钥是 RSA-{bits}，密文应是 {size} 字节"
                "（Base64 {chars} 个字符）。{other}",
                length=len(raw),
                bits=bits,
                size=size,
                chars=ciphertext_chars(bits),
                other=other,
            ),
        )
    return SensitivePlan(
        raw=raw,
        findings=tuple(format_findings(value, "ciphertext")),
        pkcs1v15=ParseError(
            "ciphertext_pkcs1v15",
            _(
                "这个值用你的私钥能以 PKCS#1 v1.5 填充解开，但 OAEP 解不开：它不是微信支付的加密方式。"
                "微信支付的敏感字段只用 RSAES-OAEP（SHA-1、MGF1-SHA1）；如果它是你自己的程序加密的，"
                "把填充改成 OAEP（Java：RSA/ECB/OAEPWithSHA-1AndMGF1Padding）。"
            ),
        ),
        oaep_sha256=ParseError(
            "ciphertext_oaep_sha256",
            _(
                "这个值能以 OAEP + SHA-256 解开，但微信支付用的是 OAEP + SHA-1（MGF1 也是 SHA-1）："
                "加密方的哈希算法设错了。"
            ),
        ),
        other_key=ParseError(
            "ciphertext_other_key",
            _(
                "用这个私钥解不开（OAEP，SHA-1）。微信支付下发的敏感字段是用你的商户 API 证书的公钥加密的，"
                "要用与之成对的 apiclient_key.pem 解密；APIv3 密钥解不了它（那是 AES-GCM 用的）。"
                "如果这个值是你自己上送的密文，它是用平台证书或微信支付公钥加密的，你解不开，也不需要解。"
            ),
        ),
    )


def open_sensitive(plan: SensitivePlan, private_key: LoadedKey) -> Decryption:
    """Run the plan with the private key: the plaintext, or the plan's error for how it opens."""
    private = private_key.key
    plain = _opens_with(private, plan.raw, _oaep())
    if plain is None:
        if _pkcs1v15_plaintext(private, plan.raw) is not None:
            raise plan.pkcs1v15
        if _opens_with(private, plan.raw, _oaep(hashes.SHA256())) is not None:
            raise plan.oaep_sha256
        raise plan.other_key
    return read_plaintext(plain, [*private_key.info.findings, *plan.findings])


def read_plaintext(plain: bytes, findings: list[Finding]) -> Decryption:
    """An opened value as text, with what is odd about it: not UTF-8, or encrypted twice."""
    try:
        text = plain.decode("utf-8")
    except UnicodeDecodeError:
        text = plain.decode("utf-8", errors="replace")
        findings.append(
            Finding(
                "plaintext_not_utf8",
                _("解密成功，但明文不是 UTF-8 文本；无法显示的字节已替换为 �。"),
                SRC,
                "plaintext",
            )
        )
    if looks_encrypted(text):
        findings.append(encrypted_twice(len(text.strip())))
    return Decryption(plaintext=text, key_bits=0, findings=tuple(findings))


def encrypted_twice(chars: object) -> Finding:
    """An opened value that is itself an RSA ciphertext's Base64 of ``chars`` characters."""
    return Finding(
        "encrypted_twice",
        _(
            "解开后得到的仍是一个 RSA 密文的 Base64（{chars} 个字符）：这个值被加密了两次。"
            "会自动加密敏感字段的 SDK 要直接传明文。",
            chars=chars,
        ),
        SRC,
        "ciphertext",
    )


def decrypt_sensitive(ciphertext: str, private_key: LoadedKey) -> Decryption:
    """Open a value WeChat Pay returned, with the merchant private key (OAEP, SHA-1).

    A value that will not open raises ParseError naming why: not Base64, the length of another key
    size, PKCS#1 v1.5 padding (not WeChat Pay's scheme), OAEP with SHA-256, or another key.
    """
    bits = key_bits(private_key)
    decryption = open_sensitive(plan_sensitive_decryption(ciphertext, bits), private_key)
    return replace(decryption, key_bits=bits)
