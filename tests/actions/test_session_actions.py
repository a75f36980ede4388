"""action_session_start: the notice at the start of every conversation."""

from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet

from actions.session_actions import ActionSessionStart
from amma.names import Slot
from tests.actions.trackers import make_tracker, run_action, texts


def test_session_start_shows_the_disclaimer_and_keeps_slots():
    messages, events = run_action(
        ActionSessionStart(), make_tracker(slots={Slot.SYMPTOM: "headache", Slot.SYMPTOM_INTENSITY: None})
    )
    assert texts(messages).startswith(
        "Hi, I'm Amma, a self-care guide for acupressure. I share general information, not medical advice"
    )
    assert texts(messages).endswith("(911 US, 999 UK, 112 EU, 000 Australia).")
    assert events[0] == SessionStarted()
    assert SlotSet(Slot.SYMPTOM, "headache") in events
    assert all(e.get("name") != Slot.SYMPTOM_INTENSITY for e in events)
    assert events[-1] == ActionExecuted("action_listen")


def test_a_returning_person_is_asked_how_it_went():
    history = [{"symptom": "stress", "symptom_name": "stress", "before": 7, "after": 2}]
    messages, _ = run_action(ActionSessionStart(), make_tracker(slots={Slot.RATING_HISTORY: history}))
    assert (
        messages[-1]["text"] == "Welcome back. Last time your stress went from 7 to 2 out of 10. How has it been since?"
    )
