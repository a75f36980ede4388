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
# Where one statement ends and the next begins: "my sister is not pregnant, but I am".
_CLAUSE_END = re.compile(r"(?<=[.,;!?])\s+|\s+(?:but|and|though|although|whereas)\s+")
_QUESTION_START = re.compile(
    r"^(is|are|am|can|could|should|would|will|do|does|did|what|how|why|when|which|who|where|any|may|might)\b"
)
_FIRST_PERSON = re.compile(r"\b(i|i'm|im|i've|i'd|me|my|myself|we|we're|our)\b")
# The speaker as the one something is true of ("my" is left out: "my sister").
_SPEAKER = re.compile(r"\b(i|i'?m|im|i'?ve|i'?d|i'?ll|me|myself|we|we'?re|we'?ve|we'?d|us)\b")
# Someone else: "my sister", "a friend", "she", "pregnant women".
_SOMEONE_ELSE = re.compile(
    r"\b(?:my|our|his|her|their|your|a|the)\s+(?:\w+\s+)?(?:sister|brother|wife|husband|partner|girlfriend|"
    r"boyfriend|fiancee?|friend|mum|mom|mother|dad|father|daughter|son|aunt|auntie|niece|cousin|colleague|"
    r"co-?worker|neighbou?r|patient|client|mate|flatmate|roommate|gran|granny|grandma|nan|boss|spouse|missus|"
    r"sister-in-law|daughter-in-law|kid|child)s?\b"
    r"|\b(?:she|he|they|she'?s|he'?s|they'?re|someone|somebody|anyone|anybody|everyone|people|women|woman|"
    r"ladies|mums|moms|mothers|girls)\b"
)
# Something the speaker believed or heard, not a fact about them: "I thought I
# couldn't be pregnant", "I read that pregnant women should avoid LI4".
_BELIEF = re.compile(
    r"^(?:\w+\s+){0,2}?(?:i|we)\s+(?:thought|assumed|believed|figured|read|heard|saw|"
    r"didn'?t think|did not think|never thought|have read|'?ve read|have heard|'?ve heard)\b"
)
# A bare "I am" / "I'm not" that says yes or no to the condition just mentioned:
# "my sister is not pregnant but I am".
_BARE_YES = re.compile(
    r"^(?:(?:so|and|well|actually|also|oh|yes|yeah|yep)\s+)*"
    r"(?:i am|i'?m|im|am i|so am i|i do|do i|i have|i'?ve|have i|me too|me as well)"
    r"(?:\s+(?:too|also|as well|though|actually|now))?[.!]*$"
)
_BARE_NO = re.compile(
    r"^(?:(?:and|well|actually|oh|no|nope)\s+)*"
    r"(?:i'?m not|i am not|im not|not me|me neither|neither am i|i don'?t|i do not|i haven'?t|i have not)"
    r"(?:\s+(?:though|actually|either))?[.!]*$"
)


def _is_general_question(clause: str) -> bool:
    """A question with no first-person word: "is acupressure safe in pregnancy?"."""
    return bool((clause.endswith("?") or _QUESTION_START.match(clause)) and not _FIRST_PERSON.search(clause))


def asks_in_general(text: str) -> bool:
    """True if the text holds a general question."""
    return any(_is_general_question(clause) for clause in _CLAUSE_END.split(normalise_text(text)))


@dataclass(frozen=True)
class Clause:
    """One statement of a message, and whether it says something about the speaker."""

    text: str
    is_fact: bool  # about the speaker and said as so; not a general question, someone else, or a belief

    @classmethod
    def read(cls, text: str) -> Clause:
        about_someone_else = bool(_SOMEONE_ELSE.search(text)) and not _SPEAKER.search(text)
        return cls(text, not (_is_general_question(text) or about_someone_else or _BELIEF.search(text)))


def clauses(text: str) -> list[Clause]:
    """A message's statements, each marked as a fact about the speaker or not."""
    return [Clause.read(part) for part in _CLAUSE_END.split(normalise_text(text)) if part.strip()]


def _affirms(patterns: Sequence[Pattern[str]], text: str) -> bool:
    """A pattern matches, and not right after a negation ("not pregnant")."""
    return any(not _NEGATION_BEFORE.search(text[: m.start()]) for p in patterns for m in p.finditer(text))


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
    # Yes only once the condition has come up (its question was asked, or the message
    # names it): "no, but we're trying"; "...but the test came back positive".
    context_patterns: tuple[Pattern[str], ...] = ()
    # Asked before a "no" may replace a "yes" (None: a later "no" just counts).
    confirm: str | None = None

    def mentioned_in(self, text: str) -> bool | None:
        """True/False if the text says so, as a fact or in a question; else None."""
        if any(p.search(text) for p in self.no_patterns):
            return False
        return True if _affirms(self.yes_patterns, text) else None

    def _names_it(self, text: str) -> bool:
        return any(p.search(text) for p in (*self.yes_patterns, *self.no_patterns))

    def _reads(self, text: str, in_context: bool) -> bool | None:
        said = self.mentioned_in(text)
        if said is not None or not in_context:
            return said
        if _affirms(self.context_patterns, text) or _BARE_YES.match(text):
            return True
        return False if _BARE_NO.match(text) else None

    def read(self, statements: Sequence[Clause], asked: bool) -> bool | None:
        """What the speaker says about themselves: True, False or None.

        Only facts about the speaker count (not a general question, someone else,
        or what they thought or read), and a yes anywhere in the message wins over
        a no: "I'm not pregnant, but we're trying" might be.
        """
        in_context = asked or any(self._names_it(c.text) for c in statements)
        readings = {self._reads(c.text, in_context) for c in statements if c.is_fact} - {None}
        return True if True in readings else False if False in readings else None


