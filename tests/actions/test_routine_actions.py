"""action_register_symptom and action_suggest_routine: what a person reads after naming a symptom."""

from __future__ import annotations

import pytest
from rasa_sdk.events import ActiveLoop, FollowupAction, ReminderCancelled, SlotSet

from actions.routine_actions import ActionCorrectSymptom, ActionRegisterSymptom, ActionSuggestRoutine
from amma.knowledge_base import get_knowledge_base
from amma.names import Intent, Slot
from tests.actions.trackers import ALL_CLEAR, make_tracker, responses, run_action, texts

# Every symptom the knowledge base holds, so a new one is tested without touching this file.
SYMPTOMS = sorted(get_knowledge_base().symptoms)


def screened(**overrides):
    return {**ALL_CLEAR, **overrides}


@pytest.mark.parametrize("symptom_key", SYMPTOMS)
def test_every_symptom_gets_its_points_with_location_reason_and_technique(kb, symptom_key):
    tracker = make_tracker("ok", Intent.DENY, screened(symptom=symptom_key))
    messages, events = run_action(ActionSuggestRoutine(), tracker)
    shown = texts(messages)
    for point in kb.routine_points(symptom_key):
        assert point.title in shown
        assert point.location in shown
        assert point.technique in shown
        assert f"{point.hold_seconds} seconds" in shown
    for note in kb.symptoms[symptom_key].see_a_doctor:
        assert note in shown
    assert "left out" not in shown
    assert responses(messages)[-1] == "utter_offer_guidance"


def test_pregnant_person_never_sees_restricted_points_and_is_told_why(kb):
    messages, _ = run_action(
        ActionSuggestRoutine(), make_tracker("no", Intent.DENY, screened(symptom="headache", is_pregnant=True))
    )
    shown = texts(messages)
    body = shown.split("I've left out:")[0]
    assert "LI4 (Hegu)" not in body
    assert "- LI4 (Hegu): traditionally avoided during pregnancy" in shown
    assert "GB20 (Fengchi)" in body


def test_local_problem_skips_that_body_area(kb):
    answers = screened(symptom="headache", has_skin_problem=True, problem_areas=["hand"])
    shown = texts(run_action(ActionSuggestRoutine(), make_tracker("hands", None, answers))[0])
    assert "- LI4 (Hegu): it's on the hand, where you mentioned a skin problem or injury" in shown


def test_bleeding_risk_keeps_points_with_light_pressure_only():
    shown = texts(
        run_action(
            ActionSuggestRoutine(),
            make_tracker("yes", Intent.AFFIRM, screened(symptom="insomnia", has_bleeding_risk=True)),
        )[0]
    )
    assert "press only lightly" in shown and "HT7 (Shenmen)" in shown


def test_nothing_safe_left_refers_to_a_professional(kb):
    answers = screened(symptom="low_back_ache", is_pregnant=True, has_recent_injury=True, problem_areas=["leg", "hand"])
    messages, _ = run_action(ActionSuggestRoutine(), make_tracker("legs and hands", None, answers))
    shown = texts(messages)
    assert "none of the usual points for" in shown and "qualified" in shown
    assert "utter_offer_guidance" not in responses(messages)


def test_yes_to_the_symptom_check_gives_urgent_advice_not_points(kb):
    messages, _ = run_action(
        ActionSuggestRoutine(), make_tracker("yes", Intent.AFFIRM, screened(symptom="headache", symptom_check=True))
    )
    shown = texts(messages)
    assert "get medical help today" in shown and "911" in shown
    assert "GB20" not in shown


def test_earlier_red_flag_is_repeated_before_a_routine():
    shown = texts(
        run_action(ActionSuggestRoutine(), make_tracker("ok", None, screened(symptom="stress", red_flag="crisis")))[0]
    )
    assert shown.startswith("If those thoughts come back") and "988" in shown


def test_strong_intensity_is_acknowledged_with_advice_to_see_a_doctor():
    shown = texts(
        run_action(
            ActionSuggestRoutine(), make_tracker("no", Intent.DENY, screened(symptom="headache", symptom_intensity=8.0))
        )[0]
    )
    assert shown.startswith("That sounds strong (about 8/10)") and "doctor" in shown.split("\n")[0]


def test_register_symptom_reads_symptom_and_intensity_and_resets_the_check():
    messages, events = run_action(
        ActionRegisterSymptom(), make_tracker("my head is killing me", "symptom_headache", {Slot.SYMPTOM_CHECK: True})
    )
    assert SlotSet(Slot.SYMPTOM, "headache") in events
    assert SlotSet(Slot.SYMPTOM_INTENSITY, 8) in events
    assert SlotSet(Slot.SYMPTOM_CHECK, None) in events
    assert texts(messages).startswith("Before I suggest points for headache, a few quick safety questions")


