"""Verifying what Alipay signs (自行实现验签, https://opendocs.alipay.com/common/02mse7) with the
支付宝公钥, or in certificate mode the public key inside the 支付宝公钥证书:

- an asynchronous notification: every received parameter except ``sign`` and ``sign_type``,
  URL-decoded once, empty values left out, sorted, ``name=value`` joined by ``&``. Some
  notifications (the service market's, as the official Node SDK's tests show) sign ``sign_type``
  too: when only that verifies, it is said as the explanation;
- a synchronous response: the exact text of the ``<method>_response`` (or ``error_response``)
  value in the body, byte for byte, cut out of the raw text by a JSON scanner — never the parsed
  object dumped again; ``sign`` (and ``alipay_cert_sn`` in certificate mode) sit beside it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from cryptography.hazmat.primitives import serialization

from diagnostics.alipay.certs import APP, INTERMEDIATE, ROOT, certificate_sn, read_certificates
from diagnostics.alipay.checks import (
    NOTIFY_EXCLUDED,
    SRC_VERIFY,
    ParamsInput,
    charset_of,
    digest,
    encode_message,
    sign_type_of,
)
from diagnostics.alipay.mistakes import (
    AlipayMistake,
    matching_slips,
    mistake_cards,
    mistakes_data,
    notify_mistake_search,
    response_mistake_search,
)
from diagnostics.alipay.signing import (
    Dropped,
    _dropped,
    normalise_sign,
    read_params,
    string_to_sign,
    verify_bytes,
)
from diagnostics.core.findings import Finding, ParseError, findings_data
from diagnostics.core.keys import KeyInput, LoadedKey, as_public_key, decode_signature, keys_match
from diagnostics.core.params import MAX_INPUT_CHARS, MAX_NESTING, nested_deeper_than
from diagnostics.core.text import _, joined
from diagnostics.core.textdiff import TextDiff, compare

# --- the keys: the 支付宝公钥, not the 应用公钥 ------------------------------------------------


def app_key_findings(public: LoadedKey, app_key: LoadedKey | None) -> list[Finding]:
    """The key pasted as the 支付宝公钥 is the merchant's own 应用公钥 (it pairs with their
    应用私钥, or equals the 应用公钥 they gave): the most common wrong key."""
    if app_key is None or not keys_match(app_key, public):
        return []
    return [
        Finding(
            "app_public_key_used",
            _(
                "粘贴的“支付宝公钥”就是你自己的应用公钥（与应用私钥是一对）。验签要用支付宝公钥："
                "在开放平台应用的“接口加签方式”里上传应用公钥后，页面给出的那个支付宝公钥。"
            ),
            SRC_VERIFY,
            "public_key",
        )
    ]


# Findings that already say which key is wrong: the generic "wrong key or params" is not added.
WRONG_KEY_CODES = frozenset({"app_public_key_used", "not_alipay_certificate"})


def certificate_role_findings(key: LoadedKey) -> list[Finding]:
    """A pasted certificate that is not the 支付宝公钥证书: the merchant's own 应用公钥证书 (the
    certificate-mode form of the most common wrong key), or the root / intermediate CA's."""
    if key.certificate is None:
        return []
    pem = key.certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")
    read = read_certificates(pem)
    role = read[0].role if read else ""
    if role not in (APP, ROOT, INTERMEDIATE):
        return []
    return [
        Finding(
            "app_public_key_used" if role == APP else "not_alipay_certificate",
            _(
                "贴上的证书是{what}，不是支付宝公钥证书：验签要用 alipayCertPublicKey_RSA2.crt "
                "里的公钥。",
                what=read[0].role_label,
            ),
            SRC_VERIFY,
            "public_key",
        )
    ]


def cert_sn_findings(key: LoadedKey, cert_sn: str) -> list[Finding]:
    """In certificate mode a response names the 支付宝公钥证书 that signed it (alipay_cert_sn):
    a pasted certificate with another SN is the old one (Alipay renews it)."""
    if not cert_sn:
        return []
    if key.certificate is None:
        return [
            Finding(
                "alipay_cert_sn_without_certificate",
                _(
                    "应答里有 alipay_cert_sn（公钥证书模式）：验签要用 SN 为它的支付宝公钥证书里的公钥，"
                    "贴上证书可以核对 SN。"
                ),
                SRC_VERIFY,
                "alipay_cert_sn",
            )
        ]
    ours = certificate_sn(key.certificate)
    if ours == cert_sn:
        return []
    return [
        Finding(
            "alipay_cert_sn_mismatch",
            _(
                "应答的 alipay_cert_sn 是 {theirs}，贴上的支付宝公钥证书的 SN 是 {ours}：签名用的是另一张证书"
                "（支付宝会更换证书），从开放平台下载新的支付宝公钥证书。",
                theirs=cert_sn[:64],
                ours=ours,
            ),
            SRC_VERIFY,
            "alipay_cert_sn",
        )
    ]


