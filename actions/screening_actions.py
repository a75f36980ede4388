"""Reading answers from any message (screening facts, the symptom check, ratings), and the screening form."""

from __future__ import annotations

import logging
from abc import ABCMeta, abstractmethod
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, ReminderCancelled, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from amma import message_answers
from amma.faq import cautions_for_message, confident_faq_answer
from amma.guided_session import RoutineState
from amma.knowledge_base import Symptom, get_knowledge_base
from amma.names import Intent, Slot
from amma.parse_data import intent_name, text_of
from amma.replies import Reply
from amma.routine_check import RoutineCheck, check_routine
from amma.screening import Settled, asks_in_general, get_screening
from amma.wording import get_wording

# Where read_message keeps its reading on a tracker: (the slots it read with, the reading).
_READ_MESSAGE = "_amma_read_message"


def current_symptom(tracker: Tracker) -> Symptom | None:
    return get_knowledge_base().symptoms.get(tracker.get_slot(Slot.SYMPTOM) or "")


def read_message(tracker: Tracker) -> Settled:
    """What the latest message answers (amma/message_answers.py); the Rasa server has
    already set its slots before the turn (policies/message_answers.py). Kept on the
    tracker while its slots stay the same: rasa_sdk's form asks for the required slots
    three times a turn, and reading the message three times was a seventh of the
    action server's time (py-spy)."""
    kept = vars(tracker).get(_READ_MESSAGE)
    if kept is not None and kept[0] == tracker.slots:
        return kept[1]
    settled = message_answers.read_message(tracker.latest_message, tracker.slots)
    vars(tracker)[_READ_MESSAGE] = (dict(tracker.slots), settled)
    return settled


def confirmation_answered(tracker: Tracker) -> str | None:
    """The screening slot the latest message was asked to confirm, if it was: the value
    screening_confirm held when the message came in (the extraction clears it since)."""
    events = tracker.events
    latest_user = next((i for i in range(len(events) - 1, -1, -1) if events[i].get("event") == "user"), 0)
    for event in reversed(events[:latest_user]):
        if event.get("event") in ("session_started", "restart"):
            return None
        if event.get("event") == "slot" and event.get("name") == Slot.SCREENING_CONFIRM:
            return event.get("value")
    return None


def ask_to_confirm(dispatcher: CollectingDispatcher, slots: tuple[str, ...]) -> list[EventType]:
    """Asks to confirm the first contradicted answer; the next message is read as its answer."""
    if not slots:
        return []
    dispatcher.utter_message(**get_screening().confirmation(slots[0]).as_utterance())
    return [SlotSet(Slot.SCREENING_CONFIRM, slots[0])]


class _NoValidateMethodNotice(logging.Filter):
    """rasa_sdk warns on every turn of the form for each slot without a validate_<slot>
    method. This form has none on purpose (the Rasa server reads the answers:
    policies/message_answers.py), so the warnings were most of the action server's log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Skipping validation for")


logging.getLogger("rasa_sdk.forms").addFilter(_NoValidateMethodNotice())


class ValidateScreeningForm(FormValidationAction):
    """Asks only what is still unknown, and stops early when the symptom needs urgent care."""

    def name(self) -> str:
        return "validate_screening_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        symptom = current_symptom(tracker)
        needs_check = bool(symptom and symptom.check_question)
        if needs_check and tracker.get_slot(Slot.SYMPTOM_CHECK) is True:
            return []  # urgent care: no point screening for a routine we won't give
        slots = get_screening().required_slots(tracker.slots)
        # A "no" to a yes that must be confirmed is asked about at once, while the
        # message that said it is the latest (action_ask_screening_confirm).
        confirm = [Slot.SCREENING_CONFIRM] if read_message(tracker).to_confirm else []
        return confirm + ([Slot.SYMPTOM_CHECK] if needs_check else []) + slots


class AskScreeningQuestion(Action, metaclass=ABCMeta):
    """Asks for one screening slot in the words and buttons of knowledge/screening.yml.
    Rasa's form runs action_ask_<slot> when the domain has it, in place of a response.
    Abstract, so the action server registers only the subclasses below."""

    @property
    @abstractmethod
    def slot(self) -> str: ...

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(**get_screening().prompt(self.slot).as_utterance())
        return []


# One action_ask_<slot> per slot the screening asks for, made from screening.yml
# so a new question needs no code; the action server registers each class.
ASK_ACTIONS = {
    slot: type(
        f"ActionAsk{slot.title().replace('_', '')}", (AskScreeningQuestion,), {"slot": slot, "__module__": __name__}
    )
    for slot in get_screening().asked_slots
}


class ActionAskSymptomCheck(Action):
    """The symptom's own red-flag question (knowledge/symptoms.yml: check_question)."""

    def name(self) -> str:
        return "action_ask_symptom_check"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        words = get_wording()
        symptom = current_symptom(tracker)
        question = symptom.check_question if symptom and symptom.check_question else None
        text = words.say("screening.symptom_check", question=question or words.say("screening.default_check"))
        buttons = (words.button("affirm", f"/{Intent.AFFIRM}"), words.button("deny", f"/{Intent.DENY}"))
        dispatcher.utter_message(**Reply(text, buttons).as_utterance())
        return []


