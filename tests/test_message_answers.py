"""policies/message_answers.py: the Rasa server reads screening facts from every
message itself, through Rasa's own action_extract_slots, with no action server."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

import policies  # noqa: F401  (installs the reading, as the Rasa server does)
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(ROOT / "domain.yml"))


def extract(domain, text, intent, slots=None):
    tracker = DialogueStateTracker.from_events("unit", [ActionExecuted("action_listen")], slots=domain.slots)
    for slot, value in (slots or {}).items():
        tracker.update(SlotSet(slot, value))
    tracker.update(UserUttered(text, {"name": intent, "confidence": 0.99}))
    # No action endpoint at all: a call to the action server would fail here.
    action = ActionExtractSlots(action_endpoint=None)
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    return asyncio.run(action.run(CollectingOutputChannel(), nlg, tracker, domain))


def test_a_volunteered_pregnancy_is_set_by_the_rasa_server_alone(domain):
    assert SlotSet("is_pregnant", True) in extract(
        domain, "I'm 20 weeks pregnant and have a headache", "symptom_headache"
    )


def test_a_later_no_does_not_overwrite_a_yes(domain):
    # The yes is set again (so the form counts the message); the bot then asks to confirm.
    events = extract(domain, "I'm not pregnant", "inform_health_condition", {"is_pregnant": True})
    assert SlotSet("is_pregnant", True) in events and SlotSet("is_pregnant", False) not in events


def test_an_ordinary_message_sets_nothing(domain):
    assert [
        e for e in extract(domain, "my neck is stiff", "symptom_neck_shoulder_tension") if isinstance(e, SlotSet)
    ] == []


def test_a_red_flag_message_sets_nothing(domain):
    events = extract(domain, "I'm pregnant and bleeding heavily", "red_flag_emergency")
    assert [e for e in events if isinstance(e, SlotSet)] == []


def test_a_correction_answers_no_question(domain):
    """Asked "Are you pregnant?" during a headache's screening, "no, it's my tooth, not a
    headache" says nothing about a pregnancy: the bot misread the symptom."""
    asked = {"symptom": "headache", "requested_slot": "is_pregnant"}
    events = extract(domain, "no, it's my tooth, not a headache", "deny", asked)
    assert [e for e in events if isinstance(e, SlotSet)] == []
    assert SlotSet("is_pregnant", False) in extract(domain, "no", "deny", asked)  # the plain answer counts
    # What a correction volunteers still counts.
    volunteered = extract(domain, "it's not a headache, I'm pregnant and my tooth hurts", "deny", asked)
    assert SlotSet("is_pregnant", True) in volunteered
