"""The answer to "help" / "what can you do?": every symptom Amma knows, each a button."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from amma.knowledge_base import get_knowledge_base
from amma.wording import get_wording


class ActionShowHelp(Action):
    """Replaces a fixed utter_help, which listed the symptoms a second time (and Rasa
    showed one of its two halves at random)."""

    def name(self) -> str:
        return "action_show_help"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(**get_wording().help(get_knowledge_base()).as_utterance())
        return []
