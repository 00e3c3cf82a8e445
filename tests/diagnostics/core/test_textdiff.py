from __future__ import annotations

import pytest

from diagnostics.core.textdiff import compare


def test_a_trailing_newline_is_the_first_difference_and_shown():
    diff = compare("a=1&b=2\n", "a=1&b=2")
    assert not diff.equal
    assert diff.first_difference == 7
    assert any(segment.changed and "↵" in segment.text for segment in diff.theirs)


def test_a_full_width_ampersand_is_named():
    diff = compare("a=1＆b=2", "a=1&b=2")
    assert diff.first_difference == 3
    assert any("全角" in str(note) and "＆" in str(note) for note in diff.notes)


def test_a_bom_is_made_visible():
    diff = compare("\ufeffa=1", "a=1")
    assert diff.theirs[0].text == "⟨BOM⟩"


def test_equal_strings_have_no_difference():
    diff = compare("a=1", "a=1")
    assert diff.equal and diff.first_difference is None


# A small English catalogue, written here (not taken from the site's).
ENGLISH = {
    "第 {position} 个字符是全角的“{char}”（{code}），应为半角“{half}”": (
        "Character {position} is a full-width {char} ({code}), not {half}"
    ),
    "⟨全角空格⟩": "⟨full-width space⟩",
}


@pytest.fixture
def english(translator):
    translator(ENGLISH)


def test_a_full_width_character_is_named_in_english(english):
    diff = compare("a=1＆b=2", "a=1&b=2")
    assert [str(note) for note in diff.notes] == ["Character 4 is a full-width ＆ (U+FF06), not &"]


def test_a_full_width_space_is_marked_in_the_readers_language(english):
    diff = compare("a=1\u3000", "a=1")
    assert [str(segment.text) for segment in diff.theirs] == ["a=1", "⟨full-width space⟩"]
