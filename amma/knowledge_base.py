"""The acupressure knowledge base: points, symptoms and contraindications.

Everything the bot knows about points and symptoms lives in YAML under
``knowledge/``. This module loads it once, checks it thoroughly and exposes it
as typed, immutable objects. A broken file fails loudly with every problem
listed, so a typo in a routine can never reach a user as a missing point.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from amma.names import Intent
from amma.negation import negated

DEFAULT_KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"
KNOWLEDGE_DIR_ENV = "AMMA_KNOWLEDGE_DIR"

POINTS_FILE = "points.yml"
SYMPTOMS_FILE = "symptoms.yml"
CONTRAINDICATIONS_FILE = "contraindications.yml"

# Schema vocabulary, not facts: the body areas screening can ask about.
BODY_AREAS = frozenset(
    {"head", "face", "neck", "shoulder", "arm", "wrist", "hand", "abdomen", "back", "lower_back", "leg", "foot"}
)
# Holds shorter than this do nothing useful; longer ones invite bruising.
MIN_HOLD_SECONDS = 10
MAX_HOLD_SECONDS = 300

_MAX_NAME_WORDS = 4  # "urinary bladder 10", "three yin intersection"

_CODE_PATTERN = re.compile(r"^(?:[A-Z]{2,3}[0-9]{1,2}|[A-Z][a-z]+)$")
_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
# A name of letters then a number, written as one word, that the message itself calls
# a point: "the xyz99 point", "point ab-12". Not in the knowledge base's style, still a
# point question. Letters and number apart are other things: "on a 10 point scale".
_CALLED_A_POINT = re.compile(r"\b(?:([a-z]{1,5})-?(\d{1,3})\s+point|point\s+([a-z]{1,5})-?(\d{1,3}))\b", re.IGNORECASE)


_STOPWORDS = frozenset(
    "a an the and or of on in at to from for with by is it its this that one your you my me i where which what "
    "point points spot how do does press find between about up down just side each".split()
)


def _content_words(text: str) -> set:
    """Lower-case words of 3+ letters minus filler ('gb' of 'GB99' is no clue), with a
    plural 's' dropped: 'fingers' matches 'finger'."""
    return {
        w[:-1] if w.endswith("s") and len(w) > 3 else w
        for w in re.findall(r"[a-z]{3,}", text.lower())
        if w not in _STOPWORDS
    }


class KnowledgeBaseError(ValueError):
    """The knowledge files are missing or inconsistent; the message lists every problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("knowledge base is invalid:\n" + "\n".join(f"  - {p}" for p in problems))


_SMALL_NUMBERS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_NUMBER_WORDS = re.compile(
    rf"\b(?:({'|'.join(_TENS)})(?:[\s-]+({'|'.join(_SMALL_NUMBERS[1:10])}))?|({'|'.join(_SMALL_NUMBERS)}))\b"
)


def _as_digits(match: re.Match[str]) -> str:
    tens, unit, small = match.groups()
    if small:
        return str(_SMALL_NUMBERS.index(small))
    return str(20 + 10 * _TENS.index(tens) + (_SMALL_NUMBERS.index(unit) if unit else 0))


# "not a headache", "isn't really a headache", "I never said I had nausea": only these
# words may stand between the negation and a symptom's name for it to be denied, and
# at their end one other item of a denied list ("no upset stomach or indigestion").
# Anything else describes the symptom, and a person who has it says so: "not a
# sudden headache" (an answer to the check question), "not much of a headache",
# "not just a headache".
_PLAIN_DENIAL = re.compile(
    r"\b(?:no|not|never|nope|isn't|wasn't|aren't|ain't|don't|doesn't|didn't|haven't|hasn't)"
    r"(?: (?:a|an|any|the|really|actually|exactly|have|has|had|got|get|having|feel|feeling"
    r"|i|said|say|saying|mentioned|meant|mean|talking|about|suffering|from))*"
    r"(?: (?:\w+ ){1,2}(?:or|nor))? $"
)
_APOSTROPHE_DROPPED = re.compile(r"\b(is|was|are|does|did|do|have|has)nt\b")
# "not a headache like that": the name is followed by what it isn't like.
_DESCRIBED_AFTER = re.compile(r"^\w* (?:like|of that|of the)\b")
# "stress isn't the issue": the denial after the name.
_DENIED_AFTER = re.compile(r"^\w*,? (?:is|was)(?:n't| not) (?:really |actually )?(?:the|my|an?) (?:issue|problem)\b")


