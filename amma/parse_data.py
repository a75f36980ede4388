"""What NLU made of the latest message, read from Rasa's plain parse data
(``tracker.latest_message``): the intent, entity values, the FAQ answer the
response selector picked, what the red-flag net found."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def intent_name(parse_data: Mapping[str, Any]) -> str | None:
    return (parse_data.get("intent") or {}).get("name")


def text_of(parse_data: Mapping[str, Any]) -> str:
    return parse_data.get("text") or ""


def entity_values(parse_data: Mapping[str, Any], entity: str) -> list[str]:
    """Every value of ``entity`` in the message, once each, in order."""
    values = [e.get("value") for e in parse_data.get("entities") or [] if e.get("entity") == entity]
    return list(dict.fromkeys(v for v in values if v))


def faq_pick(parse_data: Mapping[str, Any]) -> Mapping[str, Any]:
    """The response selector's pick: utter_action and confidence ({} if none)."""
    return ((parse_data.get("response_selector") or {}).get("faq") or {}).get("response") or {}
