"""The answer to "help" / "what can you do?" (every symptom Amma knows, each a
button), and to what Amma can't help with."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from amma.body_parts import get_body_parts
from amma.knowledge_base import get_knowledge_base
from amma.names import UNCOVERED_PART_PARSE_KEY
from amma.wording import get_wording


class ActionShowHelp(Action):
    """Replaces a fixed utter_help, which listed the symptoms a second time (and Rasa
    showed one of its two halves at random)."""

    def name(self) -> str:
        return "action_show_help"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(**get_wording().help(get_knowledge_base()).as_utterance())
        return []


class ActionDeclineOutOfScope(Action):
    """Out of scope. A complaint in a part of the body Amma has no points for, which
    the classifier read as a covered symptom (nlu_components/body_part_boundary.py),
    is told so and offered that symptom's points with a tap, in case they were what
    was meant; anything else gets utter_out_of_scope."""

    def name(self) -> str:
        return "action_decline_out_of_scope"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        complaint = tracker.latest_message.get(UNCOVERED_PART_PARSE_KEY) or {}
        symptom = get_knowledge_base().symptoms.get(complaint.get("symptom") or "")
        region = get_body_parts().region_named(complaint.get("part") or "")
        if symptom is None or region is None:
            dispatcher.utter_message(response="utter_out_of_scope")
        else:
            dispatcher.utter_message(**get_wording().uncovered(region.name, region.see, symptom).as_utterance())
        return []
