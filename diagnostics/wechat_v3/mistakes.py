"""Which drift reproduces the merchant's APIv3 signature? (003 §2.1 签名生成 / 签名验证)

The merchant gives the request parts they believe they signed, the signature they sent (base64)
and the public key or certificate of the signing key. RSA signatures cannot be recomputed without
the private key, but each candidate message can be *verified* — one RSA verify, some 50 µs for a
2048-bit key. The search builds the message the way a drifting client would (body re-serialised,
query left out, host included, CRLF line ends, no final ``\\n``, method lower-case, timestamp in
milliseconds, SHA1 or PSS instead of SHA256 with PKCS#1 v1.5), every single drift and every pair of
drifts from different steps, and reports each one that verifies with the message that was signed.

A response or notification (signed by WeChat Pay, checked by the merchant) goes through the same
search with the steps that apply to three-line messages: mostly a body re-serialised by a framework
before verification.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import ClassVar

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.keys import (
    KeyInput,
    LoadedKey,
    as_private_key,
    as_public_key,
    decode_signature,
    keys_match,
    rsa_verify,
)
from diagnostics.core.mistakes import Explanation, MistakeInfo, catalogue, singles_and_pairs
from diagnostics.core.params import load_json, split_url
from diagnostics.core.text import Joined, Message, Text, _, joined
from diagnostics.core.textdiff import compare
from diagnostics.wechat_v3.signing import build_message, signing_url, visible_lines
from diagnostics.wechat_v3.verification import build_response_message

MAX_CANDIDATES = 300
DEFAULT_HOST = "https://api.mch.weixin.qq.com"
SRC = "003 §2.1 签名生成"
SRC_VERIFY = "003 §2.1 签名验证"


CATALOGUE = catalogue(
    MistakeInfo(
        "body_reserialised",
        _("签名用的请求体与发送的不是同一份"),
        _("先把请求体序列化成字符串，签名和发送都用这同一个字符串，不要各自 json_encode。"),
        SRC,
    ),
    MistakeInfo(
        "body_not_signed",
        _("请求体没有参与签名"),
        _("POST/PUT/PATCH 的签名串第五行是完整的请求体 JSON；只有 GET 和无包体的请求才为空。"),
        SRC,
    ),
    MistakeInfo(
        "body_whitespace",
        _("请求体首尾的空白或换行不一致"),
        _("签名用的请求体要与发送的字节完全相同，包括末尾有没有换行。"),
        SRC,
    ),
    MistakeInfo(
        "query_not_signed",
        _("URL 的查询参数没有参与签名"),
        _("签名串第二行是路径加 ?查询参数，例如 /v3/certificates?x=1。"),
        SRC,
    ),
    MistakeInfo(
        "host_signed",
        _("把域名也写进了签名串的 URL"),
        _("签名串第二行只取路径和查询参数，不含 https:// 和域名。"),
        SRC,
    ),
    MistakeInfo(
        "final_newline_missing",
        _("签名串末尾少了 “\\n”"),
        _("每一行（包括最后的请求体行）后面都要有一个 \\n。"),
        SRC,
    ),
    MistakeInfo(
        "crlf_line_ends",
        _("签名串用了 \\r\\n 换行"),
        _("各行之间只用 \\n（LF），Windows 上也不要用 \\r\\n 或 PHP_EOL。"),
        SRC,
    ),
    MistakeInfo(
        "method_lowercase",
        _("HTTP 方法写成了小写"),
        _("签名串第一行是大写的方法名：GET、POST、PUT、PATCH、DELETE。"),
        SRC,
    ),
    MistakeInfo(
        "timestamp_milliseconds",
        _("签名用的时间戳单位不对"),
        _("签名串和 Authorization 都用同一个 10 位的秒级时间戳。"),
        SRC,
    ),
    MistakeInfo(
        "sha1_not_sha256",
        _("用了 SHA1withRSA"),
        _("APIv3 的签名算法是 SHA256withRSA（WECHATPAY2-SHA256-RSA2048）。"),
        SRC,
    ),
    MistakeInfo(
        "pss_not_pkcs1",
        _("用了 RSA-PSS 填充"),
        _("APIv3 用 PKCS#1 v1.5 填充（Java 的 SHA256withRSA、openssl_sign 的默认）。"),
        SRC,
    ),
    MistakeInfo(
        "key_pair_mismatch",
        _("私钥与公钥/证书不是一对"),
        _("用与 serial_no 对应证书配对的商户 API 私钥（apiclient_key.pem）签名。"),
        "004 Header Authorization（签名认证）",
    ),
)


@dataclass(frozen=True)
class Mistake(Explanation):
    """One explanation that makes the merchant's signature verify."""

    catalogue: ClassVar[Mapping[str, MistakeInfo]] = CATALOGUE
    detail: Message
    message: str
    message_lines: tuple[str, ...]


