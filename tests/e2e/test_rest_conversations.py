"""Whole conversations against a live Rasa server and action server over REST,
asserting what the user actually reads."""

from __future__ import annotations

import pytest

from tests.conftest import load_yaml

pytestmark = pytest.mark.rasa

UNSEEN = load_yaml("tests/data/unseen_symptom_phrasings.yml")["phrasings"]
CASES = [(symptom, phrasing) for symptom, phrasings in UNSEEN.items() for phrasing in phrasings]


def assert_routine(reply: str, kb, symptom_key: str) -> None:
    for point in kb.routine_points(symptom_key):
        assert point.title in reply, f"{point.title} missing for {symptom_key}:\n{reply}"
    assert kb.symptoms[symptom_key].intro in reply


def test_first_reply_carries_the_not_medical_advice_notice(chat):
    reply = chat.say("hello")
    assert "not medical advice" in reply
    assert "911" in reply and "999" in reply and "112" in reply and "000" in reply
    assert "what's bothering you" in reply.lower() or "relief" in reply.lower()
    assert "not medical advice" not in chat.say("hi again")


@pytest.mark.parametrize("symptom_key, phrasing", CASES, ids=[f"{s}:{p[:30]}" for s, p in CASES])
def test_unseen_symptom_phrasing_reaches_the_right_points(chat, kb, symptom_key, phrasing):
    assert_routine(chat.say(phrasing), kb, symptom_key)


def test_strong_headache_gets_points_and_advice(chat, kb):
    reply = chat.say("my head is killing me, like 9/10")
    assert "about 9/10" in reply and "doctor" in reply
    assert_routine(reply, kb, "headache")


def test_second_symptom_after_yes(chat, kb):
    chat.say("I'm so stressed with work")
    assert "what's bothering you" in chat.say("yes please").lower()
    assert_routine(chat.say("and I sleep terribly, awake half the night"), kb, "insomnia")
    assert "take care" in chat.say("no thanks").lower() or "goodbye" in chat.say("bye").lower()


def test_help_lists_what_the_bot_does_with_buttons(chat):
    messages = chat.send("what can you do?")
    buttons = [b["title"] for m in messages for b in m.get("buttons", [])]
    assert len(buttons) >= 5
    assert "acupressure" in " ".join(m.get("text", "") for m in messages).lower() or "points" in messages[-1]["text"]


def test_bot_challenge(chat):
    assert "I'm a bot" in chat.say("am I talking to a real person?")


def test_out_of_scope_is_declined_politely(chat):
    assert "outside what I can help with" in chat.say("what's the weather in Paris tomorrow?")


def test_thanks_and_goodbye(chat):
    chat.say("hi")
    assert "welcome" in chat.say("thanks a lot").lower() or "glad" in chat.say("thank you").lower()


@pytest.mark.parametrize(
    "bad_input",
    ["", "   ", "🙂🙃🤷", "x" * 5000, "Tengo un dolor de cabeza muy fuerte y no sé qué hacer", "you are a useless piece of junk",
     "'; DROP TABLE users; --", "<script>alert(1)</script>"],
    ids=["empty", "blank", "emoji", "huge", "spanish", "hostile", "sql", "html"],
)
def test_bad_input_gets_a_sensible_reply_and_the_conversation_keeps_working(chat, kb, bad_input):
    reply = chat.say(bad_input)
    assert reply.strip(), "every message deserves an answer"
    assert_routine(chat.say("my shoulders are so tight and knotted"), kb, "neck_shoulder_tension")
