"""Conversation start: every conversation opens with the self-care notice, and
nothing safety-related carries over from the last one."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, ReminderCancelled, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from amma.guided_session import RoutineState, last_rated
from amma.names import ACTION_LISTEN, Slot
from amma.red_flags import get_red_flag_rules
from amma.wording import get_wording

# What a new session keeps: the rating history (so a returning person is asked how
# it went) and what the channel sent with this session (the country for contacts).
# Screening answers, an open question or form, a confirmation being asked and
# routine progress all start afresh: a pregnancy or an injury can change between
# visits, and a question asked an hour ago must not be answered by a new "yes".
CARRIED_OVER = (Slot.RATING_HISTORY, Slot.SESSION_METADATA)


class ActionSessionStart(Action):
    """Starts a session like Rasa's default, then shows the not-medical-advice notice
    with every region's emergency number, and one line on what is kept and how to
    delete it.

    SessionStarted resets every slot and ends any form; only CARRIED_OVER is set
    again. A routine's pending "time's up" is cancelled, and a returning person is
    asked how things went after their last rated routine.
    """

    def name(self) -> str:
        return "action_session_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        words = get_wording()
        events: list[EventType] = [SessionStarted()]
        events.extend(
            SlotSet(key, value)
            for key, value in tracker.current_slot_values().items()
            if key in CARRIED_OVER and value is not None
        )
        routine = RoutineState.from_slot(tracker.get_slot(Slot.ROUTINE_STATE))
        reminder = routine.pending_reminder(tracker.sender_id) if routine else None
        if reminder:
            events.append(ReminderCancelled(name=reminder))
        dispatcher.utter_message(text=words.disclaimer(get_red_flag_rules().contacts_for(None)))
        dispatcher.utter_message(text=words.say("session.privacy"))
        last_time = last_rated(tracker.get_slot(Slot.RATING_HISTORY) or [])
        if last_time:
            dispatcher.utter_message(text=words.welcome_back(last_time))
        events.append(ActionExecuted(ACTION_LISTEN))
        return events
