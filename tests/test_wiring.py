"""Knowledge base, domain, NLU data and rules agree, so adding a symptom
cannot silently leave it unreachable."""

from __future__ import annotations

import re

from amma.names import Slot
from tests.conftest import ROOT, lexicon_words, load_yaml, nlu_examples

MIN_EXAMPLES_PER_SYMPTOM = 25


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
    stray = {i for i in load_yaml("domain.yml")["intents"] if i.startswith("symptom_")} - {
        s.intent for s in kb.symptoms.values()
    }
    assert not stray, f"symptom intents with no entry in knowledge/symptoms.yml: {stray}"


def test_no_held_out_phrasing_is_training_data():
    """Every file under tests/data/ is held out: none of its phrasings may be trained on,
    nor be a word of the lexicon, not even with different case, spacing or punctuation."""

    def normal(text):
        return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())

    training = {normal(e) for examples in (*nlu_examples().values(), *lexicon_words().values()) for e in examples}

    def strings(node):
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            for value in node.values():
                yield from strings(value)
        elif isinstance(node, list):
            for value in node:
                yield from strings(value)

    held_out = [
        p
        for path in sorted((ROOT / "tests" / "data").glob("*.yml"))
        for p in strings(load_yaml(str(path.relative_to(ROOT))))
    ]
    assert len(held_out) > 200
    leaked = [p for p in held_out if normal(p) in training]
    assert not leaked, leaked


def test_each_lexicon_word_has_one_meaning():
    # A word in two lists would tell the classifier two things at once.
    lists_of = {}
    for name, words in lexicon_words().items():
        assert words, name
        for word in words:
            lists_of.setdefault(word.lower(), []).append(name)
    assert not {word: names for word, names in lists_of.items() if len(names) > 1}


def test_every_contraindication_names_faq_answers_that_exist():
    responses = load_yaml("domain.yml")["responses"]
    for tag, entry in load_yaml("knowledge/contraindications.yml")["contraindications"].items():
        for key in entry["answered_by"]:
            assert f"utter_faq/{key}" in responses, (tag, key)


def test_every_faq_key_has_an_answer_and_enough_examples():
    responses = load_yaml("domain.yml")["responses"]
    keys = {intent.split("/", 1)[1] for intent in nlu_examples() if intent.startswith("faq/")}
    assert len(keys) >= 20
    for key in keys:
        assert f"utter_faq/{key}" in responses, key
        assert len(nlu_examples()[f"faq/{key}"]) >= 10, key
    assert set(load_yaml("tests/data/unseen_faq_phrasings.yml")["phrasings"]) == keys


def test_every_screening_question_is_in_the_form_and_asked_by_its_action_in_one_wording():
    from amma.screening import get_screening

    domain = load_yaml("domain.yml")
    form_slots = domain["forms"]["screening_form"]["required_slots"]
    for slot in get_screening().asked_slots:
        assert slot in domain["slots"] and slot in form_slots, slot
        # screening.yml words the question; a response in the domain would be a second copy.
        assert f"action_ask_{slot}" in domain["actions"] and f"utter_ask_{slot}" not in domain["responses"], slot
    for slot in get_screening().slots:
        assert {"/affirm", "/deny"} <= {b.payload for b in get_screening().prompt(slot).buttons}, slot


def test_the_action_server_registers_exactly_the_custom_actions_in_the_domain():
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    custom = {a for a in load_yaml("domain.yml")["actions"] if a.startswith(("action_", "validate_"))}
    assert set(executor.actions) == custom


def test_red_flag_intents_are_in_the_domain_and_escalate():
    from amma.red_flags import get_red_flag_rules

    intents = set(load_yaml("domain.yml")["intents"])
    rules = rule_intents()
    for kind in get_red_flag_rules().kinds.values():
        assert kind.intent in intents and kind.intent in rules, kind.intent


def names_in(namespace) -> set:
    return {value for key, value in vars(namespace).items() if not key.startswith("_")}


def test_every_name_the_code_uses_is_declared_in_the_domain():
    from amma.names import Entity, Form, Intent

    domain = load_yaml("domain.yml")
    rasas_own = {Slot.REQUESTED_SLOT, Slot.SESSION_METADATA}
    assert names_in(Slot) - rasas_own <= set(domain["slots"]), names_in(Slot) - rasas_own - set(domain["slots"])
    intents = names_in(Intent) - {Intent.SYMPTOM_PREFIX}
    assert intents <= set(domain["intents"]), intents - set(domain["intents"])
    assert any(i.startswith(Intent.SYMPTOM_PREFIX) for i in domain["intents"])
    assert names_in(Entity) <= set(domain["entities"]) and names_in(Form) <= set(domain["forms"])
