"""Conversation start: every conversation opens with the self-care notice."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from amma.guided_session import summarise_history
from amma.names import Slot


class ActionSessionStart(Action):
    """Starts a session like Rasa's default, then shows the not-medical-advice notice.

    Slots are carried over so a returning person keeps what they told us, and
    is asked how things went after their last rated routine.
    """

    def name(self) -> Text:
        return "action_session_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        events: List[EventType] = [SessionStarted()]
        events.extend(SlotSet(key, value) for key, value in tracker.current_slot_values().items() if value is not None)
        dispatcher.utter_message(response="utter_disclaimer")
        last_time = summarise_history(tracker.get_slot(Slot.RATING_HISTORY) or [])
        if last_time:
            dispatcher.utter_message(text=f"Welcome back. Last time {last_time}. How has it been since?")
        events.append(ActionExecuted("action_listen"))
        return events
