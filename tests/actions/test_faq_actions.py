"""What follows a general answer: cautions the answer lacks, and the offer of points."""

from __future__ import annotations

from actions.faq_actions import ActionFollowUpFaq
from amma.names import Slot
from tests.actions.trackers import make_tracker, run_action, texts, with_faq_pick

RUNNING = {Slot.ROUTINE_STATE: {"symptom": "stress", "steps": [{"code": "PC6"}], "finished": False}}


def faq_tracker(text, key, slots=None):
    return with_faq_pick(make_tracker(text, "faq", slots), key)


def test_a_general_answer_naming_a_symptom_offers_its_points_with_one_tap():
    messages, events = run_action(ActionFollowUpFaq(), faq_tracker("does amma help with insomnia?", "who_benefits"))
    assert "trouble sleeping" in texts(messages) and "safety questions" in texts(messages)
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/symptom_insomnia"]
    assert events == []


def test_the_caution_comes_even_during_a_routine_but_no_new_routine_is_offered(kb):
    messages, _ = run_action(
        ActionFollowUpFaq(), faq_tracker("is this ok for stress in pregnancy?", "evidence", RUNNING)
    )
    assert texts(messages) == kb.contraindications["pregnancy"].caution


def test_nothing_to_add_says_nothing():
    assert run_action(ActionFollowUpFaq(), faq_tracker("what should I wear?", "clothing_and_oils")) == ([], [])


def test_a_question_that_takes_back_an_earlier_yes_gets_the_confirming_question():
    from rasa_sdk.events import SlotSet

    tracker = faq_tracker("I'm not pregnant any more, does pressing hurt?", "is_it_painful", {"is_pregnant": True})
    messages, events = run_action(ActionFollowUpFaq(), tracker)
    assert texts(messages).endswith("Could you be pregnant?")
    assert events == [SlotSet(Slot.SCREENING_CONFIRM, "is_pregnant")]
    # Without an earlier yes there is nothing to confirm.
    assert run_action(ActionFollowUpFaq(), faq_tracker(tracker.latest_message["text"], "is_it_painful")) == ([], [])