def _signature(sign: str, findings: list[Finding]) -> bytes | None:
    if not sign.strip():
        findings.append(Finding("sign_missing", _("没有 sign，无法验签。"), SRC_VERIFY, "sign"))
        return None
    raw = decode_signature(normalise_sign(sign))
    if raw is None:
        findings.append(
            Finding("sign_not_base64", _("sign 不是有效的 base64。"), SRC_VERIFY, "sign")
        )
    return raw


# --- asynchronous notifications ------------------------------------------------------------


@dataclass(frozen=True)
class NotifyVerification:
    string_to_sign: str
    valid: bool
    sign_type: str
    charset: str
    dropped: tuple[Dropped, ...] = ()
    findings: tuple[Finding, ...] = ()
    mistakes: tuple[AlipayMistake, ...] = ()
    sign_type_signed: bool = False  # verified only with sign_type signed (the service market's)
    their_diff: TextDiff | None = None  # the string the merchant's code verified, against ours

    @property
    def mistake_cards(self) -> list[dict[str, object]]:
        return mistake_cards(self.mistakes, self.string_to_sign)

    def as_data(self) -> dict[str, object]:
        """The JSON answers' shape (POST /api/v1/alipay/verify-notify, the command line)."""
        return {
            "string_to_sign": self.string_to_sign,
            "valid": self.valid,
            "sign_type_signed": self.sign_type_signed,
            "mistakes": mistakes_data(self.mistakes),
            "findings": findings_data(self.findings),
        }


def verify_notification(
    params: ParamsInput,
    public_key: KeyInput,
    *,
    app_key: LoadedKey | None = None,
    their_string: str = "",
) -> NotifyVerification:
    """Verify a notification as received (the raw POST body, or its parameters).

    ``app_key``: the merchant's 应用私钥 or 应用公钥, to tell whether the key pasted is theirs.
    ``their_string``: the string their code verified; the slip that makes it is named.
    """
    read = read_params(params)
    pairs, findings = read.pairs, list(read.findings)
    values = dict(pairs)
    sign_type, charset = sign_type_of(pairs), charset_of(pairs)
    text = string_to_sign(pairs, exclude=NOTIFY_EXCLUDED)
    dropped = tuple(_dropped(pairs, NOTIFY_EXCLUDED, True))
    loaded = as_public_key(public_key)
    findings += app_key_findings(loaded, app_key) or certificate_role_findings(loaded)
    slips: tuple[AlipayMistake, ...] = ()
    their_diff = None
    if their_string.strip():
        theirs = their_string.strip("\r\n")
        their_diff = compare(theirs, text)
        slips = tuple(matching_slips(pairs, read.raw_values, theirs, text))
    result = NotifyVerification(
        text, False, sign_type, charset, dropped, mistakes=slips, their_diff=their_diff
    )
    signature = _signature(values.get("sign", ""), findings)
    if signature is None:
        return replace(result, findings=tuple(findings))
    message = encode_message(text, charset)
    if verify_bytes(loaded.public_key, message, signature, digest(sign_type)):
        return replace(result, valid=True, findings=tuple(findings))
    with_type = string_to_sign(pairs, exclude=frozenset({"sign"}))
    if values.get("sign_type") and verify_bytes(
        loaded.public_key, encode_message(with_type, charset), signature, digest(sign_type)
    ):
        findings.append(
            Finding(
                "sign_type_signed_notification",
                _(
                    "这条通知的签名包含 sign_type（服务市场等少数通知如此）：去掉 sign_type 验不过，"
                    "带上 sign_type 验签通过。官方 SDK 两种都会试，自己实现时也要两种都试。"
                ),
                SRC_VERIFY,
                "sign_type",
            )
        )
        return replace(
            result,
            string_to_sign=with_type,
            valid=True,
            sign_type_signed=True,
            findings=tuple(findings),
        )
    repairs = notify_mistake_search(
        pairs, signature, loaded.public_key, charset=charset, sign_type=sign_type
    )
    if not repairs and not any(f.code in WRONG_KEY_CODES for f in findings):
        findings.append(
            Finding(
                "public_key_or_params_wrong",
                _(
                    "验签失败，常见的改动都复现不了：请确认用的是支付宝公钥（不是应用公钥），"
                    "证书模式下是支付宝公钥证书里的公钥；参数是收到的全部参数、原样未改。"
                ),
                SRC_VERIFY,
            )
        )
    return replace(result, findings=tuple(findings), mistakes=tuple(repairs) + slips)


