"""Deterministic red-flag detection and the escalation message.

The intent classifier learns red-flag phrasings too, but a classifier can be
unsure; these patterns from ``knowledge/red_flags.yml`` make known emergency
and crisis phrasings escalate with certainty. Plain Python (no Rasa imports)
so both the Rasa server's NLU component and the action server use it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from re import Pattern
from typing import Any

from amma.knowledge_base import KnowledgeBaseError, knowledge_dir, read_knowledge_file
from amma.names import Intent
from amma.negation import denied_thought, negated
from amma.past_history import told_as_past

RED_FLAGS_FILE = "red_flags.yml"
EMERGENCY = "emergency"
CRISIS = "crisis"
KINDS = (EMERGENCY, CRISIS)


def country_from(session_metadata: Any) -> str | None:
    """The country a channel passed in the session metadata ({"country": "UK"}), if any."""
    return session_metadata.get("country") if isinstance(session_metadata, dict) else None


def normalise_text(text: str) -> str:
    """Lower case, straight apostrophes, single spaces: what the patterns expect."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


@dataclass(frozen=True)
class RedFlag:
    name: str
    kind: str
    reason: str
    any_of: tuple[Pattern[str], ...]
    all_of: tuple[tuple[Pattern[str], ...], ...]


@dataclass(frozen=True)
class Kind:
    name: str
    intent: str
    opening: str
    action: str
    check: str  # the question asked when only an unsure classifier heard this kind


@dataclass(frozen=True)
class CrisisLine:
    service: str
    number: str
    by: tuple[str, ...]  # "call", "text" or both
    word: str | None = None  # the word to text, for a service that asks for one
    where: str | None = None  # where it answers, when not everywhere the contact covers


@dataclass(frozen=True)
class Contact:
    country: str  # as a channel passes it: "UK"
    name: str  # as a person reads it: "Australia"
    emergency: str  # the emergency number
    crisis: tuple[CrisisLine, ...]
    urgent: str | None = None  # a number for urgent but not emergency care


@dataclass(frozen=True)
class Detection:
    """What a message triggered: the flags in the order they are listed in the file."""

    flags: tuple[RedFlag, ...]
    # Every match was told as history ("had a stroke years ago"): ask, don't escalate.
    past: bool = False

    @property
    def kind(self) -> str:
        """Emergency wins: a crisis message that also names an overdose needs 911 first."""
        return EMERGENCY if any(f.kind == EMERGENCY for f in self.flags) else CRISIS

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.flags)


NOW, PAST, DENIED = "now", "past", "denied"


def _told_as(text: str, start: int, end: int, kind: str) -> str:
    """How the match text[start:end] is told: NOW, PAST or DENIED. An emergency sign
    can be denied ("no chest pain") or told as history; a crisis thought only
    denied outright ("no thoughts of hurting myself")."""
    if kind == CRISIS:
        return DENIED if denied_thought(text, start, end) else NOW
    if negated(text, start, end):
        return DENIED
    return PAST if told_as_past(text, start, end) else NOW


def _match(pattern: Pattern[str], text: str, kind: str) -> str | None:
    """NOW for a match told as happening, PAST for one told only as history, None for none."""
    found = None
    for match in pattern.finditer(text):
        told = _told_as(text, match.start(), match.end(), kind)
        if told == NOW:
            return NOW
        if told == PAST:
            found = PAST
    return found


def _flag_match(flag: RedFlag, text: str) -> str | None:
    """The flag's strongest match: any pattern, or one of each 'all' group."""
    heard = [_match(p, text, flag.kind) for p in flag.any_of]
    if NOW in heard:
        return NOW
    groups = [[_match(p, text, flag.kind) for p in group] for group in flag.all_of]
    if groups and all(any(group) for group in groups):
        return NOW if all(NOW in group for group in groups) else PAST
    return PAST if PAST in heard else None


@dataclass(frozen=True)
class ClassifierRedFlag:
    """A red-flag intent the classifier ranked, with no pattern to back it."""

    kind: str
    intent: str
    confidence: float
    rank: int  # 1 for the classifier's first guess
    certain: bool  # its first guess and confident: the intent stands

    def as_parse_data(self) -> dict[str, Any]:
        return {"intent": self.intent, "confidence": self.confidence, "rank": self.rank}


