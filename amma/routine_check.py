"""A running routine screened again: what an answer given mid-routine changes.

Both the routine's controls and the acknowledgement of a volunteered condition
check the routine this way, so an answer takes effect at once, whichever of them
hears it. Plain values; the adapters turn them into events.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from amma.guided_session import RoutineState, reminder_to_cancel, rescreen
from amma.knowledge_base import get_knowledge_base
from amma.screening import get_screening
from amma.wording import get_wording


@dataclass(frozen=True)
class RoutineCheck:
    state: RoutineState | None  # what is left (None: nothing safe from here on)
    messages: tuple[str, ...]  # which points came out and why
    cancel_reminder: str | None  # the "time's up" of a hold that came out
    changed: bool  # store ``state`` in the routine_state slot

    @property
    def slot_value(self) -> dict[str, Any] | None:
        return self.state.to_slot() if self.state else None


def check_routine(state: RoutineState, answers: Mapping[str, Any], conversation_id: str) -> RoutineCheck:
    """``state`` screened again, from its current step on, with ``answers`` as they are now."""
    rescreened = rescreen(state, get_screening(), answers, get_knowledge_base())
    return RoutineCheck(
        rescreened.state,
        tuple(get_wording().rescreen_note(rescreened)),
        reminder_to_cancel(state, rescreened.state, conversation_id),
        bool(rescreened.left_out),
    )
