"""Actions that take a reported symptom to a safe routine."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from amma.intensity import estimate_intensity
from amma.knowledge_base import KnowledgeBase, Symptom, get_knowledge_base
from amma.names import Slot
from amma.parse_data import intent_name
from amma.red_flags import country_from, get_red_flag_rules
from amma.screening import get_screening
from amma.wording import routine_overview, urgent_symptom_advice


def symptom_from_tracker(tracker: Tracker, kb: KnowledgeBase) -> Optional[Symptom]:
    """The symptom the latest message reports, else the one already under discussion."""
    return kb.symptom_for_intent(intent_name(tracker.latest_message)) or kb.symptoms.get(tracker.get_slot(Slot.SYMPTOM) or "")


def symptom_or_ask(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[Symptom]:
    """The symptom in play; without one, ask what's wrong (and return None)."""
    symptom = symptom_from_tracker(tracker, get_knowledge_base())
    if symptom is None:
        dispatcher.utter_message(response="utter_ask_symptom")
    return symptom


def user_country(tracker: Tracker) -> Optional[str]:
    return country_from(tracker.get_slot(Slot.SESSION_METADATA))


def red_flag_reminder(tracker: Tracker) -> Optional[str]:
    """After an earlier warning, every routine starts by keeping help in reach."""
    kind = tracker.get_slot(Slot.RED_FLAG)
    return get_red_flag_rules().reminder(kind, user_country(tracker)) if kind else None


class ActionRegisterSymptom(Action):
    """Notes the symptom and its strength and opens the screening for it."""

    def name(self) -> Text:
        return "action_register_symptom"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        symptom = symptom_or_ask(dispatcher, tracker)
        if symptom is None:
            return []
        screening_done = all(tracker.get_slot(slot) is not None for slot in get_screening().slots)
        if not screening_done:
            dispatcher.utter_message(response="utter_screening_intro")
        return [
            SlotSet(Slot.SYMPTOM, symptom.key),
            SlotSet(Slot.SYMPTOM_INTENSITY, estimate_intensity(tracker.latest_message.get("text"))),
            SlotSet(Slot.SYMPTOM_CHECK, None),  # each new report gets its own red-flag question
        ]


class ActionSuggestRoutine(Action):
    """The screened routine: every safe point with where, why and how; what was left out and why."""

    def name(self) -> Text:
        return "action_suggest_routine"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        kb = get_knowledge_base()
        symptom = symptom_or_ask(dispatcher, tracker)
        if symptom is None:
            return []
        reminder = red_flag_reminder(tracker)
        if reminder:
            dispatcher.utter_message(text=reminder)
        if tracker.get_slot(Slot.SYMPTOM_CHECK) is True:
            contacts = get_red_flag_rules().contacts_for(user_country(tracker))
            dispatcher.utter_message(text=urgent_symptom_advice(symptom, contacts))
            return []
        routine = get_screening().safe_routine(kb, symptom.key, tracker.slots)
        for message in routine_overview(symptom, routine, kb, tracker.get_slot(Slot.SYMPTOM_INTENSITY)):
            dispatcher.utter_message(text=message)
        if routine.points:
            dispatcher.utter_message(response="utter_offer_guidance")
        return []
