"""Point diagrams: a line drawing of the body area with the point marked, as SVG.

The drawings (views) live in knowledge/diagrams.yml and each point's place on
one in knowledge/points.yml (`diagram: {view, x, y}`), so a new point gets its
picture from data alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from amma.knowledge_base import KnowledgeBase, KnowledgeBaseError, Point, knowledge_dir, read_knowledge_file

DIAGRAMS_FILE = "diagrams.yml"
# Drawings are outlines only: anything that could run or fetch is refused.
_ALLOWED_TAGS = {"path", "ellipse", "circle", "line", "polyline", "polygon", "rect", "g"}
_FORBIDDEN = re.compile(r"<\s*script|on\w+\s*=|href|url\(|<!|<\?", re.IGNORECASE)


@dataclass(frozen=True)
class View:
    name: str
    title: str
    width: float
    height: float
    drawing: str


def parse_views(document: Any) -> dict[str, View]:
    problems: list[str] = []
    views: dict[str, View] = {}
    entries = document.get("views") if isinstance(document, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise KnowledgeBaseError([f"{DIAGRAMS_FILE}: expected a 'views:' mapping"])
    for name, entry in entries.items():
        where = f"{DIAGRAMS_FILE}: view {name!r}"
        if not isinstance(entry, dict) or not all(k in entry for k in ("title", "width", "height", "drawing")):
            problems.append(f"{where}: needs title, width, height and drawing")
            continue
        drawing = str(entry["drawing"])
        tags = set(re.findall(r"<\s*(\w+)", drawing))
        if _FORBIDDEN.search(drawing) or tags - _ALLOWED_TAGS:
            problems.append(
                f"{where}: drawing may only use {sorted(_ALLOWED_TAGS)}, found {sorted(tags - _ALLOWED_TAGS)}"
            )
        views[name] = View(name, str(entry["title"]), float(entry["width"]), float(entry["height"]), drawing)
    if problems:
        raise KnowledgeBaseError(problems)
    return views


def check_point_diagrams(kb: KnowledgeBase, views: Mapping[str, View]) -> None:
    """Every point has a diagram on an existing view, inside the drawing."""
    problems = []
    for point in kb.points.values():
        if point.diagram is None:
            problems.append(f"points.yml: point {point.code!r}: missing 'diagram'")
            continue
        view, x, y = point.diagram
        if view not in views:
            problems.append(f"points.yml: point {point.code!r}: diagram view {view!r} is not in {DIAGRAMS_FILE}")
        elif not (0 <= x <= views[view].width and 0 <= y <= views[view].height):
            problems.append(f"points.yml: point {point.code!r}: diagram x, y ({x}, {y}) lie outside view {view!r}")
    if problems:
        raise KnowledgeBaseError(problems)


def render_point_svg(point: Point, views: Mapping[str, View]) -> str:
    """A standalone SVG: the body area, a red dot on the point, and its name."""
    if point.diagram is None:  # check_point_diagrams rejects this at start-up
        raise KnowledgeBaseError([f"points.yml: point {point.code!r}: missing 'diagram'"])
    view_name, x, y = point.diagram
    view = views[view_name]
    label = escape(f"{point.title}: {view.title.lower()}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {view.width:g} {view.height + 30:g}" '
        f'width="{view.width:g}" height="{view.height + 30:g}" role="img" aria-label="{label}">'
        f"<title>{label}</title>"
        f'<rect width="100%" height="100%" fill="white"/>'
        f'<g fill="none" stroke="#444" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">'
        f"{view.drawing}</g>"
        f'<circle cx="{x:g}" cy="{y:g}" r="12" fill="#d62828" fill-opacity="0.25"/>'
        f'<circle cx="{x:g}" cy="{y:g}" r="6" fill="#d62828" stroke="white" stroke-width="2"/>'
        f'<text x="{view.width / 2:g}" y="{view.height + 20:g}" text-anchor="middle" '
        f'font-family="sans-serif" font-size="14" fill="#222">{escape(point.title)}</text>'
        f"</svg>"
    )


def load_views(directory: Path) -> dict[str, View]:
    return parse_views(read_knowledge_file(directory, DIAGRAMS_FILE))


@lru_cache(maxsize=1)
def get_views() -> dict[str, View]:
    return load_views(knowledge_dir())
