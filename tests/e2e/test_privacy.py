"""Privacy, over REST against live servers, on both tracker stores: "forget me"
asks first, then deletes the conversation's stored events (checked in the events
table itself), and the next message starts afresh; "no" keeps everything; with
the action server down nothing is deleted and the person is told so."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Store
from tests.e2e.test_rest_conversations import finish_screening

pytestmark = pytest.mark.rasa

NOTICE = 'say "forget me" at any time to delete it'
ASKED = "Do you want me to delete this conversation?"
DELETED = "I've deleted our conversation"
KEPT = "I haven't deleted anything"


def screened_pregnant(store: Store):
    """A conversation holding health data: the notice, a symptom, and "yes" to the
    screening's pregnancy question."""
    chat = store.chat()
    assert NOTICE in chat.say("hi")
    finish_screening(chat, chat.say("I've got way too many deadlines and I'm losing it"), {"is_pregnant": "yes"})
    assert chat.tracker()["slots"]["is_pregnant"] is True
    stored = store.rows(chat.sender)
    assert ("user", "symptom_stress", None) in stored
    return chat, stored


def ask_to_forget(chat) -> None:
    messages = chat.send("please erase what I've told you so far")
    assert ASKED in "\n".join(m.get("text", "") for m in messages)
    buttons = [(b["title"], b["payload"]) for m in messages for b in m.get("buttons", [])]
    assert buttons == [("Yes, delete it", "/affirm"), ("No, keep it", "/deny")]


def test_forget_me_and_yes_deletes_every_stored_event_and_the_next_message_starts_afresh(store):
    chat, _ = screened_pregnant(store)
    ask_to_forget(chat)
    assert DELETED in chat.say("yes")
    assert store.rows(chat.sender) == []
    # A new conversation: the notice again, no screening answer, nothing of the old one.
    assert NOTICE in chat.say("hello")
    slots = chat.tracker()["slots"]
    assert slots["is_pregnant"] is None and slots["routine_state"] is None and not slots["rating_history"]
    assert ("user", "symptom_stress", None) not in store.rows(chat.sender)


def test_no_keeps_every_stored_event(store):
    chat, stored = screened_pregnant(store)
    ask_to_forget(chat)
    assert KEPT in chat.say("no")
    after = store.rows(chat.sender)
    assert after[: len(stored)] == stored and len(after) > len(stored)
    assert chat.tracker()["slots"]["is_pregnant"] is True


def sqlite_store(rasa_servers) -> Store:
    return Store("sqlite", rasa_servers, f"sqlite:///{rasa_servers.sqlite_file}")


# The dialogue is the same on both stores: these run on the embedded one only.
def test_forgetting_mid_screening_ends_it_and_the_yes_answers_no_screening_question(rasa_servers):
    store = sqlite_store(rasa_servers)
    chat = store.chat()
    assert "safety questions" in chat.say("my shoulders and neck are locked up again")
    ask_to_forget(chat)
    assert DELETED in chat.say("yes")
    assert store.rows(chat.sender) == []
    assert chat.tracker()["slots"]["symptom"] is None


@pytest.mark.allows_tracebacks
def test_with_the_action_server_down_nothing_is_deleted_and_the_person_is_told(rasa_servers):
    chat = sqlite_store(rasa_servers).chat()
    assert NOTICE in chat.say("hey")
    rasa_servers.stop("actions")
    try:
        reply = chat.say("please erase what I've told you so far")
        assert "nothing has been deleted" in reply and "911" in reply
    finally:
        rasa_servers.start_actions()
    ask_to_forget(chat)
    assert DELETED in chat.say("yes")
