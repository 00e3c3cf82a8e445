"""Request signing (自行实现签名, https://opendocs.alipay.com/common/02kf5q): every parameter except
``sign`` — ``sign_type`` included, and in certificate mode ``app_cert_sn`` and
``alipay_root_cert_sn`` — empty values dropped, sorted by name, ``name=value`` joined by ``&``,
values as they are (not URL-encoded; biz_content as the exact JSON string sent), the bytes in the
request's charset (UTF-8, or GBK with ``charset=GBK``), RSA2 = SHA256withRSA or RSA = SHA1withRSA
(PKCS#1 v1.5), base64.

>>> string_to_sign([("sign_type", "RSA2"), ("b", ""), ("app_id", "1"), ("sign", "x")])
'app_id=1&sign_type=RSA2'
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from urllib.parse import unquote, unquote_plus, urlencode

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from diagnostics.alipay.checks import (
    AUTO_MODE,
    REQUEST_EXCLUDED,
    SRC_SIGN,
    Pairs,
    ParamsInput,
    charset_of,
    check_request,
    digest,
    encode_message,
    sign_type_of,
)
from diagnostics.core.findings import Finding, ParseError
from diagnostics.core.keys import KeyInput, LoadedKey, as_private_key
from diagnostics.core.params import (
    MAX_INPUT_CHARS,
    ParsedParams,
    from_mapping,
    has_lone_surrogate,
    parse_params,
    split_url,
)
from diagnostics.core.text import Message, _

# --- reading the parameters ----------------------------------------------------------------


@dataclass(frozen=True)
class ReadParams:
    pairs: list[tuple[str, str]]
    findings: list[Finding]
    # The values as they were in a pasted form body, before decoding (None: not a form body).
    raw_values: dict[str, str] | None = None


_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")


def read_params(params: ParamsInput | ReadParams) -> ReadParams:
    """Pairs from a query or form body (decoded once, as the gateway or the notify handler
    would), the gateway URL, ``name=value`` lines, JSON, XML, a mapping or pairs.

    A query holding a plain space or a character outside ASCII was pasted decoded already: its
    values are taken as they are (a ``+`` in a sign stays a ``+``).
    """
    if isinstance(params, ReadParams):  # read already: a paste is read once per request
        return params
    read = _read(params)
    if has_lone_surrogate(read.pairs):
        # No charset can hold it: signing would fail deep inside a search.
        raise ParseError(
            "invalid_text", _("内容里有无效的 Unicode 字符（孤立的代理项 \\uD800–\\uDFFF）。")
        )
    return read


def _read(params: ParamsInput) -> ReadParams:
    if not isinstance(params, str):
        return _resourced(from_mapping(params if isinstance(params, Mapping) else dict(params)))
    if len(params) > MAX_INPUT_CHARS:
        parse_params(params)  # raises the size error
    text = params.replace("\ufeff", "").strip()
    query = text
    if re.match(r"https?://", text):
        query = split_url("&".join(part.strip() for part in text.split("&"))).query
        if not query:
            raise ParseError("url_without_query", _("这个 URL 没有 ? 后面的参数部分。"))
    elif not text or text.startswith(("{", "<")) or "\n" in text:
        parsed = parse_params(text)
        if parsed.format != "query":  # lines, JSON, XML; a query wrapped over lines is a form
            return _resourced(parsed)
    return _read_form(query.removeprefix("?"))


def _read_form(query: str) -> ReadParams:
    raw: list[tuple[str, str]] = []
    for piece in query.replace("\r", "").replace("\n", "").split("&"):
        if piece:
            name, _sep, value = piece.partition("=")
            raw.append((name, value))
    decoded_already = " " in query or not query.isascii()
    findings: list[Finding] = []
    if decoded_already:
        pairs = [(name.strip(), value) for name, value in raw]
    else:
        # A GBK request or notification percent-encodes GBK bytes (its charset says so).
        gbk = any(name == "charset" and value.lower() == "gbk" for name, value in raw)
        encoding = "gbk" if gbk else "utf-8"
        pairs = [
            (unquote_plus(name, encoding).strip(), unquote_plus(value, encoding))
            for name, value in raw
        ]
        if any(_PERCENT.search(value) or "+" in value for _name, value in raw):
            findings.append(
                Finding(
                    "values_percent_decoded",
                    _(
                        "粘贴的是 URL 编码后的参数，已解码一次（%XX 和表示空格的 +）："
                        "签名和验签都用解码后的原值。"
                    ),
                    SRC_SIGN,
                )
            )
    checked = _resourced(from_mapping(dict(pairs)))  # secret-named fields out, the count capped
    names = {name for name, _value in checked.pairs}
    return ReadParams(
        checked.pairs,
        findings + checked.findings,
        None if decoded_already else {name: value for name, value in raw if name in names},
    )


# Request parameters whose names read as secrets (diagnostics.core.redaction) but which Alipay
# signs like any other (公共请求参数): they stay in the string to sign; the pages still never
# show their values.
SIGNED_TOKENS = frozenset({"app_auth_token", "auth_token"})


def _resourced(parsed: ParsedParams) -> ReadParams:
    """The shared parser's pairs, with the tokens Alipay signs put back; it cites WeChat's
    documents for what it repairs, and here the rule is Alipay's."""
    pairs = list(parsed.pairs)
    findings = [
        replace(finding, source=SRC_SIGN)
        for finding in parsed.findings
        if not (finding.code == "secret_in_params" and finding.field in SIGNED_TOKENS)
    ]
    for name, value in parsed.secrets.items():
        if name in SIGNED_TOKENS:
            pairs.append((name, value))
    return ReadParams(pairs, findings)


