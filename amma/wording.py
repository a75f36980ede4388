"""Turns knowledge into the sentences a person reads, in the words of
knowledge/wording.yml.

The templates live in that file; this module says which ones must exist and
what each may name, checks the file on load, and fills them in. Kept apart from
the actions so every sentence can be unit-tested.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from amma.guided_session import Rescreened, Step
from amma.intensity import STRONG_INTENSITY
from amma.knowledge_base import (
    BODY_AREAS,
    KnowledgeBase,
    KnowledgeBaseError,
    Point,
    Symptom,
    knowledge_dir,
    read_knowledge_file,
)
from amma.red_flags import CRISIS, Contact, CrisisLine, Detection, RedFlagRules
from amma.replies import Button, Reply
from amma.screening import LeftOut, Question, SafeRoutine

WORDING_FILE = "wording.yml"

# Every template the code fills in, and the names it fills in. A template may
# leave a name out; it may not use one that is not listed.
TEMPLATES: Mapping[str, Sequence[str]] = {
    "session.disclaimer": ["numbers"],
    "session.disclaimer_number": ["number", "country"],
    "session.welcome_back": ["symptom", "before", "after"],
    "session.privacy": [],
    "privacy.ask": [],
    "privacy.forgotten": [],
    "privacy.not_asked": [],
    "point.numbered": ["number", "title"],
    "point.named": ["heading", "full_name"],
    "point.where": ["location"],
    "point.why": ["benefits"],
    "point.how": ["technique", "hold"],
    "point.hold": ["seconds"],
    "point.hold_each_side": ["seconds"],
    "point.careful": ["cautions"],
    "point.choose": ["points"],
    "point.did_you_mean": ["points"],
    "point.unknown": ["codes"],
    "point.not_for_you": ["point", "reason"],
    "intensity.strong": ["score"],
    "intensity.noted": ["score"],
    "routine.intro": ["intro", "symptom", "count", "codes"],
    "routine.restriction": ["applies_if", "codes", "reason"],
    "routine.left_out": [],
    "routine.left_out_point": ["point", "reason"],
    "routine.left_out_area": ["area"],
    "routine.light_pressure": [],
    "routine.see_a_doctor": [],
    "routine.see_a_doctor_sign": ["sign"],
    "routine.tips": ["tips"],
    "routine.nothing_safe": ["symptom"],
    "routine.urgent": ["symptom", "numbers"],
    "screening.symptom_check": ["question"],
    "screening.default_check": [],
    "screening.noted": [],
    "screening.intro": ["symptom"],
    "screening.misread": ["symptom", "numbers"],
    "screening.changes": ["changes"],
    "screening.kept": ["changes"],
    "screening.cleared": [],
    "screening.change_leave_out": ["condition"],
    "screening.change_light_pressure": [],
    "screening.change_skip_area": [],
    "faq.offer_points": ["symptom"],
    "help.what_i_do": ["symptoms"],
    "help.uncovered": ["part", "who", "symptom"],
    "help.see_by_default": [],
    "guided.start": ["total"],
    "guided.step": ["number", "total", "point", "side"],
    "guided.press": ["technique", "seconds"],
    "guided.press_again": ["technique", "seconds"],
    "guided.controls": [],
    "guided.too_early": ["seconds"],
    "guided.first_step_again": [],
    "guided.skipping": ["code"],
    "guided.paused": ["seconds"],
    "guided.not_paused": [],
    "guided.time_left": ["seconds"],
    "guided.time_left_paused": ["seconds"],
    "guided.hold_over": [],
    "guided.where": ["point", "location"],
    "guided.when_done": [],
    "guided.stopped": [],
    "guided.restarting": [],
    "guided.no_routine": [],
    "guided.last_step": [],
    "guided.left_out": [],
    "guided.none_left": [],
    "guided.carry_on": [],
    "guided.times_up": [],
    "guided.times_up_last": [],
    "sides.midline": [],
    **{f"sides.{area}": ["side"] for area in sorted(BODY_AREAS)},
    "rating.unrated": ["symptom"],
    "rating.better": ["symptom", "before", "after"],
    "rating.same": ["symptom", "after"],
    "rating.worse": ["symptom", "before", "after"],
    "red_flags.because": ["reasons"],
    "red_flags.emergency_contact": ["country", "emergency"],
    "red_flags.crisis_contact": ["country", "crisis", "emergency"],
    "red_flags.crisis_reminder": ["contacts"],
    "red_flags.crisis_reminder_contact": ["country", "crisis"],
    "red_flags.emergency_reminder": ["numbers"],
    "red_flags.check_crisis": ["contacts"],
    "red_flags.check_emergency": ["numbers"],
    "red_flags.after_crisis": [],
    "red_flags.after_emergency": [],
    "red_flags.cleared_with_symptom": ["symptom"],
    "red_flags.self_care_later": [],
    "contacts.emergency": ["number"],
    "contacts.emergency_and_urgent": ["number", "urgent"],
    "contacts.emergency_number": ["number", "country"],
    "contacts.call": ["service", "number"],
    "contacts.text": ["service", "number"],
    "contacts.text_word": ["word", "number"],
    "contacts.call_or_text": ["service", "number"],
    "contacts.limited": ["line", "where"],
    "buttons.affirm": [],
    "buttons.forget_yes": [],
    "buttons.forget_no": [],
    "buttons.deny": [],
    "buttons.done": [],
    "buttons.pause": [],
    "buttons.stop": [],
    "buttons.resume": [],
    "buttons.next": [],
    "buttons.finish": [],
    "buttons.repeat": [],
    "buttons.keep_going": [],
    "buttons.move_on": [],
    "buttons.points_for": ["symptom"],
    "buttons.symptom": ["symptom"],
}


def join_words(items: Sequence[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def first_sentence(text: str) -> str:
    """Up to the first full stop, question or exclamation mark: how a reply is
    recognised by its opening (the web page marks emergencies with it)."""
    return re.split(r"(?<=[.?!])\s", text.strip(), maxsplit=1)[0]


def lower_first(text: str) -> str:
    text = text.rstrip(".")
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


@dataclass(frozen=True)
class Wording:
    templates: Mapping[str, str]

    def say(self, key: str, **values: Any) -> str:
        """The template ``key`` ("guided.start") filled in with ``values``."""
        return self.templates[key].format(**values)

    def button(self, key: str, payload: str, **values: Any) -> Button:
        return Button(self.say(f"buttons.{key}", **values), payload)

    # ---------------------------------------------------------------- one point
    def hold_phrase(self, point: Point) -> str:
        return self.say("point.hold_each_side" if point.bilateral else "point.hold", seconds=point.hold_seconds)

    def describe_point(self, point: Point, number: int | None = None) -> str:
        """Everything a person needs to find and press one point."""
        heading = self.say("point.numbered", number=number, title=point.title) if number is not None else point.title
        if point.full_name.lower() not in point.title.lower():
            heading = self.say("point.named", heading=heading, full_name=point.full_name)
        lines = [
            heading,
            self.say("point.where", location=point.location),
            self.say("point.why", benefits=join_words(point.benefits)),
            self.say("point.how", technique=point.technique, hold=self.hold_phrase(point)),
        ]
        if point.cautions:
            lines.append(self.say("point.careful", cautions=point.cautions))
        return "\n".join(lines)

    def restriction_notes(
        self, points: Iterable[Point], kb: KnowledgeBase, leave_out: AbstractSet[str] = frozenset()
    ) -> list[str]:
        """'If you are pregnant, skip LI4 and SP6 (...)' for each contraindication in the
        routine, but those in ``leave_out`` (already said)."""
        points = list(points)
        notes = []
        for tag, contraindication in kb.contraindications.items():
            codes = [p.code for p in points if tag in p.contraindications and tag not in leave_out]
            if codes:
                notes.append(
                    self.say(
                        "routine.restriction",
                        applies_if=contraindication.applies_if,
                        codes=join_words(codes),
                        reason=contraindication.reason,
                    )
                )
        return notes

    # ---------------------------------------------------------------- a symptom's routine
    def intensity_remark(self, intensity: float | None) -> str | None:
        if intensity is None:
            return None
        score = round(intensity)
        return self.say("intensity.strong" if score >= STRONG_INTENSITY else "intensity.noted", score=score)

    def left_out_reason(self, item: LeftOut) -> str:
        """Why a point is left out: its contraindication's reason, or where it is."""
        return item.reason or self.say("routine.left_out_area", area=item.point.body_area.replace("_", " "))

    def not_for_you(self, item: LeftOut) -> str:
        """'From what you've told me, LI4 (Hegu) is not one for you to press: ...'"""
        return self.say("point.not_for_you", point=item.point.title, reason=self.left_out_reason(item))

    def left_out_list(self, heading: str, left_out: Sequence[LeftOut]) -> str:
        """'I've left out:' and a line for each point, with why."""
        lines = [self.say(heading)]
        lines += [
            self.say("routine.left_out_point", point=item.point.title, reason=self.left_out_reason(item))
            for item in left_out
        ]
        return "\n".join(lines)

    def left_out_note(self, routine: SafeRoutine) -> str | None:
        return self.left_out_list("routine.left_out", routine.left_out) if routine.left_out else None

    def rescreen_note(self, rescreened: Rescreened) -> list[str]:
        """What screening a running routine again changed: the points taken out and why,
        and that it is over if nothing safe is left."""
        if not rescreened.left_out:
            return []
        notes = [self.left_out_list("guided.left_out", rescreened.left_out)]
        return notes + ([self.say("guided.none_left")] if rescreened.state is None else [])

    def routine_overview(
        self, symptom: Symptom, routine: SafeRoutine, kb: KnowledgeBase, intensity: float | None
    ) -> list[str]:
        """The messages answering a symptom: intro, each safe point, what was left out, safety notes."""
        messages = [m for m in (self.intensity_remark(intensity),) if m]
        if not routine.points:
            return messages + [
                m for m in (self.left_out_note(routine), self.say("routine.nothing_safe", symptom=symptom.name)) if m
            ]
        points = routine.points
        messages.append(
            self.say(
                "routine.intro",
                intro=symptom.intro,
                symptom=symptom.name,
                count=len(points),
                codes=join_words([p.code for p in points]),
            )
        )
        messages.extend(self.describe_point(point, number) for number, point in enumerate(points, start=1))
        light = self.say("routine.light_pressure") if routine.light_pressure else None
        messages.extend(m for m in (self.left_out_note(routine), light) if m)
        safety = self.restriction_notes(points, kb)
        safety.append(self.say("routine.see_a_doctor"))
        safety.extend(self.say("routine.see_a_doctor_sign", sign=sign) for sign in symptom.see_a_doctor)
        messages.append("\n".join(safety))
        if symptom.self_care_tips:
            messages.append(self.say("routine.tips", tips=join_words([lower_first(t) for t in symptom.self_care_tips])))
        return messages

    def urgent_symptom_advice(self, symptom: Symptom, contacts: Sequence[Contact]) -> str:
        """For a "yes" to the symptom's own red-flag question: no points, get seen."""
        return self.say("routine.urgent", symptom=symptom.name, numbers=self.emergency_numbers(contacts))

    def condition_noted(self, questions: Sequence[Question], kb: KnowledgeBase, kept: bool = False) -> str:
        """Thanks for a volunteered condition, and what it changes; ``kept``: what a
        condition confirmed after a contradicting "no" goes on changing."""
        changes = []
        for question in questions:
            changes += [
                self.say("screening.change_leave_out", condition=kb.contraindications[tag].label)
                for tag in sorted(question.excludes_tags)
            ]
            if question.light_pressure:
                changes.append(self.say("screening.change_light_pressure"))
            if question.asks_area:
                changes.append(self.say("screening.change_skip_area"))
        if not changes:
            return self.say("screening.noted")
        return self.say(
            "screening.kept" if kept else "screening.changes", changes=join_words(list(dict.fromkeys(changes)))
        )

    # ---------------------------------------------------------------- the guided routine
    def side_phrase(self, point: Point, side: str | None) -> str:
        return self.say("sides.midline") if side is None else self.say(f"sides.{point.body_area}", side=side)

    def step_message(self, step: Step, point: Point, seconds_left: float | None = None) -> str:
        """'Step 3 of 8: LI4 (Hegu), your left hand', where, how, and for how long."""
        if seconds_left is None:
            press = self.say("guided.press", technique=point.technique, seconds=step.seconds)
        else:
            press = self.say("guided.press_again", technique=point.technique, seconds=round(seconds_left))
        return "\n".join(
            [
                self.say(
                    "guided.step",
                    number=step.number,
                    total=step.total,
                    point=point.title,
                    side=self.side_phrase(point, step.side),
                ),
                self.say("point.where", location=point.location),
                press,
                self.say("guided.controls"),
            ]
        )

    def rating_report(self, symptom: Symptom, before: float | None, after: float | None) -> str:
        """What the before/after ratings mean, and what to do next."""
        if before is None or after is None:
            return self.say("rating.unrated", symptom=symptom.name)
        before, after = round(before), round(after)
        key = "rating.better" if after < before else "rating.same" if after == before else "rating.worse"
        return self.say(key, symptom=symptom.name, before=before, after=after)

    def welcome_back(self, last_rated: Mapping[str, Any]) -> str:
        """'Welcome back. Last time your headache went from 7 to 4 out of 10...'"""
        return self.say(
            "session.welcome_back",
            symptom=last_rated["symptom_name"],
            before=last_rated["before"],
            after=last_rated["after"],
        )

    # ---------------------------------------------------------------- what Amma can do
    def help(self, kb: KnowledgeBase) -> Reply:
        """What Amma can do, with a button for every symptom it knows. Built from the
        knowledge base, so a symptom added there is offered here with no other change."""
        symptoms = list(kb.symptoms.values())
        return Reply(
            self.say("help.what_i_do", symptoms=join_words([s.name for s in symptoms], "or")),
            tuple(self.button("symptom", f"/{s.intent}", symptom=s.name[:1].upper() + s.name[1:]) for s in symptoms),
        )

    def uncovered(self, part: str, see: str | None, symptom: Symptom) -> Reply:
        """A complaint in a part Amma has no points for (amma/body_parts.py: its region's
        name and who helps with it, if not a doctor or pharmacist), read by the
        classifier as ``symptom``: said so, and that symptom's points offered, in case
        they were what was meant."""
        who = see or self.say("help.see_by_default")
        return Reply(
            self.say("help.uncovered", part=part, who=who, symptom=symptom.name),
            (self.button("points_for", f"/{symptom.intent}", symptom=symptom.name),),
        )

    # ---------------------------------------------------------------- red flags and contacts
    def disclaimer(self, contacts: Sequence[Contact]) -> str:
        numbers = ", ".join(self.say("session.disclaimer_number", number=c.emergency, country=c.name) for c in contacts)
        return self.say("session.disclaimer", numbers=numbers)

    def emergency_numbers(self, contacts: Sequence[Contact]) -> str:
        """'911 (US), 999 (UK)'."""
        return ", ".join(self.say("contacts.emergency_number", number=c.emergency, country=c.name) for c in contacts)

    def emergency(self, contact: Contact) -> str:
        if contact.urgent:
            return self.say("contacts.emergency_and_urgent", number=contact.emergency, urgent=contact.urgent)
        return self.say("contacts.emergency", number=contact.emergency)

    def crisis_line(self, line: CrisisLine) -> str:
        if set(line.by) == {"call", "text"}:
            phrase = self.say("contacts.call_or_text", service=line.service, number=line.number)
        elif line.by == ("call",):
            phrase = self.say("contacts.call", service=line.service, number=line.number)
        elif line.word:
            phrase = self.say("contacts.text_word", word=line.word, number=line.number)
        else:
            phrase = self.say("contacts.text", service=line.service, number=line.number)
        return self.say("contacts.limited", line=phrase, where=line.where) if line.where else phrase

    def crisis_lines(self, contact: Contact) -> str:
        """'call Samaritans on 116 123, or text SHOUT to 85258'."""
        return ", or ".join(self.crisis_line(line) for line in contact.crisis)

    def escalation(
        self, rules: RedFlagRules, kind: str, detection: Detection | None, contacts: Sequence[Contact]
    ) -> str:
        """Why we stop, what to do now, and who to call."""
        info = rules.kinds[kind]
        lines = [info.opening]
        reasons = [f.reason for f in detection.flags if f.kind == kind] if detection else []
        if reasons:
            lines.append(self.say("red_flags.because", reasons="; and ".join(dict.fromkeys(reasons))))
        lines.append(info.action)
        for contact in contacts:
            if kind == CRISIS:
                lines.append(
                    self.say(
                        "red_flags.crisis_contact",
                        country=contact.name,
                        crisis=self.crisis_lines(contact),
                        emergency=self.emergency(contact),
                    )
                )
            else:
                lines.append(
                    self.say("red_flags.emergency_contact", country=contact.name, emergency=self.emergency(contact))
                )
        return "\n".join(lines)

    def check_contacts(self, kind: str, contacts: Sequence[Contact]) -> str:
        """One line under the "are you describing something urgent?" question, so
        someone who never answers it has still been given help."""
        return self._help_line(kind, contacts, "red_flags.check_crisis", "red_flags.check_emergency")

    def reminder(self, kind: str, contacts: Sequence[Contact]) -> str:
        """One line that keeps help in reach after someone says they're fine."""
        return self._help_line(kind, contacts, "red_flags.crisis_reminder", "red_flags.emergency_reminder")

    def _help_line(self, kind: str, contacts: Sequence[Contact], crisis_template: str, emergency_template: str) -> str:
        """One sentence with every crisis line (crisis) or emergency number (emergency)."""
        if kind == CRISIS:
            lines = "; ".join(
                self.say("red_flags.crisis_reminder_contact", country=c.name, crisis=self.crisis_lines(c))
                for c in contacts
            )
            return self.say(crisis_template, contacts=lines)
        return self.say(emergency_template, numbers=self.emergency_numbers(contacts))


