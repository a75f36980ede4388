"""What the latest message answers, from its parse data and the slots as they
stand: screening facts (volunteered or asked for, a contradicted yes kept until
confirmed), the symptom check, or a 0-10 rating when one was asked.

Plain Python: the Rasa server reads every message with it before the turn
(policies/message_answers.py), so no call to the action server is spent on it
and a fact such as "I'm pregnant" is kept even while the action server is down;
the action server's screening form uses it to know what is left to confirm.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amma.guided_session import parse_rating
from amma.knowledge_base import get_knowledge_base
from amma.names import Slot
from amma.parse_data import intent_name, text_of
from amma.red_flags import get_red_flag_rules
from amma.screening import Settled, get_screening


def read_message(parse_data: Mapping[str, Any], slots: Mapping[str, Any]) -> Settled:
    """A confirmation the bot asked (screening_confirm) is the question this message
    answers, in or out of the screening form. A red-flag message fills nothing, so
    the form rejects it and the escalation rule takes over."""
    intent = intent_name(parse_data)
    if get_red_flag_rules().is_red_flag_intent(intent):
        return Settled({}, ())
    text = text_of(parse_data)
    requested = slots.get(Slot.REQUESTED_SLOT)
    if get_knowledge_base().denied_symptom(text, intent, slots.get(Slot.SYMPTOM)):
        # "No, it's my tooth, not a headache" corrects the bot: its "no" answers no
        # question (a pregnancy, the check). What it volunteers ("I'm pregnant") still counts.
        slots = {**slots, Slot.REQUESTED_SLOT: None, Slot.SCREENING_CONFIRM: None}
        requested = None
    screening = get_screening()
    settled = screening.read_message(text, intent, slots)
    values = dict(settled.values)
    if requested == Slot.SYMPTOM_RATING:
        rating = parse_rating(text)
        if rating is not None:
            values[Slot.SYMPTOM_RATING] = rating
    if requested == Slot.SYMPTOM_CHECK:
        answer = screening.read_yes_no(text, intent, unsure_means=True)
        if answer is not None:
            values[Slot.SYMPTOM_CHECK] = answer
    return Settled(values, settled.to_confirm)


def slots_to_set(parse_data: Mapping[str, Any], slots: Mapping[str, Any]) -> dict[str, Any]:
    """The slots the message sets. A yes that a "no" may not silently replace is set
    again as yes (so a form that asked something else still counts the message as
    an answer), and a confirmation asked before is closed: only the message right
    after a question answers it."""
    confirming = slots.get(Slot.SCREENING_CONFIRM)
    settled = read_message(parse_data, slots)
    values = {
        slot: value
        for slot, value in settled.values.items()
        if slots.get(slot) != value or slot == confirming or slot in settled.to_confirm
    }
    if confirming is not None:
        values[Slot.SCREENING_CONFIRM] = None
    return values
