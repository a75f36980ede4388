"""action_ask_forget and action_forget_conversation, with rasa_sdk trackers."""

from __future__ import annotations

from rasa_sdk.events import ActiveLoop, ReminderCancelled, SlotSet

from actions.privacy_actions import ActionAskForget, ActionForgetConversation
from amma.guided_session import RoutineState
from amma.names import Intent, Slot
from tests.actions.trackers import ALL_CLEAR, make_tracker, run_action, texts

ASKED = [
    {"event": "user", "parse_data": {"intent": {"name": "forget_me"}}},
    {"event": "action", "name": "action_ask_forget"},
    {"event": "action", "name": "action_listen"},
    {"event": "user", "parse_data": {"intent": {"name": "affirm"}}},
]


def test_the_question_says_what_goes_and_offers_yes_and_no():
    messages, events = run_action(ActionAskForget(), make_tracker("forget me", Intent.FORGET_ME, ALL_CLEAR))
    assert "delete this conversation" in texts(messages) and "can't be undone" in texts(messages)
    assert [(b["title"], b["payload"]) for b in messages[0]["buttons"]] == [
        ("Yes, delete it", "/affirm"),
        ("No, keep it", "/deny"),
    ]
    # A screening form in progress ends, so the "yes" can't answer its question.
    assert events == [ActiveLoop(None), SlotSet("requested_slot", None)]


def test_a_yes_to_the_question_returns_the_marker_the_store_deletes_on():
    tracker = make_tracker("yes", Intent.AFFIRM, ALL_CLEAR, events=ASKED)
    messages, events = run_action(ActionForgetConversation(), tracker)
    assert "I've deleted our conversation" in texts(messages)
    assert events == [SlotSet(Slot.FORGET_CONFIRMED, True)]


def test_a_running_routines_time_up_is_cancelled_too():
    running = RoutineState(
        symptom="headache",
        steps=[{"number": 1, "total": 1, "code": "GB20", "side": None, "seconds": 60}],
        started_at=1000.0,
    ).to_slot()
    tracker = make_tracker("yes", Intent.AFFIRM, {Slot.ROUTINE_STATE: running}, events=ASKED)
    _, events = run_action(ActionForgetConversation(), tracker)
    assert events == [ReminderCancelled(name="amma-step-unit-test-0-1000000"), SlotSet(Slot.FORGET_CONFIRMED, True)]


def test_without_the_question_just_before_nothing_is_deleted():
    tracker = make_tracker("yes", Intent.AFFIRM, ALL_CLEAR, events=ASKED[-1:])
    messages, events = run_action(ActionForgetConversation(), tracker)
    assert events == []
    assert "I haven't deleted anything" in texts(messages)
