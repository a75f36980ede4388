"""action_explain_point: the point finder's answer (amma/point_finder.py) to a question about a point."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from amma.knowledge_base import get_knowledge_base
from amma.names import Slot
from amma.point_finder import answer_point_question


class ActionExplainPoint(Action):
    """Where a point is, what it's used for, how to press it, for how long, and cautions."""

    def name(self) -> str:
        return "action_explain_point"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        answer = answer_point_question(
            get_knowledge_base(), tracker.latest_message, tracker.get_slot(Slot.POINT), tracker.slots
        )
        for reply in answer.replies:
            dispatcher.utter_message(**reply.as_utterance())
        return [SlotSet(Slot.POINT, answer.point.code)] if answer.point else []
