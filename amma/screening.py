"""Contraindication screening: reading answers and filtering routines.

The questions, answer patterns and what each "yes" rules out live in
``knowledge/screening.yml``. This module reads a person's words into screening
slot values and removes every point that is unsafe for them. Plain Python,
so the exhaustive safety tests need no Rasa.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from re import Pattern
from typing import Any

from amma.knowledge_base import (
    BODY_AREAS,
    KnowledgeBase,
    KnowledgeBaseError,
    Point,
    get_knowledge_base,
    knowledge_dir,
    read_knowledge_file,
)
from amma.names import Intent, Slot
from amma.red_flags import normalise_text
from amma.replies import Button, Reply

SCREENING_FILE = "screening.yml"

_NEGATION_BEFORE = re.compile(r"\b(no|not|never|don'?t|doesn'?t|isn'?t|without|haven'?t)\s+(\w+\s+){0,2}$")
_CLAUSE_END = re.compile(r"(?<=[.,;!?])\s+|\s+but\s+")
_QUESTION_START = re.compile(
    r"^(is|are|am|can|could|should|would|will|do|does|did|what|how|why|when|which|who|where|any|may|might)\b"
)
_FIRST_PERSON = re.compile(r"\b(i|i'm|im|i've|i'd|me|my|myself|we|we're|our)\b")


def _is_general_question(clause: str) -> bool:
    """A question with no first-person word: "is acupressure safe in pregnancy?"."""
    return bool((clause.endswith("?") or _QUESTION_START.match(clause)) and not _FIRST_PERSON.search(clause))


def personal_statements(text: str) -> str:
    """The text without general questions: "is acupressure safe in pregnancy?" asks
    about pregnancy but does not say the person is pregnant, so it must not fill the
    slot (the form will ask). Questions in the first person ("can I do it if I'm
    pregnant?") and plain statements count."""
    return " ".join(clause for clause in _CLAUSE_END.split(text) if not _is_general_question(clause))


def asks_in_general(text: str) -> bool:
    """True if the text holds a general question."""
    return any(_is_general_question(clause) for clause in _CLAUSE_END.split(normalise_text(text)))


@dataclass(frozen=True)
class Question:
    slot: str
    ask: str
    excludes_tags: frozenset[str]
    asks_area: bool
    light_pressure: bool
    unsure_means: bool
    yes_patterns: tuple[Pattern[str], ...]
    no_patterns: tuple[Pattern[str], ...]

    def volunteered(self, text: str) -> bool | None:
        """True/False if the text says so unprompted, else None."""
        if any(p.search(text) for p in self.no_patterns):
            return False
        for pattern in self.yes_patterns:
            for match in pattern.finditer(text):
                if not _NEGATION_BEFORE.search(text[: match.start()]):
                    return True
        return None


@dataclass(frozen=True)
class LeftOut:
    point: Point
    reason: str | None  # the contraindication's; None: it's where the person has a skin problem or injury


@dataclass(frozen=True)
class SafeRoutine:
    """A routine after screening: what stays, what goes and why, and how hard to press."""

    points: tuple[Point, ...]
    left_out: tuple[LeftOut, ...]
    light_pressure: bool


@dataclass(frozen=True)
class Screening:
    questions: tuple[Question, ...]
    area_question: str
    buttons: tuple[Button, ...]  # under every yes/no question
    yes: Pattern[str]
    no: Pattern[str]
    unsure: Pattern[str]
    area_words: Mapping[str, tuple[str, ...]]
    everywhere: Pattern[str]

    @property
    def slots(self) -> tuple[str, ...]:
        return tuple(q.slot for q in self.questions)

    @property
    def asked_slots(self) -> tuple[str, ...]:
        """Every slot the screening form may ask for: each question's, then where."""
        return (*self.slots, Slot.PROBLEM_AREAS)

    def question(self, slot: str) -> Question:
        return next(q for q in self.questions if q.slot == slot)

    def prompt(self, slot: str) -> Reply:
        """How the form asks for ``slot``: the question, with yes / no / not sure buttons."""
        if slot == Slot.PROBLEM_AREAS:
            return Reply(self.area_question)
        return Reply(self.question(slot).ask, self.buttons)

    def needs_area(self, answers: Mapping[str, Any]) -> bool:
        return any(q.asks_area and answers.get(q.slot) is True for q in self.questions)

    def required_slots(self, answers: Mapping[str, Any]) -> list[str]:
        """The screening slots to ask, in order; the area question only after a local problem."""
        slots = list(self.slots)
        if self.needs_area(answers):
            slots.append(Slot.PROBLEM_AREAS)
        return slots

    def read_yes_no(self, text: str, intent: str | None, unsure_means: bool) -> bool | None:
        """A yes/no answer from a button's intent or typed words; "not sure" first, so it is never read as "no"."""
        text = normalise_text(text)
        if self.unsure.search(text):
            return unsure_means
        by_intent = {Intent.AFFIRM: True, Intent.DENY: False}.get(intent or "")
        if by_intent is not None:
            return by_intent
        if self.no.search(text):
            return False
        if self.yes.search(text):
            return True
        return None

    def read_areas(self, text: str) -> list[str] | None:
        """Body areas named in ``text`` (all of them for "all over"), or None."""
        text = normalise_text(text)
        if self.everywhere.search(text):
            return sorted(self.area_words)
        found = {
            area
            for area, words in self.area_words.items()
            if any(re.search(rf"\b{re.escape(word)}\b", text) for word in words)
        }
        return sorted(found) or None

    def conditions_mentioned(self, text: str) -> list[str]:
        """Contraindication tags whose condition the text mentions, as a fact or in a
        question ("is it safe in pregnancy?"), but not denied ("I'm not pregnant")."""
        text = normalise_text(text)
        return [
            tag for question in self.questions if question.volunteered(text) for tag in sorted(question.excludes_tags)
        ]

    def read_answers(self, text: str | None, intent: str | None, requested_slot: str | None) -> dict[str, Any]:
        """Every screening slot value the message gives.

        Volunteered facts count whatever was asked; a bare yes/no (typed or a
        button's affirm/deny intent) answers the question just asked.
        """
        text = normalise_text(text or "")
        statements = personal_statements(text)
        values: dict[str, Any] = {}
        for question in self.questions:
            said = question.volunteered(statements)
            if said is not None:
                values[question.slot] = said
        if requested_slot == Slot.PROBLEM_AREAS:
            values.update(self._read_area_answer(text, intent))
        elif requested_slot in self.slots and requested_slot not in values:
            answer = self.read_yes_no(text, intent, self.question(requested_slot).unsure_means)
            if answer is not None:
                values[requested_slot] = answer
        return values

    def _read_area_answer(self, text: str, intent: str | None) -> dict[str, Any]:
        """Where the skin problem or injury is. "No" here corrects an earlier yes (often a
        misread word); "don't know" keeps every area suspect."""
        areas = self.read_areas(text)
        if areas:
            return {Slot.PROBLEM_AREAS: areas}
        answer = self.read_yes_no(text, intent, unsure_means=True)
        if answer is True:  # "not sure" / "yes" without a place: assume it could be anywhere
            return {Slot.PROBLEM_AREAS: sorted(self.area_words)}
        if answer is False:
            return {Slot.PROBLEM_AREAS: [], **{q.slot: False for q in self.questions if q.asks_area}}
        return {}

    def safe_routine(self, kb: KnowledgeBase, symptom_key: str, answers: Mapping[str, Any]) -> SafeRoutine:
        """The symptom's routine with everything the screening answers rule out removed."""
        return self.filter_routine(kb.routine_points(symptom_key), answers, kb)

    def filter_routine(self, points: Sequence[Point], answers: Mapping[str, Any], kb: KnowledgeBase) -> SafeRoutine:
        """Leave out every point the answers rule out.

        An unanswered question counts as "yes": a routine shown before
        screening finished must still be safe.
        """
        areas = set(answers.get(Slot.PROBLEM_AREAS) or [])
        excluded_tags: set[str] = set()
        light_pressure = False
        local_problem = False
        for question in self.questions:
            if answers.get(question.slot) is False:
                continue
            excluded_tags |= question.excludes_tags
            light_pressure |= question.light_pressure
            local_problem |= question.asks_area
        if local_problem and not areas:
            areas = set(BODY_AREAS)  # a problem somewhere unknown: every area is suspect
        kept: list[Point] = []
        left_out: list[LeftOut] = []
        for point in points:
            tags = sorted(point.contraindications & excluded_tags)
            if tags:
                left_out.append(LeftOut(point, kb.contraindications[tags[0]].reason))
            elif point.body_area in areas:
                left_out.append(LeftOut(point, None))
            else:
                kept.append(point)
        return SafeRoutine(tuple(kept), tuple(left_out), light_pressure)


def _compile_all(where: str, sources: Any, problems: list[str]) -> tuple[Pattern[str], ...]:
    if not isinstance(sources, list):
        problems.append(f"{where}: expected a list of patterns")
        return ()
    compiled = []
    for source in sources:
        if not isinstance(source, str) or not source.strip():
            problems.append(f"{where}: pattern {source!r} must be non-empty text")
            continue
        try:
            compiled.append(re.compile(str(source), re.IGNORECASE))
        except re.error as error:
            problems.append(f"{where}: pattern {source!r} is not a valid regular expression ({error})")
    return tuple(compiled)


def _buttons(entries: Any, problems: list[str]) -> tuple[Button, ...]:
    if not isinstance(entries, list) or not entries:
        problems.append(f"{SCREENING_FILE}: expected a 'buttons:' list of {{title, payload}}")
        return ()
    buttons = []
    for entry in entries:
        if not (
            isinstance(entry, dict)
            and set(entry) == {"title", "payload"}
            and all(isinstance(v, str) and v.strip() for v in entry.values())
        ):
            problems.append(f"{SCREENING_FILE}: button {entry!r} needs exactly a 'title' and a 'payload', as text")
            continue
        buttons.append(Button(entry["title"], entry["payload"]))
    return tuple(buttons)


def parse_screening(document: Any, known_tags: Sequence[str]) -> Screening:
    """Build the screening from YAML, raising KnowledgeBaseError listing every problem."""
    problems: list[str] = []
    if not isinstance(document, dict) or not isinstance(document.get("questions"), list):
        raise KnowledgeBaseError([f"{SCREENING_FILE}: expected a 'questions:' list"])
    questions = []
    for entry in document["questions"]:
        slot = entry.get("slot") if isinstance(entry, dict) else None
        where = f"{SCREENING_FILE}: question {slot!r}"
        if not isinstance(slot, str) or not isinstance(entry.get("ask"), str):
            problems.append(f"{where}: needs 'slot' and 'ask' text")
            continue
        tags = frozenset(entry.get("excludes_tags") or [])
        if tags - set(known_tags):
            problems.append(f"{where}: unknown tag(s) {sorted(tags - set(known_tags))}; known: {sorted(known_tags)}")
        volunteered = entry.get("volunteered") or {}
        if set(volunteered) - {"affirm", "deny"}:
            problems.append(
                f"{where}: volunteered takes only 'affirm' and 'deny' lists (yes/no would read as booleans)"
            )
        questions.append(
            Question(
                slot=slot,
                ask=" ".join(entry["ask"].split()),
                excludes_tags=tags,
                asks_area=bool(entry.get("asks_area", False)),
                light_pressure=bool(entry.get("light_pressure", False)),
                unsure_means=bool(entry.get("unsure_means", True)),
                yes_patterns=_compile_all(f"{where} volunteered.affirm", volunteered.get("affirm", []), problems),
                no_patterns=_compile_all(f"{where} volunteered.deny", volunteered.get("deny", []), problems),
            )
        )
    answers = document.get("answers") or {}
    answer_patterns = _compile_all(
        f"{SCREENING_FILE}: answers", [answers.get(k) for k in ("affirm", "deny", "unsure")], problems
    )
    area_words = {}
    for area, words in (document.get("areas") or {}).items():
        if area not in BODY_AREAS:
            problems.append(f"{SCREENING_FILE}: area {area!r} is not one of {sorted(BODY_AREAS)}")
        area_words[area] = tuple(str(w).lower() for w in words or [])
    everywhere = _compile_all(f"{SCREENING_FILE}: everywhere", [document.get("everywhere", "")], problems)
    if not isinstance(document.get("area_question"), str):
        problems.append(f"{SCREENING_FILE}: needs 'area_question' text")
    buttons = _buttons(document.get("buttons"), problems)
    if problems or len(answer_patterns) != 3 or not everywhere:
        raise KnowledgeBaseError(problems or [f"{SCREENING_FILE}: answers need affirm, deny and unsure patterns"])
    return Screening(
        tuple(questions),
        " ".join(document["area_question"].split()),
        buttons,
        *answer_patterns,
        area_words,
        everywhere[0],
    )


def load_screening(directory: Path, known_tags: Sequence[str]) -> Screening:
    return parse_screening(read_knowledge_file(directory, SCREENING_FILE), known_tags)


@lru_cache(maxsize=1)
def get_screening() -> Screening:
    return load_screening(knowledge_dir(), list(get_knowledge_base().contraindications))
