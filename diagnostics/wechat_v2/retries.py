"""What the findings say was different when the merchant's program signed — a millisecond
timeStamp signed in seconds, a name in another case — tried before a mismatch blames the key
(002 §3.2: the sign covers the values as signed, not as sent).

Like the mistake search, these are recipes without the key (``retry_plan``), hashed by
``recipes.reproducing`` on the server or by the browser in local mode."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial
from typing import Any

from diagnostics.core.text import Message, _, joined
from diagnostics.wechat_v2.mistakes import Mistake, Pairs, evaluate
from diagnostics.wechat_v2.recipes import HEX_DIGEST, MILLIS, RETRY, SearchPlan, Tail
from diagnostics.wechat_v2.signing import SIGN_TYPES, string1_of

# Marks where the lost milliseconds go while string1 is built (a request whose names or values
# hold it is not tried for them).
_MILLIS_MARK = "\x00"


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
    plan = SearchPlan(expected_sign.strip(), string1_of(pairs).isascii())
    return evaluate(retry_plan(pairs, sign_type, findings, sign_type_field, plan), key)


def retry_plan(
    pairs: Pairs,
    sign_type: str,
    findings: Sequence[Any],
    sign_type_field: str,
    plan: SearchPlan,
) -> SearchPlan:
    """Add the retries (RETRY) and the lost milliseconds (MILLIS) to ``plan``, without the key."""
    if not HEX_DIGEST.fullmatch(plan.expected):
        return plan
    lowercase = plan.expected != plan.expected.upper()
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
    for codes, changes in candidates:
        string1 = string1_of(_changed_pairs(pairs, changes))
        for algorithm in dict.fromkeys((sign_type, *SIGN_TYPES)):
            if algorithm != plan.algorithm:
                continue  # its digest has another length than the sign
            all_codes = codes
            if algorithm != sign_type:
                all_codes = (*all_codes, "wrong_algorithm")
            if lowercase:
                all_codes = (*all_codes, "lowercase_digest")
            describe = partial(
                _retried, changes, values, algorithm if algorithm != sign_type else ""
            )
            plan.add(RETRY, string1, Tail(algorithm=algorithm), all_codes, describe)
    _millis_plan(pairs, sign_type, lowercase, plan)
    return plan


def _retried(
    changes: Sequence[tuple[str, str, str]], values: dict[str, str], algorithm: str, _millis: str
) -> Message:
    sentences = [
        _(
            "签名时用的是 {signed}，发送的却是 {sent}",
            signed=f"{signed_name}={signed_value}",
            sent=f"{name}={values.get(name, '')}",
        )
        for name, signed_name, signed_value in changes
    ]
    if algorithm:
        sentences.append(_("签名算法是 {algorithm}", algorithm=algorithm))
    return _("你的签名能这样复现：{mistakes}。", mistakes=joined(_("，并且"), sentences))


def _millis_plan(pairs: Pairs, sign_type: str, lowercase: bool, plan: SearchPlan) -> None:
    """The other side of a timestamp unit mix-up: seconds sent, milliseconds signed. The lost
    milliseconds are tried, all 1,000 of them (about 20 ms, and only when nothing else explains
    the sign)."""
    # A pay call has five or six short fields; anything bigger is not one (and would make a
    # thousand signs expensive).
    if len(pairs) > 12 or sum(len(name) + len(value) for name, value in pairs) > 2048:
        return
    if sign_type != plan.algorithm or any(_MILLIS_MARK in n + v for n, v in pairs):
        return
    values = dict(pairs)
    codes = ("timestamp_format", "lowercase_digest") if lowercase else ("timestamp_format",)
    for name in ("timeStamp", "timestamp"):
        seconds = values.get(name, "")
        if not re.fullmatch(r"\d{10}", seconds):
            continue
        marked = string1_of(_changed_pairs(pairs, [(name, name, seconds + _MILLIS_MARK)]))
        pieces = marked.split(_MILLIS_MARK)
        positions = tuple(
            sum(len(piece) for piece in pieces[: i + 1]) for i in range(len(pieces) - 1)
        )
        describe = partial(_millis_signed, name, seconds)
        plan.add(
            MILLIS, "".join(pieces), Tail(algorithm=sign_type), codes, describe, millis_at=positions
        )


def _millis_signed(name: str, seconds: str, millis: str) -> Message:
    sentence = _(
        "签名时用的是 {signed}，发送的却是 {sent}",
        signed=f"{name}={seconds}{millis}",
        sent=f"{name}={seconds}",
    )
    return _("你的签名能这样复现：{mistakes}。", mistakes=sentence)


def _changed_pairs(pairs: Pairs, changes: Sequence[tuple[str, str, str]]) -> list[tuple[str, str]]:
    by_name = {name: (new_name, value) for name, new_name, value in changes}
    return [by_name.get(name, (name, value)) for name, value in pairs]