@dataclass(frozen=True)
class MistakeSearch:
    correct: bool  # the signature verifies over the correct message
    found: tuple[Mistake, ...]
    candidates_tried: int
    findings: tuple[Finding, ...] = ()
    # "request": the merchant's own signature; "response": WeChat Pay's, which the merchant
    # verifies (the page words a mismatch as WeChat's signature not verifying, not as a mistake
    # the merchant made when signing).
    kind: str = "request"
    correct_message: str = ""  # what should have been signed, for the mistake cards' diff

    @property
    def mistake_cards(self) -> list[dict[str, object]]:
        """Each mistake with what its message changes from the correct one, marked."""
        return [
            {
                "mistake": mistake,
                "diff": compare(mistake.message, self.correct_message)
                if self.correct_message
                else None,
            }
            for mistake in self.found
        ]


@dataclass(frozen=True)
class _Drift:
    """One departure from the correct message: a code, a detail, and the parts it changes."""

    codes: tuple[str, ...]
    details: tuple[Message, ...]
    changes: tuple[tuple[str, str], ...] = ()
    scheme: str = ""  # "" (PKCS#1 v1.5 + SHA256), "sha1" or "pss"

    def __add__(self, other: _Drift) -> _Drift:
        return _Drift(
            self.codes + other.codes,
            self.details + other.details,
            self.changes + other.changes,
            self.scheme or other.scheme,
        )


_NONE = _Drift((), ())

# _Drift.scheme -> (hash, padding; None is PKCS#1 v1.5). "sha1" and "pss" reproduce a mistake.
_SCHEMES: dict[str, tuple[hashes.HashAlgorithm, padding.AsymmetricPadding | None]] = {
    "": (hashes.SHA256(), None),
    "sha1": (hashes.SHA1(), None),
    "pss": (
        hashes.SHA256(),
        padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO),
    ),
}


def _json_styles() -> list[tuple[Text | Joined, dict[str, object], bool]]:
    """JSON serialisations a client library might produce: (detail, dumps options, escape "/")."""
    styles: list[tuple[Text | Joined, dict[str, object], bool]] = []
    for compact in (True, False):
        for sort in (False, True):
            for ascii_ in (False, True):
                traits = [_("紧凑") if compact else _("带空格（“, ” “: ”）")]
                traits += [_("键排序")] if sort else []
                traits += [_("非 ASCII 转义为 \\uXXXX")] if ascii_ else []
                detail = joined(_("、"), traits)
                separators = (",", ":") if compact else (", ", ": ")
                options = {"separators": separators, "sort_keys": sort, "ensure_ascii": ascii_}
                styles.append((detail, options, False))
    compact_options: dict[str, object] = {"separators": (",", ":")}
    return [
        *styles,
        (_("缩进 {spaces} 格", spaces=2), {"indent": 2, "ensure_ascii": False}, False),
        (_("缩进 {spaces} 格", spaces=4), {"indent": 4, "ensure_ascii": False}, False),
        (
            _("PHP json_encode 默认（转义 / 和非 ASCII）"),
            {**compact_options, "ensure_ascii": True},
            True,
        ),
        (_("转义了 “/”"), {**compact_options, "ensure_ascii": False}, True),
    ]


_JSON_STYLES = _json_styles()


def body_variants(body: str) -> Iterator[tuple[Text | Joined, str]]:
    """(detail, text) for each other way of serialising a JSON ``body``."""
    try:
        document = load_json(body)
    except ParseError:
        return
    if not isinstance(document, dict | list):
        return
    seen = {body}
    for detail, options, escape_slashes in _JSON_STYLES:
        text = json.dumps(document, **options)
        if escape_slashes:
            text = text.replace("/", "\\/")
        if text not in seen:
            seen.add(text)
            yield detail, text


