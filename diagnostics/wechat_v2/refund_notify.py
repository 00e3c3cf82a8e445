"""The V2 refund notification's ``req_info`` (退款结果通知, 加密信息字段): Base64 of AES-256-ECB with
PKCS#7 padding, under the 32 characters of the lower-case hex MD5 of the merchant's API key; the
plaintext is XML with root ``<root>``. A failure is named (not Base64, length not a multiple of
16, bad padding = wrong key, not a refund notification) and followed by a search for the slip that
explains it: the raw key used as the AES key, an upper-case MD5, a key with whitespace.

>>> xml = "<root><out_refund_no>R1</out_refund_no><refund_status>SUCCESS</refund_status></root>"
>>> decrypt_req_info(encrypt_req_info(xml, "k" * 32), "k" * 32).value("refund_status")
'SUCCESS'
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.params import MAX_INPUT_CHARS, parse_params
from diagnostics.core.text import Message, _, label
from diagnostics.core.workbench import Task, Values, gettext_noop

# The public API reference of 退款结果通知 (pay.weixin.qq.com/wiki/doc/api/jsapi.php?chapter=9_16)
# names the notification's fields and those of the decrypted req_info, in this order.
SOURCE = "WeChat Pay V2 refund notification (chapter8_8)"

NOTIFICATION_FIELDS: dict[str, str] = {
    "return_code": "返回状态码",
    "return_msg": "返回信息",
    "appid": "公众账号ID",
    "mch_id": "商户号",
    "nonce_str": "随机字符串",
    "req_info": "加密信息",
}

REQ_INFO_FIELDS: dict[str, str] = {
    "transaction_id": "微信订单号",
    "out_trade_no": "商户订单号",
    "refund_id": "微信退款单号",
    "out_refund_no": "商户退款单号",
    "total_fee": "订单金额",
    "settlement_total_fee": "应结订单金额",
    "refund_fee": "申请退款金额",
    "settlement_refund_fee": "退款金额",
    "refund_status": "退款状态",
    "success_time": "退款成功时间",
    # sic: the documentation spells it "accout"; the notification carries that name.
    "refund_recv_accout": "退款入账账户",
    "refund_account": "退款资金来源",
    "refund_request_source": "退款发起来源",
}

# What every decrypted refund notification carries; without them it is some other XML.
_REQUIRED = ("out_refund_no", "refund_status")

BLOCK = 16  # AES block size in bytes


def aes_key(api_key: str) -> bytes:
    """The AES-256 key: the 32 ASCII characters of the lower-case hex MD5 of the API key (not
    the 16 bytes of the digest)."""
    return hashlib.md5(api_key.encode("utf-8")).hexdigest().encode("ascii")


def _ecb(key: bytes) -> Cipher:
    return Cipher(algorithms.AES(key), modes.ECB())  # noqa: S305 - the notification's own scheme


def aes_ecb_encrypt(plaintext: bytes, key: bytes) -> bytes:
    """AES-ECB with PKCS#7 padding under ``key`` as given (16, 24 or 32 bytes)."""
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plaintext) + padder.finalize()
    encryptor = _ecb(key).encryptor()
    return encryptor.update(padded) + encryptor.finalize()


def aes_ecb_decrypt(ciphertext: bytes, key: bytes) -> bytes | None:
    """The plaintext, or None when the padding is not PKCS#7 (a wrong key, nearly always) or the
    key has no AES size."""
    if len(key) not in (16, 24, 32) or len(ciphertext) % BLOCK:
        return None
    decryptor = _ecb(key).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:
        return None


def encrypt_req_info(plaintext_xml: str, api_key: str) -> str:
    """Encrypt a ``<root>`` XML as WeChat Pay does for ``req_info``: AES-256-ECB, PKCS#7,
    key = lower-case hex MD5 of the API key, Base64 (standard alphabet, padded)."""
    raw = aes_ecb_encrypt(plaintext_xml.encode("utf-8"), aes_key(api_key))
    return base64.b64encode(raw).decode("ascii")


def _readable(plain: bytes | None) -> str | None:
    """The plaintext when it is text; with a wrong key the padding is valid by chance about once
    in 256 tries, and what comes out is noise: almost never UTF-8 free of control characters."""
    if plain is None:
        return None
    try:
        text = plain.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if _CONTROL.search(text) else text


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Mistake:
    """One slip tried after the documented key failed: does it open this req_info?"""

    code: str
    message: Message
    decrypts: bool


