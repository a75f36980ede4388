"""Screening actions: reading answers from any message, the form's slot list, questions, acknowledgement."""

import asyncio

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.screening_actions import (
    ASK_ACTIONS,
    ActionAcknowledgeCondition,
    ActionAskSymptomCheck,
    ActionValidateSlotMappings,
    ValidateScreeningForm,
)
from amma.names import Intent, Slot
from tests.actions.trackers import make_tracker, responses, run_action, texts, with_faq_pick

SCREENING_SLOTS = ["is_pregnant", "has_skin_problem", "has_recent_injury", "has_osteoporosis", "has_bleeding_risk"]


def extract(tracker):
    return asyncio.run(ActionValidateSlotMappings().get_extraction_events(CollectingDispatcher(), tracker, {}))


def required(tracker):
    return asyncio.run(ValidateScreeningForm().required_slots([], CollectingDispatcher(), tracker, {}))


def test_volunteered_pregnancy_is_picked_up_before_it_is_asked():
    assert extract(make_tracker("I have a headache and I'm 20 weeks pregnant", "symptom_headache")) == [
        SlotSet("is_pregnant", True)
    ]


def test_button_answer_fills_the_requested_slot():
    assert extract(make_tracker("/deny", Intent.DENY, {Slot.REQUESTED_SLOT: "has_osteoporosis"})) == [
        SlotSet("has_osteoporosis", False)
    ]


def test_symptom_check_answer():
    assert extract(make_tracker("yes it came on suddenly", Intent.AFFIRM, {Slot.REQUESTED_SLOT: "symptom_check"})) == [
        SlotSet(Slot.SYMPTOM_CHECK, True)
    ]


def test_red_flag_message_fills_nothing_so_the_form_gives_way():
    tracker = make_tracker(
        "I'm pregnant and bleeding heavily", "red_flag_emergency", {Slot.REQUESTED_SLOT: "is_pregnant"}
    )
    assert extract(tracker) == []


def test_form_asks_the_symptom_check_first_then_screening():
    assert required(make_tracker(slots={Slot.SYMPTOM: "headache"})) == [Slot.SYMPTOM_CHECK, *SCREENING_SLOTS]
    assert required(make_tracker(slots={Slot.SYMPTOM: "insomnia"})) == SCREENING_SLOTS


def test_form_stops_at_once_after_a_yes_to_the_symptom_check():
    assert required(make_tracker(slots={Slot.SYMPTOM: "headache", Slot.SYMPTOM_CHECK: True})) == []


def test_form_asks_where_after_a_local_problem():
    assert required(make_tracker(slots={Slot.SYMPTOM: "stress", "has_skin_problem": True}))[-1] == "problem_areas"


def test_symptom_check_question_comes_from_the_knowledge_base(kb):
    messages, _ = run_action(ActionAskSymptomCheck(), make_tracker(slots={Slot.SYMPTOM: "low_back_ache"}))
    assert kb.symptoms["low_back_ache"].check_question in texts(messages)
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/affirm", "/deny"]


def test_acknowledging_a_volunteered_condition_says_what_changes():
    messages, _ = run_action(
        ActionAcknowledgeCondition(),
        make_tracker("I take warfarin", "inform_health_condition", {"has_bleeding_risk": True, "is_pregnant": True}),
    )
    shown = texts(messages)
    assert "light pressure only" in shown and "pregnancy" in shown
    assert responses(messages) == ["utter_ask_symptom"]


def test_a_general_question_read_as_a_condition_gets_the_selected_faq_answer():
    tracker = make_tracker("are any points risky when you're expecting a baby?", "inform_health_condition")
    with_faq_pick(tracker, "pregnancy_safety", 0.9)
    messages, _ = run_action(ActionAcknowledgeCondition(), tracker)
    assert responses(messages) == ["utter_faq/pregnancy_safety", "utter_ask_symptom"]
    assert "Thanks for telling me" not in texts(messages)


def test_a_stated_condition_is_not_answered_with_a_faq_and_an_unsure_pick_is_not_shown():
    stated = make_tracker("I'm pregnant", "inform_health_condition", {"is_pregnant": True})
    with_faq_pick(stated, "pregnancy_safety", 0.9)
    unsure = make_tracker("is it ok with a bleeding disorder?", "inform_health_condition")
    with_faq_pick(unsure, "side_effects", 0.3)
    for tracker in (stated, unsure):
        messages, _ = run_action(ActionAcknowledgeCondition(), tracker)
        assert "utter_faq" not in " ".join(responses(messages))
        assert "Thanks for telling me" in texts(messages)


def test_a_faq_answer_given_with_a_stated_condition_carries_its_caution(kb):
    tracker = make_tracker("I'm pregnant, does acupressure hurt?", "inform_health_condition", {"is_pregnant": True})
    with_faq_pick(tracker, "is_it_painful", 0.9)
    messages, _ = run_action(ActionAcknowledgeCondition(), tracker)
    assert responses(messages) == ["utter_faq/is_it_painful", "utter_ask_symptom"]
    assert kb.contraindications["pregnancy"].caution in texts(messages)


# The screening questions as knowledge/screening.yml words them.
YES_NO_UNSURE = [
    {"title": "Yes", "payload": "/affirm"},
    {"title": "No", "payload": "/deny"},
    {"title": "Not sure", "payload": "not sure"},
]
QUESTIONS = [
    ("action_ask_is_pregnant", "Are you pregnant, or might you be?", YES_NO_UNSURE),
    (
        "action_ask_has_skin_problem",
        "Do you have any broken skin, cuts, rashes, bruises, swelling or varicose veins where you'd be pressing?",
        YES_NO_UNSURE,
    ),
    (
        "action_ask_has_recent_injury",
        "Have you had a recent fracture, sprain, operation or other injury?",
        YES_NO_UNSURE,
    ),
    (
        "action_ask_has_osteoporosis",
        "Do you have severe osteoporosis (fragile bones) or a spinal injury?",
        YES_NO_UNSURE,
    ),
    (
        "action_ask_has_bleeding_risk",
        "Do you have a bleeding disorder or low platelets, or take blood thinners such as "
        "warfarin, apixaban, rivaroxaban or daily aspirin?",
        YES_NO_UNSURE,
    ),
    (
        "action_ask_problem_areas",
        "Where is it? For example hands, wrists, arms, face, head, neck, shoulders, belly, back, legs or feet.",
        [],
    ),
]


@pytest.mark.parametrize("name, question, buttons", QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_each_screening_question_is_asked_by_its_own_action(name, question, buttons):
    action = next(a() for a in ASK_ACTIONS.values() if a().name() == name)
    messages, events = run_action(action, make_tracker())
    assert [(m["text"], m.get("buttons")) for m in messages] == [(question, buttons)] and events == []


def test_there_is_an_ask_action_for_each_question_and_no_other():
    assert sorted(a().name() for a in ASK_ACTIONS.values()) == sorted(q[0] for q in QUESTIONS)
