"""What the mistake searches share: the catalogue entry of a mistake, the explanation a search
reports, and the order candidates are tried in (each single departure, then each pair).

A platform's search (wechat_v2.mistakes, wechat_v3.mistakes, baidu.mistakes) builds its own departures from
the correct algorithm; a departure knows how to combine with one from another step (``a + b``).

>>> singles_and_pairs([["a", "b"], [], ["c"]])
['a', 'b', 'c', 'ac', 'bc']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, ClassVar

from diagnostics.core.text import Message


@dataclass(frozen=True)
class MistakeInfo:
    code: str
    title: Message  # a short name
    fix: Message  # what to do, in one sentence
    source: str  # the document section that says how it should be done


def catalogue(*infos: MistakeInfo) -> dict[str, MistakeInfo]:
    return {info.code: info for info in infos}


@dataclass(frozen=True)
class Explanation:
    """One explanation a search found: the mistakes (codes from ``catalogue``) that reproduce it."""

    codes: tuple[str, ...]
    catalogue: ClassVar[Mapping[str, MistakeInfo]] = {}

    @property
    def code(self) -> str:
        return "+".join(self.codes)

    @property
    def fixes(self) -> list[Message]:
        return [self.catalogue[code].fix for code in self.codes]

    @property
    def sources(self) -> str:
        return "; ".join(dict.fromkeys(self.catalogue[code].source for code in self.codes))


class Distinct:
    """One explanation per signed message: the first (simplest: singles come before pairs)
    candidate that produces it. A message equal to the correct one explains nothing, so a departure
    that changes nothing for this input is never reported, alone or in a pair.

    >>> distinct = Distinct(("a=1", "SHA1"))
    >>> distinct.new(("a=1", "SHA1")), distinct.new(("a=1", "SHA256")), distinct.new(("a=1", "SHA256"))
    (False, True, False)
    """

    def __init__(self, *correct: object) -> None:
        self._seen = set(correct)

    def new(self, message: object) -> bool:
        if message in self._seen:
            return False
        self._seen.add(message)
        return True


def singles_and_pairs(steps: Sequence[Sequence[Any]]) -> list[Any]:
    """Each departure alone, then each pair from two different steps: simplest first."""
    steps = [step for step in steps if step]
    singles = [departure for step in steps for departure in step]
    pairs = [a + b for first, second in combinations(steps, 2) for a in first for b in second]
    return singles + pairs