def _body_steps(body: str) -> list[_Drift]:
    drifts = [
        _Drift(
            ("body_reserialised",),
            (_("签名时请求体是另一种 JSON 写法：{style}", style=detail),),
            (("body", text),),
        )
        for detail, text in body_variants(body)
    ]
    if body:
        drifts.append(_Drift(("body_not_signed",), (_("签名串里的请求体是空的"),), (("body", ""),)))
    for detail, text in (
        (_("签名用的请求体去掉了首尾空白"), body.strip()),
        (_("签名用的请求体末尾多了一个换行"), body + "\n"),
    ):
        if text != body and (body.strip() or text):
            drifts.append(_Drift(("body_whitespace",), (detail,), (("body", text),)))
    return drifts


def _request_steps(parts: dict[str, str], url: str) -> list[list[_Drift]]:
    """The drifts of each step of the request ``parts`` build; ``url`` as given, host and all."""
    method, signed_url, timestamp = parts["method"], parts["url"], parts["timestamp"]
    given = split_url(url.strip())
    host = f"{given.scheme}://{given.netloc}" if given.netloc else DEFAULT_HOST
    url_steps = [
        _Drift(
            ("host_signed",), (_("URL 带上了 {host}", host=host),), (("url", host + signed_url),)
        )
    ]
    if "?" in signed_url:
        path = signed_url.split("?", 1)[0]
        url_steps.append(
            _Drift(("query_not_signed",), (_("URL 没带 ?查询参数"),), (("url", path),))
        )
    timestamp_steps = []
    if len(timestamp) == 10 and timestamp.isdigit():
        timestamp_steps.append(
            _Drift(
                ("timestamp_milliseconds",),
                (_("签名用的是毫秒时间戳"),),
                (("timestamp", timestamp + "000"),),
            )
        )
    elif len(timestamp) == 13 and timestamp.isdigit():
        timestamp_steps.append(
            _Drift(
                ("timestamp_milliseconds",),
                (_("签名用的是秒，而给出的时间戳是毫秒"),),
                (("timestamp", timestamp[:10]),),
            )
        )
    method_steps = []
    if method != method.lower():
        method_steps.append(
            _Drift(
                ("method_lowercase",),
                (_("方法写成了 {method}", method=method.lower()),),
                (("method", method.lower()),),
            )
        )
    return [
        _body_steps(parts["body"]) if method != "GET" else [],
        url_steps,
        timestamp_steps,
        method_steps,
        *_format_steps(),
    ]


def _format_steps() -> list[list[_Drift]]:
    return [
        [_Drift(("final_newline_missing",), (_("末尾没有 \\n"),), (("final", ""),))],
        [_Drift(("crlf_line_ends",), (_("各行用 \\r\\n 分隔"),), (("newline", "\r\n"),))],
        [
            _Drift(("sha1_not_sha256",), (_("用 SHA1withRSA 签名"),), scheme="sha1"),
            _Drift(("pss_not_pkcs1",), (_("用 RSA-PSS 填充签名"),), scheme="pss"),
        ],
    ]


def _render(kind: str, parts: dict[str, str], drift: _Drift) -> str:
    values = {**parts, "final": "\n", "newline": "\n", **dict(drift.changes)}
    if kind == "request":
        message = build_message(
            parts["method"], values["url"], values["timestamp"], values["nonce"], values["body"]
        )
        # build_message upper-cases the method; the lower-case drift puts it back as typed.
        message = values["method"] + message[len(parts["method"]) :]
    else:
        message = build_response_message(values["timestamp"], values["nonce"], values["body"])
    if values["newline"] != "\n":
        message = message.replace("\n", values["newline"])
    if values["final"] == "":
        message = message.removesuffix(values["newline"])
    return message


def _candidates(steps: list[list[_Drift]], pairs: bool) -> list[_Drift]:
    if not pairs:
        return [drift for step in steps for drift in step]
    return singles_and_pairs(steps)


