from __future__ import annotations

from diagnostics.textdiff import compare


def test_a_trailing_newline_is_the_first_difference_and_shown():
    diff = compare("a=1&b=2\n", "a=1&b=2")
    assert not diff.equal
    assert diff.first_difference == 7
    assert any(segment.changed and "↵" in segment.text for segment in diff.theirs)


def test_a_full_width_ampersand_is_named():
    diff = compare("a=1＆b=2", "a=1&b=2")
    assert diff.first_difference == 3
    assert any("全角" in note and "＆" in note for note in diff.notes)


def test_a_bom_is_made_visible():
    diff = compare("\ufeffa=1", "a=1")
    assert diff.theirs[0].text == "⟨BOM⟩"


def test_equal_strings_have_no_difference():
    diff = compare("a=1", "a=1")
    assert diff.equal and diff.first_difference is None
