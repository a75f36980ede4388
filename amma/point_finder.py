"""The point finder: any point by any name or by a description of where it is,
and the answer to "where is it?" (one point, a choice, or the closest names)."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from amma.knowledge_base import KnowledgeBase, Point
from amma.names import Entity
from amma.parse_data import entity_values, text_of
from amma.replies import Button, Reply
from amma.screening import get_screening
from amma.wording import get_wording, join_words

DIAGRAM_URL_ENV = "AMMA_DIAGRAM_URL"
# The web chat's server (web/server.py, AMMA_WEB_PORT) serves them; `make run` sets
# AMMA_DIAGRAM_URL to its address, a deployment to its public one.
DEFAULT_DIAGRAM_URL = "http://127.0.0.1:8080/points"
# Words of the question itself, never a misspelt point name.
_NOT_NAMES = frozenset("where what which how does the point press find about tell show good used for this that".split())


def diagram_url(point: Point) -> str:
    return f"{os.environ.get(DIAGRAM_URL_ENV, DEFAULT_DIAGRAM_URL).rstrip('/')}/{point.code}.svg"


def points_asked_about(kb: KnowledgeBase, named_codes: Sequence[str], text: str, last_code: str | None) -> list[Point]:
    """Points named in the message (entity), else described in it, else the one discussed last."""
    named = [kb.points[c] for c in dict.fromkeys(named_codes) if c in kb.points]
    if named:
        return named
    described = kb.points_described_by(text)
    if described:
        return described
    last = kb.points.get(last_code or "")
    return [last] if last else []


def closest_names(text: str, kb: KnowledgeBase, limit: int = 3) -> list[Point]:
    """Points whose names look like a word in the message ("hegoo", "st63")."""
    names = {name: point for point in kb.points.values() for name in point.names}
    guesses: list[Point] = []
    for word in re.findall(r"[a-z0-9-]{3,}", text.lower()):
        if word in _NOT_NAMES:
            continue
        for name in difflib.get_close_matches(word, list(names), n=limit, cutoff=0.65):
            if names[name] not in guesses:
                guesses.append(names[name])
    return guesses[:limit]


@dataclass(frozen=True)
class PointAnswer:
    replies: tuple[Reply, ...]
    point: Point | None = None  # the one point explained, so "how long do I hold it?" follows on


def _choice(template: str, points: Sequence[Point]) -> PointAnswer:
    question = get_wording().say(template, points=join_words([p.title for p in points], "or"))
    return PointAnswer((Reply(question, tuple(Button(p.title, f"where is {p.code}") for p in points)),))


def answer_point_question(
    kb: KnowledgeBase, parse_data: Mapping[str, Any], last_code: str | None, answers: Mapping[str, Any]
) -> PointAnswer:
    """Where a point is, what it's used for, how to press it, for how long, and cautions;
    a choice when several points fit; the closest names, or every point, when none does.

    When the person's screening answers (``answers``: the slots) rule the point out,
    the answer says so first, before any pressing instructions.
    """
    text = text_of(parse_data)
    points = points_asked_about(kb, entity_values(parse_data, Entity.POINT), text, last_code)
    words = get_wording()
    if len(points) == 1:
        point = points[0]
        ruled_out = get_screening().ruled_out(point, answers, kb)
        first = (Reply(words.not_for_you(ruled_out)),) if ruled_out else ()
        said = {ruled_out.tag} if ruled_out and ruled_out.tag else set()
        notes = tuple(Reply(note) for note in words.restriction_notes([point], kb, leave_out=said))
        return PointAnswer((*first, Reply(words.describe_point(point), image=diagram_url(point)), *notes), point)
    if points:
        return _choice("point.choose", points)
    guesses = closest_names(text, kb)
    if guesses:
        return _choice("point.did_you_mean", guesses)
    return PointAnswer((Reply(words.say("point.unknown", codes=join_words([p.code for p in kb.points.values()]))),))
