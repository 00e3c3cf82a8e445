"""The mistake search as data (WeChat Pay V2, 002 §3.2): its candidates without the key, and
their evaluation with it — on the server (``reproducing``), or in the browser in local mode
(static/js/local/v2-search.js, the same rules; tests/js/ hold the two equal).

A ``SearchPlan`` lists ``Recipe``s in search order: each names a string (the string1 a mistaken
program signs), a ``Tail`` (how the key joins it: suffix form, whitespace around the key,
algorithm, encoding) and a stage. ``mistakes.search_plan`` and ``retries.retry_plan`` make them;
``reproducing`` answers which recipes give the merchant's sign, and ``mistakes.mistakes_of`` what
they mean.

>>> plan = SearchPlan("0" * 32, True)
>>> plan.add(SEARCH, "a=1", Tail(suffix="none"), ("key_not_appended",), str)
>>> import hashlib
>>> plan.expected = hashlib.md5(b"a=1").hexdigest()
>>> reproducing(plan, "K")
[(0, '')]
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

from diagnostics.core.text import Message
from diagnostics.wechat_v2.signing import HMAC_SHA256, MD5, key_suffix

# The stages of the search, tried in this order; the first that reproduces the sign is the answer
# (the key is blamed only after all of them). Each reports at most this many explanations (None:
# all of them).
SEARCH = 1  # single mistakes and pairs (mistakes.py)
RETRY = 2  # what the findings say was signed differently (retries.py)
MILLIS = 3  # seconds sent, milliseconds signed: the lost three digits tried (retries.py)
STAGES: dict[int, int | None] = {SEARCH: 10, RETRY: None, MILLIS: 1}


@dataclass(frozen=True, slots=True)
class Tail:
    """How a candidate's string1 is hashed with the key: what is appended (``suffix``: named
    ``&key=KEY`` as 002 §3.2 b says, none, bare ``KEY``, amp_bare ``&KEY``), whitespace stuck to
    the key, the algorithm (HMAC-SHA256 is keyed with the same key text) and the encoding."""

    suffix: str = "named"
    key_before: str = ""
    key_after: str = ""
    algorithm: str = MD5
    encoding: str = "utf-8"

    def key_text(self, key: str) -> str:
        return self.key_before + key + self.key_after

    def appended(self, key: str) -> str:
        return SUFFIXES[self.suffix](self.key_text(key))

    def hmac_key(self, key: str) -> str:
        """What keys the HMAC: the key text for HMAC-SHA256, nothing for MD5."""
        return self.key_text(key) if self.algorithm == HMAC_SHA256 else ""


class Recipe(NamedTuple):
    """One candidate without the key: ``plan.strings[string]`` hashed as ``plan.tails[tail]``
    says, reported with these codes and the sentence ``describe`` makes. A MILLIS recipe's string
    lacks three digits at each of ``millis_at`` (every millisecond is tried)."""

    stage: int
    string: int
    tail: int
    codes: tuple[str, ...]
    describe: Callable[[str], Message]  # the milliseconds ("" but for MILLIS) -> the sentence
    field: str = ""
    millis_at: tuple[int, ...] = ()


@dataclass
class SearchPlan:
    """Everything the search needs but the key, in search order: strings and tails are shared
    by many recipes (a candidate mostly differs from another only in how the key is appended)."""

    expected: str  # the merchant's sign, a hex digest of 32 or 64 characters
    correct_is_ascii: bool  # GBK is tried only when string1 or the key is not ASCII
    strings: list[str] = field(default_factory=list)
    tails: list[Tail] = field(default_factory=list)
    recipes: list[Recipe] = field(default_factory=list)
    _string_index: dict[str, int] = field(default_factory=dict, repr=False)
    _tail_index: dict[Tail, int] = field(default_factory=dict, repr=False)

    @property
    def algorithm(self) -> str:
        """The only algorithm whose digest has the sign's length."""
        return ALGORITHM_BY_SIZE[len(self.expected) // 2]

    def add(
        self,
        stage: int,
        string1: str,
        tail: Tail,
        codes: tuple[str, ...],
        describe: Callable[[str], Message],
        field: str = "",
        millis_at: tuple[int, ...] = (),
    ) -> None:
        self.recipes.append(
            Recipe(
                stage,
                self.string_index(string1),
                self.tail_index(tail),
                codes,
                describe,
                field,
                millis_at,
            )
        )

    def string_index(self, string1: str) -> int:
        index = self._string_index.setdefault(string1, len(self.strings))
        if index == len(self.strings):
            self.strings.append(string1)
        return index

    def tail_index(self, tail: Tail) -> int:
        index = self._tail_index.setdefault(tail, len(self.tails))
        if index == len(self.tails):
            self.tails.append(tail)
        return index


HEX_DIGEST = re.compile(r"[0-9a-fA-F]{32}|[0-9a-fA-F]{64}")
ALGORITHM_BY_SIZE = {16: MD5, 32: HMAC_SHA256}  # digest bytes


# 002 §3.2 b appends "&key=KEY"; the mistakes append nothing, the bare key, or "&KEY".
SUFFIXES: dict[str, Callable[[str], str]] = {
    "named": key_suffix,
    "none": lambda key: "",
    "bare": lambda key: key,
    "amp_bare": lambda key: "&" + key,
}


def reproducing(plan: SearchPlan, key: str) -> list[tuple[int, str]]:
    """The recipes whose digest with ``key`` is the merchant's sign, as (index, milliseconds):
    from the first stage that has any, at most its limit, one per hashed bytes (the simplest:
    the first).

    static/js/local/v2-search.js does the same in the browser; tests/js/ hold them equal.
    """
    if not plan.recipes:
        return []
    expected_digest = bytes.fromhex(plan.expected)
    skip_gbk = key.isascii() and plan.correct_is_ascii  # GBK bytes would be the UTF-8 ones
    tails = [
        None if skip_gbk and tail.encoding != "utf-8" else _hashing(tail, key)
        for tail in plan.tails
    ]
    strings = plan.strings
    found: list[tuple[int, str]] = []
    found_stage = 0
    seen: set[tuple[str, str, str, str]] = set()
    encoded: dict[tuple[int, str], bytes] = {}
    for index, (stage, string, tail_index, _codes, _describe, _field, millis_at) in enumerate(
        plan.recipes
    ):
        if found and stage != found_stage:
            break  # an earlier stage explains it
        hashing = tails[tail_index]
        if hashing is None:
            continue  # a key the encoding cannot carry, or GBK that changes nothing
        digest, suffix, appended, hmac_text, encoding = hashing
        text = strings[string]
        millis = ""
        if millis_at:
            millis = _millis_reproducing(text, millis_at, hashing, expected_digest)
            if not millis:
                continue
            text = with_millis(text, millis_at, millis)
        else:
            data = encoded.get((string, encoding))
            if data is None:
                data = encoded[(string, encoding)] = text.encode(encoding)
            if digest(data + suffix) != expected_digest:
                continue
        hashed = (text + appended, hmac_text, plan.tails[tail_index].algorithm, encoding)
        if hashed in seen:
            continue
        seen.add(hashed)
        found.append((index, millis))
        found_stage = stage
        limit = STAGES[stage]
        if limit is not None and len(found) >= limit:
            break
    return found


# How one tail hashes: (digest of the bytes, appended bytes, appended text, HMAC key text, encoding)
_Hashing = tuple[Callable[[bytes], bytes], bytes, str, str, str]


def _hashing(tail: Tail, key: str) -> _Hashing | None:
    """How a string is hashed with ``key`` by this tail; None when the encoding cannot carry the
    key."""
    appended, hmac_text = tail.appended(key), tail.hmac_key(key)
    try:
        suffix, hmac_key = appended.encode(tail.encoding), hmac_text.encode(tail.encoding)
    except UnicodeEncodeError:
        return None
    if tail.algorithm == HMAC_SHA256:
        digest: Callable[[bytes], bytes] = partial(hmac.digest, hmac_key, digest="sha256")
    else:
        digest = _md5
    return digest, suffix, appended, hmac_text, tail.encoding


def _md5(data: bytes) -> bytes:
    return hashlib.md5(data).digest()


def plan_data(plan: SearchPlan) -> dict[str, Any]:
    """The plan as the browser takes it (JSON): no sentences (the server writes the cards from the
    recipes the browser names), the GBK bytes of each string that is not ASCII as base64 (a
    browser encodes UTF-8 only; null when GBK cannot carry it)."""

    def string(text: str) -> dict[str, Any]:
        if text.isascii():
            return {"text": text}
        try:
            return {"text": text, "gbk": base64.b64encode(text.encode("gbk")).decode("ascii")}
        except UnicodeEncodeError:
            return {"text": text, "gbk": None}

    return {
        "expected": plan.expected,
        "correct_is_ascii": plan.correct_is_ascii,
        "limits": {str(stage): limit for stage, limit in STAGES.items()},
        "strings": [string(text) for text in plan.strings],
        "tails": [
            {
                "suffix": tail.suffix,
                "key_before": tail.key_before,
                "key_after": tail.key_after,
                "algorithm": tail.algorithm,
                "encoding": tail.encoding,
            }
            for tail in plan.tails
        ],
        # [stage, string, tail, millis_at]: compact, a plan has hundreds
        "recipes": [
            [recipe.stage, recipe.string, recipe.tail, list(recipe.millis_at)]
            for recipe in plan.recipes
        ],
    }


def with_millis(text: str, positions: tuple[int, ...], millis: str) -> str:
    """``text`` with the three digits inserted at each position (positions in ``text``)."""
    pieces, last = [], 0
    for position in positions:
        pieces += [text[last:position], millis]
        last = position
    return "".join(pieces) + text[last:]


def _millis_reproducing(
    text: str, positions: tuple[int, ...], hashing: _Hashing, expected_digest: bytes
) -> str:
    """The first of 000…999 that, put back at ``positions``, reproduces the sign; "" if none
    (about 20 ms for a pay call, tried only when nothing else explains the sign)."""
    digest, suffix, _appended, _hmac_text, encoding = hashing
    for number in range(1000):
        millis = f"{number:03d}"
        if (
            digest(with_millis(text, positions, millis).encode(encoding) + suffix)
            == expected_digest
        ):
            return millis
    return ""
