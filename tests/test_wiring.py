"""Knowledge base, domain, NLU data and rules agree, so adding a symptom
cannot silently leave it unreachable."""

from __future__ import annotations

from tests.conftest import load_yaml

MIN_EXAMPLES_PER_SYMPTOM = 25


def nlu_examples():
    result = {}
    for block in load_yaml("data/nlu.yml")["nlu"]:
        if "intent" in block:
            result[block["intent"]] = [line[2:].strip() for line in block["examples"].splitlines() if line.strip()]
    return result


def rule_intents():
    intents = set()
    for rule in load_yaml("data/rules.yml")["rules"]:
        for step in rule["steps"]:
            intents.update(option["intent"] for option in step.get("or", []) if "intent" in option)
            if "intent" in step:
                intents.add(step["intent"])
    return intents


def test_every_symptom_has_intent_training_examples_and_a_rule(kb):
    domain_intents = set(load_yaml("domain.yml")["intents"])
    examples = nlu_examples()
    rules = rule_intents()
    for symptom in kb.symptoms.values():
        assert symptom.intent in domain_intents, f"add {symptom.intent} to domain.yml intents"
        assert len(examples.get(symptom.intent, [])) >= MIN_EXAMPLES_PER_SYMPTOM, f"add examples for {symptom.intent}"
        assert symptom.intent in rules, f"add {symptom.intent} to the routine rule in data/rules.yml"


def test_no_symptom_intent_without_knowledge(kb):
    stray = {i for i in load_yaml("domain.yml")["intents"] if i.startswith("symptom_")} - {s.intent for s in kb.symptoms.values()}
    assert not stray, f"symptom intents with no entry in knowledge/symptoms.yml: {stray}"


def test_held_out_phrasings_are_not_training_data():
    training = {" ".join(e.lower().split()) for examples in nlu_examples().values() for e in examples}
    held_out = load_yaml("tests/data/unseen_symptom_phrasings.yml")["phrasings"]
    leaked = [p for phrasings in held_out.values() for p in phrasings if " ".join(p.lower().split()) in training]
    assert not leaked


def test_every_screening_question_is_in_the_form_with_a_question_and_buttons():
    from actions.screening import PROBLEM_AREAS_SLOT, get_screening

    domain = load_yaml("domain.yml")
    form_slots = domain["forms"]["screening_form"]["required_slots"]
    for slot in (*get_screening().slots, PROBLEM_AREAS_SLOT):
        assert slot in domain["slots"] and slot in form_slots, slot
        assert f"utter_ask_{slot}" in domain["responses"], slot
    for slot in get_screening().slots:
        payloads = [b["payload"] for b in domain["responses"][f"utter_ask_{slot}"][0]["buttons"]]
        assert {"/affirm", "/deny"} <= set(payloads), slot


def test_red_flag_intents_are_in_the_domain_and_escalate():
    from actions.red_flags import get_red_flag_rules

    intents = set(load_yaml("domain.yml")["intents"])
    rules = rule_intents()
    for kind in get_red_flag_rules().kinds.values():
        assert kind.intent in intents and kind.intent in rules, kind.intent