class ReqInfoError(ParseError):
    """req_info that will not open, with the slips tried (``mistakes``)."""

    def __init__(self, code: str, message: Message, mistakes: tuple[Mistake, ...] = ()) -> None:
        super().__init__(code, message)
        self.mistakes = mistakes


@dataclass(frozen=True)
class RefundNotification:
    plaintext: str
    # (name, documented label or "", value), in the plaintext's order
    fields: tuple[tuple[str, str, str], ...]
    # the pasted notification's own fields (appid, mch_id…), req_info left out
    outer: tuple[tuple[str, str, str], ...] = ()
    findings: tuple[Finding, ...] = field(default=())

    def value(self, name: str) -> str | None:
        return next((value for found, _label, value in self.fields if found == name), None)


def _decode_base64(req_info: str) -> bytes:
    text = re.sub(r"\s+", "", req_info)
    if not text:
        raise ReqInfoError("req_info_missing", _("没有 req_info。"))
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        pass
    if re.fullmatch(r"[A-Za-z0-9_-]+=*", text) and re.search(r"[-_]", text):
        try:
            base64.urlsafe_b64decode(text)
        except (binascii.Error, ValueError):
            pass
        else:
            raise ReqInfoError(
                "req_info_urlsafe_base64",
                _(
                    "req_info 用的是 URL 安全的 Base64（- 和 _）：微信支付发来的是标准 Base64"
                    "（+ 和 /），中间被转换过。请用通知原文里的值。"
                ),
            ) from None
    bad = sorted(set(re.findall(r"[^A-Za-z0-9+/=]", text)))  # one scan, not a match per character
    if bad:
        reason = _(
            "req_info 不是 Base64：含有 Base64 之外的字符 {chars}。请只复制 <req_info> 里 CDATA "
            "中的值，或粘贴整段通知 XML。",
            chars=" ".join(bad[:8]),
        )
    else:
        reason = _(
            "req_info 不是有效的 Base64：长度或末尾的 “=” 不对，多半复制不完整。"
            "请粘贴整段通知 XML，或完整复制 req_info 的值。"
        )
    raise ReqInfoError("not_base64", reason) from None


@dataclass(frozen=True)
class Derivation:
    """One slip tried after the documented key failed: how it makes the AES key from the API key.
    ``text``: "key" as given, or "trimmed" (every whitespace character removed; skipped when that
    changes nothing); ``form``: "md5_hex" (lower-case hex, the documented one), "md5_hex_upper",
    "md5_digest" (the 16 raw bytes, AES-128) or "raw" (the key's UTF-8 bytes, when 16, 24 or 32 of
    them; 32 hex digits lower-cased). Local mode's browser derives with the same rules
    (static/js/local/refund.js)."""

    code: str
    text: str
    form: str


# The slips, in the order they are tried: the first that opens req_info is the one named.
DERIVATIONS: tuple[Derivation, ...] = (
    Derivation("key_whitespace", "trimmed", "md5_hex"),
    Derivation("raw_key_as_aes_key", "key", "raw"),
    Derivation("uppercase_md5", "key", "md5_hex_upper"),
    Derivation("md5_digest_bytes", "key", "md5_digest"),
    Derivation("raw_key_as_aes_key_trimmed", "trimmed", "raw"),
    Derivation("uppercase_md5_trimmed", "trimmed", "md5_hex_upper"),
    Derivation("md5_digest_bytes_trimmed", "trimmed", "md5_digest"),
)


def derive(derivation: Derivation, api_key: str) -> bytes | None:
    """The AES key ``derivation`` makes from ``api_key``, or None when it does not apply."""
    text = api_key
    if derivation.text == "trimmed":
        text = "".join(api_key.split())
        if not text or text == api_key:
            return None
    if derivation.form == "md5_hex":
        return aes_key(text)
    if derivation.form == "md5_hex_upper":
        return aes_key(text).upper()
    if derivation.form == "md5_digest":
        return hashlib.md5(text.encode("utf-8")).digest()
    raw = text.encode("utf-8")
    if len(raw) not in (16, 24, 32):
        return None
    return raw.lower() if re.fullmatch(r"[0-9A-Fa-f]{32}", text) else raw


