"""Screening facts are read from every message inside the Rasa server (issue 14.5).

Rasa runs action_extract_slots before each turn. It used to call the action
server's action_validate_slot_mappings for that, with the whole conversation
rebuilt and sent as JSON: the one call to the action server that every message
made, whatever it said. The reading is plain Python (amma/message_answers.py),
so here it runs where the tracker already is, after Rasa's own slot mappings,
and a fact such as "I'm pregnant" is kept even while the action server is down.
Rasa's server imports this package with the model, which installs the reading.
"""

from __future__ import annotations

from typing import Any, List

from rasa.core.actions.action import ActionExtractSlots
from rasa.shared.core.events import Event, SlotSet

from amma.message_answers import slots_to_set

_extract_with_mappings = ActionExtractSlots.run


def answers_in(tracker: Any, mapped: List[Event]) -> List[Event]:
    """Rasa's mapped slot events with what the latest message answers on top."""
    latest = tracker.latest_message
    if latest is None:
        return mapped
    slots = dict(tracker.current_slot_values())
    slots.update({event.key: event.value for event in mapped if isinstance(event, SlotSet)})
    answers = slots_to_set(latest.parse_data, slots)
    kept = [event for event in mapped if not (isinstance(event, SlotSet) and event.key in answers)]
    return kept + [SlotSet(slot, value) for slot, value in answers.items()]


async def extract_slots(
    self: ActionExtractSlots, output_channel: Any, nlg: Any, tracker: Any, domain: Any
) -> List[Event]:
    return answers_in(tracker, await _extract_with_mappings(self, output_channel, nlg, tracker, domain))


ActionExtractSlots.run = extract_slots
