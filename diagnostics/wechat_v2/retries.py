"""What the findings say was different when the merchant's program signed — a millisecond
timeStamp signed in seconds, a name in another case — tried before a mismatch blames the key
(002 §3.2: the sign covers the values as signed, not as sent)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from diagnostics.core.text import _, joined
from diagnostics.wechat_v2.mistakes import HEX_DIGEST, Mistake, Pairs
from diagnostics.wechat_v2.signing import (
    SIGN_TYPES,
    sign,
)


def retry_search(
    pairs: Pairs,
    key: str,
    sign_type: str,
    expected_sign: str,
    findings: Sequence[Any],
    sign_type_field: str = "",
) -> list[Mistake]:
    """Before the key is blamed: re-sign with what the findings say was different when the
    merchant's program signed (``Finding.retry``: a millisecond timestamp signed in seconds, a
    name in another case), and with the other signType value; report what reproduces the sign.
    """
    expected = expected_sign.strip()
    if not HEX_DIGEST.fullmatch(expected):
        return []
    retries: dict[str, list[tuple[str, str, str]]] = {}
    for finding in findings:
        if getattr(finding, "retry", None):
            retries.setdefault(finding.code, []).append(finding.retry)
    candidates: list[tuple[tuple[str, ...], list[tuple[str, str, str]]]] = []
    for code, group in retries.items():
        candidates += [((code,), [retry]) for retry in group]
        if len(group) > 1:
            candidates.append(((code,), group))
    if len(retries) > 1:
        candidates.append(
            (tuple(retries), [retry for group in retries.values() for retry in group])
        )
    values = dict(pairs)
    for name in dict.fromkeys((sign_type_field, "signType", "sign_type")):
        if name and name in values:
            candidates += [
                (("sign_type_value",), [(name, name, other)])
                for other in SIGN_TYPES
                if other != values[name]
            ]
    found: list[Mistake] = []
    seen: set[str] = set()
    for codes, changes in candidates:
        changed = _changed_pairs(pairs, changes)
        for algorithm in dict.fromkeys((sign_type, *SIGN_TYPES)):
            steps = sign(changed, key, algorithm)
            if steps.sign != expected.upper() or steps.string_sign_temp + algorithm in seen:
                continue
            seen.add(steps.string_sign_temp + algorithm)
            all_codes = codes
            if algorithm != sign_type:
                all_codes = (*all_codes, "wrong_algorithm")
            if expected != expected.upper():
                all_codes = (*all_codes, "lowercase_digest")
            sentences = [
                _(
                    "签名时用的是 {signed}，发送的却是 {sent}",
                    signed=f"{signed_name}={signed_value}",
                    sent=f"{name}={values.get(name, '')}",
                )
                for name, signed_name, signed_value in changes
            ]
            if algorithm != sign_type:
                sentences.append(_("签名算法是 {algorithm}", algorithm=algorithm))
            found.append(
                Mistake(
                    all_codes,
                    _("你的签名能这样复现：{mistakes}。", mistakes=joined(_("，并且"), sentences)),
                    steps.string1,
                )
            )
    if not found:
        found = _milliseconds_signed(pairs, key, sign_type, expected)
    return found


def _milliseconds_signed(pairs: Pairs, key: str, sign_type: str, expected: str) -> list[Mistake]:
    """The other side of a timestamp unit mix-up: seconds sent, milliseconds signed. The lost
    milliseconds are tried, all 1,000 of them (about 20 ms, and only when nothing else explains
    the sign)."""
    # A pay call has five or six short fields; anything bigger is not one (and would make a
    # thousand signs expensive).
    if len(pairs) > 12 or sum(len(name) + len(value) for name, value in pairs) > 2048:
        return []
    values = dict(pairs)
    for name in ("timeStamp", "timestamp"):
        seconds = values.get(name, "")
        if not re.fullmatch(r"\d{10}", seconds):
            continue
        for millis in range(1000):
            signed = f"{seconds}{millis:03d}"
            steps = sign(_changed_pairs(pairs, [(name, name, signed)]), key, sign_type)
            if steps.sign == expected.upper():
                codes = ("timestamp_format",)
                if expected != expected.upper():
                    codes = (*codes, "lowercase_digest")
                sentence = _(
                    "签名时用的是 {signed}，发送的却是 {sent}",
                    signed=f"{name}={signed}",
                    sent=f"{name}={seconds}",
                )
                detail = _("你的签名能这样复现：{mistakes}。", mistakes=sentence)
                return [Mistake(codes, detail, steps.string1)]
    return []


def _changed_pairs(pairs: Pairs, changes: Sequence[tuple[str, str, str]]) -> list[tuple[str, str]]:
    by_name = {name: (new_name, value) for name, new_name, value in changes}
    return [by_name.get(name, (name, value)) for name, value in pairs]
