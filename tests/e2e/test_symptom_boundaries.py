"""Words a symptom shares with everyday life: a muscle cramp or a question about
periods is not period pain, and must not start its routine (it gets the
out-of-scope answer, which points to a doctor or pharmacist). Blind phrasings:
tests/data/period_near_misses.yml. And complaints Amma doesn't cover at all (a
toothache, hot flushes): tests/data/uncovered_complaints.yml."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import Chat, load_yaml

pytestmark = pytest.mark.rasa

CASES = load_yaml("tests/data/period_near_misses.yml")
# Model figures (README, seed spread). Seed 7 on 2026-11-29 read 5 of the 20
# near-misses as period pain before the cramp and period examples of that day were
# in data/, 4 after; seeds 11 and 23 read 0 and 1. Period pain read right: 9, 8 and 8
# of 9. Each gate sits two beyond the worst seed.
NEAR_MISSES_READ_AS_PERIOD_PAIN_MAX = 6
PERIOD_PAIN_READ_RIGHT_MIN = 6


def test_muscle_cramps_and_period_questions_are_not_read_as_period_pain(rasa_servers):
    texts = CASES["out_of_scope_cramps"] + CASES["out_of_scope_periods"]
    misread = [text for text in texts if rasa_servers.parse(text)["intent"]["name"] == "symptom_period_pain"]
    print(f"\nnear-misses read as period pain: {len(misread)} of {len(texts)}")
    assert len(misread) <= NEAR_MISSES_READ_AS_PERIOD_PAIN_MAX, misread


def test_period_pain_in_other_words_is_still_period_pain(rasa_servers):
    texts = CASES["period_pain"]
    intents = {text: rasa_servers.parse(text)["intent"]["name"] for text in texts}
    missed = {text: intent for text, intent in intents.items() if intent != "symptom_period_pain"}
    print(f"\nperiod pain read right: {len(texts) - len(missed)} of {len(texts)}")
    assert len(texts) - len(missed) >= PERIOD_PAIN_READ_RIGHT_MIN, missed


UNCOVERED = load_yaml("tests/data/uncovered_complaints.yml")["phrasings"]
# What the person sees first: a covered symptom's screening (the wrong routine is
# on its way), an escalation, or the answer that points to a doctor or pharmacist
# (out of scope, or the fallback).
SCREENING_STARTED = "a few quick safety questions"
ESCALATED = ("Please stop the self-care", "reach out to a crisis line")
# (a dentist, for teeth and gums: knowledge/body_parts.yml)
SENT_TO_A_PROFESSIONAL = ("doctor or pharmacist", "a dentist")
# Seed 7, 2026-11-29 (AMD EPYC): 7 of 60 started a covered symptom's screening (a
# toothache or an earache read as a headache, calf cramps at night as trouble
# sleeping), 3 escalated, 25 were sent to a doctor or pharmacist (6 before the
# fallback reply said so). Out-of-scope training examples of such complaints were
# tried and dropped: 51 of them left the routed count at 7 and took the contacts off
# 3 blind red flags (README, "The model's figures"). Seeds 11 and 23: routed 4 and 3,
# escalated 2 and 4, sent on 25 and 27. Each gate sits two beyond the worst seed.
# Since the body-part boundary (knowledge/body_parts.yml), 2026-11-30 (AMD EPYC), seeds
# 7, 11 and 23: routed 4, 2 and 2 (an itchy scalp, spots on the forehead, hot flushes),
# escalated 3, 2 and 4, sent on 28, 27 and 28. Each gate sits two beyond the worst seed.
UNCOVERED_ROUTED_MAX = 6
UNCOVERED_ESCALATED_MAX = 6
UNCOVERED_SENT_TO_A_PROFESSIONAL_MIN = 25


def test_complaints_amma_does_not_cover_get_no_routine(rasa_servers):
    texts = [text for group in UNCOVERED.values() for text in group]
    with ThreadPoolExecutor(max_workers=4) as pool:
        replies = dict(zip(texts, pool.map(lambda text: Chat(rasa_servers).say(text), texts), strict=True))
    routed = [text for text, reply in replies.items() if SCREENING_STARTED in reply]
    escalated = [text for text, reply in replies.items() if any(sign in reply for sign in ESCALATED)]
    referred = [text for text, reply in replies.items() if any(who in reply for who in SENT_TO_A_PROFESSIONAL)]
    print(
        f"\nuncovered complaints, of {len(texts)}: a covered routine started {len(routed)}, "
        f"escalated {len(escalated)}, sent to a doctor, pharmacist or dentist {len(referred)}"
    )
    print("routed:", routed, "\nescalated:", escalated)
    assert len(routed) <= UNCOVERED_ROUTED_MAX, routed
    assert len(escalated) <= UNCOVERED_ESCALATED_MAX, escalated
    assert len(referred) >= UNCOVERED_SENT_TO_A_PROFESSIONAL_MIN


def test_a_complaint_in_a_part_amma_does_not_cover_is_told_so_and_can_still_have_the_points(chat):
    # The classifier hears trouble sleeping (awake every night); the knee is what hurts.
    replies = chat.send("I lie awake every night because my knee aches")
    text = "\n".join(reply.get("text", "") for reply in replies)
    assert "trouble with your knees, so I'd rather not guess: a doctor or pharmacist can help" in text
    assert SCREENING_STARTED not in text
    buttons = [button for reply in replies for button in reply.get("buttons", [])]
    assert [button["title"] for button in buttons] == ["Points for trouble sleeping"]
    # The offered points, one tap away, start their screening as usual.
    assert SCREENING_STARTED in chat.say(buttons[0]["payload"])
