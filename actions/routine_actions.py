"""Actions that answer a reported symptom with its acupressure routine."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.intensity import estimate_intensity
from actions.knowledge_base import KnowledgeBase, get_knowledge_base
from actions.wording import routine_overview


def symptom_from_tracker(tracker: Tracker, kb: KnowledgeBase):
    """The symptom the latest message reports, else the one already under discussion."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return kb.symptom_for_intent(intent) or kb.symptoms.get(tracker.get_slot("symptom") or "")


class ActionSuggestRoutine(Action):
    """Names the symptom's points: what each is, where it is, why and how to press it."""

    def name(self) -> Text:
        return "action_suggest_routine"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        kb = get_knowledge_base()
        symptom = symptom_from_tracker(tracker, kb)
        if symptom is None:
            dispatcher.utter_message(response="utter_ask_symptom")
            return []
        intensity = estimate_intensity(tracker.latest_message.get("text"))
        for message in routine_overview(symptom, kb.routine_points(symptom.key), kb, intensity):
            dispatcher.utter_message(text=message)
        dispatcher.utter_message(response="utter_offer_more")
        return [SlotSet("symptom", symptom.key), SlotSet("symptom_intensity", intensity)]