class ActionAskScreeningConfirm(Action):
    """The screening form's question when a "no" contradicts a yes that must be confirmed."""

    def name(self) -> str:
        return "action_ask_screening_confirm"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        return ask_to_confirm(dispatcher, read_message(tracker).to_confirm)


class ActionAcknowledgeCondition(Action):
    """Thanks the person for volunteering a condition and says what it changes; asks
    to confirm a "no" that contradicts an earlier yes, and says what the answer to
    that confirmation means. A yes or no to nothing asks what's wrong."""

    def name(self) -> str:
        return "action_acknowledge_condition"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        screening = get_screening()
        kb = get_knowledge_base()
        words = get_wording()
        message = tracker.latest_message
        to_confirm = read_message(tracker).to_confirm
        confirmed = confirmation_answered(tracker)
        if confirmed in screening.slots:
            if tracker.get_slot(confirmed) is False:
                dispatcher.utter_message(text=words.say("screening.cleared"))
            else:
                dispatcher.utter_message(text=words.condition_noted([screening.question(confirmed)], kb, kept=True))
        elif intent_name(message) not in (Intent.AFFIRM, Intent.DENY):
            noted = [
                screening.question(slot)
                for slot in screening.slots
                if tracker.get_slot(slot) is True and slot not in to_confirm
            ]
            # "Are points risky when you're expecting?" reads like a condition but asks a
            # question: answer it with the FAQ answer the response selector chose.
            faq_answer = confident_faq_answer(message) if asks_in_general(text_of(message)) else None
            if faq_answer:
                dispatcher.utter_message(response=faq_answer)
                for caution in cautions_for_message(message, screening, kb):
                    dispatcher.utter_message(text=caution)
            if noted or not (faq_answer or to_confirm):
                dispatcher.utter_message(text=words.condition_noted(noted, kb))
        routine, events = check_running_routine(dispatcher, tracker)
        if to_confirm:
            return events + ask_to_confirm(dispatcher, to_confirm)
        if routine is None:
            dispatcher.utter_message(response="utter_ask_symptom")
        elif routine.state:
            dispatcher.utter_message(text=words.say("guided.carry_on"))
        return events


def check_running_routine(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> tuple[RoutineCheck | None, list[EventType]]:
    """A routine under way is screened again at once (amma/routine_check.py): the
    points an answer just ruled out come out of it before the next step, and the
    person is told which and why. None when no routine is under way."""
    state = RoutineState.from_slot(tracker.get_slot(Slot.ROUTINE_STATE))
    if state is None or state.finished:
        return None, []
    check = check_routine(state, tracker.slots, tracker.sender_id)
    for message in check.messages:
        dispatcher.utter_message(text=message)
    cancelled = [ReminderCancelled(name=check.cancel_reminder)] if check.cancel_reminder else []
    return check, cancelled + ([SlotSet(Slot.ROUTINE_STATE, check.slot_value)] if check.changed else [])
