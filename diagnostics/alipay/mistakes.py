"""Which departure from the Alipay rules reproduces a sign: for a request signed by the merchant
(URL-encoded values, sign_type left out, empty values kept, biz_content re-serialised, GBK vs
UTF-8, RSA instead of RSA2, certificate SNs), for a notification that does not verify as pasted
or a string the merchant's code verified, and for a response body re-serialised after it arrived.

RSA PKCS#1 v1.5 signatures are deterministic: the same bytes, key and digest always give the same
signature, so "this variant gives your sign" is checked by verifying the merchant's signature over
the variant with the key's public half — the same answer as re-signing and comparing the bytes, at
a fraction of the cost.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import ClassVar
from urllib.parse import quote, quote_plus, unquote, unquote_plus

from diagnostics.alipay.catalogue import CATALOGUE
from diagnostics.alipay.checks import (
    CERT_SN_FIELDS,
    NOTIFY_EXCLUDED,
    REQUEST_EXCLUDED,
    Pairs,
    digest,
)
from diagnostics.alipay.signing import string_to_sign, verify_bytes
from diagnostics.core.findings import ParseError
from diagnostics.core.mistakes import (
    Distinct,
    Explanation,
    singles_and_pairs,
)
from diagnostics.core.params import load_json
from diagnostics.core.text import Message, _, joined
from diagnostics.core.textdiff import compare


@dataclass(frozen=True)
class AlipayMistake(Explanation):
    """One departure (or two) that reproduces the sign; ``string_to_sign`` is what was signed."""

    detail: Message
    string_to_sign: str
    charset: str
    sign_type: str
    catalogue: ClassVar = CATALOGUE


def mistakes_data(mistakes: Sequence[AlipayMistake]) -> list[dict[str, object]]:
    """The mistakes as plain data, sentences in the reader's language (the JSON answers' shape)."""
    return [
        {
            "code": m.code,
            "codes": list(m.codes),
            "detail": str(m.detail),
            "string_to_sign": m.string_to_sign,
            "fixes": [str(fix) for fix in m.fixes],
            "source": m.sources,
        }
        for m in mistakes
    ]


def mistake_cards(mistakes: Sequence[AlipayMistake], correct: str) -> list[dict[str, object]]:
    """Each mistake with what its string changes from the correct one, marked (the pages' cards)."""
    return [{"mistake": m, "diff": compare(m.string_to_sign, correct)} for m in mistakes]


def _detail(codes: Sequence[str], name: str = "") -> Message:
    titles = [CATALOGUE[code].title for code in codes]
    if name:
        titles = [
            _("{title}：{name}", title=title, name=name)
            if code in ("param_dropped", "param_added", "plus_as_space", "values_urlencoded")
            else title
            for code, title in zip(codes, titles, strict=True)
        ]
    return _("签名能这样复现：{mistakes}。", mistakes=joined(_("，并且"), titles))


# --- departures: each knows the string, charset and sign type it produces --------------------


@dataclass(frozen=True)
class Departure:
    codes: tuple[str, ...]
    # (pairs, charset, sign_type) -> the same, changed; applied in order
    changes: tuple[Callable[[list[tuple[str, str]], str, str], tuple[list, str, str]], ...]
    options: frozenset[str] = frozenset()  # string-building options: keep_empty, unsorted, …
    name: str = ""  # the parameter a departure adds or drops

    def __add__(self, other: Departure) -> Departure:
        return Departure(
            self.codes + other.codes,
            self.changes + other.changes,
            self.options | other.options,
            self.name or other.name,
        )


def _map_values(change: Callable[[str], str], skip: frozenset[str] = frozenset({"sign"})):
    def apply(pairs: list, charset: str, sign_type: str) -> tuple[list, str, str]:
        return [(n, v if n in skip else change(v)) for n, v in pairs], charset, sign_type

    return apply


def _set_value(name: str, value: str):
    def apply(pairs: list, charset: str, sign_type: str) -> tuple[list, str, str]:
        return [(n, value if n == name else v) for n, v in pairs], charset, sign_type

    return apply


def _drop(name: str):
    def apply(pairs: list, charset: str, sign_type: str) -> tuple[list, str, str]:
        return [(n, v) for n, v in pairs if n != name], charset, sign_type

    return apply


def _swap_charset(pairs: list, charset: str, sign_type: str) -> tuple[list, str, str]:
    return pairs, "UTF-8" if charset == "GBK" else "GBK", sign_type


def _swap_digest(pairs: list, charset: str, sign_type: str) -> tuple[list, str, str]:
    return pairs, charset, "RSA" if sign_type == "RSA2" else "RSA2"


def _quote_js(value: str) -> str:
    """encodeURIComponent's choice of safe characters."""
    return quote(value, safe="-_.!~*'()")


# Gson's default JsonWriter is "HTML safe": it writes these as \uXXXX (GsonBuilder
# .disableHtmlEscaping turns it off), and U+2028/U+2029 always, for JavaScript's sake.
_GSON_ESCAPED = {ord(c): f"\\u{ord(c):04x}" for c in "<>&='\u2028\u2029"}


def _compact(document: object, *, ascii_only: bool) -> str:
    return json.dumps(document, ensure_ascii=ascii_only, separators=(",", ":"))


def biz_content_variants(text: str) -> list[tuple[str, str]]:
    """The usual re-serialisations of a biz_content that differ from it: (code, text), one
    difference at a time first, then each common serialiser's defaults as it writes them together.

    >>> dict(biz_content_variants('{"b":"/","a":"="}'))["biz_content_php_json_encode"]
    '{"b":"\\\\/","a":"="}'
    >>> dict(biz_content_variants('{"b":"/","a":"="}'))["biz_content_gson"]
    '{"b":"/","a":"\\\\u003d"}'
    """
    try:
        document = load_json(text)
    except ParseError:
        return []
    if not isinstance(document, dict):
        return []
    # JSON has "/", "<", "=" … only inside strings: replacing them in the text escapes values
    # and names alone. Python writes \uXXXX in lower case, as PHP does.
    candidates = [
        ("biz_content_spaces", json.dumps(document, ensure_ascii=False)),
        ("biz_content_compacted", _compact(document, ascii_only=False)),
        ("biz_content_escaped", _compact(document, ascii_only=True)),
        (
            "biz_content_key_order",
            json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True),
        ),
        # Python's json.dumps(biz): ", " and ": ", non-ASCII as \uXXXX; and with sort_keys=True
        ("biz_content_python_json", json.dumps(document)),
        ("biz_content_python_json_sorted", json.dumps(document, sort_keys=True)),
        # PHP's json_encode($biz): no spaces, non-ASCII as \uXXXX, "/" as "\/"; and with
        # JSON_UNESCAPED_UNICODE, which keeps the Chinese but still escapes the slashes
        ("biz_content_php_json_encode", _compact(document, ascii_only=True).replace("/", "\\/")),
        (
            "biz_content_php_unescaped_unicode",
            _compact(document, ascii_only=False).replace("/", "\\/"),
        ),
        # new Gson().toJson(biz): no spaces, Chinese kept, = & < > ' as \u003d \u0026 …
        ("biz_content_gson", _compact(document, ascii_only=False).translate(_GSON_ESCAPED)),
    ]
    seen = {text}
    return [
        (code, value) for code, value in candidates if value not in seen and not seen.add(value)
    ]


