"""What follows a general answer (utter_faq/...): a caution for a condition the
question mentions that the chosen answer does not cover, and the offer of points
for a symptom it names."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from amma.faq import cautions_for_message
from amma.guided_session import RoutineState
from amma.knowledge_base import get_knowledge_base
from amma.message_answers import read_message
from amma.names import Slot
from amma.parse_data import text_of
from amma.replies import Reply
from amma.screening import get_screening
from amma.wording import get_wording


class ActionFollowUpFaq(Action):
    """Runs after utter_faq outside forms. A question that also takes back an earlier
    yes ("I'm not pregnant any more, does it hurt?") gets the confirming question."""

    def name(self) -> str:
        return "action_follow_up_faq"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        kb = get_knowledge_base()
        screening = get_screening()
        message = tracker.latest_message
        for caution in cautions_for_message(message, screening, kb):
            dispatcher.utter_message(text=caution)
        to_confirm = read_message(message, tracker.slots).to_confirm
        if to_confirm:
            dispatcher.utter_message(**screening.confirmation(to_confirm[0]).as_utterance())
            return [SlotSet(Slot.SCREENING_CONFIRM, to_confirm[0])]
        state = RoutineState.from_slot(tracker.get_slot(Slot.ROUTINE_STATE))
        mentioned = kb.symptoms_mentioned(text_of(message))
        # No new routine offered while one is under way.
        if mentioned and (state is None or state.finished):
            symptom = mentioned[0]
            words = get_wording()
            offer = Reply(
                words.say("faq.offer_points", symptom=symptom.name),
                (words.button("points_for", f"/{symptom.intent}", symptom=symptom.name),),
            )
            dispatcher.utter_message(**offer.as_utterance())
        return []
