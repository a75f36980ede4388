"""The "forget me" request: ask first, then delete the whole conversation.

The deletion itself happens in the tracker store (stores/tracker_store.py), not
here: Rasa writes the tracker it holds in memory back after every turn, so rows
deleted from an action would return. This action returns the marker the store
acts on, and only for a "yes" to its own question.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, ReminderCancelled, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from amma.guided_session import RoutineState
from amma.names import Intent, Slot
from amma.parse_data import intent_name
from amma.privacy import ASK_FORGET, forget_confirmed
from amma.replies import Reply
from amma.wording import get_wording


class ActionAskForget(Action):
    """Asks to confirm, with yes/no buttons. Ends any form first, so the "yes" is
    never taken as the answer to a screening question."""

    def name(self) -> str:
        return ASK_FORGET

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        words = get_wording()
        buttons = (
            words.button("forget_yes", f"/{Intent.AFFIRM}"),
            words.button("forget_no", f"/{Intent.DENY}"),
        )
        dispatcher.utter_message(**Reply(words.say("privacy.ask"), buttons).as_utterance())
        return [ActiveLoop(None), SlotSet(Slot.REQUESTED_SLOT, None)]


class ActionForgetConversation(Action):
    def name(self) -> str:
        return "action_forget_conversation"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        words = get_wording()
        if not forget_confirmed(intent_name(tracker.latest_message), tracker.events):
            dispatcher.utter_message(text=words.say("privacy.not_asked"))
            return []
        events: list[EventType] = []
        # A routine's pending "time's up" would otherwise arrive in the fresh conversation.
        routine = RoutineState.from_slot(tracker.get_slot(Slot.ROUTINE_STATE))
        reminder = routine.pending_reminder(tracker.sender_id) if routine else None
        if reminder:
            events.append(ReminderCancelled(name=reminder))
        dispatcher.utter_message(text=words.say("privacy.forgotten"))
        # The marker: the tracker store deletes every stored event of this
        # conversation and writes nothing of this turn.
        events.append(SlotSet(Slot.FORGET_CONFIRMED, True))
        return events