# A notification carries about thirty parameters, a request a dozen; past this many the
# one-parameter departures (a value encoded, a "+" per value, an extra parameter per name) are not
# tried: each pairs with every other step.
MAX_ONE_PARAMETER_REPAIRS = 60


def _one_parameter_then_digest(
    steps: list[list[Departure]], one_parameter: list[Departure]
) -> list[Departure]:
    """Each single and pair of ``steps``, then the one-parameter departures alone and with the
    other digest only: paired with every step they would rebuild a long string n × steps times."""
    swap = Departure(("digest_swapped",), (_swap_digest,))
    return [*singles_and_pairs(steps), *one_parameter, *(d + swap for d in one_parameter)]


def _request_departures(pairs: Pairs) -> list[Departure]:
    values = dict(pairs)
    signed_values = [v for n, v in pairs if n not in REQUEST_EXCLUDED]
    # One search encodes a long value once per encoder, not once per pair it takes part in.
    encoders = (cache(quote_plus), cache(_quote_js))
    sn_present = [name for name in CERT_SN_FIELDS if values.get(name)]
    # Just one value encoded by hand before signing (biz_content, a URL), when there are few.
    one_value = [
        Departure(("values_urlencoded",), (_set_value(n, encoders[0](v)),), name=n)
        for n, v in pairs
        if n not in REQUEST_EXCLUDED and encoders[0](v) != v
    ]
    steps = [
        [Departure(("values_urlencoded",), (_map_values(encode),)) for encode in encoders]
        if any(encode(v) != v for v in signed_values for encode in encoders)
        else [],
        [Departure(("sign_type_left_out",), (_drop("sign_type"),))]
        if values.get("sign_type")
        else [],
        [Departure(("empty_values_kept",), (), frozenset({"keep_empty"}))]
        if "" in signed_values
        else [],
        [
            Departure((code,), (_set_value("biz_content", text),))
            for code, text in biz_content_variants(values.get("biz_content", ""))
        ],
        [Departure(("charset_swapped",), (_swap_charset,))]
        if not all(v.isascii() for v in signed_values)
        else [],
        [Departure(("digest_swapped",), (_swap_digest,))],
        [Departure(("cert_sns_left_out",), tuple(_drop(name) for name in sn_present))]
        if sn_present
        else [],
        [Departure(("not_sorted",), (), frozenset({"unsorted"}))],
    ]
    if len(one_value) > 1 and len(pairs) <= MAX_ONE_PARAMETER_REPAIRS:
        return _one_parameter_then_digest(steps, one_value)
    return singles_and_pairs(steps)


