"""What a general answer (utter_faq/<key>) may lack: the caution for a condition
the question mentions, and whether the response selector's pick can stand alone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amma.knowledge_base import KnowledgeBase
from amma.parse_data import faq_pick, text_of
from amma.screening import Screening

FAQ_PREFIX = "utter_faq/"
# Below this the response selector's pick is a guess, not an answer to offer on its own.
FAQ_ANSWER_CONFIDENCE = 0.5


def confident_faq_answer(parse_data: Mapping[str, Any]) -> str | None:
    """The utter_faq/... response picked for the message, if the selector is confident."""
    pick = faq_pick(parse_data)
    return pick.get("utter_action") if (pick.get("confidence") or 0) >= FAQ_ANSWER_CONFIDENCE else None


def cautions_for(text: str, answer_key: str | None, screening: Screening, kb: KnowledgeBase) -> list[str]:
    """Cautions for conditions the question mentions that the chosen answer doesn't cover:
    "are points risky when expecting?" answered with side effects still hears about pregnancy."""
    conditions = [kb.contraindications[tag] for tag in dict.fromkeys(screening.conditions_mentioned(text))]
    return [c.caution for c in conditions if answer_key not in c.answered_by]


def cautions_for_message(parse_data: Mapping[str, Any], screening: Screening, kb: KnowledgeBase) -> list[str]:
    """cautions_for the message and the FAQ answer picked for it."""
    utter_action = faq_pick(parse_data).get("utter_action") or ""
    answer_key = utter_action[len(FAQ_PREFIX) :] if utter_action.startswith(FAQ_PREFIX) else None
    return cautions_for(text_of(parse_data), answer_key, screening, kb)
