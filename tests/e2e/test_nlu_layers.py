"""Both safety layers, measured separately on held-out red-flag phrasings.

The NLU component records what the classifier said before the safety net
overrode it, so /model/parse shows each layer's verdict.
"""

from __future__ import annotations

import pytest

from amma.red_flags import get_red_flag_rules
from tests.conftest import load_yaml

pytestmark = pytest.mark.rasa

RED_FLAGS = load_yaml("tests/data/red_flag_phrasings.yml")
RED_FLAG_INTENTS = {"red_flag_emergency", "red_flag_crisis"}
# The classifier alone is a second line: most, not all, of what it has never seen.
# Over four seeds on 2026-11-29: 55, 52, 59 and 54 of 66 (seed 7 gave 56 on another
# machine: a CPU can change a borderline answer). With 200 everyday near-miss examples
# (later that day) the classifier alone is warier: 50, 57 and 53 for seeds 7, 11 and
# 23, while every layer together reaches all of them. The floor is three below the lowest.
CLASSIFIER_ALONE_MIN_RECALL = 0.71  # 47 of 66


def test_classifier_alone_recognises_most_unseen_red_flags(rasa_servers):
    phrasings = RED_FLAGS["emergency"] + RED_FLAGS["crisis"]
    verdicts = {}
    for text in phrasings:
        result = rasa_servers.parse(text)
        verdicts[text] = (result.get("red_flag") or {}).get("classifier_intent", result["intent"]["name"])
    caught = [t for t, intent in verdicts.items() if intent in RED_FLAG_INTENTS]
    recall = len(caught) / len(phrasings)
    print(f"\nclassifier alone: {len(caught)}/{len(phrasings)} unseen red flags ({recall:.0%})")
    missed = {t: i for t, i in verdicts.items() if i not in RED_FLAG_INTENTS}
    assert recall >= CLASSIFIER_ALONE_MIN_RECALL, f"classifier missed: {missed}"


def test_both_layers_together_catch_every_unseen_red_flag(rasa_servers):
    for kind in ("emergency", "crisis"):
        for text in RED_FLAGS[kind]:
            assert rasa_servers.parse(text)["intent"]["name"] in RED_FLAG_INTENTS, text


def test_ordinary_phrasings_reach_no_red_flag_in_either_layer(rasa_servers):
    rules = get_red_flag_rules()
    for phrasings in load_yaml("tests/data/unseen_symptom_phrasings.yml")["phrasings"].values():
        for text in phrasings:
            assert rules.detect(text) is None, text
            assert rasa_servers.parse(text)["intent"]["name"] not in RED_FLAG_INTENTS, text
