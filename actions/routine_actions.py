"""Actions that take a reported symptom to a safe routine."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from amma.intensity import estimate_intensity
from amma.knowledge_base import Symptom, get_knowledge_base
from amma.names import Slot
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
        screening_done = all(tracker.get_slot(slot) is not None for slot in get_screening().slots)
        if not screening_done:
            dispatcher.utter_message(response="utter_screening_intro")
        return [
            SlotSet(Slot.SYMPTOM, symptom.key),
            SlotSet(Slot.SYMPTOM_INTENSITY, estimate_intensity(text_of(tracker.latest_message))),
            SlotSet(Slot.SYMPTOM_CHECK, None),  # each new report gets its own red-flag question
        ]


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
