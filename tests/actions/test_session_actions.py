"""action_session_start: the notice at the start of every conversation."""

from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet

from actions.session_actions import ActionSessionStart
from amma.names import Slot
from tests.actions.trackers import make_tracker, responses, run_action


def test_session_start_shows_the_disclaimer_and_keeps_slots():
    messages, events = run_action(ActionSessionStart(), make_tracker(slots={Slot.SYMPTOM: "headache", Slot.SYMPTOM_INTENSITY: None}))
    assert responses(messages) == ["utter_disclaimer"]
    assert events[0] == SessionStarted()
    assert SlotSet(Slot.SYMPTOM, "headache") in events
    assert all(e.get("name") != "symptom_intensity" for e in events)
    assert events[-1] == ActionExecuted("action_listen")
