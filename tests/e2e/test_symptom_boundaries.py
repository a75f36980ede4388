"""Words a symptom shares with everyday life: a muscle cramp or a question about
periods is not period pain, and must not start its routine (it gets the
out-of-scope answer, which points to a doctor or pharmacist). Blind phrasings:
tests/data/period_near_misses.yml."""

from __future__ import annotations

import pytest

from tests.conftest import load_yaml

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