@dataclass(frozen=True)
class Candidate:
    departure: Departure
    text: str
    charset: str
    sign_type: str
    message: bytes


def _candidates(
    pairs: Pairs,
    departures: Iterable[Departure],
    charset: str,
    sign_type: str,
    exclude: frozenset[str],
    drop_empty: bool,
) -> Iterator[Candidate]:
    """Each single departure and each pair, once per distinct message (the bytes signed) and
    digest: a departure that changes nothing for this input is never reported. One at a time,
    and remembered by a hash: a long notification's strings are never all held at once."""
    correct = _encoded(string_to_sign(pairs, exclude=exclude, drop_empty=drop_empty), charset)
    distinct = Distinct((_fingerprint(correct), sign_type))
    for departure in departures:
        changed, chosen_charset, chosen_type = list(pairs), charset, sign_type
        for change in departure.changes:
            changed, chosen_charset, chosen_type = change(changed, chosen_charset, chosen_type)
        text = string_to_sign(
            changed,
            # the service-market notifications sign sign_type too
            exclude=exclude - {"sign_type"} if "with_sign_type" in departure.options else exclude,
            drop_empty=drop_empty and "keep_empty" not in departure.options,
            sort="unsorted" not in departure.options,
        )
        message = _encoded(text, chosen_charset)
        if message is not None and distinct.new((_fingerprint(message), chosen_type)):
            yield Candidate(departure, text, chosen_charset, chosen_type, message)


def _fingerprint(message: bytes | None) -> bytes:
    return hashlib.sha256(message or b"").digest()


def _encoded(text: str, charset: str) -> bytes | None:
    try:
        return text.encode("gbk" if charset == "GBK" else "utf-8")
    except UnicodeEncodeError:
        return None


def _verifying(
    candidates: Iterable[Candidate], public_key: object, signature: bytes, max_results: int
) -> list[AlipayMistake]:
    found = []
    for candidate in candidates:
        if verify_bytes(public_key, candidate.message, signature, digest(candidate.sign_type)):
            codes = candidate.departure.codes
            found.append(
                AlipayMistake(
                    codes,
                    _detail(codes, candidate.departure.name),
                    candidate.text,
                    candidate.charset,
                    candidate.sign_type,
                )
            )
            if len(found) >= max_results:
                break
    return found


