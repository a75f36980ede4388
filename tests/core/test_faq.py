"""What a general answer may lack: the caution for a condition the question mentions."""

from __future__ import annotations

from amma.faq import cautions_for, confident_faq_answer
from amma.screening import get_screening


def test_a_condition_the_chosen_answer_does_not_cover_gets_its_caution(kb):
    pregnancy = kb.contraindications["pregnancy"].caution
    question = "are any points dangerous when you're expecting a baby"
    assert cautions_for(question, "side_effects", get_screening(), kb) == [pregnancy]
    # The pregnancy answer covers it; a denial or no mention needs nothing.
    assert cautions_for(question, "pregnancy_safety", get_screening(), kb) == []
    assert cautions_for("I'm not pregnant, does it hurt?", "is_it_painful", get_screening(), kb) == []
    assert cautions_for("does it hurt?", "is_it_painful", get_screening(), kb) == []
    assert cautions_for("is it ok with osteoporosis?", "side_effects", get_screening(), kb) == [
        kb.contraindications["osteoporosis"].caution
    ]


def test_only_a_confident_pick_is_an_answer_on_its_own():
    def picked(confidence):
        return {
            "response_selector": {"faq": {"response": {"utter_action": "utter_faq/evidence", "confidence": confidence}}}
        }

    assert confident_faq_answer(picked(0.9)) == "utter_faq/evidence"
    assert confident_faq_answer(picked(0.3)) is None
    assert confident_faq_answer({"text": "hello"}) is None
