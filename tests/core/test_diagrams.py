"""Point diagrams: data checks and the SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from amma.diagrams import check_point_diagrams, get_views, parse_views, render_point_svg
from amma.knowledge_base import KnowledgeBaseError

SVG = "{http://www.w3.org/2000/svg}"


def test_every_point_has_a_diagram_inside_an_existing_view(kb):
    check_point_diagrams(kb, get_views())


def test_svg_is_valid_and_marks_the_point(kb):
    point = kb.points["LI4"]
    root = ET.fromstring(render_point_svg(point, get_views()))
    view, x, y = point.diagram
    dots = [c for c in root.iter(f"{SVG}circle") if c.get("fill") == "#d62828"]
    assert dots and float(dots[-1].get("cx")) == x and float(dots[-1].get("cy")) == y
    assert "LI4 (Hegu)" in root.find(f"{SVG}title").text


def test_drawings_that_could_run_code_are_refused():
    with pytest.raises(KnowledgeBaseError) as error:
        parse_views(
            {
                "views": {
                    "bad": {
                        "title": "t",
                        "width": 10,
                        "height": 10,
                        "drawing": '<path d="M0 0"/><script>alert(1)</script>',
                    }
                }
            }
        )
    assert "drawing may only use" in str(error.value)