def opened_message(code: str) -> Message:
    """What it means that the slip ``code`` opens req_info."""
    base = code.removesuffix("_trimmed")
    if base == "key_whitespace":
        return _(
            "你给的 API 密钥带有空格或换行；去掉后即可解密。你的代码读取密钥（配置文件、"
            "环境变量）时也要去掉空白，否则 MD5 不同，解出来就是“填充错误”。"
        )
    if base == "raw_key_as_aes_key":
        return _(
            "用你给的密钥原样（不做 MD5）作 AES 密钥可以解开。微信支付加密 req_info 用的是 API "
            "密钥的 MD5（32 位小写十六进制）：要么你填的已经是 MD5 值而不是 API 密钥本身，要么这段 "
            "req_info 是用原样密钥加密的（有些库和模拟工具这样做），不是微信支付发出的。"
        )
    if base == "uppercase_md5":
        return _(
            "用 MD5 的大写十六进制作 AES 密钥可以解开。微信支付用的是小写：V2 签名把 MD5 转成"
            "大写，解密 req_info 的密钥却是小写的 MD5，不要共用同一个转换。"
        )
    return _(
        "用 MD5 的 16 字节原始摘要作 AES-128 密钥可以解开。微信支付用的是摘要的 32 个"
        "十六进制字符（作为 32 字节的 AES-256 密钥）。"
    )


def _key_hints(key_length: int) -> list[Mistake]:
    """What to check when no slip explains the failure; ``key_length``: the key's characters
    once trimmed (what local mode's browser posts, never the key)."""
    hints = []
    if key_length == 32:
        hints.append(
            Mistake(
                "apiv3_key_lookalike",
                _(
                    "你的密钥有 32 个字符：APIv3 密钥也是 32 个字符，看起来一样。req_info 要用 API 密钥"
                    "（V2，商户平台 → 账户中心 → API安全 → 设置API密钥），不是 APIv3 密钥。"
                ),
                False,
            )
        )
    else:
        hints.append(
            Mistake(
                "key_length",
                _(
                    "你的密钥有 {length} 个字符；商户平台设置的 API 密钥是 32 个字符。",
                    length=key_length,
                ),
                False,
            )
        )
    hints.append(
        Mistake(
            "other_merchant_or_sandbox_key",
            _(
                "也可能是另一个商户号的 API 密钥（服务商模式用服务商的密钥），或仿真测试系统的沙箱密钥"
                "（getsignkey 取得）。重设 API 密钥后，旧通知要用旧密钥解。"
            ),
            False,
        )
    )
    return hints


def search_error(opened: list[str], tried: list[str], key_length: int) -> ReqInfoError:
    """The wrong-key error: the slips that open req_info (codes in DERIVATIONS order), else every
    one tried and what to check. Server mode and local mode (the browser posts the codes) share it."""
    if opened:
        mistakes = tuple(Mistake(code, opened_message(code), True) for code in opened)
        return ReqInfoError("bad_padding", mistakes[0].message, mistakes)
    closed = [Mistake(code, _describe_tried(code), False) for code in tried]
    return ReqInfoError(
        "bad_padding",
        _(
            "解密后填充（PKCS#7）不对，也就是密钥不对（Java 的 “Given final block not properly "
            "padded” / “pad block corrupted”）。req_info 的 AES 密钥是 API 密钥（V2）的 MD5，"
            "32 位小写十六进制。"
        ),
        tuple(closed + _key_hints(key_length)),
    )


def _search(raw: bytes, api_key: str) -> ReqInfoError:
    """Try each slip with the key: which open req_info, which were tried."""
    opened, tried = [], []
    seen = {aes_key(api_key)}
    for derivation in DERIVATIONS:
        key = derive(derivation, api_key)
        if key is None or key in seen:
            continue
        seen.add(key)
        if _readable(aes_ecb_decrypt(raw, key)) is not None:
            opened.append(derivation.code)
        else:
            tried.append(derivation.code)
    return search_error(opened, tried, len(api_key.strip()))