def _placeholders(template: str) -> list[str]:
    return [field.split(".")[0].split("[")[0] for _, field, _, _ in string.Formatter().parse(template) if field]


def parse_wording(document: Any) -> Wording:
    """The templates from the YAML document, raising KnowledgeBaseError listing every problem."""
    if not isinstance(document, dict):
        raise KnowledgeBaseError([f"{WORDING_FILE}: expected groups of templates (session:, point:, ...)"])
    problems: list[str] = []
    templates: dict[str, str] = {}
    seen = set()
    for group, entries in document.items():
        if not isinstance(entries, dict):
            problems.append(f"{WORDING_FILE}: '{group}' must be a mapping of templates")
            continue
        for name, template in entries.items():
            key = f"{group}.{name}"
            seen.add(key)
            if key not in TEMPLATES:
                problems.append(f"{WORDING_FILE}: '{key}' is not a template the code uses")
            elif not isinstance(template, str) or not template.strip():
                problems.append(f"{WORDING_FILE}: '{key}' must be non-empty text")
            else:
                try:
                    unknown = sorted(set(_placeholders(template)) - set(TEMPLATES[key]))
                except ValueError as error:
                    problems.append(f"{WORDING_FILE}: '{key}' has a stray brace ({error})")
                    continue
                if unknown:
                    allowed = ", ".join(f"{{{n}}}" for n in TEMPLATES[key]) or "none"
                    problems.append(
                        f"{WORDING_FILE}: '{key}' uses {unknown}, which the code does not fill in "
                        f"(it may use: {allowed})"
                    )
                templates[key] = " ".join(template.split())
    problems += [f"{WORDING_FILE}: missing '{key}'" for key in TEMPLATES if key not in seen]
    if problems:
        raise KnowledgeBaseError(problems)
    return Wording(templates)


def load_wording(directory: Path) -> Wording:
    return parse_wording(read_knowledge_file(directory, WORDING_FILE))


@lru_cache(maxsize=1)
def get_wording() -> Wording:
    """The wording the actions use, loaded once per process."""
    return load_wording(knowledge_dir())
