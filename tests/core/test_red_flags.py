"""The deterministic red-flag layer: patterns, negation, messages, data validation."""

from __future__ import annotations

import copy

import pytest
import yaml

from amma.knowledge_base import DEFAULT_KNOWLEDGE_DIR, KnowledgeBaseError
from amma.red_flags import CRISIS, EMERGENCY, country_from, get_red_flag_rules, parse_red_flag_rules
from amma.wording import get_wording
from tests.conftest import load_yaml, nlu_examples

HELD_OUT = load_yaml("tests/data/red_flag_phrasings.yml")
ORDINARY = [
    p for phrasings in load_yaml("tests/data/unseen_symptom_phrasings.yml")["phrasings"].values() for p in phrasings
]
RED_FLAG_INTENTS = {"red_flag_emergency": EMERGENCY, "red_flag_crisis": CRISIS}
# Too vague for a pattern without false alarms ("i wanna end it" also means
# "stop the routine"): the classifier, trained on them, answers these alone.
LEFT_TO_THE_CLASSIFIER = {"nothing matters, I'm done", "i wanna end it"}


@pytest.fixture(scope="module")
def rules():
    return get_red_flag_rules()


@pytest.mark.parametrize("kind", [EMERGENCY, CRISIS])
def test_every_held_out_red_flag_phrasing_is_caught_by_the_patterns(rules, kind):
    missed = [p for p in HELD_OUT[kind] if rules.detect(p) is None]
    assert not missed, f"{kind} phrasings the safety net misses: {missed}"


def test_every_red_flag_training_example_is_caught_by_the_patterns(rules):
    """A classifier trained on a phrasing can still miss its neighbours (cross-validation
    missed "cant breath" and "i wanna die fr"); the patterns must not depend on it."""

    def caught(text: str, kind: str) -> bool:
        detection = rules.detect(text)
        # Emergency may win over crisis (an overdose), never the other way round.
        return detection is not None and (detection.kind == kind or kind == CRISIS)

    for intent, kind in RED_FLAG_INTENTS.items():
        missed = [t for t in nlu_examples()[intent] if t not in LEFT_TO_THE_CLASSIFIER and not caught(t, kind)]
        assert not missed, f"{intent} training examples the patterns miss: {missed}"


def test_no_other_training_example_escalates(rules):
    flagged = {
        t: rules.detect(t).names
        for intent, examples in nlu_examples().items()
        if intent not in RED_FLAG_INTENTS
        for t in examples
        if rules.detect(t)
    }
    assert not flagged


def test_crisis_phrasings_are_crisis(rules):
    wrong = [
        p
        for p in HELD_OUT[CRISIS]
        if rules.detect(p)
        and rules.detect(p).kind == EMERGENCY
        and not any(f.kind == CRISIS for f in rules.detect(p).flags)
    ]
    assert not wrong


def test_ordinary_symptom_phrasings_do_not_escalate(rules):
    assert len(ORDINARY) >= 40
    flagged = {p: rules.detect(p).names for p in ORDINARY if rules.detect(p)}
    assert not flagged


@pytest.mark.parametrize(
    "text",
    [
        "my head is killing me",
        "the pressure at work is crushing me",
        "I'm dying for a coffee",
        "no chest pain, just a stiff neck from my desk",
        "I didn't hit my head, it's just tension",
        "I'm pregnant and feel sick in the mornings",
        "stiff neck but no fever",
        "I could sleep for a week",
        "killing time before my meeting, shoulders tight",
        "my friend came round after work",
        "sore throat and swollen glands",
        "neck pain shooting down into my left arm",
        "my boss threw me under the bus",
        "I'm so tired I'm about to pass out",
        "that's odd",
        "I've been cutting carbs",
        "I'm expecting a parcel and my back is in severe pain",
        "stop, I want to end it here",
        "those pills knocked me out, slept 12 hours",
        "my leg went numb from sitting cross legged",
        "there's no way out of this contract lol",
        "my laptop is unresponsive",
    ],
)
def test_everyday_words_that_sound_alarming_do_not_escalate(rules, text):
    assert rules.detect(text) is None