def request_mistake_search(
    pairs: Pairs,
    signature: bytes | None,
    public_key: object,
    *,
    charset: str,
    sign_type: str,
    gateway: str = "",
    max_results: int = 10,
) -> tuple[list[AlipayMistake], tuple[str, ...]]:
    """The departures under which the merchant's ``signature`` verifies with their key's public
    half, and the one (if any) whose string is the ``gateway``'s."""
    found: list[AlipayMistake] = []
    explained: tuple[str, ...] = ()
    for candidate in _candidates(
        pairs, _request_departures(pairs), charset, sign_type, REQUEST_EXCLUDED, True
    ):
        if gateway and not explained and candidate.text == gateway:
            explained = candidate.departure.codes
        if signature is not None and len(found) < max_results:
            found += _verifying([candidate], public_key, signature, 1)
    return found, explained


# --- notifications -------------------------------------------------------------------------


# Only an entity closed by ";" is undone: html.unescape also reads HTML's legacy names without
# one, which turns a plain "&notify_url=" into "¬ify_url=" and "&timestamp=" into "×tamp=".
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def html_unescaped(text: str) -> str:
    """``text`` with its HTML entities undone, and nothing else.

    >>> html_unescaped("a=1&amp;notify_url=x&timestamp=2&quot;")
    'a=1&notify_url=x&timestamp=2"'
    """
    return _ENTITY.sub(lambda match: html.unescape(match.group()), text)


def _has_entity(value: str) -> bool:
    return "&" in value and html_unescaped(value) != value


def _notify_repairs(pairs: Pairs) -> list[Departure]:
    """What to undo in a pasted notification for Alipay's sign to verify: each names the slip
    that changed it on the merchant's side. The one-parameter repairs are tried alone and with the
    other digest (:func:`_one_parameter_then_digest`)."""
    signed = [(n, v) for n, v in pairs if n not in NOTIFY_EXCLUDED]
    values = [v for _n, v in signed]
    one_parameter: list[Departure] = []
    if len(signed) <= MAX_ONE_PARAMETER_REPAIRS:
        # one value at a time: notification times hold a real space (gmt_create)
        one_parameter += [
            Departure(("plus_as_space",), (_set_value(n, v.replace(" ", "+")),), name=n)
            for n, v in signed
            if " " in v
        ]
        one_parameter += [Departure(("param_added",), (_drop(n),), name=n) for n, _v in signed]
    steps = [
        [Departure(("values_html_escaped",), (_map_values(html_unescaped),))]
        if any(_has_entity(v) for v in values)
        else [],
        # A form body writes a space as "+" (every notification time holds one): undone as a
        # form decoder does; %XX alone too, for a "+" that was pasted decoded beside the rest.
        [Departure(("not_decoded",), (_map_values(decode),)) for decode in (unquote_plus, unquote)]
        if any(unquote_plus(v) != v for v in values)
        else [],
        [Departure(("sign_type_signed",), (), frozenset({"with_sign_type"}))]
        if dict(pairs).get("sign_type")
        else [],
        [Departure(("empty_values_signed",), (), frozenset({"keep_empty"}))]
        if "" in values
        else [],
        [Departure(("charset_swapped",), (_swap_charset,))]
        if not all(v.isascii() for v in values)
        else [],
        [Departure(("digest_swapped",), (_swap_digest,))],
    ]
    return _one_parameter_then_digest(steps, one_parameter)


def notify_mistake_search(
    pairs: Pairs,
    signature: bytes,
    public_key: object,
    *,
    charset: str,
    sign_type: str,
    max_results: int = 10,
) -> list[AlipayMistake]:
    """The repairs of a pasted notification under which Alipay's ``signature`` verifies."""
    candidates = _candidates(
        pairs, _notify_repairs(pairs), charset, sign_type, NOTIFY_EXCLUDED, True
    )
    return _verifying(candidates, public_key, signature, max_results)


