"""Red flags by meaning: how close a message is to known emergencies and crises.

Patterns catch the phrasings someone thought of and the classifier the ones in
its training data. This layer compares the message's sentence embedding
(amma/sentence_encoder.py) with two banks of exemplars: red flags (the
classifier's red_flag_* examples and knowledge/red_flag_exemplars.yml) and
benign messages (every other training example, and the near-misses in the same
file, so "this headache is killing me" stays a headache). What decides is the
margin between the nearest red flag and the nearest benign message: close to a
red flag and clearly closer to it than to anything benign. The thresholds live
in the exemplar file; they were tuned on tests/data/red_flag_phrasings.yml and
the benign held-out sets, never on the blind sets.

A long message is also read clause by clause ("my neck is stiff, and I've got
the rope ready"): a red flag inside a request for points must not be averaged
away by the request.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from amma.knowledge_base import KnowledgeBaseError, read_knowledge_file
from amma.red_flags import KINDS, get_red_flag_rules

EXEMPLARS_FILE = "red_flag_exemplars.yml"
BENIGN = "benign"
LABELS = (*KINDS, BENIGN)
# A message is read whole and in at most this many clauses, each of at least
# MIN_CLAUSE_WORDS words: bounded work however long the message.
MAX_CLAUSES = 8
MIN_CLAUSE_WORDS = 3
# Short replies recur all through a conversation ("next", "yes", "no", "done"):
# their vectors are kept (at most this many, bounded memory) so the encoder runs
# once per distinct short message. Longer messages, which may say something
# personal and rarely recur, are never kept.
CACHE_ENTRIES = 1024
CACHE_MAX_CHARS = 60
_CLAUSE_BREAK = re.compile(r"[.!?;\n]+|,\s*(?:and|but|so|because|cos|coz)?\s*|\s+(?:but|and then|because)\s+")


@dataclass(frozen=True)
class Thresholds:
    """Check (ask, with the contacts) when the nearest red flag is at least
    ``check_similarity`` and beats the nearest benign message by ``check_margin``;
    escalate at once above both ``certain_*`` figures."""

    check_similarity: float
    check_margin: float
    certain_similarity: float
    certain_margin: float


@dataclass(frozen=True)
class Exemplars:
    """The file's own exemplars by label, and the thresholds."""

    by_label: Mapping[str, tuple[str, ...]]
    thresholds: Thresholds


@dataclass(frozen=True)
class SemanticRedFlag:
    kind: str
    certain: bool
    similarity: float  # to the nearest red-flag exemplar
    margin: float  # over the nearest benign exemplar
    nearest: str  # that red-flag exemplar
    clause: str  # the part of the message that came closest

    def as_parse_data(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "certain": self.certain,
            "similarity": round(self.similarity, 3),
            "margin": round(self.margin, 3),
            "nearest": self.nearest,
        }


def parse_exemplars(document: Any) -> Exemplars:
    """The exemplar file, raising KnowledgeBaseError listing every problem."""
    problems: list[str] = []
    if not isinstance(document, dict):
        raise KnowledgeBaseError([f"{EXEMPLARS_FILE}: expected a mapping with thresholds and exemplars"])
    raw = document.get("thresholds")
    names = ("check_similarity", "check_margin", "certain_similarity", "certain_margin")
    values: dict[str, float] = {}
    for name in names:
        value = raw.get(name) if isinstance(raw, dict) else None
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not -1.0 <= value <= 1.0:
            problems.append(f"{EXEMPLARS_FILE}: thresholds.{name} must be a number between -1 and 1")
        else:
            values[name] = float(value)
    if len(values) == len(names) and (
        values["certain_similarity"] < values["check_similarity"] or values["certain_margin"] < values["check_margin"]
    ):
        problems.append(f"{EXEMPLARS_FILE}: the certain_* thresholds must not be below the check_* ones")
    by_label: dict[str, tuple[str, ...]] = {}
    exemplars = document.get("exemplars")
    if not isinstance(exemplars, dict):
        problems.append(f"{EXEMPLARS_FILE}: expected 'exemplars:' with lists for {', '.join(LABELS)}")
        exemplars = {}
    for label, texts in exemplars.items():
        if label not in LABELS:
            problems.append(f"{EXEMPLARS_FILE}: exemplars.{label}: unknown label (use {', '.join(LABELS)})")
        elif not isinstance(texts, list) or not texts or not all(isinstance(t, str) and t.strip() for t in texts):
            problems.append(f"{EXEMPLARS_FILE}: exemplars.{label} must be a non-empty list of sentences")
        else:
            by_label[label] = tuple(" ".join(t.split()) for t in texts)
    if problems:
        raise KnowledgeBaseError(problems)
    return Exemplars(by_label, Thresholds(**values))


def load_exemplars(directory: Any) -> Exemplars:
    return parse_exemplars(read_knowledge_file(directory, EXEMPLARS_FILE))


