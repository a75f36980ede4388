"""The semantic red-flag layer's mechanics: the exemplar file's validation, the
margin rule and the clause reading, on a small hand-made bank (the full bank's
decisions are tested against the trained model in tests/test_semantic_red_flag_model.py)."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import yaml

from amma.knowledge_base import DEFAULT_KNOWLEDGE_DIR, KnowledgeBaseError
from amma.semantic_red_flags import (
    BENIGN,
    EXEMPLARS_FILE,
    SemanticRedFlags,
    Thresholds,
    bank_texts,
    clauses,
    label_for_intent,
    layer_from_stored,
    load_exemplars,
    parse_exemplars,
)
from amma.sentence_encoder import get_sentence_encoder

BANK = [
    ("crisis", "I want to kill myself"),
    ("crisis", "I have the pills ready to end my life"),
    ("emergency", "crushing chest pain spreading down my left arm"),
    (BENIGN, "this headache is killing me"),
    (BENIGN, "my neck is stiff from sitting at the desk"),
    (BENIGN, "how long should I press each point"),
]
THRESHOLDS = Thresholds(check_similarity=0.45, check_margin=0.03, certain_similarity=0.5, certain_margin=0.15)


@pytest.fixture(scope="module")
def layer():
    encoder = get_sentence_encoder()
    vectors = encoder.encode([text for _, text in BANK])
    return SemanticRedFlags(encoder, [label for label, _ in BANK], [t for _, t in BANK], vectors, THRESHOLDS)


def decision(layer, text):
    verdict = layer.judge(text)
    return None if verdict is None else (verdict.kind, "certain" if verdict.certain else "check")


def test_a_message_near_a_red_flag_and_far_from_benign_ones_is_flagged_with_its_kind(layer):
    assert decision(layer, "I am going to take my own life tonight") == ("crisis", "certain")
    assert decision(layer, "heavy pressure in my chest that goes into my arm") == ("emergency", "certain")


def test_a_message_nearer_a_benign_exemplar_is_not_flagged(layer):
    # "killing me" is close to the crisis exemplar in words, closer to the headache in meaning.
    assert decision(layer, "my head is absolutely killing me today") is None
    assert decision(layer, "for how many seconds do I hold the point") is None


def test_a_red_flag_inside_a_request_for_points_is_read_in_its_own_clause(layer):
    text = "can you show me points for my stiff neck from the desk, I have saved up the pills to end my life"
    assert decision(layer, text) is not None
    assert layer.judge(text).clause == "I have saved up the pills to end my life"


def test_empty_or_blank_messages_are_not_judged(layer):
    assert layer.judge("") is None and layer.judge("   ") is None and layer.judge(None) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("my neck hurts", ["my neck hurts"]),
        ("neck hurts. can't sleep", ["neck hurts. can't sleep"]),  # clauses under three words are not read apart
        (
            "my shoulders ache a lot, and I have the rope ready",
            ["my shoulders ache a lot, and I have the rope ready", "my shoulders ache a lot", "I have the rope ready"],
        ),
    ],
)
def test_clauses(text, expected):
    assert clauses(text) == expected


def test_clause_reading_is_bounded():
    long = ". ".join(f"sentence number {i} is here" for i in range(200))
    assert len(clauses(long)) == 1 + 8


def test_bank_keeps_each_text_once_and_the_training_label_first():
    exemplars = parse_exemplars(_document())
    pairs = bank_texts({"crisis": ["I want to die"], BENIGN: ["hello"]}, exemplars)
    assert pairs[:2] == [("crisis", "I want to die"), (BENIGN, "hello")]
    assert len({text.lower() for _, text in pairs}) == len(pairs)
    doubled = bank_texts({BENIGN: ["this headache is killing me"]}, exemplars)
    assert sum(text == "this headache is killing me" for _, text in doubled) == 1


def test_labels_come_from_the_kinds_intents():
    assert label_for_intent("red_flag_crisis") == "crisis"
    assert label_for_intent("red_flag_emergency") == "emergency"
    assert label_for_intent("symptom_headache") == BENIGN and label_for_intent(None) == BENIGN


def _document():
    with (DEFAULT_KNOWLEDGE_DIR / EXEMPLARS_FILE).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_the_shipped_file_loads_with_every_label():
    exemplars = load_exemplars(DEFAULT_KNOWLEDGE_DIR)
    assert set(exemplars.by_label) == {"emergency", "crisis", BENIGN}


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["thresholds"].pop("check_margin"), "thresholds.check_margin must be a number"),
        (lambda d: d["thresholds"].update(certain_similarity=2), "thresholds.certain_similarity must be a number"),
        (lambda d: d["thresholds"].update(certain_margin=0.0), "must not be below the check_* ones"),
        (lambda d: d["exemplars"].update(worry=["x"]), "exemplars.worry: unknown label"),
        (lambda d: d["exemplars"].update(crisis=[]), "exemplars.crisis must be a non-empty list"),
        (lambda d: d.pop("exemplars"), "expected 'exemplars:'"),
    ],
)
def test_a_broken_file_is_refused_with_a_clear_reason(change, message):
    document = copy.deepcopy(_document())
    change(document)
    with pytest.raises(KnowledgeBaseError) as error:
        parse_exemplars(document)
    assert message in str(error.value)


def test_a_stored_bank_is_reused_and_an_exemplar_added_since_training_is_encoded():
    encoder = get_sentence_encoder()
    exemplars = parse_exemplars(_document())
    training = {"crisis": ["I want to die"], BENIGN: ["hello there"]}
    pairs = bank_texts(training, exemplars)
    # Stored as if trained before the file's last exemplar was added; the stored rows are
    # marked (all 0.5), so reuse shows, and only the missing one is computed now.
    stored = pairs[:-1]
    marked = np.full((len(stored), 384), 0.5, dtype=np.float32)
    layer = layer_from_stored(encoder, training, [list(p) for p in stored], marked, exemplars)
    assert layer.texts == [text for _, text in pairs]
    every_row = np.concatenate([layer.red, layer.benign])
    assert sum(bool((row == 0.5).all()) for row in every_row) == len(stored)
    added = encoder.encode([pairs[-1][1]])[0]
    assert any(np.allclose(row, added, atol=1e-6) for row in every_row)


class CountingEncoder:
    """The real encoder, counting the texts it was asked to encode."""

    def __init__(self):
        self.encoder = get_sentence_encoder()
        self.texts: list[str] = []

    def encode(self, texts):
        self.texts.extend(texts)
        return self.encoder.encode(texts)


def test_a_short_reply_is_encoded_once_and_judged_the_same_every_time(monkeypatch):
    import amma.semantic_red_flags as module

    monkeypatch.setattr(module, "CACHE_ENTRIES", 2)
    encoder = CountingEncoder()
    vectors = encoder.encoder.encode([text for _, text in BANK])
    layer = SemanticRedFlags(encoder, [label for label, _ in BANK], [t for _, t in BANK], vectors, THRESHOLDS)
    first = [layer.scores("next"), layer.scores("I want to kill myself")]
    again = [layer.scores("next"), layer.scores("I want to kill myself")]
    assert first == again and encoder.texts == ["next", "I want to kill myself"]
    # A long message is encoded every time (never kept), and the cache stays bounded.
    long = "my neck has been stiff for days since I moved house and carried boxes up the stairs"
    layer.scores(long)
    layer.scores(long)
    assert encoder.texts.count(long) == 2
    layer.scores("yes")
    layer.scores("no")
    layer.scores("next")
    assert encoder.texts.count("next") == 2  # pushed out by "yes" and "no"


def test_a_red_flag_the_patterns_hear_denied_is_not_read_as_one(layer):
    # An encoder hears "hurting myself" and not the "no": the denied sign is left out.
    assert decision(layer, "no thoughts of hurting myself, my neck is stiff from sitting at the desk") is None
    assert decision(layer, "no chest pain, my neck is stiff from the desk") is None


def test_a_red_flag_beside_a_denied_one_is_still_read(layer):
    assert decision(layer, "no chest pain, but I have the pills ready to end my life") == ("crisis", "certain")