# --- the string to sign --------------------------------------------------------------------


@dataclass(frozen=True)
class Dropped:
    """A parameter left out of the string to sign, and why."""

    name: str
    reason: Message


def _dropped(pairs: Pairs, exclude: frozenset[str], drop_empty: bool) -> list[Dropped]:
    dropped = []
    for name, value in pairs:
        if name == "sign":
            dropped.append(Dropped(name, _("sign 是签名本身，不参与签名")))
        elif name == "sign_type" and name in exclude:
            dropped.append(Dropped(name, _("通知验签时 sign_type 不参与")))
        elif name in exclude:
            dropped.append(Dropped(name, _("不参与签名")))
        elif drop_empty and value == "":
            dropped.append(Dropped(name, _("空值不参与签名")))
    return dropped


def signed_pairs(
    pairs: Pairs, *, exclude: frozenset[str] = REQUEST_EXCLUDED, drop_empty: bool = True
) -> list[tuple[str, str]]:
    """The pairs that take part, sorted by name (code-point order, as the SDKs sort)."""
    chosen = [
        (name, value)
        for name, value in pairs
        if name not in exclude and not (drop_empty and value == "")
    ]
    return sorted(chosen, key=lambda pair: pair[0])


def string_to_sign(
    pairs: Pairs,
    *,
    exclude: frozenset[str] = REQUEST_EXCLUDED,
    drop_empty: bool = True,
    encode: Callable[[str], str] | None = None,
    sort: bool = True,
) -> str:
    """``name=value&...`` of :func:`signed_pairs` (``sort=False`` keeps the pasted order)."""
    chosen = signed_pairs(pairs, exclude=exclude, drop_empty=drop_empty)
    if not sort:
        order = {name: index for index, (name, _value) in enumerate(pairs)}
        chosen.sort(key=lambda pair: order[pair[0]])
    return "&".join(f"{name}={encode(value) if encode else value}" for name, value in chosen)


# --- signatures over bytes in the request's charset ----------------------------------------


def sign_bytes(private: LoadedKey, message: bytes, algorithm: hashes.HashAlgorithm) -> str:
    raw = private.key.sign(message, padding.PKCS1v15(), algorithm)  # type: ignore[attr-defined]
    return base64.b64encode(raw).decode("ascii")


def verify_bytes(
    public_key: object, message: bytes, signature: bytes, algorithm: hashes.HashAlgorithm
) -> bool:
    try:
        public_key.verify(signature, message, padding.PKCS1v15(), algorithm)  # type: ignore[attr-defined]
    except InvalidSignature:
        return False
    return True


