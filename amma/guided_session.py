"""The guided routine: a screened routine turned into timed steps, and where a
person is in it.

Plain Python with no Rasa imports. The state is a small dict kept in one
slot (``routine_state``), so the tracker store persists it and a restarted
server carries on from the same step.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from amma.knowledge_base import KnowledgeBase, Point
from amma.screening import LeftOut, Screening

SIDES = ("left", "right")
# Saying "done" this close to the end counts as done: people don't watch a stopwatch.
EARLY_TOLERANCE_SECONDS = 3.0
TIME_SCALE_ENV = "AMMA_TIME_SCALE"


def time_scale() -> float:
    """Holds take hold_seconds x this. 1 in real use; tests and demos shorten it."""
    try:
        return max(0.001, float(os.environ.get(TIME_SCALE_ENV, "1")))
    except ValueError:
        return 1.0


@dataclass(frozen=True)
class Step:
    number: int  # 1-based
    total: int
    code: str
    side: str | None  # "left" / "right", None for a midline point
    seconds: int

    def timer_payload(self, seconds_left: float) -> dict[str, Any]:
        """What a chat widget needs to show a countdown. Wrapped in "data" because
        Rasa's socket.io channel emits a custom payload's keys as emit() arguments."""
        return {
            "data": {
                "timer": {
                    "seconds": round(seconds_left),
                    "step": self.number,
                    "total": self.total,
                    "point": self.code,
                    "side": self.side,
                }
            }
        }


def build_steps(points: Sequence[Point]) -> list[Step]:
    """One step per point and side, in routine order: LI4 left, LI4 right, GV20, ..."""
    plan = [(p, side) for p in points for side in (SIDES if p.bilateral else (None,))]
    return [Step(n, len(plan), p.code, side, p.hold_seconds) for n, (p, side) in enumerate(plan, start=1)]


@dataclass(frozen=True)
class RoutineState:
    """Where a person is in their guided routine. Serialised into a slot."""

    symptom: str
    steps: list[dict[str, Any]]
    index: int = 0  # 0-based position in steps
    started_at: float | None = None  # when the current hold started
    paused_left: float | None = None  # seconds left when paused, None when running
    finished: bool = False
    skipped: list[str] = field(default_factory=list)

    # ---------------------------------------------------------------- (de)serialising
    @classmethod
    def start(cls, symptom: str, steps: Sequence[Step], now: float | None) -> RoutineState:
        """A new routine; ``now`` None means the clock starts after the before-rating."""
        return cls(symptom=symptom, steps=[asdict(s) for s in steps], started_at=now)

    @classmethod
    def from_slot(cls, value: Any) -> RoutineState | None:
        if not isinstance(value, dict) or not value.get("steps"):
            return None
        known = {k: value[k] for k in cls.__dataclass_fields__ if k in value}
        return cls(**known)

    def to_slot(self) -> dict[str, Any]:
        return asdict(self)

    # ---------------------------------------------------------------- reading
    @property
    def step(self) -> Step:
        return Step(**self.steps[self.index])

    @property
    def paused(self) -> bool:
        return self.paused_left is not None

    @property
    def running(self) -> bool:
        """A hold is under way, so its "time's up" reminder is pending."""
        return self.started_at is not None and not self.paused and not self.finished

    def hold_seconds(self) -> float:
        return self.step.seconds * time_scale()

    def seconds_left(self, now: float) -> float:
        if self.paused_left is not None:
            return self.paused_left
        if self.started_at is None:
            return self.hold_seconds()
        return max(0.0, self.hold_seconds() - (now - self.started_at))

    def hold_is_over(self, now: float) -> bool:
        return self.seconds_left(now) <= EARLY_TOLERANCE_SECONDS * time_scale()

    # ---------------------------------------------------------------- moving
    def _at(self, index: int, now: float | None) -> RoutineState:
        return replace(self, index=index, started_at=now, paused_left=None)

    def start_clock(self, now: float) -> RoutineState:
        """The first hold starts: the before-rating is in."""
        return replace(self, started_at=now)

    def stop(self) -> RoutineState:
        """Stopped part way: finished, with no hold running, and no after-rating asked."""
        return replace(self, finished=True, started_at=None, paused_left=None)

    def next(self, now: float) -> RoutineState:
        """The next step, or a finished routine after the last one."""
        if self.index + 1 >= len(self.steps):
            return replace(self, finished=True, paused_left=None)
        return self._at(self.index + 1, now)

    def back(self, now: float) -> RoutineState:
        return self._at(max(0, self.index - 1), now)

    def repeat(self, now: float) -> RoutineState:
        return self._at(self.index, now)

    def restart(self, now: float | None) -> RoutineState:
        """From the first step; ``now`` None: waiting for its clock to start."""
        return replace(self._at(0, now), finished=False, skipped=[])

    def skip_point(self, now: float) -> RoutineState:
        """Past every remaining side of the current point."""
        code = self.step.code
        index = self.index
        while index < len(self.steps) and self.steps[index]["code"] == code:
            index += 1
        skipped = [*self.skipped, code]
        if index >= len(self.steps):
            return replace(self, finished=True, paused_left=None, skipped=skipped)
        return replace(self._at(index, now), skipped=skipped)

    def without(self, codes: AbstractSet[str]) -> RoutineState | None:
        """The routine with every step of ``codes`` from the current one on left out, and
        the steps renumbered; None when no step is left from here on.

        Steps already done stay, so the current index (and the name of its reminder)
        does not move. If the current step itself goes, the next one left takes its
        place and waits to be shown: its clock starts then.
        """
        ahead = self.steps[self.index :]
        kept = [step for step in ahead if step["code"] not in codes]
        if len(kept) == len(ahead):
            return self
        if not kept:
            return None
        steps = [*self.steps[: self.index], *kept]
        renumbered = [{**step, "number": n, "total": len(steps)} for n, step in enumerate(steps, start=1)]
        if kept[0] is ahead[0]:
            return replace(self, steps=renumbered)
        return replace(self, steps=renumbered, started_at=None, paused_left=None)

    @property
    def codes_ahead(self) -> list[str]:
        """The points of the current step and those after it, once each, in order."""
        return list(dict.fromkeys(step["code"] for step in self.steps[self.index :]))

    def pause(self, now: float) -> RoutineState:
        return self if self.paused else replace(self, paused_left=self.seconds_left(now))

    def resume(self, now: float) -> RoutineState:
        """Carry on with the time that was left when paused."""
        if self.paused_left is None:
            return self
        return replace(self, started_at=now - (self.hold_seconds() - self.paused_left), paused_left=None)

    def reminder_name(self, conversation_id: str) -> str:
        """Unique per conversation and step, so a stale reminder never fires for a newer step."""
        return f"amma-step-{conversation_id}-{self.index}-{int((self.started_at or 0) * 1000)}"

    def pending_reminder(self, conversation_id: str) -> str | None:
        """The name of the "time's up" waiting for this hold: only a running hold has one."""
        return self.reminder_name(conversation_id) if self.running else None


@dataclass(frozen=True)
class Rescreened:
    """A routine screened again against the latest answers: what is left of it (None:
    nothing safe from here on) and the points that came out, with why."""

    state: RoutineState | None
    left_out: tuple[LeftOut, ...]


def rescreen(state: RoutineState, screening: Screening, answers: Mapping[str, Any], kb: KnowledgeBase) -> Rescreened:
    """The steps from the current one on, filtered again with the answers as they are
    now: an answer given mid-routine ("oh, I'm pregnant") takes effect at the next
    step, never after it."""
    checked = screening.filter_routine([kb.points[code] for code in state.codes_ahead], answers, kb)
    return Rescreened(state.without({item.point.code for item in checked.left_out}), checked.left_out)


def reminder_to_cancel(before: RoutineState, after: RoutineState | None, conversation_id: str) -> str | None:
    """The "time's up" pending for ``before``'s hold that ``after`` no longer has (its
    step was left out, or the routine ended)."""
    pending = before.pending_reminder(conversation_id)
    kept = after.pending_reminder(conversation_id) if after else None
    return pending if pending and pending != kept else None


def now() -> float:
    return time.time()


_NUMBER_WORDS = {
    "zero": 0,
    "none": 0,
    "nothing": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


def parse_rating(text: str | None) -> int | None:
    """A 0-10 rating from "6", "about a 4", "7/10", "3 out of 10", "zero" or "ten"."""
    if not text:
        return None
    lowered = text.lower()
    match = re.search(r"(?<![\d.])(10|[0-9])(?:\.\d)?(?:\s*(?:/|out of|of)\s*10)?(?![\d])", lowered)
    if match:
        return int(match.group(1))
    for word, value in _NUMBER_WORDS.items():
        if re.search(rf"\b{word}\b", lowered):
            return value
    return None


def last_rated(history: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The most recent routine rated both before and after, from the rating history."""
    for entry in reversed(list(history or [])):
        if entry.get("before") is not None and entry.get("after") is not None:
            return entry
    return None
