"""Actions that take a reported symptom to a safe routine."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, ReminderCancelled, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from amma.intensity import estimate_intensity
from amma.knowledge_base import Symptom, get_knowledge_base
from amma.names import RED_FLAG_PARSE_KEY, Form, Slot
from amma.parse_data import intent_name, text_of
from amma.red_flags import Contact, country_from, get_red_flag_rules
from amma.screening import get_screening
from amma.wording import get_wording


def symptom_or_ask(dispatcher: CollectingDispatcher, tracker: Tracker) -> Symptom | None:
    """The symptom the latest message reports, else the one already under discussion;
    without one, ask what's wrong (and return None)."""
    kb = get_knowledge_base()
    symptom = kb.symptom_for_intent(intent_name(tracker.latest_message)) or kb.symptoms.get(
        tracker.get_slot(Slot.SYMPTOM) or ""
    )
    if symptom is None:
        dispatcher.utter_message(response="utter_ask_symptom")
    return symptom


def contacts(tracker: Tracker) -> list[Contact]:
    """Emergency and crisis contacts for the person's country, or all of them."""
    return get_red_flag_rules().contacts_for(country_from(tracker.get_slot(Slot.SESSION_METADATA)))


class ActionRegisterSymptom(Action):
    """Notes the symptom and its strength and opens the screening for it."""

    def name(self) -> str:
        return "action_register_symptom"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        symptom = symptom_or_ask(dispatcher, tracker)
        if symptom is None:
            return []
        return register_symptom(dispatcher, tracker, symptom, text_of(tracker.latest_message))


class ActionCorrectSymptom(Action):
    """A symptom named only to deny it ("no, it's my tooth, not a headache"): the
    classifier heard the name, not the "not". The safety net runs this in place of
    anything the rules would start (amma/safety_net.py). Whatever was going on for
    that symptom ends (its screening, a routine and its timer); the answers about
    the person (a pregnancy, medication) stay. The person is asked again, as for a
    message not understood, which points to a doctor or pharmacist."""

    def name(self) -> str:
        return "action_correct_symptom"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        current = tracker.get_slot(Slot.SYMPTOM)
        denied = get_knowledge_base().denied_symptom(
            text_of(tracker.latest_message), intent_name(tracker.latest_message), current
        )
        if denied is None or denied.key != current:
            # Only the classifier's reading was wrong; nothing had started for it.
            dispatcher.utter_message(response="utter_default")
            return []
        numbers = get_wording().emergency_numbers(contacts(tracker))
        dispatcher.utter_message(text=get_wording().say("screening.misread", symptom=denied.name, numbers=numbers))
        return [
            ActiveLoop(None),
            SlotSet(Slot.REQUESTED_SLOT, None),
            SlotSet(Slot.SYMPTOM, None),
            SlotSet(Slot.SYMPTOM_INTENSITY, None),
            SlotSet(Slot.SYMPTOM_CHECK, None),
            SlotSet(Slot.ROUTINE_STATE, None),
            ReminderCancelled(),
        ]


def register_symptom(
    dispatcher: CollectingDispatcher, tracker: Tracker, symptom: Symptom, text: str
) -> list[EventType]:
    """The symptom and the strength ``text`` gives it noted, the screening introduced if it isn't done."""
    screening_done = all(tracker.get_slot(slot) is not None for slot in get_screening().slots)
    if not screening_done:
        dispatcher.utter_message(text=get_wording().say("screening.intro", symptom=symptom.name))
    return [
        SlotSet(Slot.SYMPTOM, symptom.key),
        SlotSet(Slot.SYMPTOM_INTENSITY, estimate_intensity(text)),
        SlotSet(Slot.SYMPTOM_CHECK, None),  # each new report gets its own red-flag question
    ]


def checked_message(tracker: Tracker) -> dict[str, Any] | None:
    """The parse data of the message the red-flag check asked about: the one before the
    latest (the answer), if a red-flag layer marked it."""
    users = (event for event in reversed(tracker.events) if event.get("event") == "user")
    next(users, None)
    before = next(users, None)
    parse_data = (before or {}).get("parse_data") or {}
    return parse_data if parse_data.get(RED_FLAG_PARSE_KEY) else None


class ActionRedFlagCleared(Action):
    """A "no" to the red-flag check. When the message it asked about reported a symptom
    (the classifier's reading, which the check stood in front of), the conversation goes
    on with it: noted, and its screening started, its own red-flag question first, so
    the person needn't say it again. Otherwise the bot asks what is wrong."""

    def name(self) -> str:
        return "action_red_flag_cleared"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        checked = checked_message(tracker)
        heard = (checked or {}).get(RED_FLAG_PARSE_KEY) or {}
        symptom = get_knowledge_base().symptom_for_intent(heard.get("classifier_intent"))
        if checked is None or symptom is None:
            dispatcher.utter_message(response="utter_red_flag_cleared")
            return []
        dispatcher.utter_message(text=get_wording().say("red_flags.cleared_with_symptom", symptom=symptom.name))
        return [*register_symptom(dispatcher, tracker, symptom, text_of(checked)), FollowupAction(Form.SCREENING)]


class ActionSuggestRoutine(Action):
    """The screened routine: every safe point with where, why and how; what was left out and why."""

    def name(self) -> str:
        return "action_suggest_routine"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        kb = get_knowledge_base()
        words = get_wording()
        symptom = symptom_or_ask(dispatcher, tracker)
        if symptom is None:
            return []
        earlier_red_flag = tracker.get_slot(Slot.RED_FLAG)
        if earlier_red_flag:
            # After an earlier warning, every routine starts by keeping help in reach.
            dispatcher.utter_message(text=words.reminder(earlier_red_flag, contacts(tracker)))
        if tracker.get_slot(Slot.SYMPTOM_CHECK) is True:
            dispatcher.utter_message(text=words.urgent_symptom_advice(symptom, contacts(tracker)))
            return []
        routine = get_screening().safe_routine(kb, symptom.key, tracker.slots)
        for message in words.routine_overview(symptom, routine, kb, tracker.get_slot(Slot.SYMPTOM_INTENSITY)):
            dispatcher.utter_message(text=message)
        if routine.points:
            dispatcher.utter_message(response="utter_offer_guidance")
        return []
