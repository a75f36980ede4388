"""Screening actions: reading answers from any message, the form's slot list, questions, acknowledgement."""

import asyncio
import logging

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.screening_actions import (
    ASK_ACTIONS,
    ActionAcknowledgeCondition,
    ActionAskScreeningConfirm,
    ActionAskSymptomCheck,
    ValidateScreeningForm,
)
from amma.names import Intent, Slot
from tests.actions.trackers import DOMAIN, make_tracker, responses, run_action, texts, user_turn, with_faq_pick
from tests.actions.trackers import extracted as extract

SCREENING_SLOTS = ["is_pregnant", "has_skin_problem", "has_recent_injury", "has_osteoporosis", "has_bleeding_risk"]


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


# ---------------------------------------------------------------- a later "no" is confirmed, never taken silently
PREGNANT = {"is_pregnant": True, "has_bleeding_risk": False}


def test_a_later_no_keeps_the_yes_and_asks_to_confirm():
    tracker = user_turn("actually I'm not pregnant", "inform_health_condition", PREGNANT)
    assert tracker.get_slot("is_pregnant") is True  # set again as yes, not replaced
    messages, events = run_action(ActionAcknowledgeCondition(), tracker)
    assert [m["text"] for m in messages] == [
        "Earlier you told me you're pregnant or might be, and I'd rather be sure before I change that. "
        "Could you be pregnant?"
    ]
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/affirm", "/deny", "not sure"]
    assert events == [SlotSet(Slot.SCREENING_CONFIRM, "is_pregnant")]


def confirmation_asked(slot="is_pregnant", slots=None):
    """(slots, events) right after the bot asked to confirm ``slot``."""
    return {**PREGNANT, **(slots or {}), Slot.SCREENING_CONFIRM: slot}, [
        {"event": "slot", "name": Slot.SCREENING_CONFIRM, "value": slot}
    ]


@pytest.mark.parametrize(
    "answer, intent, pregnant",
    [
        ("no, I'm not", Intent.DENY, False),
        ("/deny", Intent.DENY, False),
        ("no I am definitely not pregnant", "inform_health_condition", False),
        ("yes", Intent.AFFIRM, True),
        ("/affirm", Intent.AFFIRM, True),
        ("not sure", Intent.DENY, True),
        ("hmm", Intent.DENY, True),
        ("no, but we're trying", Intent.DENY, True),
    ],
)
def test_the_answer_to_the_confirmation_keeps_or_clears_the_yes(answer, intent, pregnant):
    slots, events = confirmation_asked()
    tracker = user_turn(answer, intent, slots, events)
    assert tracker.get_slot("is_pregnant") is pregnant and tracker.get_slot(Slot.SCREENING_CONFIRM) is None


def test_only_the_next_message_answers_the_confirmation():
    slots, events = confirmation_asked()
    tracker = user_turn("what does that mean", "nlu_fallback", slots, events)
    assert tracker.get_slot("is_pregnant") is True and tracker.get_slot(Slot.SCREENING_CONFIRM) is None
    later = user_turn("no", Intent.DENY, dict(tracker.slots), list(tracker.events))
    assert later.get_slot("is_pregnant") is True


def test_a_red_flag_in_answer_to_the_confirmation_closes_it():
    slots, events = confirmation_asked()
    tracker = user_turn("I'm bleeding heavily", "red_flag_emergency", slots, events)
    assert tracker.get_slot("is_pregnant") is True and tracker.get_slot(Slot.SCREENING_CONFIRM) is None
    assert user_turn("no I'm fine", Intent.DENY, dict(tracker.slots)).get_slot("is_pregnant") is True


def test_after_the_answer_the_bot_says_what_it_means():
    slots, events = confirmation_asked()
    cleared, _ = run_action(ActionAcknowledgeCondition(), user_turn("no", Intent.DENY, slots, events))
    assert cleared[0]["text"] == "Okay, thanks for clearing that up. I've updated my notes."
    assert responses(cleared) == ["utter_ask_symptom"]
    kept, _ = run_action(ActionAcknowledgeCondition(), user_turn("yes", Intent.AFFIRM, slots, events))
    assert kept[0]["text"] == (
        "Okay, thanks for checking with me. I'll carry on and leave out points that aren't advised with pregnancy."
    )


def test_a_bleeding_risk_is_confirmed_too():
    tracker = user_turn("I'm not on blood thinners", "inform_health_condition", {"has_bleeding_risk": True})
    assert tracker.get_slot("has_bleeding_risk") is True
    messages, events = run_action(ActionAcknowledgeCondition(), tracker)
    assert texts(messages).startswith("Earlier you mentioned a bleeding risk")
    assert events == [SlotSet(Slot.SCREENING_CONFIRM, "has_bleeding_risk")]