def _search(
    kind: str,
    parts: dict[str, str],
    steps: list[list[_Drift]],
    signature: str,
    public: LoadedKey,
    private_key: KeyInput | None,
    max_results: int,
) -> MistakeSearch:
    findings: list[Finding] = []
    raw = decode_signature(signature)
    if raw is None:
        return MistakeSearch(
            False,
            (),
            0,
            (
                Finding(
                    "signature_not_base64",
                    _("签名不是有效的 base64，无法验证。"),
                    SRC,
                    "signature",
                ),
            ),
        )
    keys: list[tuple[object, tuple[str, ...], bool]] = [(public.public_key, (), True)]
    if private_key is not None:
        private = as_private_key(private_key)
        if not keys_match(private, public):
            findings.append(
                Finding(
                    "key_pair_mismatch",
                    _(
                        "你给的私钥与公钥/证书不是一对（模数不同）：微信支付用 serial_no 指向的"
                        "证书验签，私钥必须与它配对。"
                    ),
                    "004 Header Authorization（签名认证）",
                    "private_key",
                )
            )
            # Whether the signature at least comes from this private key: singles only, cheap.
            keys.append((private.public_key, ("key_pair_mismatch",), False))
    found: list[Mistake] = []
    correct = False
    tried = 0
    seen: set[tuple[str, str]] = set()
    for key, extra_codes, with_pairs in keys:
        for drift in [_NONE, *_candidates(steps, with_pairs)]:
            if tried >= MAX_CANDIDATES or len(found) >= max_results:
                break
            message = _render(kind, parts, drift)
            if (message, drift.scheme) in seen and not extra_codes:
                continue
            seen.add((message, drift.scheme))
            tried += 1
            if not rsa_verify(key, message, raw, *_SCHEMES[drift.scheme]):
                continue
            codes = extra_codes + drift.codes
            if not codes:
                correct = True
                continue
            details = (_("签名是用你给的私钥做的，但公钥/证书不是它的一对"),) if extra_codes else ()
            found.append(
                Mistake(
                    codes,
                    _(
                        "你的签名能这样复现：{drifts}。",
                        drifts=joined(_("，并且"), details + drift.details),
                    )
                    if kind != "response"
                    else _(
                        "微信支付的签名要这样才能验证通过：{drifts}。也就是说，你验签用的内容与它签名时的不同。",
                        drifts=joined(_("，并且"), drift.details),
                    ),
                    message,
                    visible_lines(message),
                )
            )
    if correct:
        findings.append(
            Finding(
                "signature_correct",
                _(
                    "签名与按这些参数构造的签名串相符。如果微信支付仍返回 401 SIGN_ERROR，"
                    "请检查实际发出的请求是否与这里的参数逐字一致，"
                    "以及 serial_no 是否对应这把私钥的证书。"
                ),
                SRC,
            )
        )
    elif not found:
        findings.append(
            Finding(
                "nothing_verifies",
                _(
                    "常见偏差（单个或两两组合）都复现不了这个签名：签名很可能是用另一把私钥做的，"
                    "与你给的公钥/证书不是一对；也请确认粘贴的参数与实际签名时的完全一致。"
                ),
                SRC,
            )
        )
    return MistakeSearch(
        correct, tuple(found), tried, tuple(findings), kind, _render(kind, parts, _NONE)
    )


def mistake_search(
    *,
    method: str,
    url: str,
    timestamp: str,
    nonce: str,
    body: str = "",
    signature: str,
    public_key: KeyInput,
    private_key: KeyInput | None = None,
    max_results: int = 10,
) -> MistakeSearch:
    """Find the drifts under which ``signature`` verifies for this request.

    ``public_key`` is the merchant API certificate (or its public key); ``private_key``, when given,
    is checked against it and, if they do not match, tried as the signer.
    """
    method = method.strip().upper()
    parts = {
        "method": method,
        "url": signing_url(url)[0],
        "timestamp": str(timestamp).strip(),
        "nonce": nonce,
        "body": "" if method == "GET" else body,
    }
    steps = _request_steps(parts, url)
    return _search(
        "request", parts, steps, signature, as_public_key(public_key), private_key, max_results
    )


def response_mistake_search(
    *,
    timestamp: str,
    nonce: str,
    body: str,
    signature: str,
    public_key: KeyInput,
    max_results: int = 10,
) -> MistakeSearch:
    """Find how the body or line ends must differ for WeChat Pay's signature to verify."""
    parts = {"timestamp": str(timestamp).strip(), "nonce": nonce.strip(), "body": body}
    steps = [_body_steps(body), *_format_steps()[:2]]
    return _search(
        "response", parts, steps, signature, as_public_key(public_key), None, max_results
    )