@pytest.mark.parametrize(
    "text, flag",
    [
        ("Worst headache of my life", "thunderclap_headache"),
        ("I banged my head and now I feel confused", "head_injury"),
        ("one side of my face is drooping", "stroke_signs"),
        ("crushing pain in my chest going down my arm", "chest_pain"),
        ("I fainted twice today", "fainting"),
        ("high temperature and a stiff neck", "meningitis_signs"),
        ("I'm 10 weeks pregnant and bleeding", "pregnancy_bleeding"),
        ("I want to kill myself", "suicide_or_self_harm"),
        ("everyone would be better off without me", "suicide_or_self_harm"),
        ("I\u2019m thinking of ending it all", "suicide_or_self_harm"),
        ("cant breath", "breathing_or_seizure"),
        ("i wanna die fr", "suicide_or_self_harm"),
        ("I'm 12 weeks along and passing clots", "pregnancy_bleeding"),
    ],
)
def test_each_flag_fires(rules, text, flag):
    assert flag in rules.detect(text).names


def test_crisis_is_never_dismissed_by_negation(rules):
    assert rules.detect("I'm not sure, I just don't want to live anymore").kind == CRISIS


def test_emergency_wins_when_both_kinds_match(rules):
    assert rules.detect("I took an overdose because I want to die").kind == EMERGENCY


def test_escalation_message_says_why_and_gives_numbers_for_every_region(rules):
    words = get_wording()
    text = words.escalation(rules, EMERGENCY, rules.detect("crushing chest pain"), rules.contacts_for(None))
    assert "That's because chest pain like this can be a sign of a heart attack." in text
    for number in ("911", "999", "112", "000"):
        assert number in text
    crisis = words.escalation(rules, CRISIS, rules.detect("I want to end my life"), rules.contacts_for(None))
    for number in ("988", "116 123", "13 11 14", "911", "999"):
        assert number in crisis


def test_contacts_for_the_country_when_known_else_all(rules):
    assert [c.name for c in rules.contacts_for("uk")] == ["UK"]
    assert (
        [c.name for c in rules.contacts_for("NZ")]
        == [c.name for c in rules.contacts_for(None)]
        == ["US", "UK", "EU", "Australia"]
    )


def test_contacts_are_structured_numbers(rules):
    uk = rules.contacts_for("UK")[0]
    assert (uk.emergency, uk.urgent) == ("999", "111")
    assert [(line.service, line.number, line.by, line.word) for line in uk.crisis] == [
        ("Samaritans", "116 123", ("call",), None),
        ("Shout", "85258", ("text",), "SHOUT"),
    ]


def test_country_from_session_metadata():
    assert country_from({"country": "UK"}) == "UK"
    assert country_from(None) is None and country_from("UK") is None


def test_broken_red_flag_data_is_rejected_with_every_problem():
    document = yaml.safe_load((DEFAULT_KNOWLEDGE_DIR / "red_flags.yml").read_text())
    broken = copy.deepcopy(document)
    broken["flags"][0]["any"].append("(unclosed")
    broken["flags"][1]["kind"] = "mild"
    del broken["kinds"]["crisis"]
    with pytest.raises(KnowledgeBaseError) as error:
        parse_red_flag_rules(broken)
    message = str(error.value)
    assert (
        "not a valid regular expression" in message and "kind must be one of" in message and "kinds.crisis" in message
    )


def test_a_contact_number_must_be_quoted_text_and_a_line_reached_by_call_or_text():
    document = yaml.safe_load((DEFAULT_KNOWLEDGE_DIR / "red_flags.yml").read_text())
    broken = copy.deepcopy(document)
    broken["contacts"][0]["emergency"] = 911
    broken["contacts"][1]["crisis"][0]["by"] = ["fax"]
    with pytest.raises(KnowledgeBaseError) as error:
        parse_red_flag_rules(broken)
    message = str(error.value)
    assert "contacts: 'US': needs a 'name', an 'emergency' number as text (quoted)" in message
    assert "contacts: 'UK': 'by' must list call, text or both, not ['fax']" in message