def bank_texts(examples_by_kind: Mapping[str, Iterable[str]], exemplars: Exemplars) -> list[tuple[str, str]]:
    """(label, text) pairs, training examples first, each text once (a text listed
    under two labels keeps the first: the training data's)."""
    seen: set[str] = set()
    pairs: list[tuple[str, str]] = []
    for source in (examples_by_kind, exemplars.by_label):
        for label, texts in source.items():
            for text in texts:
                key = " ".join(text.lower().split())
                if label in LABELS and key not in seen:
                    seen.add(key)
                    pairs.append((label, text))
    return pairs


def clauses(text: str) -> list[str]:
    """The message whole, then its clauses when it has more than one."""
    whole = " ".join(text.split())
    parts = [p.strip() for p in _CLAUSE_BREAK.split(whole) if p and p.strip()]
    parts = [p for p in parts if len(p.split()) >= MIN_CLAUSE_WORDS]
    if len(parts) <= 1:
        return [whole]
    return [whole, *parts[:MAX_CLAUSES]]


class SemanticRedFlags:
    """The bank's vectors and labels, and the decision for a message."""

    def __init__(
        self, encoder: Any, labels: Sequence[str], texts: Sequence[str], vectors: np.ndarray, thresholds: Thresholds
    ):
        if len(labels) != len(texts) or len(texts) != len(vectors):
            raise ValueError("labels, texts and vectors must have one row each")
        self.encoder = encoder
        self.texts = list(texts)
        self.thresholds = thresholds
        label_array = np.array(labels)
        self.red_rows = np.flatnonzero(label_array != BENIGN)
        self.benign_rows = np.flatnonzero(label_array == BENIGN)
        if not len(self.red_rows) or not len(self.benign_rows):
            raise ValueError("the bank needs red-flag and benign exemplars")
        self.red = np.ascontiguousarray(vectors[self.red_rows], dtype=np.float32)
        self.benign = np.ascontiguousarray(vectors[self.benign_rows], dtype=np.float32)
        self.red_kinds = label_array[self.red_rows]
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    def _vectors(self, parts: list[str]) -> np.ndarray:
        if len(parts) > 1 or len(parts[0]) > CACHE_MAX_CHARS:
            return self.encoder.encode(parts)
        key = parts[0]
        with self._cache_lock:
            vector = self._cache.get(key)
            if vector is not None:
                self._cache.move_to_end(key)
                return vector[None, :]
        vector = self.encoder.encode(parts)[0]
        with self._cache_lock:
            self._cache[key] = vector
            while len(self._cache) > CACHE_ENTRIES:
                self._cache.popitem(last=False)
        return vector[None, :]

    def scores(self, text: str) -> tuple[float, float, int, str]:
        """Over the message's clauses, the one nearest a red flag (by margin):
        (similarity, margin, row of the red exemplar, clause)."""
        parts = clauses(text)
        vectors = self._vectors(parts)
        red = vectors @ self.red.T
        benign = vectors @ self.benign.T
        best_red = red.argmax(axis=1)
        red_similarity = red[np.arange(len(parts)), best_red]
        margins = red_similarity - benign.max(axis=1)
        pick = int(margins.argmax())
        return float(red_similarity[pick]), float(margins[pick]), int(best_red[pick]), parts[pick]

    def judge(self, text: str | None) -> SemanticRedFlag | None:
        if text:
            text = get_red_flag_rules().without_discounted(text)
        if not text or not text.strip():
            return None
        similarity, margin, row, clause = self.scores(text)
        t = self.thresholds
        if similarity < t.check_similarity or margin < t.check_margin:
            return None
        certain = similarity >= t.certain_similarity and margin >= t.certain_margin
        return SemanticRedFlag(
            str(self.red_kinds[row]), certain, similarity, margin, self.texts[int(self.red_rows[row])], clause
        )


def label_for_intent(intent: str | None) -> str:
    """A training example's label in the banks: its red-flag kind (by the kinds'
    intents in knowledge/red_flags.yml), or benign."""
    return get_red_flag_rules().kind_for_intent(intent) or BENIGN


def layer_from_stored(
    encoder: Any,
    training_examples: Mapping[str, Iterable[str]],
    encoded: Sequence[Sequence[str]],
    vectors: np.ndarray,
    exemplars: Exemplars,
) -> SemanticRedFlags:
    """The layer from a model's stored bank: the training examples as trained, the
    exemplar file as it reads today (an exemplar added since training is encoded now)."""
    stored = {(label, text): row for row, (label, text) in enumerate(encoded)}
    pairs = bank_texts(training_examples, exemplars)
    missing = [pair for pair in pairs if pair not in stored]
    fresh = dict(zip(missing, encoder.encode([text for _, text in missing]), strict=True)) if missing else {}
    rows = np.stack([vectors[stored[pair]] if pair in stored else fresh[pair] for pair in pairs])
    return SemanticRedFlags(encoder, [p[0] for p in pairs], [p[1] for p in pairs], rows, exemplars.thresholds)