# --- synchronous responses -----------------------------------------------------------------


@dataclass(frozen=True)
class ResponseParts:
    """The signed content of a response body, cut out exactly, and what sits beside it."""

    response_name: str
    signed_content: str
    sign: str = ""
    cert_sn: str = ""
    members: tuple[str, ...] = field(default=())
    repeated: tuple[str, ...] = ()  # members named twice: the first is taken


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def response_parts(body: str, method: str = "") -> ResponseParts:
    """The raw text of ``<method>_response`` (or ``error_response``, or the one ``*_response``
    member) and the ``sign`` / ``alipay_cert_sn`` beside it.

    The body's top-level members are read by json's own scanner, one value at a time, and each
    value's text is kept as it stands between its first and last character: nothing is parsed
    and dumped again.

    >>> parts = response_parts('{"a_response":{"url":"http:\\\\/\\\\/x"},"sign":"c2ln"}')
    >>> parts.signed_content, parts.sign
    ('{"url":"http:\\\\/\\\\/x"}', 'c2ln')
    """
    if len(body) > MAX_INPUT_CHARS:
        raise ParseError("too_large", _("输入超过 {size} KiB。", size=MAX_INPUT_CHARS // 1024))
    if nested_deeper_than(body, MAX_NESTING):
        raise ParseError("json_too_deep", _("JSON 嵌套超过 {depth} 层。", depth=MAX_NESTING))
    text = body.lstrip("\ufeff")
    decoder = json.JSONDecoder()
    members: dict[str, tuple[int, int]] = {}
    values: dict[str, object] = {}
    repeated: list[str] = []
    at = _skip_space(text, 0)
    if at >= len(text) or text[at] != "{":
        raise ParseError(
            "response_not_json",
            _(
                "应答必须是支付宝返回的 JSON 原文 {example}。",
                example='{"xxx_response":{…},"sign":"…"}',
            ),
        )
    at = _skip_space(text, at + 1)
    try:
        while at < len(text) and text[at] != "}":
            name, at = decoder.raw_decode(text, at)
            at = _skip_space(text, at)
            if not isinstance(name, str) or text[at] != ":":
                raise ValueError
            start = _skip_space(text, at + 1)
            value, end = decoder.raw_decode(text, start)
            # A repeated member is never Alipay's; the first is the one a text search finds
            # (fzlee/alipay issue #69), and the repeat is said.
            if name in members:
                repeated.append(name)
            else:
                members[name], values[name] = (start, end), value
            at = _skip_space(text, end)
            if text[at] == ",":
                at = _skip_space(text, at + 1)
        if at >= len(text):
            raise ValueError
    except (ValueError, IndexError, RecursionError):
        raise ParseError(
            "response_not_json",
            _("应答不是完整的 JSON：请粘贴收到的应答原文，一个字符也不要改。"),
        ) from None
    name = _response_name(list(members), method)
    start, end = members[name]
    sign, cert_sn = values.get("sign"), values.get("alipay_cert_sn")
    return ResponseParts(
        name,
        text[start:end],
        sign if isinstance(sign, str) else "",
        cert_sn if isinstance(cert_sn, str) else "",
        tuple(members),
        tuple(repeated),
    )


def _response_name(names: list[str], method: str) -> str:
    wanted = method.strip().replace(".", "_") + "_response" if method.strip() else ""
    for candidate in (wanted, "error_response"):
        if candidate and candidate in names:
            return candidate
    found = [name for name in names if name.endswith("_response")]
    if not found:
        raise ParseError(
            "response_key_missing",
            _(
                "应答里没有 xxx_response：签名的内容是 {example} 的值。",
                example='"<method>_response"',
            ),
        )
    return found[0]


@dataclass(frozen=True)
class ResponseVerification:
    signed_content: str
    response_name: str
    valid: bool
    sign_type: str
    charset: str
    cert_sn: str = ""
    findings: tuple[Finding, ...] = ()
    mistakes: tuple[AlipayMistake, ...] = ()
    reserialised: str = ""  # what parsing and dumping the content gives, when it differs
    reserialised_diff: TextDiff | None = None

    @property
    def mistake_cards(self) -> list[dict[str, object]]:
        return mistake_cards(self.mistakes, self.signed_content)

    def as_data(self) -> dict[str, object]:
        """The JSON answers' shape (POST /api/v1/alipay/verify-response, the command line)."""
        return {
            "signed_content": self.signed_content,
            "response_name": self.response_name,
            "valid": self.valid,
            "alipay_cert_sn": self.cert_sn,
            "mistakes": mistakes_data(self.mistakes),
            "findings": findings_data(self.findings),
        }


def verify_response(
    body: str,
    public_key: KeyInput,
    *,
    method: str = "",
    sign_type: str = "RSA2",
    charset: str = "UTF-8",
    app_key: LoadedKey | None = None,
) -> ResponseVerification:
    """Verify a synchronous response over the exact text of its ``*_response`` value."""
    parts = response_parts(body, method)
    loaded = as_public_key(public_key)
    findings = app_key_findings(loaded, app_key) or certificate_role_findings(loaded)
    findings += cert_sn_findings(loaded, parts.cert_sn)
    sign_type = sign_type.upper() if sign_type.upper() in ("RSA", "RSA2") else "RSA2"
    charset = "GBK" if charset.upper() == "GBK" else "UTF-8"
    reserialised = _reserialised(parts.signed_content)
    result = ResponseVerification(
        parts.signed_content,
        parts.response_name,
        False,
        sign_type,
        charset,
        parts.cert_sn,
        reserialised=reserialised,
        reserialised_diff=compare(reserialised, parts.signed_content) if reserialised else None,
    )
    if reserialised:
        findings.append(
            Finding(
                "response_reserialise_differs",
                _(
                    "如果代码先把应答解析成对象再转回 JSON，得到的字符串与原文不同（见下面的比较），"
                    "验签就会失败：要从原文里逐字截取 {name} 的值。",
                    name=parts.response_name,
                ),
                SRC_VERIFY,
            )
        )
    if parts.repeated:
        findings.append(
            Finding(
                "response_member_repeated",
                _(
                    "应答里 {names} 出现了不止一次：支付宝的应答不会这样，这里按第一个验签。"
                    "请确认粘贴的是收到的原文。",
                    names=joined(_("、"), dict.fromkeys(parts.repeated)),
                ),
                SRC_VERIFY,
            )
        )
    if parts.response_name == "error_response" or '"sub_code"' in parts.signed_content:
        findings.append(
            Finding(
                "response_is_error",
                _("这是一个错误应答（有 sub_code）：它同样带签名，验签规则不变。"),
                SRC_VERIFY,
            )
        )
    signature = _signature(parts.sign, findings)
    if signature is None:
        return replace(result, findings=tuple(findings))
    message = encode_message(parts.signed_content, charset)
    if verify_bytes(loaded.public_key, message, signature, digest(sign_type)):
        return replace(result, valid=True, findings=tuple(findings))
    mistakes = response_mistake_search(
        parts.signed_content, signature, loaded.public_key, charset=charset, sign_type=sign_type
    )
    if not mistakes and not any(f.code in WRONG_KEY_CODES for f in findings):
        findings.append(
            Finding(
                "public_key_or_body_wrong",
                _(
                    "验签失败：请确认用的是支付宝公钥（证书模式下是与 alipay_cert_sn 对应的支付宝公钥证书），"
                    "并且粘贴的是应答原文（没有被格式化或重新序列化）。"
                ),
                SRC_VERIFY,
            )
        )
    return replace(result, findings=tuple(findings), mistakes=tuple(mistakes))


def _reserialised(content: str) -> str:
    """The content as a parse-then-dump gives it (compact, non-ASCII kept), if that differs."""
    try:
        dumped = json.dumps(json.loads(content), ensure_ascii=False, separators=(",", ":"))
    except ValueError:
        return ""
    return "" if dumped == content else dumped
