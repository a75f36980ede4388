"""Conversation start: every conversation opens with the self-care notice."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from amma.guided_session import last_rated
from amma.names import Slot
from amma.red_flags import get_red_flag_rules
from amma.wording import get_wording


class ActionSessionStart(Action):
    """Starts a session like Rasa's default, then shows the not-medical-advice notice
    with every region's emergency number.

    Slots are carried over so a returning person keeps what they told us, and
    is asked how things went after their last rated routine.
    """

    def name(self) -> str:
        return "action_session_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        words = get_wording()
        events: list[EventType] = [SessionStarted()]
        events.extend(SlotSet(key, value) for key, value in tracker.current_slot_values().items() if value is not None)
        dispatcher.utter_message(text=words.disclaimer(get_red_flag_rules().contacts_for(None)))
        last_time = last_rated(tracker.get_slot(Slot.RATING_HISTORY) or [])
        if last_time:
            dispatcher.utter_message(text=words.welcome_back(last_time))
        events.append(ActionExecuted("action_listen"))
        return events