def _normal(text: str) -> str:
    """A message as the symptom names are matched against it: lower case, curly apostrophes straight."""
    return text.lower().replace("\u2019", "'")


def normalise_name(text: str) -> str:
    """Lower-case, spell numbers as digits and collapse spaces, hyphens and dots, so
    'LI-4', 'li 4', 'Li4' and 'large intestine four' match their names."""
    return re.sub(r"[\s\-_.]+", "", _NUMBER_WORDS.sub(_as_digits, text.strip().lower()))


@dataclass(frozen=True)
class Contraindication:
    tag: str
    label: str  # noun phrase: "pregnancy"
    applies_if: str  # completes "If ...": "you are pregnant or might be"
    reason: str
    caution: str  # a sentence added to general answers to questions that mention it
    answered_by: tuple[str, ...]  # FAQ keys whose answers already cover it


@dataclass(frozen=True)
class Point:
    code: str
    name: str
    full_name: str
    aliases: tuple[str, ...]
    body_area: str
    location: str
    benefits: tuple[str, ...]
    technique: str
    hold_seconds: int
    bilateral: bool
    contraindications: frozenset = field(default_factory=frozenset)
    cautions: str | None = None
    diagram: tuple[str, float, float] | None = None  # (view in diagrams.yml, x, y)

    @property
    def title(self) -> str:
        """'LI4 (Hegu)', or just 'Yintang' when the code is the name."""
        return self.code if self.code.lower() == self.name.lower() else f"{self.code} ({self.name})"

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the point answers to, code and traditional name included."""
        return (self.code.lower(), self.name.lower(), *self.aliases)


@dataclass(frozen=True)
class Symptom:
    key: str
    name: str
    aliases: tuple[str, ...]
    intro: str
    routine: tuple[str, ...]
    see_a_doctor: tuple[str, ...]
    self_care_tips: tuple[str, ...] = ()
    check_question: str | None = None  # symptom-specific red-flag question, asked before the routine

    @property
    def intent(self) -> str:
        """The NLU intent that reports this symptom."""
        return Intent.SYMPTOM_PREFIX + self.key


@dataclass(frozen=True)
class KnowledgeBase:
    points: Mapping[str, Point]
    symptoms: Mapping[str, Symptom]
    contraindications: Mapping[str, Contraindication]
    _names: Mapping[str, str] = field(repr=False, default_factory=dict)

    def routine_points(self, symptom_key: str) -> list[Point]:
        return [self.points[code] for code in self.symptoms[symptom_key].routine]

    def symptom_for_intent(self, intent: str | None) -> Symptom | None:
        if not intent or not intent.startswith(Intent.SYMPTOM_PREFIX):
            return None
        return self.symptoms.get(intent[len(Intent.SYMPTOM_PREFIX) :])

    def find_point(self, name: str) -> Point | None:
        """The point called ``name`` by code, traditional name or alias, or None."""
        code = self._names.get(normalise_name(name))
        return self.points[code] if code else None

    def point_mentions(self, text: str) -> list[tuple[int, int, Point]]:
        """Every point named in free text, as (start, end, point), longest names first:
        "where is LI-4", "how do I press large intestine 4", "zusanli?"."""
        words = [(m.start(), m.end()) for m in re.finditer(r"[\w'-]+", text)]
        found: list[tuple[int, int, Point]] = []
        taken: set[int] = set()
        for size in range(_MAX_NAME_WORDS, 0, -1):
            for i in range(len(words) - size + 1):
                if any(j in taken for j in range(i, i + size)):
                    continue
                start, end = words[i][0], words[i + size - 1][1]
                point = self.find_point(text[start:end])
                if point:
                    found.append((start, end, point))
                    taken.update(range(i, i + size))
        return sorted(found, key=lambda hit: hit[0])

    @cached_property
    def _symptom_names(self) -> tuple[dict[str, Symptom], re.Pattern[str]]:
        """Every symptom name and alias, and a whole-word pattern for them (longest
        first): built once, used per message."""
        by_name = {n.lower(): s for s in self.symptoms.values() for n in (s.name, *s.aliases)}
        names = sorted(by_name, key=len, reverse=True)
        return by_name, re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b")

    def _symptom_names_in(self, normal: str) -> Iterator[tuple[Symptom, int, int]]:
        """Each symptom name or alias in ``normal`` (see _normal), with its span."""
        by_name, pattern = self._symptom_names
        for match in pattern.finditer(normal):
            yield by_name[match.group(1)], match.start(), match.end()

    def symptoms_mentioned(self, text: str) -> list[Symptom]:
        """Symptoms named in free text by name or alias, in order of first mention:
        "does amma help with insomnia?" names insomnia."""
        return list(dict.fromkeys(symptom for symptom, _, _ in self._symptom_names_in(_normal(text))))

    def symptom_denied(self, symptom: Symptom, text: str) -> bool:
        """Whether ``text`` names ``symptom`` only to deny it, plainly ("it's my tooth, not a
        headache"): the classifier reads the name, not the "not"."""
        normal = _APOSTROPHE_DROPPED.sub(r"\1n't", _normal(text))  # "it isnt insomnia"
        spans = [(start, end) for named, start, end in self._symptom_names_in(normal) if named is symptom]
        return bool(spans) and all(
            _DENIED_AFTER.match(normal[end : end + 40])
            or (
                negated(normal, start, end)
                and _PLAIN_DENIAL.search(" ".join(re.findall(r"[\w']+", normal[max(0, start - 60) : start])) + " ")
                and not _DESCRIBED_AFTER.match(normal[end : end + 20])
            )
            for start, end in spans
        )

    def denied_symptom(self, text: str, intent: str | None, current: str | None) -> Symptom | None:
        """The symptom under discussion (``current``, a key) or the one the classifier
        heard (``intent``), when ``text`` names it only to deny it."""
        for symptom in (self.symptoms.get(current or ""), self.symptom_for_intent(intent)):
            if symptom is not None and self.symptom_denied(symptom, text):
                return symptom
        return None

    @cached_property
    def _code_shape(self) -> re.Pattern[str] | None:
        """Channel letters of the known codes, then a number: built once, used per message."""
        channels = sorted({m.group(1) for code in self.points if (m := re.fullmatch(r"([A-Za-z]+)\d+", code))})
        return re.compile(rf"\b({'|'.join(channels)})[\s-]?(\d{{1,3}})\b", re.IGNORECASE) if channels else None

    def unknown_codes(self, text: str) -> list[str]:
        """Point codes the knowledge base does not hold: in its own style ("GB99", "st 50"),
        or any letters-and-number name the message calls a point ("the xyz99 point")."""
        codes = (
            [f"{m.group(1).upper()}{m.group(2)}" for m in self._code_shape.finditer(text)] if self._code_shape else []
        )
        codes += ["".join(part for part in m.groups() if part).upper() for m in _CALLED_A_POINT.finditer(text)]
        return [code for code in dict.fromkeys(codes) if self.find_point(code) is None]

    def points_described_by(self, text: str) -> list[Point]:
        """Points whose location best matches a description ("the point between thumb
        and finger"): those sharing the most content words with it; a single shared
        word counts only when one point alone has it ("between my eyebrows")."""
        asked = _content_words(text)
        scored = [(len(asked & _content_words(f"{p.location} {p.body_area}")), p) for p in self.points.values()]
        best = max((score for score, _ in scored), default=0)
        winners = [point for score, point in scored if score == best and score > 0]
        return winners if best >= 2 or len(winners) == 1 else []


# --------------------------------------------------------------------------- loading


class _Checker:
    """Collects problems so one run reports all of them, not just the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def entries(self, document: Any, file_name: str, key: str) -> list[dict[str, Any]]:
        if not isinstance(document, dict) or not isinstance(document.get(key), list) or not document[key]:
            self.fail(file_name, f"expected a top-level '{key}:' list with at least one entry")
            return []
        good = []
        for index, entry in enumerate(document[key], start=1):
            if isinstance(entry, dict):
                good.append(entry)
            else:
                self.fail(file_name, f"entry {index} is not a mapping")
        return good

    def keyed_entries(
        self,
        document: Any,
        file_name: str,
        list_key: str,
        id_key: str,
        pattern: re.Pattern[str],
        what: str,
        hint: str,
    ) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(id, where, entry) for each entry whose id is well-formed and not seen before."""
        seen = set()
        for entry in self.entries(document, file_name, list_key):
            ident = entry.get(id_key)
            where = f"{file_name}: {what} {ident!r}"
            if not isinstance(ident, str) or not pattern.match(ident):
                self.fail(where, f"'{id_key}' must look like {hint}")
            elif ident in seen:
                self.fail(where, f"duplicate {id_key}")
            else:
                seen.add(ident)
                yield ident, where, entry

    def keys(
        self, where: str, entry: dict[str, Any], required: AbstractSet[str], optional: AbstractSet[str] = frozenset()
    ) -> bool:
        missing = sorted(required - entry.keys())
        unknown = sorted(entry.keys() - required - optional)
        for name in missing:
            self.fail(where, f"missing '{name}'")
        for name in unknown:
            self.fail(where, f"unknown key '{name}' (allowed: {', '.join(sorted(required | optional))})")
        return not missing

    def text(self, where: str, entry: dict[str, Any], key: str) -> str:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(where, f"'{key}' must be non-empty text")
            return ""
        return " ".join(value.split())

    def text_list(self, where: str, entry: dict[str, Any], key: str, *, allow_empty: bool = False) -> tuple[str, ...]:
        value = entry.get(key, [])
        if not isinstance(value, list) or (not value and not allow_empty):
            self.fail(where, f"'{key}' must be a {'' if allow_empty else 'non-empty '}list")
            return ()
        items = []
        for item in value:
            if not isinstance(item, str) or not item.strip():
                self.fail(where, f"'{key}' holds {item!r}, which is not text")
            else:
                items.append(" ".join(item.split()))
        return tuple(items)


def _read_yaml(path: Path, checker: _Checker) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        checker.fail(path.name, f"file not found at {path}")
    except yaml.YAMLError as error:
        checker.fail(path.name, f"is not valid YAML: {error}")
    return None


def _load_contraindications(document: Any, checker: _Checker) -> dict[str, Contraindication]:
    section = document.get("contraindications") if isinstance(document, dict) else None
    if not isinstance(section, dict) or not section:
        checker.fail(CONTRAINDICATIONS_FILE, "expected a top-level 'contraindications:' mapping")
        return {}
    result: dict[str, Contraindication] = {}
    for tag, entry in section.items():
        where = f"{CONTRAINDICATIONS_FILE}: '{tag}'"
        if not isinstance(entry, dict):
            checker.fail(where, "must be a mapping with 'label', 'applies_if', 'reason', 'caution' and 'answered_by'")
            continue
        if not checker.keys(where, entry, {"label", "applies_if", "reason", "caution", "answered_by"}):
            continue
        result[tag] = Contraindication(
            tag,
            label=checker.text(where, entry, "label"),
            applies_if=checker.text(where, entry, "applies_if"),
            reason=checker.text(where, entry, "reason"),
            caution=checker.text(where, entry, "caution"),
            answered_by=checker.text_list(where, entry, "answered_by"),
        )
    return result


def _load_points(document: Any, tags: Mapping[str, Contraindication], checker: _Checker) -> dict[str, Point]:
    points: dict[str, Point] = {}
    for code, where, entry in checker.keyed_entries(
        document, POINTS_FILE, "points", "code", _CODE_PATTERN, "point", "'LI4' or 'Yintang'"
    ):
        if not checker.keys(
            where,
            entry,
            {
                "code",
                "name",
                "full_name",
                "aliases",
                "body_area",
                "location",
                "benefits",
                "technique",
                "hold_seconds",
                "bilateral",
                "contraindications",
            },
            {"cautions", "diagram"},
        ):
            continue
        body_area = entry["body_area"]
        if body_area not in BODY_AREAS:
            checker.fail(where, f"body_area {body_area!r} is not one of {', '.join(sorted(BODY_AREAS))}")
        hold = entry["hold_seconds"]
        if isinstance(hold, bool) or not isinstance(hold, int) or not MIN_HOLD_SECONDS <= hold <= MAX_HOLD_SECONDS:
            checker.fail(
                where, f"hold_seconds {hold!r} must be a whole number from {MIN_HOLD_SECONDS} to {MAX_HOLD_SECONDS}"
            )
        if not isinstance(entry["bilateral"], bool):
            checker.fail(where, "'bilateral' must be true or false")
        point_tags = entry["contraindications"] or []
        unknown_tags = [t for t in point_tags if t not in tags] if isinstance(point_tags, list) else ["(not a list)"]
        if unknown_tags:
            checker.fail(where, f"unknown contraindication tag(s) {unknown_tags}; known: {sorted(tags)}")
        aliases = checker.text_list(where, entry, "aliases")
        for alias in aliases:
            if alias != alias.lower():
                checker.fail(where, f"alias {alias!r} must be lower case")
        cautions = entry.get("cautions")
        diagram = entry.get("diagram")
        if diagram is not None and not (
            isinstance(diagram, dict)
            and isinstance(diagram.get("view"), str)
            and all(isinstance(diagram.get(k), (int, float)) for k in ("x", "y"))
        ):
            checker.fail(where, "'diagram' must look like {view: hand_back, x: 96, y: 150}")
            diagram = None
        points[code] = Point(
            code=code,
            name=checker.text(where, entry, "name"),
            full_name=checker.text(where, entry, "full_name"),
            aliases=aliases,
            body_area=body_area,
            location=checker.text(where, entry, "location"),
            benefits=checker.text_list(where, entry, "benefits"),
            technique=checker.text(where, entry, "technique"),
            hold_seconds=hold if isinstance(hold, int) else 0,
            bilateral=bool(entry["bilateral"]),
            contraindications=frozenset(t for t in point_tags if t in tags)
            if isinstance(point_tags, list)
            else frozenset(),
            cautions=checker.text(where, entry, "cautions") if cautions is not None else None,
            diagram=(diagram["view"], float(diagram["x"]), float(diagram["y"])) if diagram else None,
        )
    return points


def _index_point_names(points: Mapping[str, Point], checker: _Checker) -> dict[str, str]:
    """Map every normalised name to its point; a name claimed by two points is an error."""
    owners: dict[str, str] = {}
    for point in points.values():
        for name in set(map(normalise_name, point.names)):
            other = owners.setdefault(name, point.code)
            if other != point.code:
                checker.fail(POINTS_FILE, f"name/alias {name!r} is used by both {other} and {point.code}")
    return owners


def _load_symptoms(document: Any, points: Mapping[str, Point], checker: _Checker) -> dict[str, Symptom]:
    symptoms: dict[str, Symptom] = {}
    alias_owner: dict[str, str] = {}
    for key, where, entry in checker.keyed_entries(
        document, SYMPTOMS_FILE, "symptoms", "key", _KEY_PATTERN, "symptom", "snake_case, like 'neck_shoulder_tension'"
    ):
        if not checker.keys(
            where,
            entry,
            {"key", "name", "aliases", "intro", "routine", "see_a_doctor"},
            {"self_care_tips", "check_question"},
        ):
            continue
        routine = checker.text_list(where, entry, "routine")
        for code in routine:
            if code not in points:
                checker.fail(where, f"routine refers to unknown point {code!r}")
        if len(set(routine)) != len(routine):
            checker.fail(where, "routine lists a point twice")
        aliases = checker.text_list(where, entry, "aliases")
        for alias in aliases:
            other = alias_owner.setdefault(alias.lower(), key)
            if other != key:
                checker.fail(where, f"alias {alias!r} is also used by symptom {other!r}")
        symptoms[key] = Symptom(
            key=key,
            name=checker.text(where, entry, "name"),
            aliases=aliases,
            intro=checker.text(where, entry, "intro"),
            routine=routine,
            see_a_doctor=checker.text_list(where, entry, "see_a_doctor"),
            self_care_tips=checker.text_list(where, entry, "self_care_tips", allow_empty=True),
            check_question=checker.text(where, entry, "check_question") if "check_question" in entry else None,
        )
    return symptoms


def load_knowledge_base(directory: Path) -> KnowledgeBase:
    """Load and validate the three knowledge files in ``directory``.

    Raises KnowledgeBaseError listing every problem found.
    """
    directory = Path(directory)
    checker = _Checker()
    documents = {
        name: _read_yaml(directory / name, checker) for name in (CONTRAINDICATIONS_FILE, POINTS_FILE, SYMPTOMS_FILE)
    }
    if checker.problems:
        raise KnowledgeBaseError(checker.problems)
    tags = _load_contraindications(documents[CONTRAINDICATIONS_FILE], checker)
    points = _load_points(documents[POINTS_FILE], tags, checker)
    names = _index_point_names(points, checker)
    symptoms = _load_symptoms(documents[SYMPTOMS_FILE], points, checker)
    if checker.problems:
        raise KnowledgeBaseError(checker.problems)
    return KnowledgeBase(points=points, symptoms=symptoms, contraindications=tags, _names=names)


def read_knowledge_file(directory: Path, file_name: str) -> Any:
    """One YAML file of the knowledge folder, or KnowledgeBaseError saying why not."""
    checker = _Checker()
    document = _read_yaml(Path(directory) / file_name, checker)
    if checker.problems:
        raise KnowledgeBaseError(checker.problems)
    return document


def knowledge_dir() -> Path:
    return Path(os.environ.get(KNOWLEDGE_DIR_ENV, DEFAULT_KNOWLEDGE_DIR))


@lru_cache(maxsize=1)
def get_knowledge_base() -> KnowledgeBase:
    """The knowledge base the actions use, loaded once per process."""
    return load_knowledge_base(knowledge_dir())