def notify_slips(
    pairs: Pairs, raw_values: dict[str, str] | None
) -> Iterator[tuple[tuple[str, ...], str, str]]:
    """What a handler's slips would make of the correct params: (codes, name, string), simplest
    first — matched against the string the merchant's code verified."""
    values = dict(pairs)
    signed = [(n, v) for n, v in pairs if n not in NOTIFY_EXCLUDED]

    def encoded(name: str, value: str) -> str:
        if raw_values is not None and name in raw_values:
            return raw_values[name]
        return quote_plus(value)

    # Decoded twice: most second decoders are form decoders (PHP urldecode, Java URLDecoder:
    # "+" is a space too), some only undo %XX (decodeURIComponent). A "+" that became a space and
    # nothing else is named plus_as_space, the narrower slip: it comes first, each string once.
    slips: list[tuple[tuple[str, ...], list[tuple[str, str]], str, frozenset[str]]] = [
        (("sign_type_signed",), list(pairs), "", frozenset({"with_sign_type"})),
        (("plus_as_space",), [(n, v.replace("+", " ")) for n, v in signed], "", frozenset()),
        (("decoded_twice",), [(n, unquote_plus(v)) for n, v in signed], "", frozenset()),
        (("decoded_twice",), [(n, unquote(v)) for n, v in signed], "", frozenset()),
        (("not_decoded",), [(n, encoded(n, v)) for n, v in signed], "", frozenset()),
        (("values_html_escaped",), [(n, html.escape(v)) for n, v in signed], "", frozenset()),
        (("empty_values_signed",), signed, "", frozenset({"keep_empty"})),
        (("not_sorted",), signed, "", frozenset({"unsorted"})),
    ]
    if len(signed) <= MAX_ONE_PARAMETER_REPAIRS:
        slips += [
            (("param_dropped",), [(n, v) for n, v in signed if n != name], name, frozenset())
            for name, _value in signed
        ]
    seen: set[bytes] = set()  # each string by its hash: a long notification's are not all held
    for codes, changed, name, options in slips:
        exclude = frozenset({"sign"}) if "with_sign_type" in options else NOTIFY_EXCLUDED
        if "with_sign_type" in options and not values.get("sign_type"):
            continue
        text = string_to_sign(
            changed,
            exclude=exclude,
            drop_empty="keep_empty" not in options,
            sort="unsorted" not in options,
        )
        fingerprint = _fingerprint(text.encode("utf-8", "surrogatepass"))
        if fingerprint not in seen:
            seen.add(fingerprint)
            yield codes, name, text


def matching_slips(
    pairs: Pairs, raw_values: dict[str, str] | None, their_string: str, correct: str
) -> list[AlipayMistake]:
    """The slips whose string is exactly the one the merchant's code verified."""
    found = []
    for codes, name, text in notify_slips(pairs, raw_values):
        if text == their_string and text != correct:
            found.append(AlipayMistake(codes, _detail(codes, name), text, "", ""))
    return found


# --- responses -----------------------------------------------------------------------------


def response_variants(content: str) -> list[tuple[str, str]]:
    """What Alipay may have sent, for a content pasted after a parse and a dump: slashes escaped
    as ``\\/`` (Alipay's JSON writes them so), non-ASCII as ``\\uXXXX``, no spaces."""
    try:
        document = load_json(content)
    except ParseError:
        return []
    dumps = [
        json.dumps(document, ensure_ascii=False, separators=(",", ":")),
        json.dumps(document, separators=(",", ":")),
    ]
    out = []
    seen = {content}
    for text in [content, *dumps]:
        for variant in (text, text.replace("/", "\\/")):
            if variant not in seen:
                seen.add(variant)
                out.append(("response_reserialised", variant))
    return out


def response_mistake_search(
    content: str, signature: bytes, public_key: object, *, charset: str, sign_type: str
) -> list[AlipayMistake]:
    """The original content under which Alipay's ``signature`` verifies, when the pasted body was
    re-serialised (or verified with the other digest or charset)."""
    found = []
    options = [(code, text, charset, sign_type) for code, text in response_variants(content)]
    options += [
        ("charset_swapped", content, "UTF-8" if charset == "GBK" else "GBK", sign_type),
        ("digest_swapped", content, charset, "RSA" if sign_type == "RSA2" else "RSA2"),
    ]
    for code, text, chosen_charset, chosen_type in options:
        message = _encoded(text, chosen_charset)
        if message is not None and verify_bytes(
            public_key, message, signature, digest(chosen_type)
        ):
            found.append(
                AlipayMistake((code,), _detail((code,)), text, chosen_charset, chosen_type)
            )
    return found
