"""policies/event_lookup.py gives the same classes as Rasa's own lookup."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses

import policies.event_lookup as lookup


def test_every_event_name_resolves_to_the_same_class_as_before():
    for cls in all_subclasses(Event):
        assert Event.resolve_by_type(cls.type_name) is lookup._resolve_by_walking(cls.type_name)
    assert Event.resolve_by_type("slot") is SlotSet and Event.resolve_by_type("user") is UserUttered


def test_an_unknown_name_still_fails_or_falls_back_and_is_not_kept():
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", default=ActionExecuted) is ActionExecuted
    assert "no_such_event" not in lookup._known
    events = Event.from_parameters({"event": "slot", "name": "is_pregnant", "value": True})
    assert events == SlotSet("is_pregnant", True)
