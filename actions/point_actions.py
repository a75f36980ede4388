"""The point finder: any point by any name or by a description of where it is."""

from __future__ import annotations

import difflib
import os
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from amma.knowledge_base import KnowledgeBase, Point, get_knowledge_base
from amma.wording import describe_point, join_words, restriction_notes

DIAGRAM_URL_ENV = "AMMA_DIAGRAM_URL"
# Words of the question itself, never a misspelt point name.
_NOT_NAMES = frozenset("where what which how does the point press find about tell show good used for this that".split())
DEFAULT_DIAGRAM_URL = "http://localhost:5056/points"


def diagram_url(point: Point) -> str:
    return f"{os.environ.get(DIAGRAM_URL_ENV, DEFAULT_DIAGRAM_URL).rstrip('/')}/{point.code}.svg"


def points_asked_about(tracker: Tracker, kb: KnowledgeBase) -> List[Point]:
    """Points named in the message (entity), else described in it, else the one discussed last."""
    codes = [e.get("value") for e in tracker.latest_message.get("entities") or [] if e.get("entity") == "point"]
    named = [kb.points[c] for c in dict.fromkeys(codes) if c in kb.points]
    if named:
        return named
    described = kb.points_described_by(tracker.latest_message.get("text") or "")
    if described:
        return described
    last = kb.points.get(tracker.get_slot("point") or "")
    return [last] if last else []


def closest_names(text: str, kb: KnowledgeBase, limit: int = 3) -> List[Point]:
    """Points whose names look like a word in the message ("hegoo", "st63")."""
    names = {name: point for point in kb.points.values() for name in point.names}
    guesses: List[Point] = []
    for word in re.findall(r"[a-z0-9-]{3,}", text.lower()):
        if word in _NOT_NAMES:
            continue
        for name in difflib.get_close_matches(word, list(names), n=limit, cutoff=0.65):
            if names[name] not in guesses:
                guesses.append(names[name])
    return guesses[:limit]


class ActionExplainPoint(Action):
    """Where a point is, what it's used for, how to press it, for how long, and cautions."""

    def name(self) -> Text:
        return "action_explain_point"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        kb = get_knowledge_base()
        points = points_asked_about(tracker, kb)
        if len(points) == 1:
            point = points[0]
            dispatcher.utter_message(text=describe_point(point), image=diagram_url(point))
            for note in restriction_notes([point], kb):
                dispatcher.utter_message(text=note)
            return [SlotSet("point", point.code)]
        if points:
            dispatcher.utter_message(text=f"That could be {join_words([p.title for p in points], 'or')}. Which one?",
                                     buttons=[{"title": p.title, "payload": f"where is {p.code}"} for p in points])
            return []
        guesses = closest_names(tracker.latest_message.get("text") or "", kb)
        if guesses:
            dispatcher.utter_message(text=f"I don't know that point. Did you mean {join_words([p.title for p in guesses], 'or')}?",
                                     buttons=[{"title": p.title, "payload": f"where is {p.code}"} for p in guesses])
            return []
        dispatcher.utter_message(text="I don't know that point yet. I can tell you about "
                                      + join_words([p.code for p in kb.points.values()]) + ".")
        return []
