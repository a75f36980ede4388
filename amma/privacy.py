"""The "forget me" request: the conversation is deleted only as the answer "yes" to its own
question, asked just before. Plain values (event dicts as rasa_sdk passes
them), so it is tested without Rasa.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from amma.names import ACTION_LISTEN, Intent
from amma.safety_net import ASK_FORGET


def bot_action_before_latest_message(events: Sequence[Mapping[str, Any]]) -> str | None:
    """The bot's last action (not listening) before the person's latest message."""
    seen_user = False
    for event in reversed(events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") not in (None, ACTION_LISTEN):
            return str(event["name"])
    return None


def forget_confirmed(latest_intent: str | None, events: Sequence[Mapping[str, Any]]) -> bool:
    """True only for a yes to the forget question, right after it was asked."""
    return latest_intent == Intent.AFFIRM and bot_action_before_latest_message(events) == ASK_FORGET
