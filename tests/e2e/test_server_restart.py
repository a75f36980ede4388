"""A restart of both servers mid-routine loses nothing: the person carries on
from the same step, on the embedded SQLite store and on PostgreSQL. The servers
come back on the same ports and tracker store, so the tests that run after this
one, in any order, find them as before."""

from __future__ import annotations

import pytest

from tests.e2e.test_guided_routines import routine_state, start_guided

pytestmark = pytest.mark.rasa


def test_routine_survives_a_restart_of_rasa_and_the_action_server(store):
    chat = store.chat()
    start_guided(chat)
    chat.say("next")
    assert chat.say("next").startswith("Step 3 of")
    before = routine_state(chat)
    stored = len(store.rows(chat.sender))
    store.servers.restart()
    assert len(store.rows(chat.sender)) == stored
    assert routine_state(chat)["index"] == before["index"] == 2
    # The reminder died with the server; the next message picks the routine up.
    assert chat.say("how many seconds have I got left on it?").startswith(("About", "Time's up"))
    assert chat.say("next").startswith("Step 4 of")


def test_a_returning_person_is_asked_how_it_went_last_time(chat):
    start_guided(chat, before="7")
    total = len(routine_state(chat)["steps"])
    for _ in range(total):
        chat.say("next")
    assert "went from 7 to 2" in chat.say("2")
    assert "Welcome back. Last time your stress went from 7 to 2 out of 10" in chat.say("/session_start")


@pytest.mark.allows_tracebacks
def test_with_the_action_server_down_help_still_comes_and_the_conversation_carries_on(chat, rasa_servers):
    from tests.conftest import Chat

    assert "not medical advice" in chat.say("hello")
    rasa_servers.stop("actions")
    try:
        emergency = chat.say("I have crushing chest pain and my left arm is numb")
        assert "Please stop the self-care" in emergency and "911" in emergency and "999" in emergency
        crisis = Chat(rasa_servers).say("I want to end my life")
        assert "988" in crisis and "116 123" in crisis and "13 11 14" in crisis
        trouble = chat.say("my neck is so stiff today")
        assert "I'm having trouble right now" in trouble and "911" in trouble
        assert "didn't catch that" not in trouble
    finally:
        rasa_servers.start_actions()
    assert "safety questions" in chat.say("my shoulders feel really knotted up")
