"""action_session_start: the notice at the start of every conversation, and a clean slate."""

from rasa_sdk.events import ActionExecuted, ReminderCancelled, SessionStarted

from actions.session_actions import ActionSessionStart
from amma.guided_session import RoutineState
from amma.names import Intent, Slot
from tests.actions.trackers import ALL_CLEAR, extracted, make_tracker, run_action, texts

HISTORY = [{"symptom": "stress", "symptom_name": "stress", "before": 7, "after": 2}]
RUNNING = RoutineState(
    symptom="headache",
    steps=[{"number": 1, "total": 1, "code": "GB20", "side": None, "seconds": 60}],
    started_at=1000.0,
).to_slot()
# A session that ended mid-way: screened (pregnant), a form asking a question, a
# confirmation asked, a routine running, a red flag raised.
LAST_SESSION = {
    **ALL_CLEAR,
    "is_pregnant": True,
    Slot.PROBLEM_AREAS: ["hand"],
    Slot.SYMPTOM: "headache",
    Slot.SYMPTOM_INTENSITY: 6.0,
    Slot.REQUESTED_SLOT: "has_bleeding_risk",
    Slot.SCREENING_CONFIRM: "is_pregnant",
    Slot.ROUTINE_STATE: RUNNING,
    Slot.RATING_BEFORE: 6.0,
    Slot.RED_FLAG: "emergency",
    Slot.RATING_HISTORY: HISTORY,
    Slot.SESSION_METADATA: {"country": "UK"},
}


def slots_after(events):
    """The slots a new session starts with: SessionStarted resets them all, then the SlotSets apply."""
    assert events[0] == SessionStarted()
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_session_start_shows_the_disclaimer_and_what_is_kept():
    messages, events = run_action(ActionSessionStart(), make_tracker())
    notice, privacy = (message["text"] for message in messages)
    assert notice.startswith(
        "Hi, I'm Amma, a self-care guide for acupressure. I share general information, not medical advice"
    )
    assert notice.endswith("(911 US, 999 UK, 112 EU, 000 Australia).")
    # One line: what is stored, and how to delete it.
    assert "\n" not in privacy and "I keep this conversation" in privacy
    assert privacy.endswith('say "forget me" at any time to delete it.')
    assert events == [SessionStarted(), ActionExecuted("action_listen")]


def test_only_the_rating_history_and_the_channels_metadata_carry_over():
    _, events = run_action(ActionSessionStart(), make_tracker(slots=LAST_SESSION))
    assert slots_after(events) == {Slot.RATING_HISTORY: HISTORY, Slot.SESSION_METADATA: {"country": "UK"}}
    assert events[-1] == ActionExecuted("action_listen")


def test_a_running_holds_reminder_is_cancelled():
    _, events = run_action(ActionSessionStart(), make_tracker(slots=LAST_SESSION))
    assert ReminderCancelled(name="amma-step-unit-test-0-1000000") in events
    paused = {**RoutineState.from_slot(RUNNING).to_slot(), "paused_left": 30.0}
    _, events = run_action(ActionSessionStart(), make_tracker(slots={Slot.ROUTINE_STATE: paused}))
    assert not any(e["event"] == "cancel_reminder" for e in events)


def test_a_question_left_open_is_not_answered_by_the_next_sessions_first_message():
    _, events = run_action(ActionSessionStart(), make_tracker(slots=LAST_SESSION))
    first = make_tracker("no", Intent.DENY, slots_after(events))
    assert extracted(first) == []


def test_a_returning_person_is_asked_how_it_went():
    messages, _ = run_action(ActionSessionStart(), make_tracker(slots={Slot.RATING_HISTORY: HISTORY}))
    assert (
        messages[-1]["text"] == "Welcome back. Last time your stress went from 7 to 2 out of 10. How has it been since?"
    )


def test_a_routine_from_the_last_session_is_never_replayed():
    from actions.guided_actions import ActionRoutineControl

    _, events = run_action(ActionSessionStart(), make_tracker(slots=LAST_SESSION))
    for control in (Intent.ROUTINE_RESTART, Intent.ROUTINE_RESUME, Intent.ROUTINE_NEXT):
        messages, _ = run_action(ActionRoutineControl(), make_tracker(control, control, slots_after(events)))
        assert "There's no routine running right now." in texts(messages), control