def normalise_sign(sign: str) -> str:
    """A pasted base64 sign as sent: whitespace dropped, URL-encoding undone, a ``+`` that a form
    decoder turned into a space put back."""
    text = sign.strip()
    if _PERCENT.search(text):
        text = unquote(text)
    return re.sub(r"\s+", "", text.replace(" ", "+"))


# --- signing (the application private key) -------------------------------------------------


@dataclass(frozen=True)
class AlipaySign:
    string_to_sign: str
    sign: str
    sign_type: str
    charset: str
    included: tuple[tuple[str, str], ...]
    dropped: tuple[Dropped, ...]
    findings: tuple[Finding, ...] = ()


def sign(
    params: ParamsInput | ReadParams,
    private_key: KeyInput,
    *,
    sign_type: str | None = None,
    mode: str = AUTO_MODE,
) -> AlipaySign:
    """The request's sign with the application private key (应用私钥).

    ``sign_type`` (the API's) is added to the params when they have none: it is a request
    parameter and takes part in the sign.
    """
    prepared = prepare_sign(params, sign_type=sign_type, mode=mode)
    message = encode_message(prepared.string_to_sign, prepared.charset)
    signature = sign_bytes(as_private_key(private_key), message, digest(prepared.sign_type))
    return replace(prepared, sign=signature)


def prepare_sign(
    params: ParamsInput | ReadParams, *, sign_type: str | None = None, mode: str = AUTO_MODE
) -> AlipaySign:
    """Every step of ``sign`` but the signature (``sign`` is empty): local mode (本地计算) makes
    it in the browser, which keeps the private key."""
    read = read_params(params)
    pairs, findings = with_sign_type(read.pairs, sign_type)
    findings = read.findings + findings + check_request(pairs, mode=mode)
    chosen_type = sign_type_of(pairs, sign_type)
    charset = charset_of(pairs)
    text = string_to_sign(pairs)
    encode_message(text, charset)  # a GBK request with a character GBK cannot hold is refused
    return AlipaySign(
        string_to_sign=text,
        sign="",
        sign_type=chosen_type,
        charset=charset,
        included=tuple(signed_pairs(pairs)),
        dropped=tuple(_dropped(pairs, REQUEST_EXCLUDED, True)),
        findings=tuple(findings),
    )


def with_sign_type(
    pairs: list[tuple[str, str]], sign_type: str | None
) -> tuple[list[tuple[str, str]], list[Finding]]:
    """The params with ``sign_type`` added when it was given apart and they have none."""
    given = (sign_type or "").strip()
    present = dict(pairs).get("sign_type")
    if not given:
        return pairs, []
    if present is None:
        return [*pairs, ("sign_type", given)], [
            Finding(
                "sign_type_added",
                _(
                    "参数里没有 sign_type，已按你选的 {value} 加入：它参与签名，也要随请求发送。",
                    value=given,
                ),
                SRC_SIGN,
                "sign_type",
            )
        ]
    if present.strip().upper() != given.upper():
        return pairs, [
            Finding(
                "sign_type_conflict",
                _(
                    "参数里的 sign_type={present}，与你选的 {given} 不同：按参数里的计算；"
                    "签名算法必须与发送的 sign_type 一致。",
                    present=present[:20],
                    given=given[:20],
                ),
                SRC_SIGN,
                "sign_type",
            )
        ]
    return pairs, []


def with_sign(
    params: ParamsInput | ReadParams, signature: str, sign_type: str | None = None
) -> str:
    """What to send: the params and the sign as a URL-encoded query (values encoded for the
    transport only; the gateway decodes them before it verifies). Empty values are left out:
    they are not signed, and an empty one sent can be refused (App pay's 商家订单参数异常)."""
    pairs, _findings = with_sign_type(read_params(params).pairs, sign_type)
    sent = [(name, value) for name, value in pairs if name != "sign" and value != ""]
    return urlencode([*sent, ("sign", signature)])