@dataclass(frozen=True)
class LeftOut:
    point: Point
    reason: str | None  # the contraindication's; None: it's where the person has a skin problem or injury
    tag: str | None = None  # the contraindication that rules it out; None for a problem at its place


@dataclass(frozen=True)
class SafeRoutine:
    """A routine after screening: what stays, what goes and why, and how hard to press."""

    points: tuple[Point, ...]
    left_out: tuple[LeftOut, ...]
    light_pressure: bool


@dataclass(frozen=True)
class Settled:
    """What to store from a message: its answers (a contradicted yes kept as yes),
    and the questions whose "no" must be confirmed before it counts."""

    values: dict[str, Any]
    to_confirm: tuple[str, ...]


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
            tag for question in self.questions if question.mentioned_in(text) for tag in sorted(question.excludes_tags)
        ]

    def read_answers(self, text: str | None, intent: str | None, requested_slot: str | None) -> dict[str, Any]:
        """Every screening slot value the message gives.

        Facts the person states about themselves count whatever was asked; a bare
        yes/no (typed or a button's affirm/deny intent) answers the question just
        asked. A skin problem or injury named with its place gives the place too
        ("eczema on my hands").
        """
        text = normalise_text(text or "")
        statements = clauses(text)
        values: dict[str, Any] = {}
        for question in self.questions:
            said = question.read(statements, asked=requested_slot == question.slot)
            if said is not None:
                values[question.slot] = said
        if requested_slot == Slot.PROBLEM_AREAS:
            values.update(self._read_area_answer(text, intent))
        else:
            if requested_slot in self.slots and requested_slot not in values:
                answer = self.read_yes_no(text, intent, self.question(requested_slot).unsure_means)
                if answer is not None:
                    values[requested_slot] = answer
            if any(values.get(q.slot) is True for q in self.questions if q.asks_area):
                areas = self.read_areas(" ".join(c.text for c in statements if c.is_fact))
                if areas:
                    values[Slot.PROBLEM_AREAS] = areas
        return values

    def settle(self, current: Mapping[str, Any], said: Mapping[str, Any], confirming: str | None) -> Settled:
        """What a message's answers change, given what is already known.

        A "no" never silently replaces a "yes" to a question that asks to confirm
        (pregnancy, bleeding risk): the yes stays, and the question is listed to be
        confirmed, unless the message answers that very confirmation
        (``confirming``). Places add to those already known.
        """
        values: dict[str, Any] = {}
        to_confirm: list[str] = []
        for slot, value in said.items():
            if slot == Slot.PROBLEM_AREAS:
                values[slot] = sorted(set(current.get(slot) or []) | set(value))
                continue
            question = self.question(slot)
            if value is False and current.get(slot) is True and question.confirm and slot != confirming:
                to_confirm.append(slot)
                value = True
            values[slot] = value
        return Settled(values, tuple(to_confirm))

    def read_message(self, text: str | None, intent: str | None, slots: Mapping[str, Any]) -> Settled:
        """What a message changes, given the conversation's slots: the question it
        answers is the confirmation just asked (screening_confirm), else the form's
        requested slot."""
        confirming = slots.get(Slot.SCREENING_CONFIRM)
        said = self.read_answers(text, intent, confirming or slots.get(Slot.REQUESTED_SLOT))
        return self.settle(slots, said, confirming)

    def confirmation(self, slot: str) -> Reply:
        """The question that checks a "no" after a "yes", with yes / no / not sure buttons."""
        return Reply(self.question(slot).confirm or self.question(slot).ask, self.buttons)

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
                left_out.append(LeftOut(point, kb.contraindications[tags[0]].reason, tags[0]))
            elif point.body_area in areas:
                left_out.append(LeftOut(point, None))
            else:
                kept.append(point)
        return SafeRoutine(tuple(kept), tuple(left_out), light_pressure)

    def ruled_out(self, point: Point, answers: Mapping[str, Any], kb: KnowledgeBase) -> LeftOut | None:
        """Why what the person has told us rules ``point`` out, or None.

        Unlike a routine, an unanswered question rules nothing out here (the
        answer names every restriction anyway); a skin problem or injury whose
        place is not known yet rules out every place.
        """
        told = {q.slot: answers.get(q.slot) is True for q in self.questions}
        checked = self.filter_routine([point], {**told, Slot.PROBLEM_AREAS: answers.get(Slot.PROBLEM_AREAS)}, kb)
        return checked.left_out[0] if checked.left_out else None


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
        if set(volunteered) - {"affirm", "deny", "in_context"}:
            problems.append(
                f"{where}: volunteered takes only 'affirm', 'deny' and 'in_context' lists "
                "(yes/no would read as booleans)"
            )
        confirm = entry.get("confirm")
        if confirm is not None and not (isinstance(confirm, str) and confirm.strip()):
            problems.append(f"{where}: 'confirm' must be the text of a question")
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
                context_patterns=_compile_all(
                    f"{where} volunteered.in_context", volunteered.get("in_context", []), problems
                ),
                confirm=" ".join(confirm.split()) if isinstance(confirm, str) and confirm.strip() else None,
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
