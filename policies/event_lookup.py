"""Rasa finds an event's class by its name by walking every subclass of Event
(and checking each for abstract methods) once per event it reads: every message
re-reads the conversation from the tracker store, so this was 5% of the Rasa
server's time under load (py-spy, 2026-11-29). The classes don't change once
imported, so each name's class is looked up once and kept. Same answers: an
unknown name still raises or falls back to the default, and is not kept.
Rasa's server imports this package with the model, which installs the lookup.
"""

from __future__ import annotations

from typing import Dict, Optional, Text, Type

from rasa.shared.core.events import Event

_resolve_by_walking = Event.resolve_by_type
_known: Dict[Text, Type[Event]] = {}


def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    known = _known.get(type_name)
    if known is not None:
        return known
    found = _resolve_by_walking(type_name, default)
    if found is not None and found is not default:
        _known[type_name] = found
    return found


Event.resolve_by_type = staticmethod(resolve_by_type)
