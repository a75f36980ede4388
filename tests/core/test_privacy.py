"""When "forget me" may delete: only a yes to its own question, asked just before
(a hand-written table of conversations)."""

from __future__ import annotations

import pytest

from amma.privacy import forget_confirmed


def user(intent):
    return {"event": "user", "parse_data": {"intent": {"name": intent}}}


def action(name):
    return {"event": "action", "name": name}


ASKED = [action("action_listen"), user("forget_me"), action("action_ask_forget"), action("action_listen")]

TABLE = [
    # (events before the action runs, latest intent, deletes?)
    (ASKED + [user("affirm")], "affirm", True),
    (ASKED + [user("deny")], "deny", False),
    # A yes to something else (the guidance offer) never deletes.
    ([action("action_suggest_routine"), action("action_listen"), user("affirm")], "affirm", False),
    # The question was asked, but a step timer came in between: the yes answers that.
    (
        ASKED
        + [
            user("EXTERNAL_step_timer_elapsed"),
            action("action_step_timer_elapsed"),
            action("action_listen"),
            user("affirm"),
        ],
        "affirm",
        False,
    ),
    # Asked two messages ago, a question answered in between.
    (ASKED + [user("faq"), action("utter_faq"), action("action_listen"), user("affirm")], "affirm", False),
    ([user("affirm")], "affirm", False),
    ([], None, False),
]


@pytest.mark.parametrize("events, intent, deletes", TABLE)
def test_only_a_yes_to_the_question_just_asked_deletes(events, intent, deletes):
    assert forget_confirmed(intent, events) is deletes
