"""A character-level diff of the merchant's string against ours, invisible characters made visible.

>>> compare("a=1&b=2\\n", "a=1&b=2").first_difference
7
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from diagnostics.core.text import Joined, Message, Text, _, joined

# What a merchant cannot see but a hash function can.
_INVISIBLE: dict[str, Message] = {
    "\n": "↵",
    "\r": "␍",
    "\t": "⇥",
    "\ufeff": "⟨BOM⟩",
    "\u200b": "⟨ZWSP⟩",
    "\u00a0": "⟨NBSP⟩",
    "\u3000": _("⟨全角空格⟩"),
}


@dataclass(frozen=True)
class Segment:
    text: str | Joined  # rendered with invisible characters made visible
    changed: bool


@dataclass(frozen=True)
class TextDiff:
    equal: bool
    first_difference: int | None  # index into the merchant's string
    theirs: tuple[Segment, ...]
    ours: tuple[Segment, ...]
    notes: tuple[Message, ...]  # invisible or full-width characters found in the merchant's string


def visible(text: str, *, spaces: bool = False) -> str | Joined:
    """``text`` with invisible characters shown; spaces too when ``spaces`` (inside a change).

    A plain string, unless a marker is a word to translate (the full-width space).
    """
    out: list[Message] = []
    for char in text:
        if char in _INVISIBLE:
            out.append(_INVISIBLE[char])
        elif spaces and char == " ":
            out.append("␠")
        else:
            out.append(char)
    if any(isinstance(piece, Text) for piece in out):
        return joined("", out)
    return "".join(str(piece) for piece in out)


def character_notes(text: str) -> list[Message]:
    """Describe each invisible or full-width character, once per kind, with its first position."""
    notes: dict[str, Message] = {}
    for index, char in enumerate(text):
        if char in _INVISIBLE and char not in notes:
            code = f"U+{ord(char):04X}"
            notes[char] = _(
                "第 {position} 个字符是看不见的 {name}（{code}）",
                position=index + 1,
                name=unicodedata.name(char, code),
                code=code,
            )
        elif 0xFF01 <= ord(char) <= 0xFF5E and char not in notes:
            notes[char] = _(
                "第 {position} 个字符是全角的“{char}”（{code}），应为半角“{half}”",
                position=index + 1,
                char=char,
                code=f"U+{ord(char):04X}",
                half=chr(ord(char) - 0xFEE0),
            )
    return list(notes.values())


# SequenceMatcher's work grows with the product of the lengths times the number of matching
# blocks (2.3 s for a 256 KiB paste; 11 s for "&" * 1000 against "&a" * 500). Past this bound the
# common head and tail are set aside, and a middle still too long is shown as one change. A merchant's
# string1 differs from ours in a few places, so its middle is short and diffed in full.
MAX_DIFF_WORK = 5_000_000


def _work(theirs: str, ours: str) -> int:
    return len(theirs) * len(ours) * min(len(theirs), len(ours))


def _opcodes(theirs: str, ours: str) -> list[tuple[str, int, int, int, int]]:
    if _work(theirs, ours) <= MAX_DIFF_WORK:
        return SequenceMatcher(None, theirs, ours, autojunk=False).get_opcodes()
    head = 0
    while head < min(len(theirs), len(ours)) and theirs[head] == ours[head]:
        head += 1
    tail = 0
    while tail < min(len(theirs), len(ours)) - head and theirs[-1 - tail] == ours[-1 - tail]:
        tail += 1
    their_end, our_end = len(theirs) - tail, len(ours) - tail
    codes = [("equal", 0, head, 0, head)] if head else []
    middle_theirs, middle_ours = theirs[head:their_end], ours[head:our_end]
    if _work(middle_theirs, middle_ours) <= MAX_DIFF_WORK:
        matcher = SequenceMatcher(None, middle_theirs, middle_ours, autojunk=False)
        codes += [
            (tag, i1 + head, i2 + head, j1 + head, j2 + head)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        ]
    elif their_end > head or our_end > head:
        codes.append(("replace", head, their_end, head, our_end))
    if tail:
        codes.append(("equal", their_end, len(theirs), our_end, len(ours)))
    return codes


def compare(theirs: str, ours: str) -> TextDiff:
    their_segments: list[Segment] = []
    our_segments: list[Segment] = []
    first: int | None = None
    for tag, i1, i2, j1, j2 in _opcodes(theirs, ours):
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