def _describe_tried(code: str) -> Message:
    tried: dict[str, Callable[[], Message]] = {
        "key_whitespace": lambda: _("去掉密钥里的空白后再试：解不开。"),
        "raw_key_as_aes_key": lambda: _("把密钥原样（不做 MD5）作 AES 密钥：解不开。"),
        "uppercase_md5": lambda: _("用大写的 MD5 作 AES 密钥：解不开。"),
        "md5_digest_bytes": lambda: _("用 16 字节的 MD5 原始摘要（AES-128）：解不开。"),
    }
    base = code.removesuffix("_trimmed")
    message = tried[base]()
    if code.endswith("_trimmed"):
        return _("{tried}（密钥去掉空白后）", tried=message)
    return message


@dataclass(frozen=True)
class ReqInfoPlan:
    """Decrypting req_info, all but the key: with the documented key (lower-case hex MD5), first
    ``repaired`` ("+" turned into spaces undone; opening it proves plus_as_space), then
    ``ciphertext``; when that fails, DERIVATIONS in order (search_error). The server
    (decrypt_req_info) and local mode's browser (static/js/local/refund.js) run the same plan."""

    ciphertext: bytes
    repaired: bytes | None = None
    # why ``ciphertext`` cannot open (then it is empty): only ``repaired`` may
    failure: ReqInfoError | None = None


