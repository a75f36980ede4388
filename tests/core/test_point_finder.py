"""The point finder: names in any form, descriptions, misspellings."""

from __future__ import annotations

import pytest

from amma.point_finder import closest_names


@pytest.mark.parametrize(
    "text, code",
    [
        ("where is LI4", "LI4"),
        ("what is ST36 good for", "ST36"),
        ("how do I press hegu", "LI4"),
        ("large intestine 4", "LI4"),
        ("LI-4", "LI4"),
        ("li 4", "LI4"),
        ("zusanli", "ST36"),
        ("tell me about the third eye", "Yintang"),
    ],
)
def test_point_names_in_any_form_are_found_in_text(kb, text, code):
    assert [p.code for _, _, p in kb.point_mentions(text)] == [code]


def test_several_points_in_one_message(kb):
    assert [p.code for _, _, p in kb.point_mentions("is p6 better than sp6?")] == ["PC6", "SP6"]


def test_a_point_described_by_where_it_is(kb):
    assert [
        p.code for p in kb.points_described_by("the one on top of the foot between the big toe and second toe")
    ] == ["LV3"]
    assert kb.points_described_by("hello there") == []


def test_a_misspelt_name_finds_the_closest_points(kb):
    assert [p.code for p in closest_names("zusanly", kb)] == ["ST36"]
    assert [p.code for p in closest_names("hegoo", kb)] == ["LI4"]
