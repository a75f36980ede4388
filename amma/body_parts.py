"""Where a complaint is felt: tells a sore knee that keeps someone awake from
trouble sleeping, by the words of knowledge/body_parts.yml (which explains the rule).

Plain Python, read per message by nlu_components/body_part_boundary.py; its work
grows with a message's length, no faster.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from amma.knowledge_base import (
    KnowledgeBase,
    KnowledgeBaseError,
    Symptom,
    get_knowledge_base,
    knowledge_dir,
    read_knowledge_file,
)
from amma.red_flags import normalise_text

BODY_PARTS_FILE = "body_parts.yml"
_WORD = re.compile(r"[a-z0-9']+")
# A complaint and its part belong to one clause: "my knee is fine. my head hurts" is not a sore knee.
_CLAUSE_BREAK = re.compile(r"[.;!?]|\bbut\b")


def _phrases(words: Iterable[str]) -> re.Pattern[str]:
    """Whole-word pattern for ``words`` (longest first, so "wisdom tooth" wins over
    "tooth"), over text as normalise_text leaves it (single spaces)."""
    ordered = sorted(set(words), key=len, reverse=True)
    # An apostrophe may follow ("my elbow's sore"), not lead ("'cause").
    return re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(w) for w in ordered) + r")(?!\w)")


@dataclass(frozen=True)
class Region:
    """A part of the body Amma has no routine for (body_parts.yml: elsewhere)."""

    name: str  # as the answer says it: "trouble with your <name>"
    see: str | None  # who helps with it, where that isn't a doctor or pharmacist


@dataclass(frozen=True)
class BodyParts:
    kb: KnowledgeBase
    covered: Mapping[str, re.Pattern[str]]  # symptom key -> where it is felt
    regions: Mapping[str, Region]  # a word for an uncovered part, or a condition of one -> its region
    elsewhere: re.Pattern[str]
    discomfort: re.Pattern[str]
    conditions: re.Pattern[str]
    within_words: int

    def region_named(self, name: str) -> Region | None:
        return next((region for region in self.regions.values() if region.name == name), None)

    def uncovered_complaint(self, text: str) -> Region | None:
        """The region ``text`` complains of that Amma has no routine for, or None."""
        normal = normalise_text(text)
        condition = self.conditions.search(normal)
        if condition:
            return self.regions[condition.group(0)]
        discomforts = [m.span() for m in self.discomfort.finditer(normal)]
        if not discomforts:
            return None
        starts = [start for start, _ in discomforts]
        for part in self.elsewhere.finditer(normal):
            # Only the nearest discomfort on each side can be near enough: linear work
            # however many of each a message holds.
            after = bisect.bisect_left(starts, part.end())
            nearest = [normal[part.end() : starts[after]]] if after < len(starts) else []
            if after:
                nearest.append(normal[discomforts[after - 1][1] : part.start()])
            if any(self._one_clause_near(between) for between in nearest):
                return self.regions[part.group(0)]
        return None

    def _one_clause_near(self, between: str) -> bool:
        return len(_WORD.findall(between)) <= self.within_words and not _CLAUSE_BREAK.search(between)

    def names_symptom(self, text: str, symptom: Symptom) -> bool:
        """Whether ``text`` names ``symptom`` or a part where it is felt."""
        where = self.covered.get(symptom.key)
        return symptom in self.kb.symptoms_mentioned(text) or bool(where and where.search(normalise_text(text)))

    def elsewhere_than(self, text: str, symptom: Symptom) -> Region | None:
        """What ``text`` complains of that Amma has no routine for, when it names
        neither ``symptom`` nor where that is felt: the classifier's reading of it as
        ``symptom`` came from how the complaint feels, not from what it is. Else None."""
        region = self.uncovered_complaint(text)
        return region if region and not self.names_symptom(text, symptom) else None


def _word_list(value: Any, where: str, problems: list[str]) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(w, str) and w.strip() for w in value):
        problems.append(f"{BODY_PARTS_FILE}: {where} must be a non-empty list of words")
        return []
    return [" ".join(w.lower().split()) for w in value]


def _mapping(document: Mapping[str, Any], key: str, problems: list[str]) -> dict[str, Any]:
    entries = document.get(key)
    if not isinstance(entries, dict) or not entries:
        problems.append(f"{BODY_PARTS_FILE}: '{key}' must be a mapping by name")
        return {}
    return {str(name): value for name, value in entries.items()}


def _regions(document: Mapping[str, Any], problems: list[str]) -> tuple[dict[str, Region], dict[str, Region]]:
    """(each part's word -> its region, each condition -> its region)."""
    parts: dict[str, Region] = {}
    conditions: dict[str, Region] = {}
    for name, entry in _mapping(document, "elsewhere", problems).items():
        where = f"elsewhere: {name}"
        if not isinstance(entry, dict) or "parts" not in entry or set(entry) - {"parts", "conditions", "see"}:
            problems.append(f"{BODY_PARTS_FILE}: {where} needs parts, and may have conditions and see")
            continue
        see = entry.get("see")
        if see is not None and not (isinstance(see, str) and see.strip()):
            problems.append(f"{BODY_PARTS_FILE}: {where}: see must be text")
        region = Region(name, " ".join(see.split()) if isinstance(see, str) else None)
        for key, found in (("parts", parts), ("conditions", conditions)):
            for word in _word_list(entry[key], f"{where}: {key}", problems) if key in entry else []:
                if found.setdefault(word, region) != region:
                    problems.append(
                        f"{BODY_PARTS_FILE}: {word!r} is listed under both {found[word].name!r} and {name!r}"
                    )
    return parts, conditions


def parse_body_parts(document: Any, kb: KnowledgeBase) -> BodyParts:
    """Build the boundary from YAML, raising KnowledgeBaseError listing every problem."""
    if not isinstance(document, dict):
        raise KnowledgeBaseError([f"{BODY_PARTS_FILE}: expected a mapping with covered, elsewhere and discomfort"])
    problems: list[str] = []
    unknown = set(document) - {"within_words", "covered", "elsewhere", "discomfort"}
    if unknown:
        problems.append(f"{BODY_PARTS_FILE}: unknown keys {sorted(unknown)}")
    within = document.get("within_words")
    if not isinstance(within, int) or isinstance(within, bool) or not 1 <= within <= 10:
        problems.append(f"{BODY_PARTS_FILE}: within_words must be a whole number from 1 to 10")
    covered = {
        key: _word_list(words, f"covered: {key}", problems)
        for key, words in _mapping(document, "covered", problems).items()
    }
    problems += [
        f"{BODY_PARTS_FILE}: covered: {key!r} is not a symptom in symptoms.yml"
        for key in covered
        if key not in kb.symptoms
    ]
    parts, conditions = _regions(document, problems)
    # A part both covered and not would make the rule contradict itself.
    problems += [
        f"{BODY_PARTS_FILE}: {word!r} is listed both under covered: {key} and elsewhere: {parts[word].name}"
        for key, words in covered.items()
        for word in sorted(set(words) & set(parts))
    ]
    discomfort = _word_list(document.get("discomfort"), "'discomfort'", problems)
    for condition in conditions:
        named = kb.symptoms_mentioned(condition)
        if named:
            problems.append(f"{BODY_PARTS_FILE}: condition {condition!r} names the covered symptom {named[0].key!r}")
    if problems:
        raise KnowledgeBaseError(problems)
    return BodyParts(
        kb=kb,
        covered={key: _phrases(words) for key, words in covered.items()},
        regions={**parts, **conditions},
        elsewhere=_phrases(parts),
        discomfort=_phrases(discomfort),
        conditions=_phrases(conditions) if conditions else re.compile(r"(?!)"),
        within_words=int(within),  # type: ignore[arg-type]
    )


def load_body_parts(directory: Path, kb: KnowledgeBase) -> BodyParts:
    return parse_body_parts(read_knowledge_file(directory, BODY_PARTS_FILE), kb)


@lru_cache(maxsize=1)
def get_body_parts() -> BodyParts:
    """The boundary the NLU component uses, loaded once per process."""
    return load_body_parts(knowledge_dir(), get_knowledge_base())