def too_large_error() -> ReqInfoError:
    return ReqInfoError("too_large", _("输入超过 {size} KiB。", size=MAX_INPUT_CHARS // 1024))


def plus_as_space_error() -> ReqInfoError:
    return ReqInfoError(
        "req_info_plus_as_space",
        _(
            "req_info 里的 “+” 变成了空格（通知正文被当作表单数据解码过）；"
            "用原始 XML 里的值即可解密。读取通知时请取原始请求体。"
        ),
    )


def key_error(api_key: str) -> ReqInfoError | None:
    """Why ``api_key`` cannot be tried at all (missing, far too long), or None."""
    if not api_key:
        return ReqInfoError("key_missing", _("请填写 API 密钥（V2，32 个字符）。"))
    if len(api_key) > MAX_KEY_CHARS:
        return key_too_long_error()
    return None


def key_too_long_error() -> ReqInfoError:
    return ReqInfoError("key_length", _("API 密钥是 32 个字符，你给的长得多。"))


MAX_KEY_CHARS = 1024


def plan_req_info(req_info: str) -> ReqInfoPlan:
    """The key-independent half: req_info's bytes; what cannot be decrypted with any key raises
    ReqInfoError (not Base64, not whole AES blocks)."""
    if len(req_info) > MAX_INPUT_CHARS:
        raise too_large_error()
    repaired = None
    stripped = req_info.strip()
    if " " in stripped and re.fullmatch(r"[A-Za-z0-9+/= ]+", stripped):
        # A form decoder turns "+" into " "; Base64 never holds a space inside.
        repaired = _decode_base64(stripped.replace(" ", "+"))
        if len(repaired) % BLOCK:
            repaired = None
    try:
        raw = _whole_blocks(req_info)
    except ReqInfoError as error:
        if repaired is None:
            raise
        return ReqInfoPlan(b"", repaired, error)
    return ReqInfoPlan(raw, repaired)


def _whole_blocks(req_info: str) -> bytes:
    raw = _decode_base64(req_info)
    if len(raw) % BLOCK or not raw:
        raise ReqInfoError(
            "bad_length",
            _(
                "req_info 解码后有 {length} 字节，不是 16 的倍数（AES 的块长度），所以无法解密"
                "（Java 的 “Input length must be multiple of 16”）：复制不完整，或者解密前没有先做"
                " Base64 解码。",
                length=len(raw),
            ),
        )
    return raw


def decrypt_req_info(req_info: str, api_key: str) -> RefundNotification:
    """Decrypt ``req_info`` with the V2 API key; failures raise ReqInfoError naming the cause."""
    if len(req_info) > MAX_INPUT_CHARS:
        raise too_large_error()
    error = key_error(api_key)
    if error is not None:
        raise error
    plan = plan_req_info(req_info)
    key = aes_key(api_key)
    if plan.repaired is not None and _readable(aes_ecb_decrypt(plan.repaired, key)) is not None:
        raise plus_as_space_error()
    if plan.failure is not None:
        raise plan.failure
    plaintext = _readable(aes_ecb_decrypt(plan.ciphertext, key))
    if plaintext is None:
        raise _search(plan.ciphertext, api_key)
    return read_plaintext(plaintext)


def read_plaintext(plaintext: str) -> RefundNotification:
    try:
        parsed = parse_params(plaintext)
    except ParseError as error:
        raise ReqInfoError(
            "not_refund_notification",
            _("解密成功，但明文不是 XML：{reason}", reason=error.message),
        ) from None
    if parsed.format != "xml":
        raise ReqInfoError("not_refund_notification", _("解密成功，但明文不是 XML。"))
    names = {name for name, _value in parsed.pairs}
    if not all(name in names for name in _REQUIRED):
        raise ReqInfoError(
            "not_refund_notification",
            _(
                "解密成功，但这不是退款结果通知：明文里没有 {names}。",
                names=" / ".join(name for name in _REQUIRED if name not in names),
            ),
        )
    fields = tuple((name, REQ_INFO_FIELDS.get(name, ""), value) for name, value in parsed.pairs)
    findings = [
        Finding(
            "req_info_decrypted",
            _("req_info 解密成功：AES-256-ECB，PKCS#7，密钥为 API 密钥的小写 MD5。"),
            SOURCE,
        )
    ]
    root = re.match(r"\s*<\s*([A-Za-z_][\w.-]*)", plaintext.lstrip("\ufeff"))
    if root and root.group(1) != "root":
        findings.append(
            Finding(
                "req_info_root",
                _("明文的根元素是 <{root}>，微信支付发出的是 <root>。", root=root.group(1)),
                SOURCE,
            )
        )
    notification = RefundNotification(plaintext=plaintext, fields=fields)
    findings.extend(_status_findings(notification))
    return RefundNotification(plaintext=plaintext, fields=fields, findings=tuple(findings))


def _status_findings(notification: RefundNotification) -> list[Finding]:
    status = notification.value("refund_status")
    if status == "CHANGE":
        return [
            Finding(
                "refund_status_change",
                _(
                    "refund_status=CHANGE（退款异常）：退款到银行卡时卡已作废或冻结等，"
                    "需要到商户平台处理（改为退到商户的账户或重新发起）。"
                ),
                SOURCE,
                "refund_status",
            )
        ]
    if status == "REFUNDCLOSE":
        return [
            Finding(
                "refund_status_closed",
                _("refund_status=REFUNDCLOSE（退款关闭）：这笔退款没有退出去。"),
                SOURCE,
                "refund_status",
            )
        ]
    if status and status != "SUCCESS":
        return [
            Finding(
                "refund_status_unknown",
                _(
                    "refund_status=“{status}”：文档的取值是 SUCCESS、CHANGE、REFUNDCLOSE。",
                    status=status,
                ),
                SOURCE,
                "refund_status",
            )
        ]
    return []


@dataclass(frozen=True)
class Pasted:
    """What was pasted, read without the key: req_info, and the notification's own fields."""

    req_info: str
    outer: tuple[tuple[str, str, str], ...] = ()
    findings: tuple[Finding, ...] = ()


def read_pasted(text: str) -> Pasted:
    """The pasted refund notification XML, or its ``req_info`` alone."""
    if len(text) > MAX_INPUT_CHARS:
        raise too_large_error()
    stripped = text.lstrip("\ufeff").strip()
    if not stripped.startswith("<"):
        return Pasted(stripped)
    parsed = parse_params(stripped)
    values = dict(parsed.pairs)
    outer = tuple(
        (name, NOTIFICATION_FIELDS.get(name, ""), value)
        for name, value in parsed.pairs
        if name != "req_info"
    )
    if "req_info" not in values:
        raise ReqInfoError("not_refund_notification", _not_refund_message(values))
    return Pasted(values["req_info"], outer, tuple(_outer_findings(values)))


def with_pasted(decrypted: RefundNotification, pasted: Pasted) -> RefundNotification:
    return RefundNotification(
        plaintext=decrypted.plaintext,
        fields=decrypted.fields,
        outer=pasted.outer,
        findings=decrypted.findings + pasted.findings,
    )


def read_refund_notification(text: str, api_key: str) -> RefundNotification:
    """The pasted refund notification XML, or its ``req_info`` alone, decrypted and read."""
    pasted = read_pasted(text)
    return with_pasted(decrypt_req_info(pasted.req_info, api_key), pasted)


def _not_refund_message(values: dict[str, str]) -> Message:
    if values.get("return_code") == "FAIL":
        return _(
            "这条通知 return_code=FAIL，没有 req_info：return_msg 是 “{message}”。",
            message=values.get("return_msg", ""),
        )
    if "sign" in values and ("result_code" in values or "transaction_id" in values):
        return _(
            "这不是退款结果通知：它带 sign、没有 req_info，是支付结果通知。"
            "支付结果通知要验签（V2 签名工作台的“支付结果通知”），不用解密。"
        )
    return _("这不是退款结果通知：XML 里没有 req_info（退款结果通知的加密信息字段）。")


def _outer_findings(values: dict[str, str]) -> list[Finding]:
    findings = [
        Finding(
            "refund_notification_unsigned",
            _(
                "退款结果通知没有 sign 字段，不用验签：能用你的 API 密钥解开 req_info，就说明它来自"
                "微信支付。处理完请应答 {answer}，否则微信支付会重发。",
                answer="<xml><return_code><![CDATA[SUCCESS]]></return_code>"
                "<return_msg><![CDATA[OK]]></return_msg></xml>",
            ),
            SOURCE,
        )
    ]
    if "sign" in values:
        findings.append(
            Finding(
                "refund_notification_sign",
                _("这条通知里有 sign：微信支付的退款结果通知不带 sign，请确认它的来源。"),
                SOURCE,
                "sign",
            )
        )
    return findings


def where_code_differs() -> list[tuple[Message, Message]]:
    """What usually differs when req_info decrypts here but not in the merchant's program."""
    return [
        (
            label("Java"),
            _(
                "“Illegal key size or default parameters”：旧版 JDK（8u161 之前）默认只允许 128 位 AES，"
                "要升级 JDK、装 JCE 无限制策略文件，或设置 crypto.policy=unlimited。"
                "填充写 AES/ECB/PKCS5Padding 即可（Java 里就是 PKCS#7）；写 PKCS7Padding 要 BouncyCastle。"
            ),
        ),
        (
            label("PHP"),
            _(
                "openssl_decrypt 的第一个参数：已经 base64_decode 过就要传 OPENSSL_RAW_DATA，"
                "否则它会再做一次 Base64 解码；算法写 AES-256-ECB，密钥是 md5($key) 的小写结果。"
            ),
        ),
        (
            label(".NET / Node.js / Python"),
            _(
                "密钥是 MD5 的 32 个十六进制字符（按 ASCII 取 32 字节），不是 16 字节的摘要；模式 ECB"
                "（没有 IV，Node.js 传 null），填充 PKCS#7。先 Base64 解码，再解密。"
            ),
        ),
        (
            _("所有语言"),
            _(
                "用通知原始请求体里的 req_info，不要先做 URL 解码或表单解码（“+” 会变成空格）；"
                "API 密钥去掉首尾空白；用的是 API 密钥（V2），不是 APIv3 密钥。"
            ),
        ),
    ]


def run_refund_notify(values: Values) -> Values:
    """The page's run: the pasted notification (or req_info) and the API key (field ``key``)."""
    return page_values(read_refund_notification(values["notification"], values["key"]))


def page_values(refund: RefundNotification) -> Values:
    """What the page shows of a read notification, in either mode."""
    return {
        "refund": refund,
        "field_names": [name for name, _label, _value in refund.fields],
        "where_code_differs": where_code_differs(),
    }


REFUND_NOTIFY_TASK = Task(
    "wechat_v2:refund-notify",
    gettext_noop("解密退款结果通知 req_info"),
    "Decrypt a V2 refund notification's req_info (AES-256-ECB)",
    SOURCE,
    gettext_noop(
        "粘贴退款结果通知 XML 或 req_info 和 API 密钥：Base64 解码，AES-256-ECB（PKCS#7）解密，"
        "密钥为 API 密钥的 MD5（32 位小写）；解不开时说出原因，并试常见的错法。"
    ),
    run_refund_notify,
)
