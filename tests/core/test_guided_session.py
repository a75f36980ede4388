"""The step engine: sides, order, durations, moves at both ends, pause, persistence."""

from __future__ import annotations

import pytest

from amma.guided_session import (
    RoutineState,
    build_steps,
    last_rated,
    parse_rating,
    time_scale,
)


@pytest.fixture
def points(kb):
    return [kb.points["GB20"], kb.points["GV20"], kb.points["LI4"]]  # bilateral, midline, bilateral


def test_one_step_per_point_and_side_in_routine_order(points):
    steps = build_steps(points)
    assert [(s.code, s.side) for s in steps] == [
        ("GB20", "left"),
        ("GB20", "right"),
        ("GV20", None),
        ("LI4", "left"),
        ("LI4", "right"),
    ]
    assert [s.number for s in steps] == [1, 2, 3, 4, 5] and {s.total for s in steps} == {5}
    assert [s.seconds for s in steps] == [points[0].hold_seconds] * 2 + [points[1].hold_seconds] + [
        points[2].hold_seconds
    ] * 2


def test_timer_payload_carries_what_a_widget_needs(points):
    payload = build_steps(points)[0].timer_payload(59.6)
    assert payload == {"data": {"timer": {"seconds": 60, "step": 1, "total": 5, "point": "GB20", "side": "left"}}}


def started(points, at=1000.0):
    return RoutineState.start("headache", build_steps(points), now=at)


def test_next_and_back_move_and_restart_the_clock(points):
    state = started(points)
    second = state.next(1010.0)
    assert second.index == 1 and second.started_at == 1010.0
    assert second.back(1020.0).index == 0
    assert state.back(1020.0).index == 0  # the first step has nothing before it


def test_next_after_the_last_step_finishes(points):
    state = started(points)
    for moment in range(5):
        state = state.next(2000.0 + moment)
    assert state.finished


def test_skip_passes_every_side_of_the_point(points):
    assert started(points).skip_point(1001.0).step.code == "GV20"
    at_li4 = started(points)._at(3, 1000.0)
    skipped = at_li4.skip_point(1001.0)
    assert skipped.finished and skipped.skipped == ["LI4"]


def test_seconds_left_pause_and_resume(points, monkeypatch):
    monkeypatch.delenv("AMMA_TIME_SCALE", raising=False)
    hold = points[0].hold_seconds
    state = started(points, at=1000.0)
    assert state.seconds_left(1010.0) == hold - 10
    assert not state.hold_is_over(1010.0) and state.hold_is_over(1000.0 + hold - 1)
    paused = state.pause(1020.0)
    assert paused.paused and paused.seconds_left(5000.0) == hold - 20  # time stands still while paused
    resumed = paused.resume(5000.0)
    assert not resumed.paused and resumed.seconds_left(5000.0) == hold - 20


def test_repeat_and_restart(points):
    state = started(points).next(1005.0).skip_point(1006.0)
    assert state.repeat(1100.0).started_at == 1100.0
    again = state.restart(1200.0)
    assert again.index == 0 and not again.finished and again.skipped == []


def test_state_survives_the_slot_round_trip(points):
    state = started(points).next(1005.0).pause(1010.0)
    assert RoutineState.from_slot(state.to_slot()) == state
    assert RoutineState.from_slot(None) is None and RoutineState.from_slot({"steps": []}) is None


def test_reminder_names_differ_per_conversation_and_step(points):
    state = started(points)
    assert state.reminder_name("a") != state.reminder_name("b")
    assert state.reminder_name("a") != state.next(1001.0).reminder_name("a")


def test_time_scale_shortens_holds_for_tests(points, monkeypatch):
    monkeypatch.setenv("AMMA_TIME_SCALE", "0.1")
    assert time_scale() == 0.1
    assert started(points).seconds_left(1000.0) == pytest.approx(points[0].hold_seconds * 0.1)
    monkeypatch.setenv("AMMA_TIME_SCALE", "fast")
    assert time_scale() == 1.0


