"""A character-level diff of the merchant's string against ours, invisible characters made visible.

>>> compare("a=1&b=2\\n", "a=1&b=2").first_difference
7
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

# What a merchant cannot see but a hash function can.
_INVISIBLE = {
    "\n": "↵",
    "\r": "␍",
    "\t": "⇥",
    "\ufeff": "⟨BOM⟩",
    "\u200b": "⟨ZWSP⟩",
    "\u00a0": "⟨NBSP⟩",
    "\u3000": "⟨全角空格⟩",
}


@dataclass(frozen=True)
class Segment:
    text: str  # rendered with invisible characters made visible
    changed: bool


@dataclass(frozen=True)
class TextDiff:
    equal: bool
    first_difference: int | None  # index into the merchant's string
    theirs: tuple[Segment, ...]
    ours: tuple[Segment, ...]
    notes: tuple[str, ...]  # invisible or full-width characters found in the merchant's string


def visible(text: str, *, spaces: bool = False) -> str:
    """``text`` with invisible characters shown; spaces too when ``spaces`` (inside a change)."""
    out = []
    for char in text:
        if char in _INVISIBLE:
            out.append(_INVISIBLE[char])
        elif spaces and char == " ":
            out.append("␠")
        else:
            out.append(char)
    return "".join(out)


def character_notes(text: str) -> list[str]:
    """Describe each invisible or full-width character, once per kind, with its first position."""
    notes: dict[str, str] = {}
    for index, char in enumerate(text):
        if char in _INVISIBLE and char not in notes:
            name = unicodedata.name(char, f"U+{ord(char):04X}")
            notes[char] = f"第 {index + 1} 个字符是看不见的 {name}（U+{ord(char):04X}）"
        elif 0xFF01 <= ord(char) <= 0xFF5E and char not in notes:
            half = chr(ord(char) - 0xFEE0)
            notes[char] = (
                f"第 {index + 1} 个字符是全角的“{char}”（U+{ord(char):04X}），应为半角“{half}”"
            )
    return list(notes.values())


def compare(theirs: str, ours: str) -> TextDiff:
    matcher = SequenceMatcher(None, theirs, ours, autojunk=False)
    their_segments: list[Segment] = []
    our_segments: list[Segment] = []
    first: int | None = None
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        changed = tag != "equal"
        if changed and first is None:
            first = i1
        if i2 > i1:
            their_segments.append(Segment(visible(theirs[i1:i2], spaces=changed), changed))
        if j2 > j1:
            our_segments.append(Segment(visible(ours[j1:j2], spaces=changed), changed))
    return TextDiff(
        equal=theirs == ours,
        first_difference=first,
        theirs=tuple(their_segments),
        ours=tuple(our_segments),
        notes=tuple(character_notes(theirs)),
    )
