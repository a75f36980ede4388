"""Questions about amma and about single points, over REST, with phrasings
that are not in the training data."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import ROOT, load_yaml
from tests.e2e.test_guided_routines import start_guided
from tests.e2e.test_rest_conversations import finish_screening

pytestmark = pytest.mark.rasa

# The first held-out FAQ file, then every blind set (tests/data/*_user_phrasings.yml).
BLIND_SETS = sorted((ROOT / "tests" / "data").glob("*_user_phrasings.yml"))
FAQ_SETS = [load_yaml("tests/data/unseen_faq_phrasings.yml")["phrasings"]] + [
    load_yaml(str(path.relative_to(ROOT)))["faq"] for path in BLIND_SETS
]
FAQ_CASES = [(key, p) for faq in FAQ_SETS for key, phrasings in faq.items() for p in phrasings]
ANSWERS = {
    k.split("/", 1)[1]: v[0]["text"]
    for k, v in load_yaml("domain.yml")["responses"].items()
    if k.startswith("utter_faq/")
}

# Issue 5's target for FAQ retrieval on questions the model never saw.
FAQ_ACCURACY_TARGET = 0.95


def test_unseen_faq_questions_get_their_answer(rasa_servers):
    """Each question opens a new conversation, as a new user's would."""
    from tests.conftest import Chat

    # Separate conversations, so asking four at a time is safe; it also lets the
    # Rasa server and the action server work at once on the two cores.
    with ThreadPoolExecutor(max_workers=4) as pool:
        replies = list(pool.map(lambda case: Chat(rasa_servers).say(case[1]), FAQ_CASES))
    misses = {}
    for (key, phrasing), reply in zip(FAQ_CASES, replies, strict=True):
        if ANSWERS[key] not in reply:
            misses[phrasing] = (key, reply[:80])
        else:
            assert "not medical advice" in reply  # a real first reply, not an error
    accuracy = 1 - len(misses) / len(FAQ_CASES)
    print(f"\n{len(FAQ_CASES)} unseen FAQ questions answered correctly: {accuracy:.1%}; missed: {misses}")
    assert accuracy >= FAQ_ACCURACY_TARGET, misses
    # Every key is reachable by a new phrasing, not only the easy ones.
    answered = {key for key, phrasing in FAQ_CASES if phrasing not in misses}
    assert answered == set(ANSWERS), set(ANSWERS) - answered


@pytest.mark.parametrize(
    "question, code",
    [
        ("where is LI4?", "LI4"),
        ("what is ST36 good for", "ST36"),
        ("how do I press hegu", "LI4"),
        ("tell me about large intestine 4", "LI4"),
        ("where's LI-4", "LI4"),
        ("li 4 location please", "LI4"),
        ("where is zusanli", "ST36"),
        ("how do i find pericardium 6", "PC6"),
        ("where is the point on top of the foot between the big toe and second toe", "LV3"),
        # Numbers spelled out, and a point whose name sounds like a complaint.
        ("tell me about large intestine four", "LI4"),
        ("what's stomach 36 for", "ST36"),
        ("where is stomach thirty-six", "ST36"),
    ],
)
def test_point_by_any_name_or_description(chat, kb, question, code):
    messages = chat.send(question)
    shown = "\n".join(m.get("text", "") for m in messages)
    point = kb.points[code]
    assert point.location in shown and point.technique in shown and f"{point.hold_seconds} seconds" in shown
    assert any(m.get("image", "").endswith(f"/points/{code}.svg") for m in messages)


def test_the_point_between_thumb_and_finger_is_offered(chat):
    messages = chat.send("where is the point between thumb and finger")
    assert "LI4 (Hegu)" in "\n".join(m.get("text", "") for m in messages) or any(
        b["title"] == "LI4 (Hegu)" for m in messages for b in m.get("buttons", [])
    )


@pytest.mark.parametrize(
    "text", ["where is the GB99 point", "where is the xyz99 point", "what is the zorblat point good for"]
)
def test_unknown_point_gets_a_helpful_answer(chat, text):
    reply = chat.say(text)
    assert "I don't know that point" in reply


def test_which_points_help_leads_to_the_screened_routine(chat, kb):
    reply = chat.say("which acupressure points help with nausea?")
    assert "safety questions" in reply


def test_gibberish_gets_a_rephrase_prompt_and_out_of_scope_a_polite_no(chat):
    reply = chat.say("blorp zzzkt qwv")
    # Either is sensible: a rephrase prompt, or (if the classifier half-heard a red flag) a safety check.
    assert "didn't catch that" in reply or "I want to be sure I understood you" in reply
    # Declining or asking to rephrase are both fine for an unsupported request; what matters is
    # no routine, no alarm. (Plain out_of_scope routing is checked with the weather question.)
    reply = chat.say("can you book me a table for two at 8")
    assert ("outside what I can help with" in reply or "didn't catch that" in reply) and "Where:" not in reply


def test_how_long_to_keep_pressing_with_no_timer_running_gets_the_hold_time(chat):
    # Inside a routine this asks for the seconds left; outside one it can only mean the hold time.
    assert ANSWERS["how_long_to_press"] in chat.say("for how long do I keep pressing")


def test_faq_during_screening_is_answered_and_the_question_comes_back(chat):
    chat.say("I can barely turn my neck today")
    reply = chat.say("wait, does acupressure have side effects?")
    assert ANSWERS["side_effects"] in reply
    assert "?" in reply.split(ANSWERS["side_effects"])[-1]  # the screening question is asked again


def test_faq_mid_routine_is_answered_and_the_routine_carries_on(chat):
    start_guided(chat)
    chat.say("next")
    reply = chat.say("how hard am I meant to push?")
    assert ANSWERS["how_hard_to_press"] in reply
    assert chat.say("next").startswith("Step 3 of")


@pytest.mark.parametrize(
    "question",
    [
        "is acupressure risky for someone who is pregnant?",
        "are there points to avoid when you're expecting a baby",
    ],
)
def test_a_general_pregnancy_question_is_answered_and_not_taken_as_being_pregnant(chat, question):
    """Answered whether the classifier reads it as an FAQ or as a condition, and
    the screening still asks: asking about pregnancy is not being pregnant."""
    assert ANSWERS["pregnancy_safety"] in chat.say(question)
    reply = chat.say("I've had a tension headache since this morning")
    assert chat.tracker()["slots"]["is_pregnant"] is None
    assert "Are you pregnant" in finish_screening(chat, reply)


def test_a_question_naming_a_symptom_is_answered_with_one_tap_to_its_points(chat):
    reply = chat.say("is acupressure any use for stress?")
    assert ANSWERS["who_benefits"] in reply
    assert "dealing with stress right now" in reply
    assert "safety questions" in chat.say("/symptom_stress")


@pytest.mark.parametrize(
    "question",
    [
        "are any acupressure points dangerous when you're expecting a baby",
        "any side effects I should know about if I'm in my second trimester?",
        "I'm pregnant, does acupressure hurt?",
    ],
)
def test_a_question_that_mentions_pregnancy_always_gets_pregnancy_advice(chat, kb, question):
    """Whichever answer the selector picks, the person hears the pregnancy caution."""
    reply = chat.say(question)
    assert ANSWERS["pregnancy_safety"] in reply or kb.contraindications["pregnancy"].caution in reply, reply
