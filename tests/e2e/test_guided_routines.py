"""Guided, timed routines held over REST (and socket.io for the pushed timer),
with holds shortened by AMMA_TIME_SCALE so a 60 s press takes 3 s."""

from __future__ import annotations

import time

import pytest

from tests.conftest import TEST_TIME_SCALE, Chat
from tests.e2e.test_rest_conversations import finish_screening

pytestmark = pytest.mark.rasa


def routine_state(chat: Chat) -> dict:
    return chat.tracker()["slots"].get("routine_state") or {}


def start_guided(
    chat: Chat, symptom_text: str = "I've got way too many deadlines and I'm losing it", before: str = "6"
) -> str:
    finish_screening(chat, chat.say(symptom_text))
    assert "On a scale of 0" in chat.say("yes please, guide me")
    return chat.say(before)


def wait_for_hold(chat: Chat) -> None:
    state = routine_state(chat)
    step = state["steps"][state["index"]]
    time.sleep(step["seconds"] * TEST_TIME_SCALE + 0.5)


def test_whole_routine_with_early_done_and_before_after_rating(chat, kb):
    first = start_guided(chat)
    steps = routine_state(chat)["steps"]
    assert first.startswith(f"Step 1 of {len(steps)}: ") and "Where:" in first and "How:" in first
    assert 'Say "done" when the time is up' in first  # the controls are spelled out
    early = chat.say("done")
    assert "You've still got about" in early
    wait_for_hold(chat)
    assert chat.say("done").startswith(f"Step 2 of {len(steps)}")
    for number in range(3, len(steps) + 1):
        assert chat.say("next").startswith(f"Step {number} of {len(steps)}")
    finish = chat.say("next")
    assert "last step" in finish and "On a scale of 0" in finish
    result = chat.say("3")
    assert "went from 6 to 3 out of 10" in result and "anything else" in result
    history = chat.tracker()["slots"]["rating_history"]
    assert history[-1]["before"] == 6 and history[-1]["after"] == 3


def test_every_control_in_plain_words(chat, kb):
    start_guided(chat)
    assert "About" in chat.say("how much longer do I hold this one?")
    where = chat.say("remind me where I find this spot")
    assert kb.points[routine_state(chat)["steps"][0]["code"]].location in where
    assert chat.say("next").startswith("Step 2 of")
    assert chat.say("take me back a step").startswith("Step 1 of")
    assert chat.say("can we do that one over again").startswith("Step 1 of")
    paused = chat.say("pause")
    assert "Paused, with" in paused
    time.sleep(1)
    assert "(paused)" in chat.say("how long have I got on it now")
    assert "seconds that were left" in chat.say("resume")
    code = routine_state(chat)["steps"][0]["code"]
    skipped = chat.say("I would rather leave this one out")
    assert f"skipping {code}" in skipped and code not in skipped.split("Step ")[1].split("\n")[0]
    assert "stopped the routine" in chat.say("I want to quit the routine now")
    assert "no routine running" in chat.say("next")
    assert "Starting again" in chat.say("let us begin the whole thing again from the top")


def test_a_question_mid_routine_is_answered_and_the_routine_carries_on(chat):
    start_guided(chat)
    chat.say("next")
    assert "I'm a bot" in chat.say("are you actually a real person?")
    assert chat.say("next").startswith("Step 3 of")


def test_red_flag_mid_routine_ends_it(chat):
    start_guided(chat)
    reply = chat.say("I suddenly feel crushing pain in my chest")
    assert "Please stop the self-care" in reply
    assert routine_state(chat) == {}
    assert "no routine running" in chat.say("next")


def test_pregnant_person_is_never_walked_through_a_restricted_point(chat, kb):
    # The symptom by its button payload: this test is about screening, not reading.
    finish_screening(chat, chat.say("/symptom_stress"), {"is_pregnant": "yes"})
    chat.say("sure, walk me through it")
    chat.say("5")
    codes = {s["code"] for s in routine_state(chat)["steps"]}
    assert codes and not any("pregnancy" in kb.points[c].contraindications for c in codes)


def test_timer_fires_through_trigger_intent(chat, rasa_servers):
    start_guided(chat)
    messages = rasa_servers.api(
        f"/conversations/{chat.sender}/trigger_intent?output_channel=latest", {"name": "EXTERNAL_step_timer_elapsed"}
    )["messages"]
    assert any("Time's up. Release slowly." in m.get("text", "") for m in messages)


def test_scheduled_reminder_fires_by_itself(chat):
    start_guided(chat)
    wait_for_hold(chat)
    time.sleep(2)
    said = [e.get("text") or "" for e in chat.tracker()["events"] if e["event"] == "bot"]
    assert any("Time's up. Release slowly." in text for text in said)


def test_each_step_carries_a_machine_readable_timer(chat):
    finish_screening(chat, chat.say("I'm completely drained of energy today"))
    chat.say("yes")
    messages = chat.send("5")
    timers = [m["custom"]["data"]["timer"] for m in messages if "custom" in m]
    state = routine_state(chat)
    step = state["steps"][0]
    assert timers == [
        {
            "seconds": round(step["seconds"] * TEST_TIME_SCALE),
            "step": 1,
            "total": len(state["steps"]),
            "point": step["code"],
            "side": step["side"],
        }
    ]
