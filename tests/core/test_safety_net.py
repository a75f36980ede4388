"""The dialogue's safety net (amma/safety_net.py), from a hand-written table."""

from __future__ import annotations

import pytest

from amma.safety_net import next_action

CHECK = "action_check_red_flag"

# (latest intent, bot's action before it, actions this turn, action server up, pending kind) -> action
TABLE = [
    # The action server is down.
    ("red_flag_emergency", None, [], False, None, "utter_red_flag_emergency"),
    ("red_flag_crisis", "action_suggest_routine", [], False, None, "utter_red_flag_crisis"),
    ("red_flag_check", None, [], False, None, "utter_red_flag_crisis"),
    ("symptom_headache", None, [], False, None, "utter_action_server_trouble"),
    ("greet", "utter_greet", [], False, None, "utter_action_server_trouble"),
    ("nlu_fallback", None, [], False, None, "utter_action_server_trouble"),
    ("affirm", CHECK, [], False, "emergency", "utter_red_flag_emergency"),
    ("deny", CHECK, [], False, "emergency", "utter_action_server_trouble"),
    ("symptom_headache", None, ["utter_action_server_trouble"], False, None, "action_listen"),
    ("red_flag_crisis", None, ["utter_red_flag_crisis"], False, None, "action_listen"),
    ("EXTERNAL_step_timer_elapsed", None, [], False, None, "action_listen"),
    # "Forget me" can't run: the reply says nothing was deleted.
    ("forget_me", None, [], False, None, "utter_forget_unavailable"),
    ("affirm", "action_ask_forget", [], False, None, "utter_forget_unavailable"),
    ("red_flag_crisis", "action_ask_forget", [], False, None, "utter_red_flag_crisis"),
    ("forget_me", None, [], True, None, None),
    # The action server is up: only the check question's answer is the net's business.
    ("symptom_headache", None, [], True, None, None),
    ("red_flag_emergency", None, [], True, None, None),
    ("deny", CHECK, [], True, "crisis", None),
    ("affirm", CHECK, [], True, "crisis", "action_escalate_red_flag"),
    ("symptom_neck_shoulder_tension", CHECK, [], True, "emergency", "action_escalate_red_flag"),
    ("nlu_fallback", CHECK, [], True, "crisis", "action_escalate_red_flag"),
    ("faq", CHECK, [], True, "crisis", "action_escalate_red_flag"),
    ("affirm", CHECK, ["action_escalate_red_flag"], True, "crisis", None),
]


@pytest.mark.parametrize("intent, before, done, up, pending, expected", TABLE)
def test_safety_net(intent, before, done, up, pending, expected):
    assert next_action(intent, before, done, up, pending) == expected


def test_a_cut_message_is_answered_with_a_word_that_it_was():
    assert next_action("symptom_headache", None, [], True, None, truncated=True) == "utter_message_cut"
    assert next_action("symptom_headache", None, ["utter_message_cut"], True, None, truncated=True) is None
    # A red flag gets help first and alone.
    assert next_action("red_flag_crisis", None, [], True, None, truncated=True) is None
    assert next_action("symptom_headache", None, [], True, None, truncated=False) is None


def test_a_symptom_named_only_to_deny_it_is_corrected_then_the_bot_listens():
    # "no, it's my tooth, not a headache": neither the "no" nor the name goes to the rules.
    assert (
        next_action("deny", "action_ask_is_pregnant", [], True, None, symptom_denied=True) == "action_correct_symptom"
    )
    assert next_action("symptom_headache", None, [], True, None, symptom_denied=True) == "action_correct_symptom"
    assert next_action("deny", None, ["action_correct_symptom"], True, None) == "action_listen"
    # A red flag beside it is the red-flag rules' to answer, first and alone.
    assert next_action("red_flag_emergency", None, [], True, None, symptom_denied=True) is None
    # After the red-flag check question, anything but a clear no still escalates.
    assert next_action("symptom_headache", CHECK, [], True, "emergency", symptom_denied=True) == (
        "action_escalate_red_flag"
    )