def test_a_later_no_to_a_question_without_confirmation_just_counts():
    tracker = user_turn("I don't have osteoporosis after all", "inform_health_condition", {"has_osteoporosis": True})
    assert tracker.get_slot("has_osteoporosis") is False


def test_in_the_form_the_confirmation_is_asked_before_anything_else():
    slots = {**PREGNANT, Slot.SYMPTOM: "headache", Slot.REQUESTED_SLOT: "has_skin_problem"}
    tracker = user_turn("no, and I'm not pregnant by the way", Intent.DENY, slots)
    assert tracker.get_slot("has_skin_problem") is False and tracker.get_slot("is_pregnant") is True
    assert required(tracker)[0] == Slot.SCREENING_CONFIRM
    messages, events = run_action(ASK_CONFIRM, tracker)
    assert texts(messages).endswith("Could you be pregnant?")
    assert events == [SlotSet(Slot.SCREENING_CONFIRM, "is_pregnant")]
    # The answer, to the form's question screening_confirm: the form moves on.
    asked = {**dict(tracker.slots), Slot.REQUESTED_SLOT: Slot.SCREENING_CONFIRM, Slot.SCREENING_CONFIRM: "is_pregnant"}
    answered = user_turn("no", Intent.DENY, asked, [*tracker.events, *events])
    assert answered.get_slot("is_pregnant") is False
    assert Slot.SCREENING_CONFIRM not in required(answered)


def test_a_reading_of_the_message_is_never_reused_once_the_slots_change():
    # rasa_sdk updates one tracker's slots within a turn; the reading kept for the
    # form's repeated questions must follow them.
    slots = {**PREGNANT, Slot.SYMPTOM: "insomnia", Slot.REQUESTED_SLOT: "has_skin_problem"}
    tracker = user_turn("no, and I'm not pregnant by the way", Intent.DENY, slots)
    assert required(tracker)[0] == Slot.SCREENING_CONFIRM
    assert required(tracker)[0] == Slot.SCREENING_CONFIRM
    tracker.slots["is_pregnant"] = False  # no yes left for the message to contradict
    assert Slot.SCREENING_CONFIRM not in required(tracker)


ASK_CONFIRM = ActionAskScreeningConfirm()


@pytest.mark.parametrize(
    "text",
    ["my sister is not pregnant", "is it safe for pregnant women?", "my partner isn't pregnant, she's on the pill"],
)
def test_a_general_or_third_person_statement_never_sets_the_persons_answer(text):
    for slots in ({}, PREGNANT, {"is_pregnant": False}):
        tracker = user_turn(text, "inform_health_condition", slots)
        assert tracker.get_slot("is_pregnant") is slots.get("is_pregnant"), (text, slots)
        assert tracker.get_slot(Slot.SCREENING_CONFIRM) is None


def test_about_someone_else_then_about_the_person():
    assert user_turn("my sister is not pregnant but I am", "inform_health_condition", {}).get_slot("is_pregnant")


def test_no_but_trying_at_the_pregnancy_question_is_might_be():
    tracker = user_turn("No, but we're trying", Intent.DENY, {Slot.REQUESTED_SLOT: "is_pregnant"})
    assert tracker.get_slot("is_pregnant") is True


def test_a_yes_or_no_to_nothing_asks_what_is_wrong():
    messages, events = run_action(ActionAcknowledgeCondition(), user_turn("yes", Intent.AFFIRM, {}))
    assert responses(messages) == ["utter_ask_symptom"] and texts(messages) == "" and events == []


def test_the_form_logs_no_warning_per_answered_slot_and_other_warnings_still_show(caplog):
    # rasa_sdk warns for each answered slot without a validate_<slot> method, every turn:
    # the Rasa server reads the answers, so that was noise filling the action server's log.
    events = [
        {"event": "user", "text": "no", "parse_data": {"intent": {"name": Intent.DENY, "confidence": 1.0}}},
        {"event": "slot", "name": "is_pregnant", "value": False},
    ]
    tracker = make_tracker("no", Intent.DENY, {Slot.REQUESTED_SLOT: "is_pregnant", "is_pregnant": False}, events)
    with caplog.at_level("WARNING"):
        events_back = asyncio.run(ValidateScreeningForm().run(CollectingDispatcher(), tracker, DOMAIN))
        logging.getLogger("rasa_sdk.forms").warning("Something else went wrong")
    assert SlotSet("is_pregnant", False) in events_back
    assert [record.getMessage() for record in caplog.records] == ["Something else went wrong"]
