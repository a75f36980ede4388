"""action_explain_point: a point by name or description, a choice, unknown points."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.point_actions import ActionExplainPoint
from amma.names import Entity, Intent, Slot
from tests.actions.trackers import make_tracker, run_action, texts


def asked(text, codes=(), slots=None):
    tracker = make_tracker(text, Intent.ASK_POINT, slots)
    tracker.latest_message["entities"] = [{"entity": Entity.POINT, "value": c} for c in codes]
    return run_action(ActionExplainPoint(), tracker)


def test_answer_has_location_benefits_technique_hold_cautions_and_picture(kb):
    messages, events = asked("where is LI4", ["LI4"])
    shown = texts(messages)
    point = kb.points["LI4"]
    assert point.location in shown and point.technique in shown and "60 seconds on each side" in shown
    assert "traditionally used for" in shown and "If you are pregnant or might be, skip LI4" in shown
    assert messages[0]["image"].endswith("/points/LI4.svg")
    assert SlotSet(Slot.POINT, "LI4") in events


def test_description_without_a_name(kb):
    messages, _ = asked("the point on top of the foot between the big toe and second toe")
    assert kb.points["LV3"].location in texts(messages)


def test_ambiguous_description_offers_a_choice():
    messages, events = asked("the point between thumb and finger")
    assert "Which one?" in texts(messages) and len(messages[0]["buttons"]) >= 2
    assert events == []


def test_follow_up_question_uses_the_point_discussed_last(kb):
    messages, _ = asked("how long do I hold it?", slots={Slot.POINT: "PC6"})
    assert kb.points["PC6"].location in texts(messages)


def test_unknown_point_suggests_the_closest_names():
    messages, _ = asked("where is hegoo")
    assert "Did you mean LI4 (Hegu)?" in texts(messages)


def test_unknown_point_without_a_close_name_lists_the_known_points(kb):
    messages, _ = asked("where is the flurble point")
    shown = texts(messages)
    assert "I don't know that point yet" in shown and all(code in shown for code in kb.points)
