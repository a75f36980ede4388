"""Knowledge base, domain, NLU data and rules agree, so adding a symptom
cannot silently leave it unreachable."""

from __future__ import annotations

import ast
import re

from amma.names import Slot
from tests.conftest import ROOT, lexicon_words, load_yaml, nlu_examples

# Floors at today's level (the thinnest symptom has 58 examples, the thinnest FAQ
# key 40): a new symptom or FAQ key needs as many as the ones that work.
MIN_EXAMPLES_PER_SYMPTOM = 55
MIN_EXAMPLES_PER_FAQ_KEY = 40
FAQ_KEYS = 22
HELD_OUT_PHRASINGS = 704


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


def _normal(text):
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _training_phrasings():
    """What any layer learned from: training examples, lexicon words, and the semantic
    red-flag layer's own exemplars (knowledge/red_flag_exemplars.yml)."""
    exemplars = load_yaml("knowledge/red_flag_exemplars.yml")["exemplars"].values()
    return {
        _normal(e) for examples in (*nlu_examples().values(), *lexicon_words().values(), *exemplars) for e in examples
    }


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def test_no_held_out_phrasing_is_training_data():
    """Every file under tests/data/ is held out: none of its phrasings may be trained on,
    nor be a word of the lexicon, not even with different case, spacing or punctuation."""
    training = _training_phrasings()
    held_out = [
        p
        for path in sorted((ROOT / "tests" / "data").glob("*.yml"))
        for p in _strings(load_yaml(str(path.relative_to(ROOT))))
    ]
    assert len(held_out) >= HELD_OUT_PHRASINGS
    leaked = [p for p in held_out if _normal(p) in training]
    assert not leaked, leaked


def _typed_in_conversation_tests():
    """What the conversation tests type: user turns of tests/test_stories.yml and the
    literal messages the end-to-end tests send (payloads such as /affirm excepted)."""
    typed = [
        step["user"]
        for story in load_yaml("tests/test_stories.yml")["stories"]
        for step in story["steps"]
        if "user" in step
    ]
    for path in sorted((ROOT / "tests" / "e2e").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", None) in ("say", "send")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                typed.append(node.args[0].value)
    return [text for text in typed if not text.startswith("/")]


def test_conversation_tests_type_phrasings_the_model_never_saw():
    """A conversation test of a trained example proves only that the model remembers it.
    One-word commands ("next", "yes", "hi") are exempt: they are the controls' own
    names, the words on the buttons."""
    training = _training_phrasings()
    typed = _typed_in_conversation_tests()
    assert len(typed) > 100
    leaked = sorted({t for t in typed if len(_normal(t).split()) > 1 and _normal(t) in training})
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
    assert len(keys) >= FAQ_KEYS
    for key in keys:
        assert f"utter_faq/{key}" in responses, key
        assert len(nlu_examples()[f"faq/{key}"]) >= MIN_EXAMPLES_PER_FAQ_KEY, key
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
    # An entry is a name, or {name: settings} for an action that gets the domain.
    names = {a if isinstance(a, str) else next(iter(a)) for a in load_yaml("domain.yml")["actions"]}
    custom = {a for a in names if a.startswith(("action_", "validate_"))}
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


def test_responses_the_rasa_server_sends_alone_carry_every_contact():
    """utter_red_flag_* and the trouble reply run with no action server, so they can't
    read knowledge/red_flags.yml: every number there must be in them too."""
    from amma.names import Intent
    from amma.red_flags import get_red_flag_rules

    rules = get_red_flag_rules()
    assert {kind.intent for kind in rules.kinds.values()} == {Intent.RED_FLAG_EMERGENCY, Intent.RED_FLAG_CRISIS}
    responses = load_yaml("domain.yml")["responses"]

    def text(name):
        return " ".join(variant["text"] for variant in responses[name])

    emergency_numbers = {contact.emergency for contact in rules.contacts.values()}
    crisis_numbers = {line.number for contact in rules.contacts.values() for line in contact.crisis}
    alone = ("utter_action_server_trouble", "utter_forget_unavailable", "utter_default")
    for name in ("utter_red_flag_emergency", "utter_red_flag_crisis", *alone):
        assert all(number in text(name) for number in emergency_numbers), name
    for name in ("utter_red_flag_crisis", *alone):
        assert all(number in text(name) for number in crisis_numbers), name


def test_every_validation_action_gets_the_domain():
    # endpoints.yml sends the domain only to actions that ask for it; rasa_sdk's
    # validation actions read their slots from it and would quietly do nothing.
    from rasa.shared.core.domain import Domain
    from rasa_sdk import FormValidationAction, ValidationAction
    from rasa_sdk.executor import ActionExecutor

    assert load_yaml("endpoints.yml")["action_endpoint"]["enable_selective_domain"] is True
    executor = ActionExecutor()
    executor.register_package("actions")
    domain = Domain.load(str(ROOT / "domain.yml"))
    validating = {
        name
        for name, run in executor.actions.items()
        if isinstance(getattr(run, "__self__", None), (ValidationAction, FormValidationAction))
    }
    assert validating == {"validate_screening_form"}
    for name in validating:
        assert domain.does_custom_action_explicitly_need_domain(name), name
