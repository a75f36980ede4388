"""Builds rasa_sdk trackers and runs actions the way the action server does."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from amma.message_answers import slots_to_set
from amma.names import Slot

DOMAIN: dict[str, Any] = {}
# Screening done, every answer "no": the whole routine is safe.
ALL_CLEAR = {
    Slot.SYMPTOM_CHECK: False,
    "is_pregnant": False,
    "has_skin_problem": False,
    "has_recent_injury": False,
    "has_osteoporosis": False,
    "has_bleeding_risk": False,
}


def make_tracker(
    text: str = "",
    intent: str | None = None,
    slots: dict[str, Any] | None = None,
    events: list[dict[str, Any]] | None = None,
) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0} if intent else {}, "entities": []}
    return Tracker(
        sender_id="unit-test",
        slots=dict(slots or {}),
        latest_message=latest,
        events=list(events or []),
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def with_faq_pick(tracker: Tracker, key: str, confidence: float = 0.9) -> Tracker:
    """The tracker with the response selector's pick utter_faq/<key> on its latest message."""
    tracker.latest_message["response_selector"] = {
        "faq": {"response": {"utter_action": f"utter_faq/{key}", "confidence": confidence}}
    }
    return tracker


def run_action(action: Action, tracker: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(messages the user would see, events returned)."""
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, DOMAIN)
    return dispatcher.messages, events


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def responses(messages: list[dict[str, Any]]) -> list[str]:
    return [m["response"] for m in messages if m.get("response")]


def user_turn(
    text: str, intent: str | None, slots: dict[str, Any], events: list[dict[str, Any]] | None = None
) -> Tracker:
    """The tracker the next action sees after the person says ``text``: the message,
    then the slots the Rasa server read from it before the turn (slots updated, slot
    events logged after the user event)."""
    before = make_tracker(text, intent, slots, [*(events or []), {"event": "user", "text": text}])
    read = extracted(before)
    after = {**slots, **{e["name"]: e["value"] for e in read}}
    return make_tracker(text, intent, after, [*before.events, *read])


def extracted(tracker: Tracker) -> list[dict[str, Any]]:
    """The slot events the Rasa server reads from the tracker's latest message before
    the turn (amma/message_answers.py, installed by policies/message_answers.py)."""
    return [SlotSet(slot, value) for slot, value in slots_to_set(tracker.latest_message, tracker.slots).items()]


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    """name -> value of the slot events among ``events`` (the last one wins)."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
