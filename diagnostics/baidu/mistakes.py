"""Which drift from 001's rules reproduces a sign: empty values dropped, rsaSign or sign_type
signed, GET parameters signed, values URL-encoded; for the developer's own sign (compare_sign) and
for a callback that does not verify."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

from cryptography.hazmat.primitives import hashes

from diagnostics.baidu.checks import ORDER_INFO_SIGNED, SIGN_EXCLUDED, Pairs, ParamsInput
from diagnostics.baidu.signing import BaiduSign, build_string1, read_params, sign
from diagnostics.core.keys import (
    KeyInput,
    as_private_key,
    decode_signature,
    rsa_verify,
)
from diagnostics.core.mistakes import Distinct, Explanation, singles_and_pairs
from diagnostics.core.text import Message, _, joined
from diagnostics.core.textdiff import compare

# --- verifying callbacks (the platform public key) -----------------------------------------


@dataclass(frozen=True)
class BaiduMistake(Explanation):
    detail: Message
    string1: str


_MISTAKE_TITLES: dict[str, Message] = {
    "empty_values_dropped": _("空值参数没有参与签名（回调里的空值也要参与）"),
    "rsa_sign_included": _("rsaSign 本身参与了签名"),
    "sign_type_included": _("sign_type 参与了签名"),
    "get_params_included": _("URL 里的 GET 参数参与了签名"),
    "values_urlencoded": _("参数值 urlencode 后才参与签名"),
    "sha256_not_sha1": _("用了 SHA256withRSA（百度收银台是 SHA1withRSA）"),
    "fields_not_order_info": _(
        "签名字段不是 {fields} 这四个", fields=joined(_("、"), ORDER_INFO_SIGNED)
    ),
}


@dataclass(frozen=True)
class _Variant:
    codes: tuple[str, ...]
    options: tuple[tuple[str, object], ...]

    def __add__(self, other: _Variant) -> _Variant:
        return _Variant(self.codes + other.codes, self.options + other.options)


def _variant_steps(
    pairs: Pairs, get_pairs: Pairs, only: Sequence[str] | None
) -> list[list[_Variant]]:
    names = {name for name, _value in pairs}
    values = [value for name, value in pairs if name not in SIGN_EXCLUDED]
    steps: list[list[_Variant]] = [
        [_Variant(("empty_values_dropped",), (("drop_empty", True),))] if "" in values else [],
        [_Variant(("rsa_sign_included",), (("include", "rsaSign"),))] if "rsaSign" in names else [],
        [_Variant(("sign_type_included",), (("include", "sign_type"),))]
        if "sign_type" in names
        else [],
        [_Variant(("get_params_included",), (("get", True),))] if get_pairs else [],
        [
            _Variant(("values_urlencoded",), (("encode", quote_plus),)),
            _Variant(("values_urlencoded",), (("encode", _quote_all),)),
        ]
        if any(quote_plus(value) != value for value in values)
        else [],
        [_Variant(("sha256_not_sha1",), (("sha256", True),))],
    ]
    if only is not None:
        steps.append([_Variant(("fields_not_order_info",), (("all_fields", True),))])
    return steps


def _quote_all(value: str) -> str:
    return quote(value, safe="")


def _variant_string1(
    pairs: Pairs, get_pairs: Pairs, only: Sequence[str] | None, variant: _Variant
) -> tuple[str, bool]:
    options = dict(variant.options)
    included = {value for name, value in variant.options if name == "include"}
    exclude = SIGN_EXCLUDED - included
    chosen = list(pairs) + (list(get_pairs) if options.get("get") else [])
    string1 = build_string1(
        chosen,
        exclude=frozenset(exclude),
        only=None if options.get("all_fields") else only,
        drop_empty=bool(options.get("drop_empty")),
        encode=options.get("encode"),  # type: ignore[arg-type]
    )
    return string1, bool(options.get("sha256"))


def verify_mistake_search(
    pairs: Pairs,
    signature: bytes,
    public_key: object,
    *,
    get_pairs: Pairs = (),
    only: Sequence[str] | None = None,
    max_results: int = 10,
) -> list[BaiduMistake]:
    """Each single drift, and each pair from different steps, under which ``signature`` verifies."""
    found: list[BaiduMistake] = []
    distinct = Distinct((build_string1(pairs, only=only), False))
    for variant in singles_and_pairs(_variant_steps(pairs, get_pairs, only)):
        string1, sha256 = _variant_string1(pairs, get_pairs, only, variant)
        if not distinct.new((string1, sha256)):
            continue
        if rsa_verify(public_key, string1, signature, hashes.SHA256() if sha256 else hashes.SHA1()):
            titles = [_MISTAKE_TITLES[code] for code in variant.codes]
            detail = _("签名能这样复现：{mistakes}。", mistakes=joined(_("，并且"), titles))
            found.append(BaiduMistake(variant.codes, detail, string1))
            if len(found) >= max_results:
                break
    return found


@dataclass(frozen=True)
class SignComparison:
    string1: str
    sign: str  # the correct sign
    matches: bool
    mistakes: tuple[BaiduMistake, ...] = ()

    @property
    def mistake_cards(self) -> list[dict[str, object]]:
        """Each mistake with what its string1 changes from the correct one, marked."""
        return [{"mistake": m, "diff": compare(m.string1, self.string1)} for m in self.mistakes]


def compare_sign(
    params: ParamsInput,
    private_key: KeyInput,
    expected_sign: str,
    *,
    only: Sequence[str] | None = None,
) -> SignComparison:
    """The developer's own sign against the correct one, and which drift explains a mismatch.

    PKCS#1 v1.5 is deterministic, so the correct sign is compared as text; the drifts are then
    checked by verifying with the key's public half, which gives the same answer as re-signing
    each candidate at a fraction of the cost.
    """
    private = as_private_key(private_key)
    pairs = read_params(params)[0]
    correct = sign(pairs, private, only=only)
    expected = compact_sign(expected_sign)
    matches = expected == correct.sign
    return judged_sign(pairs, correct, expected, private.public_key, matches=matches, only=only)


def compact_sign(text: str) -> str:
    """A pasted rsaSign without the line breaks and spaces copying put into it."""
    return re.sub(r"\s+", "", text)


def judged_sign(
    pairs: Sequence[tuple[str, str]],
    correct: BaiduSign,
    expected: str,
    public_key: object,
    *,
    matches: bool,
    only: Sequence[str] | None = None,
) -> SignComparison:
    """The comparison of ``expected`` with the sign made (``correct``), and on a mismatch the
    drifts that reproduce it, each checked by verifying with the public key (server mode has the
    private key's, local mode the public half the browser posted)."""
    if matches:
        return SignComparison(correct.string1, correct.sign, True)
    raw = decode_signature(expected)
    mistakes = verify_mistake_search(pairs, raw, public_key, only=only) if raw is not None else []
    return SignComparison(correct.string1, correct.sign, False, tuple(mistakes))
