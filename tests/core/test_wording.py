"""The sentences built from knowledge-base entries."""

from amma.wording import describe_point, join_words, restriction_notes


def test_join_words():
    assert join_words([]) == ""
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b"]) == "a and b"
    assert join_words(["a", "b", "c"], "or") == "a, b or c"


def test_describe_point_says_where_why_how_and_how_long(kb):
    point = kb.points["LI4"]
    text = describe_point(point, 2)
    assert text.startswith("2. LI4 (Hegu)")
    assert f"Where: {point.location}" in text
    assert "Why: traditionally used for" in text
    assert "seconds on each side" in text


def test_midline_point_has_no_sides(kb):
    assert "on each side" not in describe_point(kb.points["GV20"])


def test_restriction_notes_name_only_tagged_points(kb):
    notes = restriction_notes([kb.points["LI4"], kb.points["PC6"]], kb)
    assert len(notes) == 1 and "LI4" in notes[0] and "PC6" not in notes[0]
    assert restriction_notes([kb.points["PC6"]], kb) == []