@pytest.mark.parametrize(
    "text, expected",
    [
        ("6", 6),
        ("about a 4", 4),
        ("7/10", 7),
        ("3 out of 10", 3),
        ("ten", 10),
        ("zero, it's gone", 0),
        ("10", 10),
        ("no idea", None),
        ("", None),
    ],
)
def test_parse_rating(text, expected):
    assert parse_rating(text) == expected


def test_the_last_routine_rated_before_and_after():
    history = [
        {"symptom_name": "headache", "before": 7, "after": 4},
        {"symptom_name": "stress", "before": 5, "after": None},
    ]
    assert last_rated(history) == history[0]
    assert last_rated([]) is None


def test_only_a_hold_under_way_is_running(points):
    waiting = RoutineState.start("headache", build_steps(points), now=None)
    assert not waiting.running  # the clock starts after the before-rating
    assert started(points).running
    assert not started(points).pause(1010.0).running
    assert started(points).pause(1010.0).resume(1020.0).running
    assert not started(points)._at(4, 1000.0).next(1001.0).running  # finished


# ---------------------------------------------------------------- screening again mid-routine
# The fixture routine: GB20 left (1), GB20 right (2), GV20 (3), LI4 left (4), LI4 right (5).
def sides(state):
    return [(s["number"], s["total"], s["code"], s["side"]) for s in state.steps]


def test_leaving_out_later_steps_renumbers_them_and_keeps_the_hold(points):
    state = started(points)  # at GB20 left, holding since 1000
    after = state.without({"LI4"})
    assert sides(after) == [(1, 3, "GB20", "left"), (2, 3, "GB20", "right"), (3, 3, "GV20", None)]
    assert after.index == 0 and after.started_at == 1000.0 and after.running
    assert after.reminder_name("c") == state.reminder_name("c")  # the pending "time's up" still fits


def test_steps_already_done_stay_and_the_index_does_not_move(points):
    at_gv20 = started(points)._at(2, 1000.0)
    after = at_gv20.without({"GB20", "LI4"})
    assert sides(after) == [(1, 3, "GB20", "left"), (2, 3, "GB20", "right"), (3, 3, "GV20", None)]
    assert after.index == 2 and after.step.code == "GV20"


def test_when_the_current_step_goes_the_next_one_left_waits_to_be_shown(points):
    at_gv20 = started(points)._at(2, 1000.0).pause(1010.0)
    after = at_gv20.without({"GV20"})
    assert after.index == 2 and after.step.code == "LI4" and after.step.number == 3 and after.step.total == 4
    assert after.started_at is None and after.paused_left is None and not after.running


def test_nothing_left_ahead_is_none_and_nothing_to_leave_out_is_the_same_state(points):
    assert started(points)._at(3, 1000.0).without({"LI4"}) is None
    state = started(points)
    assert state.without({"SP6"}) is state and state.without(set()) is state


def test_rescreen_takes_out_what_the_answers_now_rule_out(kb, points):
    from amma.guided_session import reminder_to_cancel, rescreen
    from amma.screening import get_screening

    clear = {"is_pregnant": False, "has_skin_problem": False, "has_recent_injury": False}
    clear |= {"has_osteoporosis": False, "has_bleeding_risk": False}
    state = started(points)
    same = rescreen(state, get_screening(), clear, kb)
    assert same.state is state and same.left_out == ()
    pregnant = rescreen(state, get_screening(), {**clear, "is_pregnant": True}, kb)
    assert [x.point.code for x in pregnant.left_out] == ["LI4"]
    assert [s["code"] for s in pregnant.state.steps] == ["GB20", "GB20", "GV20"]
    assert reminder_to_cancel(state, pregnant.state, "c") is None  # GB20's hold goes on
    at_li4 = started(points)._at(3, 1000.0)
    gone = rescreen(at_li4, get_screening(), {**clear, "is_pregnant": True}, kb)
    assert gone.state is None and reminder_to_cancel(at_li4, gone.state, "c") == at_li4.reminder_name("c")