def test_a_symptom_named_only_to_deny_it_starts_nothing():
    """The classifier heard "headache" in "not a headache"; no screening, no routine."""
    tracker = make_tracker("no, it's my tooth, not a headache", "symptom_headache")
    messages, events = run_action(ActionCorrectSymptom(), tracker)
    assert responses(messages) == ["utter_default"]
    assert events == []


def test_a_correction_mid_screening_ends_what_was_under_way_for_that_symptom():
    slots = {Slot.SYMPTOM: "headache", Slot.REQUESTED_SLOT: "is_pregnant", Slot.SYMPTOM_CHECK: False}
    tracker = make_tracker("no, it's my tooth, not a headache", "deny", {**slots, "has_bleeding_risk": False})
    messages, events = run_action(ActionCorrectSymptom(), tracker)
    assert texts(messages).startswith("Sorry, I got that wrong: I thought you meant headache, so I've stopped there.")
    assert "doctor or pharmacist" in texts(messages) and "911 (US)" in texts(messages)
    for event in (
        ActiveLoop(None),
        SlotSet(Slot.SYMPTOM, None),
        SlotSet(Slot.SYMPTOM_CHECK, None),
        ReminderCancelled(),
    ):
        assert event in events
    # What the person said about themselves stays.
    assert not [e for e in events if e.get("name") == "has_bleeding_risk"]


def test_register_symptom_skips_the_intro_once_screened():
    messages, _ = run_action(ActionRegisterSymptom(), make_tracker("can't sleep", "symptom_insomnia", ALL_CLEAR))
    assert messages == []


def test_without_a_symptom_it_asks_for_one():
    for action in (ActionRegisterSymptom(), ActionSuggestRoutine()):
        messages, events = run_action(action, make_tracker("hmm", Intent.AFFIRM))
        assert responses(messages) == ["utter_ask_symptom"] and events == []


# ---------------------------------------------------------------- a "no" to the red-flag check
def answered_check(checked_text: str, classifier_intent: str | None, slots: dict | None = None):
    """The tracker after the bot checked ``checked_text`` for a red flag and the person said no."""
    checked = {
        "event": "user",
        "text": checked_text,
        "parse_data": {
            "text": checked_text,
            "intent": {"name": Intent.RED_FLAG_CHECK, "confidence": 0.6},
            "red_flag": {"kind": "crisis", "unsure": True, "classifier_intent": classifier_intent},
        },
    }
    events = [
        checked,
        {"event": "action", "name": "action_check_red_flag"},
        {"event": "user", "text": "no", "parse_data": {"text": "no", "intent": {"name": Intent.DENY}}},
    ]
    return make_tracker("no", Intent.DENY, slots, events)


def test_no_to_the_check_goes_on_with_the_symptom_the_checked_message_reported():
    from actions.routine_actions import ActionRedFlagCleared

    tracker = answered_check("my friends went out without me and now my head is pounding badly", "symptom_headache")
    messages, events = run_action(ActionRedFlagCleared(), tracker)
    assert texts(messages).startswith("Thank you, and sorry for checking. Let's go on with your headache.")
    assert "Before I suggest points for headache, a few quick safety questions" in texts(messages)
    assert SlotSet(Slot.SYMPTOM, "headache") in events
    assert SlotSet(Slot.SYMPTOM_CHECK, None) in events  # the headache's own red-flag question still comes
    assert FollowupAction("screening_form") in events
    # The strength comes from the checked message ("pounding badly": strong), not from the "no" (none).
    intensity = next(e["value"] for e in events if e.get("name") == Slot.SYMPTOM_INTENSITY)
    assert intensity is not None and intensity >= 7


def test_no_to_the_check_asks_again_when_the_checked_message_named_no_symptom():
    from actions.routine_actions import ActionRedFlagCleared

    for classifier_intent in ("nlu_fallback", "red_flag_crisis", None):
        messages, events = run_action(ActionRedFlagCleared(), answered_check("blorp", classifier_intent))
        assert responses(messages) == ["utter_red_flag_cleared"] and events == []


def test_after_the_screening_the_symptom_goes_straight_to_its_check_and_routine():
    from actions.routine_actions import ActionRedFlagCleared

    tracker = answered_check("I can't sleep", "symptom_insomnia", ALL_CLEAR)
    messages, events = run_action(ActionRedFlagCleared(), tracker)
    assert responses(messages) == []  # no screening introduction: it's all answered
    assert SlotSet(Slot.SYMPTOM, "insomnia") in events and FollowupAction("screening_form") in events