@dataclass(frozen=True)
class RedFlagRules:
    flags: tuple[RedFlag, ...]
    kinds: Mapping[str, Kind]
    contacts: Mapping[str, Contact]

    def detect(self, text: str | None) -> Detection | None:
        """The red flags ``text`` raises, or None."""
        if not text:
            return None
        normalised = normalise_text(text)
        heard = [(flag, _flag_match(flag, normalised)) for flag in self.flags]
        now = tuple(flag for flag, match in heard if match == NOW)
        past = tuple(flag for flag, match in heard if match == PAST)
        if now:
            return Detection(now)
        return Detection(past, past=True) if past else None

    def without_discounted(self, text: str) -> str:
        """``text`` with every sign the patterns hear denied or told as history blanked
        out ("no thoughts of hurting myself, just stressed" reads "no , just stressed"),
        normalised; unchanged when there is none. A sentence encoder hears the sign and
        not the "no", so the semantic layer reads this."""
        normalised = normalise_text(text)
        spans = [
            (match.start(), match.end())
            for flag in self.flags
            for pattern in (*flag.any_of, *(p for group in flag.all_of for p in group))
            for match in pattern.finditer(normalised)
            if _told_as(normalised, match.start(), match.end(), flag.kind) != NOW
        ]
        if not spans:
            return text
        kept, last = [], 0
        for start, end in sorted(spans):
            if start > last:
                kept.append(normalised[last:start])
            last = max(last, end)
        kept.append(normalised[last:])
        return " ".join(" ".join(kept).split())

    def classifier_red_flag(
        self, ranking: Sequence[Mapping[str, Any]], certain_above: float, floor: float, within: int = 3
    ) -> ClassifierRedFlag | None:
        """The highest red-flag intent among the classifier's first ``within`` guesses.

        Its first guess counts whatever its confidence (it is the classifier's
        answer); a lower one only above ``floor``. The FallbackClassifier's
        nlu_fallback is not a guess: it stands above the ranking it judged, so a
        red flag it pushed down is still found.
        """
        guesses = [r for r in ranking if r.get("name") != Intent.NLU_FALLBACK][:within]
        for rank, guess in enumerate(guesses, start=1):
            kind = self.kind_for_intent(guess.get("name"))
            confidence = float(guess.get("confidence") or 0.0)
            if kind is not None and (rank == 1 or confidence > floor):
                certain = rank == 1 and confidence >= certain_above
                return ClassifierRedFlag(kind, str(guess["name"]), confidence, rank, certain)
        return None

    def kind_for_intent(self, intent: str | None) -> str | None:
        return next((k.name for k in self.kinds.values() if k.intent == intent), None)

    def is_red_flag_intent(self, intent: str | None) -> bool:
        """A red flag, certain or still to be checked: such a message must never fill a form."""
        return intent == Intent.RED_FLAG_CHECK or self.kind_for_intent(intent) is not None

    def contacts_for(self, country: str | None) -> list[Contact]:
        """The person's country's contacts when known, otherwise all of them."""
        code = (country or "").upper()
        return [self.contacts[code]] if code in self.contacts else list(self.contacts.values())


def _compile(where: str, source: Any, problems: list[str]) -> Pattern[str] | None:
    if not isinstance(source, str) or not source.strip():
        problems.append(f"{where}: pattern {source!r} must be non-empty text")
        return None
    try:
        return re.compile(source, re.IGNORECASE)
    except re.error as error:
        problems.append(f"{where}: pattern {source!r} is not a valid regular expression ({error})")
        return None


def _patterns(where: str, sources: Any, problems: list[str]) -> tuple[Pattern[str], ...]:
    if not isinstance(sources, list):
        problems.append(f"{where}: expected a list of patterns")
        return ()
    compiled = [_compile(where, source, problems) for source in sources]
    return tuple(p for p in compiled if p is not None)


def _text(entry: dict[str, Any], key: str) -> str | None:
    value = entry.get(key)
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _crisis_line(where: str, entry: Any, problems: list[str]) -> CrisisLine | None:
    if not isinstance(entry, dict) or not {"service", "number", "by"} <= set(entry):
        problems.append(f"{where}: a crisis line needs 'service', 'number' and 'by' (call, text or both)")
        return None
    unknown = sorted(set(entry) - {"service", "number", "by", "word", "where"})
    by = tuple(entry["by"]) if isinstance(entry["by"], list) else ()
    if unknown:
        problems.append(f"{where}: unknown key(s) {unknown} in a crisis line")
    if not by or set(by) - {"call", "text"}:
        problems.append(f"{where}: 'by' must list call, text or both, not {entry['by']!r}")
    if entry.get("word") and "text" not in by:
        problems.append(f"{where}: a 'word' to text needs 'by' to include text")
    service, number = _text(entry, "service"), _text(entry, "number")
    if not service or not number:
        problems.append(f"{where}: 'service' and 'number' must be text (quote numbers: \"000\")")
        return None
    return CrisisLine(service, number, by, _text(entry, "word"), _text(entry, "where"))


