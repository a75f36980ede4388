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
BODY_PARTS = load_yaml("tests/data/body_part_boundaries_2.yml")
# What the person sees first: a covered symptom's screening (the wrong routine is
# on its way), an escalation, or the answer that points to a doctor or pharmacist
# (out of scope, or the fallback).
SCREENING_STARTED = "a few quick safety questions"
ESCALATED = ("Please stop the self-care", "reach out to a crisis line")
# (a dentist, for teeth and gums: knowledge/body_parts.yml)
SENT_TO_A_PROFESSIONAL = ("doctor or pharmacist", "a dentist")


def replies_to(rasa_servers, texts: list[str]) -> dict[str, str]:
    """Each text's first reply, each in a conversation of its own."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(texts, pool.map(lambda text: Chat(rasa_servers).say(text), texts), strict=True))


# Seed 7, 2026-11-29 (AMD EPYC): 7 of 60 started a covered symptom's screening (a
# toothache or an earache read as a headache, calf cramps at night as trouble
# sleeping), 3 escalated, 25 were sent to a doctor or pharmacist (6 before the
# fallback reply said so). Out-of-scope training examples of such complaints were
# tried and dropped: 51 of them left the routed count at 7 and took the contacts off
# 3 blind red flags (README, "The model's figures"). Seeds 11 and 23: routed 4 and 3,
# escalated 2 and 4, sent on 25 and 27.
# Since the body-part boundary (knowledge/body_parts.yml), 2026-11-30 (AMD EPYC), seeds
# 7, 11 and 23: routed 4, 2 and 2 (an itchy scalp, spots on the forehead, hot flushes),
# escalated 3, 2 and 4, sent on 28, 27 and 28. The blind set written for the boundary
# (its uncovered half, 70; seed 7's classifier read 22 of them as a covered symptom):
# seeds 7, 11 and 23 routed 11, 11 and 9 (a consequence named by a symptom's alias: "on
# edge", "drained", "frazzled"), escalated 2 each, sent on 31, 30 and 34. Each gate sits
# two beyond the worst seed.
# (texts, routed at most, escalated at most, sent to a professional at least)
UNCOVERED_SETS = {
    "uncovered complaints": ([text for group in UNCOVERED.values() for text in group], 6, 6, 25),
    "uncovered body parts": ([text for group in BODY_PARTS["elsewhere"].values() for text in group], 13, 4, 28),
}


@pytest.mark.parametrize("name", sorted(UNCOVERED_SETS))
def test_complaints_amma_does_not_cover_get_no_routine(rasa_servers, name):
    texts, routed_max, escalated_max, referred_min = UNCOVERED_SETS[name]
    replies = replies_to(rasa_servers, texts)
    routed = [text for text, reply in replies.items() if SCREENING_STARTED in reply]
    escalated = [text for text, reply in replies.items() if any(sign in reply for sign in ESCALATED)]
    referred = [text for text, reply in replies.items() if any(who in reply for who in SENT_TO_A_PROFESSIONAL)]
    print(
        f"\n{name}, of {len(texts)}: a covered routine started {len(routed)}, "
        f"escalated {len(escalated)}, sent to a doctor, pharmacist or dentist {len(referred)}"
    )
    print("routed:", routed, "\nescalated:", escalated)
    assert len(routed) <= routed_max, routed
    assert len(escalated) <= escalated_max, escalated
    assert len(referred) >= referred_min


# The covered half of the same blind set: a covered complaint that mentions another
# part in passing starts its screening, or (taken back) is offered its points with a
# tap. Seeds 7, 11 and 23 on 2026-11-30: screening started for 61, 59 and 60 of 70 (the
# rest: a red-flag check first, or taken back). The gate sits two below the worst seed.
COVERED_SCREENING_STARTED_MIN = 57


def test_covered_complaints_that_mention_another_part_start_their_screening(rasa_servers):
    texts = [text for group in BODY_PARTS["covered"].values() for text in group]
    replies = replies_to(rasa_servers, texts)
    started = [text for text, reply in replies.items() if SCREENING_STARTED in reply]
    print(f"\ncovered body parts, of {len(texts)}: screening started {len(started)}")
    assert len(started) >= COVERED_SCREENING_STARTED_MIN, sorted(set(texts) - set(started))


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
