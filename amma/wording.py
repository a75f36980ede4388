"""Turns knowledge-base objects into the sentences a person reads.

Kept apart from the actions so the wording can be unit-tested and reused
(routine overview now, point lookups and guided steps later).
"""

from __future__ import annotations

from typing import Iterable, List, Optional, Sequence

from amma.intensity import STRONG_INTENSITY
from amma.knowledge_base import KnowledgeBase, Point, Symptom
from amma.red_flags import Contact
from amma.guided_session import Step
from amma.screening import SafeRoutine


def join_words(items: Sequence[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def hold_phrase(point: Point) -> str:
    side = " on each side" if point.bilateral else ""
    return f"{point.hold_seconds} seconds{side}"


def describe_point(point: Point, number: Optional[int] = None) -> str:
    """Everything a person needs to find and press one point."""
    heading = f"{number}. {point.title}" if number is not None else point.title
    lines = [
        f"{heading}, {point.full_name}" if point.full_name.lower() not in point.title.lower() else heading,
        f"Where: {point.location}",
        f"Why: traditionally used for {join_words(point.benefits)}.",
        f"How: {point.technique} Hold for about {hold_phrase(point)}.",
    ]
    if point.cautions:
        lines.append(f"Careful: {point.cautions}")
    return "\n".join(lines)


def intensity_remark(intensity: Optional[float]) -> Optional[str]:
    if intensity is None:
        return None
    score = round(intensity)
    if score >= STRONG_INTENSITY:
        return (
            f"That sounds strong (about {score}/10). Acupressure is for mild to "
            "moderate discomfort: if this is unusual for you, keeps getting worse or worries you, please "
            "talk to a doctor or pharmacist."
        )
    return f"Thanks, I've noted that it's about {score}/10 for you."


def restriction_notes(points: Iterable[Point], kb: KnowledgeBase) -> List[str]:
    """'If you are pregnant, skip LI4 and SP6 (...)' for each contraindication in the routine."""
    notes = []
    for tag, contraindication in kb.contraindications.items():
        codes = [p.code for p in points if tag in p.contraindications]
        if codes:
            notes.append(f"If {contraindication.applies_if}, skip {join_words(codes)}: {contraindication.reason}.")
    return notes


def left_out_note(routine: SafeRoutine) -> Optional[str]:
    if not routine.left_out:
        return None
    lines = ["From what you told me, I've left out:"]
    lines += [f"- {item.point.title}: {item.reason}" for item in routine.left_out]
    return "\n".join(lines)


LIGHT_PRESSURE_NOTE = (
    "Because of the bleeding risk you mentioned, press only lightly, never hard enough to leave a mark, "
    "and stop if you see any bruising. It's worth checking with your doctor before you start."
)


def nothing_safe_message(symptom: Symptom) -> str:
    return (
        f"From what you told me, none of the usual points for {symptom.name} are safe for you to press on your own "
        "right now. A qualified acupressure practitioner, physiotherapist or your doctor can suggest what will "
        "work for you."
    )


def urgent_symptom_advice(symptom: Symptom, contacts: Sequence[Contact]) -> str:
    """For a "yes" to the symptom's own red-flag question: no points, get seen."""
    numbers = ", ".join(f"{c.emergency.split(' ')[0]} ({c.label})" for c in contacts)
    return (
        f"Thank you for telling me. With {symptom.name} like that, please don't rely on acupressure: get "
        f"medical help today. If it came on suddenly, is severe or is getting worse, call {numbers} or go "
        "to an emergency department now. Otherwise contact your doctor or an urgent care service and tell "
        "them what you told me."
    )


def routine_overview(symptom: Symptom, routine: SafeRoutine, kb: KnowledgeBase,
                     intensity: Optional[float]) -> List[str]:
    """The messages answering a symptom: intro, each safe point, what was left out, safety notes."""
    messages = [m for m in (intensity_remark(intensity),) if m]
    if not routine.points:
        return messages + [m for m in (left_out_note(routine), nothing_safe_message(symptom)) if m]
    points = routine.points
    codes = join_words([p.code for p in points])
    messages.append(f"{symptom.intro} For {symptom.name}, these {len(points)} points are commonly used: {codes}.")
    messages.extend(describe_point(point, number) for number, point in enumerate(points, start=1))
    extra = [m for m in (left_out_note(routine), LIGHT_PRESSURE_NOTE if routine.light_pressure else None) if m]
    messages.extend(extra)
    safety = restriction_notes(points, kb)
    safety.append("Get medical help instead of pressing points if:")
    safety.extend(f"- {note}" for note in symptom.see_a_doctor)
    messages.append("\n".join(safety))
    if symptom.self_care_tips:
        messages.append("It can also help to " + join_words([lower_first(t) for t in symptom.self_care_tips]) + ".")
    return messages


def lower_first(text: str) -> str:
    text = text.rstrip(".")
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


# ---------------------------------------------------------------- guided routine

# How to name one side of each body area: "your left hand", "the left side of your neck".
_SIDE_OF = {"hand": "{side} hand", "wrist": "{side} wrist", "arm": "{side} arm", "leg": "{side} leg",
            "foot": "{side} foot", "shoulder": "{side} shoulder"}
CONTROLS_HINT = 'Say "done" when the time is up, or "repeat", "back", "pause", "skip", "time left" or "stop".'


def side_phrase(point: Point, side: Optional[str]) -> str:
    if side is None:
        return "the middle, one point only"
    template = _SIDE_OF.get(point.body_area)
    area = point.body_area.replace("_", " ").replace("abdomen", "belly")
    return "your " + template.format(side=side) if template else f"the {side} side of your {area}"


def step_message(step: Step, point: Point, seconds_left: Optional[float] = None) -> str:
    """'Step 3 of 8: LI4 (Hegu), your left hand', where, how, and for how long."""
    hold = round(seconds_left) if seconds_left is not None else step.seconds
    timing = (f"Press and hold for {hold} seconds." if seconds_left is None
              else f"Press again and hold for the {hold} seconds that were left.")
    return "\n".join([
        f"Step {step.number} of {step.total}: {point.title}, {side_phrase(point, step.side)}.",
        f"Where: {point.location}",
        f"How: {point.technique} {timing}",
        CONTROLS_HINT,
    ])


def rating_report(symptom: Symptom, before: Optional[float], after: Optional[float]) -> str:
    """What the before/after ratings mean, and what to do next."""
    if before is None or after is None:
        return f"Well done for taking the time. You can repeat this routine later today if your {symptom.name} comes back."
    before, after = round(before), round(after)
    if after < before:
        return (f"Your {symptom.name} went from {before} to {after} out of 10. Nice. You can repeat the routine later "
                "today, a few times a day at most. If it keeps coming back, it's worth mentioning to your doctor.")
    if after == before:
        return (f"Your {symptom.name} is still {after} out of 10. That happens; some people notice a change only after "
                "a few tries, or with a different routine. If it isn't easing after a few days, please see a doctor "
                "or a qualified practitioner.")
    return (f"Your {symptom.name} went up from {before} to {after} out of 10. Please stop pressing for now. If it keeps "
            "getting worse or worries you, contact a doctor or pharmacist, or call your emergency number if it's severe.")
