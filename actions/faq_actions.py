"""What follows a general answer (utter_faq/...): a caution for a condition the
question mentions that the chosen answer does not cover, and the offer of points
for a symptom it names."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from amma.guided_session import RoutineState
from amma.knowledge_base import KnowledgeBase, get_knowledge_base
from amma.screening import Screening, get_screening

FAQ_PREFIX = "utter_faq/"
# Below this the response selector's pick is a guess, not an answer to offer on its own.
FAQ_ANSWER_CONFIDENCE = 0.5


def selected_faq(tracker: Tracker) -> Dict[str, Any]:
    """The response selector's pick for the latest message: utter_action and confidence ({} if none)."""
    return ((tracker.latest_message.get("response_selector") or {}).get("faq") or {}).get("response") or {}


def confident_faq_answer(tracker: Tracker) -> Optional[str]:
    """The utter_faq/... response chosen for the latest message, if the selector is confident."""
    selected = selected_faq(tracker)
    return selected.get("utter_action") if (selected.get("confidence") or 0) >= FAQ_ANSWER_CONFIDENCE else None


def cautions_for(text: str, answer_key: Optional[str], screening: Screening, kb: KnowledgeBase) -> List[str]:
    """Cautions for conditions the question mentions that the chosen answer doesn't cover:
    "are points risky when expecting?" answered with side effects still hears about pregnancy."""
    conditions = [kb.contraindications[tag] for tag in dict.fromkeys(screening.conditions_mentioned(text))]
    return [c.caution for c in conditions if answer_key not in c.answered_by]


def latest_cautions(tracker: Tracker, kb: KnowledgeBase) -> List[str]:
    """cautions_for the latest message and the FAQ answer chosen for it."""
    utter_action = selected_faq(tracker).get("utter_action") or ""
    answer_key = utter_action[len(FAQ_PREFIX):] if utter_action.startswith(FAQ_PREFIX) else None
    return cautions_for(tracker.latest_message.get("text") or "", answer_key, get_screening(), kb)


class ActionFollowUpFaq(Action):
    """Runs after utter_faq outside forms."""

    def name(self) -> Text:
        return "action_follow_up_faq"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        kb = get_knowledge_base()
        for caution in latest_cautions(tracker, kb):
            dispatcher.utter_message(text=caution)
        state = RoutineState.from_slot(tracker.get_slot("routine_state"))
        mentioned = kb.symptoms_mentioned(tracker.latest_message.get("text") or "")
        # No new routine offered while one is under way.
        if mentioned and (state is None or state.finished):
            symptom = mentioned[0]
            dispatcher.utter_message(
                text=f"If you are dealing with {symptom.name} right now, I can suggest points for it "
                     "after a few quick safety questions.",
                buttons=[{"title": f"Points for {symptom.name}", "payload": f"/{symptom.intent}"}])
        return []
