"""action_suggest_routine: what a person reads after naming a symptom."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.routine_actions import ActionSuggestRoutine
from tests.actions.trackers import make_tracker, responses, run_action, texts


@pytest.mark.parametrize("symptom_key", ["headache", "insomnia", "anxiety", "stress", "neck_shoulder_tension",
                                         "fatigue", "nausea", "digestive_upset", "eye_strain", "low_back_ache"])
def test_every_symptom_gets_its_points_with_location_reason_and_technique(kb, symptom_key):
    messages, events = run_action(ActionSuggestRoutine(), make_tracker("text", f"symptom_{symptom_key}"))
    shown = texts(messages)
    symptom = kb.symptoms[symptom_key]
    for point in kb.routine_points(symptom_key):
        assert point.title in shown
        assert point.location in shown
        assert point.technique in shown
        assert f"{point.hold_seconds} seconds" in shown
    for note in symptom.see_a_doctor:
        assert note in shown
    assert SlotSet("symptom", symptom_key) in events
    assert responses(messages)[-1] == "utter_offer_more"


def test_pregnancy_restricted_points_are_flagged(kb):
    messages, _ = run_action(ActionSuggestRoutine(), make_tracker("my head hurts", "symptom_headache"))
    restricted = [p.code for p in kb.routine_points("headache") if "pregnancy" in p.contraindications]
    assert restricted, "the headache routine should include a pregnancy-restricted point to exercise this"
    note = next(line for line in texts(messages).splitlines() if line.startswith("If you are pregnant"))
    for code in restricted:
        assert code in note


def test_strong_intensity_is_acknowledged_with_advice_to_see_a_doctor():
    messages, events = run_action(ActionSuggestRoutine(), make_tracker("my head is killing me", "symptom_headache"))
    assert "sounds strong (about 8/10)" in texts(messages)
    assert "doctor" in texts(messages).split("\n")[0]
    assert SlotSet("symptom_intensity", 8) in events


def test_mild_intensity_is_noted_without_alarm():
    messages, _ = run_action(ActionSuggestRoutine(), make_tracker("slightly stiff neck", "symptom_neck_shoulder_tension"))
    first = texts(messages).split("\n")[0]
    assert "3/10" in first and "doctor" not in first


def test_falls_back_to_the_symptom_slot():
    messages, events = run_action(ActionSuggestRoutine(), make_tracker("again please", "affirm", {"symptom": "nausea"}))
    assert "PC6" in texts(messages)
    assert SlotSet("symptom", "nausea") in events


def test_without_a_symptom_it_asks_for_one():
    messages, events = run_action(ActionSuggestRoutine(), make_tracker("hmm", "affirm"))
    assert responses(messages) == ["utter_ask_symptom"]
    assert events == []
