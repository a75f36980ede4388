"""action_explain_point: a point by name or description, a choice, unknown points."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.point_actions import ActionExplainPoint
from amma.names import Entity, Intent, Slot
from tests.actions.trackers import make_tracker, run_action, texts, user_turn


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


# ---------------------------------------------------------------- a point the person's answers rule out
LI4_NOT_IN_PREGNANCY = (
    "From what you've told me, LI4 (Hegu) is not one for you to press: traditionally avoided during "
    "pregnancy; ask your midwife or doctor before trying acupressure."
)


def test_a_pregnant_person_hears_first_that_li4_is_not_for_them(kb):
    messages, _ = asked("where is LI4", ["LI4"], {"is_pregnant": True})
    assert messages[0]["text"] == LI4_NOT_IN_PREGNANCY
    assert messages[1]["text"].startswith("LI4 (Hegu), Large Intestine 4\nWhere:")
    assert "If you are pregnant or might be, skip LI4" not in texts(messages)  # said once, first


def test_pregnancy_said_in_the_same_message_counts(kb):
    tracker = user_turn("I'm 10 weeks pregnant, where is hegu?", Intent.ASK_POINT, {})
    tracker.latest_message["entities"] = [{"entity": Entity.POINT, "value": "LI4"}]
    messages, _ = run_action(ActionExplainPoint(), tracker)
    assert messages[0]["text"] == LI4_NOT_IN_PREGNANCY


def test_a_skin_problem_at_the_points_place_is_said_first(kb):
    messages, _ = asked("where is LI4", ["LI4"], {"has_skin_problem": True, Slot.PROBLEM_AREAS: ["hand"]})
    assert messages[0]["text"] == (
        "From what you've told me, LI4 (Hegu) is not one for you to press: it's on the hand, where you "
        "mentioned a skin problem or injury."
    )
    assert "If you are pregnant or might be, skip LI4" in texts(messages)  # pregnancy not asked yet


def test_a_problem_elsewhere_or_nothing_said_rules_nothing_out(kb):
    for slots in ({}, {"has_skin_problem": True, Slot.PROBLEM_AREAS: ["leg"]}, {"is_pregnant": False}):
        messages, _ = asked("where is LI4", ["LI4"], slots)
        assert messages[0]["text"].startswith("LI4 (Hegu), Large Intestine 4"), slots


def test_where_is_it_without_a_routine_respects_the_answers_too():
    from actions.guided_actions import ActionRoutineControl

    tracker = make_tracker("where is that one", Intent.ASK_POINT_LOCATION, {Slot.POINT: "LI4", "is_pregnant": True})
    messages, _ = run_action(ActionRoutineControl(), tracker)
    assert messages[0]["text"] == LI4_NOT_IN_PREGNANCY