def _contact(entry: Any, problems: list[str]) -> Contact | None:
    country = entry.get("country") if isinstance(entry, dict) else None
    where = f"{RED_FLAGS_FILE}: contacts: {country!r}"
    if not isinstance(entry, dict) or not isinstance(country, str):
        problems.append(f"{where}: each contact needs a 'country' code, like UK")
        return None
    unknown = sorted(set(entry) - {"country", "name", "emergency", "urgent", "crisis"})
    if unknown:
        problems.append(f"{where}: unknown key(s) {unknown}")
    name, emergency = _text(entry, "name"), _text(entry, "emergency")
    lines = entry.get("crisis")
    if not name or not emergency or not isinstance(lines, list) or not lines:
        problems.append(f"{where}: needs a 'name', an 'emergency' number as text (quoted) and a 'crisis:' list")
        return None
    crisis = [_crisis_line(where, line, problems) for line in lines]
    return Contact(country.upper(), name, emergency, tuple(c for c in crisis if c), _text(entry, "urgent"))


def parse_red_flag_rules(document: Any) -> RedFlagRules:
    """Build the rules from the YAML document, raising KnowledgeBaseError listing every problem."""
    problems: list[str] = []
    if not isinstance(document, dict):
        raise KnowledgeBaseError([f"{RED_FLAGS_FILE}: expected a mapping with kinds, contacts and flags"])
    kinds: dict[str, Kind] = {}
    for kind in KINDS:
        entry = (document.get("kinds") or {}).get(kind)
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(k), str) for k in ("intent", "opening", "action", "check")
        ):
            problems.append(f"{RED_FLAGS_FILE}: kinds.{kind} needs text 'intent', 'opening', 'action' and 'check'")
            continue
        text = {k: " ".join(entry[k].split()) for k in ("intent", "opening", "action", "check")}
        kinds[kind] = Kind(kind, **text)
    contacts: dict[str, Contact] = {}
    for entry in document.get("contacts") or []:
        contact = _contact(entry, problems)
        if contact and contact.country in contacts:
            problems.append(f"{RED_FLAGS_FILE}: contacts: {contact.country} is listed twice")
        elif contact:
            contacts[contact.country] = contact
    if not contacts:
        problems.append(f"{RED_FLAGS_FILE}: at least one contact is required")
    flags: list[RedFlag] = []
    names: set[str] = set()
    for entry in document.get("flags") or []:
        name = entry.get("name") if isinstance(entry, dict) else None
        where = f"{RED_FLAGS_FILE}: flag {name!r}"
        if not isinstance(name, str) or name in names:
            problems.append(f"{where}: needs a unique 'name'")
            continue
        names.add(name)
        if entry.get("kind") not in KINDS:
            problems.append(f"{where}: kind must be one of {KINDS}")
        if not isinstance(entry.get("reason"), str):
            problems.append(f"{where}: needs a 'reason'")
        any_of = _patterns(where, entry.get("any", []), problems)
        groups = entry.get("all", [])
        all_of = tuple(_patterns(where, group, problems) for group in groups) if isinstance(groups, list) else ()
        if not any_of and not all_of:
            problems.append(f"{where}: needs 'any' patterns or 'all' groups")
        flags.append(
            RedFlag(name, entry.get("kind", ""), " ".join(str(entry.get("reason", "")).split()), any_of, all_of)
        )
    if not flags:
        problems.append(f"{RED_FLAGS_FILE}: expected a 'flags:' list")
    if problems:
        raise KnowledgeBaseError(problems)
    return RedFlagRules(tuple(flags), kinds, contacts)


def load_red_flag_rules(directory: Path) -> RedFlagRules:
    return parse_red_flag_rules(read_knowledge_file(directory, RED_FLAGS_FILE))


@lru_cache(maxsize=1)
def get_red_flag_rules() -> RedFlagRules:
    return load_red_flag_rules(knowledge_dir())
