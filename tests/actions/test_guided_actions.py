"""Guided routine actions: start, ratings, every control, the timer, persistence in slots."""

from __future__ import annotations

import datetime as dt

import pytest
from rasa_sdk.events import ActiveLoop, FollowupAction

import actions.guided_actions as guided
from amma.guided_session import RoutineState
from amma.names import Intent, Slot
from tests.actions.trackers import ALL_CLEAR, make_tracker, responses, run_action, texts

T0 = 10_000.0


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """A clock the tests move by hand."""
    moment = {"now": T0}
    monkeypatch.setattr(guided, "now", lambda: moment["now"])
    monkeypatch.delenv("AMMA_TIME_SCALE", raising=False)
    return moment


def slot_value(events, name):
    return next(e["value"] for e in reversed(events) if e.get("event") == "slot" and e.get("name") == name)


def start(symptom="headache", **slots):
    """Run start + before-rating; return the routine state the person is in."""
    tracker = make_tracker("yes", Intent.AFFIRM, {**ALL_CLEAR, Slot.SYMPTOM: symptom, **slots})
    _, events = run_action(guided.ActionStartRoutine(), tracker)
    state = slot_value(events, Slot.ROUTINE_STATE)
    messages, events = run_action(
        guided.ActionRecordRating(),
        make_tracker(
            "6", None, {**ALL_CLEAR, Slot.SYMPTOM: symptom, Slot.ROUTINE_STATE: state, Slot.SYMPTOM_RATING: 6}
        ),
    )
    return messages, events


def control(intent, state_slot, text="", **slots):
    """Say a control; the screening answers are those the routine was started with (all clear) unless given."""
    tracker = make_tracker(text or intent, intent, {**ALL_CLEAR, Slot.ROUTINE_STATE: state_slot, **slots})
    return run_action(guided.ActionRoutineControl(), tracker)


def test_start_builds_steps_from_the_screened_routine_only(kb):
    tracker = make_tracker("yes", Intent.AFFIRM, {**ALL_CLEAR, Slot.SYMPTOM: "headache", "is_pregnant": True})
    messages, events = run_action(guided.ActionStartRoutine(), tracker)
    state = RoutineState.from_slot(slot_value(events, Slot.ROUTINE_STATE))
    assert "LI4" not in {s["code"] for s in state.steps}
    assert state.started_at is None  # the clock starts after the before-rating
    assert "presses, one at a time" in texts(messages)


def test_before_rating_starts_step_one_with_timer_and_reminder(kb):
    messages, events = start()
    assert slot_value(events, Slot.RATING_BEFORE) == 6
    first = texts(messages)
    assert first.startswith("Step 1 of ") and "GB20 (Fengchi), the left side of your neck" in first
    assert kb.points["GB20"].location in first and f"hold for {kb.points['GB20'].hold_seconds} seconds" in first
    timer = next(m["custom"]["data"] for m in messages if m.get("custom"))
    assert timer["timer"]["step"] == 1 and timer["timer"]["point"] == "GB20" and timer["timer"]["side"] == "left"
    reminder = next(e for e in events if e["event"] == "reminder")
    assert reminder["intent"] == "EXTERNAL_step_timer_elapsed" and reminder["kill_on_user_msg"] is False


def running_state():
    _, events = start()
    return slot_value(events, Slot.ROUTINE_STATE)


def test_done_too_early_says_how_long_is_left(clock):
    state = running_state()
    clock["now"] = T0 + 10
    messages, events = control(Intent.ROUTINE_DONE, state)
    assert "still got about" in texts(messages) and "seconds" in texts(messages)
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/routine_time_left", "/routine_next"]
    assert not any(e.get("name") == "routine_state" for e in events)


def test_done_after_the_hold_moves_on_and_cancels_the_old_timer(clock, kb):
    state = running_state()
    clock["now"] = T0 + kb.points["GB20"].hold_seconds
    messages, events = control(Intent.ROUTINE_DONE, state)
    assert texts(messages).startswith("Step 2 of") and "right side of your neck" in texts(messages)
    assert any(e["event"] == "cancel_reminder" for e in events)
    assert any(e["event"] == "reminder" for e in events)


def test_next_moves_on_at_once(clock):
    messages, _ = control(Intent.ROUTINE_NEXT, running_state())
    assert texts(messages).startswith("Step 2 of")


def test_repeat_back_and_restart(clock):
    state = running_state()
    assert texts(control(Intent.ROUTINE_REPEAT, state)[0]).startswith("Step 1 of")
    back = control(Intent.ROUTINE_BACK, state)[0]
    assert "first step" in texts(back) and "Step 1 of" in texts(back)
    _, events = control(Intent.ROUTINE_NEXT, state)
    second = slot_value(events, Slot.ROUTINE_STATE)
    assert texts(control(Intent.ROUTINE_BACK, second)[0]).startswith("Step 1 of")
    assert "Starting again" in texts(control(Intent.ROUTINE_RESTART, second)[0])


def test_skip_passes_both_sides(clock):
    messages, _ = control(Intent.ROUTINE_SKIP, running_state())
    assert "skipping GB20" in texts(messages) and "GB20" not in texts(messages).split("Step ")[1].split("\n")[0]


def test_pause_and_resume_keep_the_time_left(clock):
    state = running_state()
    clock["now"] = T0 + 20
    messages, events = control(Intent.ROUTINE_PAUSE, state)
    paused = slot_value(events, Slot.ROUTINE_STATE)
    assert "Paused, with" in texts(messages)
    clock["now"] = T0 + 500
    left = texts(control(Intent.ROUTINE_TIME_LEFT, paused)[0])
    assert "(paused)" in left
    resumed = texts(control(Intent.ROUTINE_RESUME, paused)[0])
    assert "seconds that were left" in resumed


def test_time_left(clock, kb):
    state = running_state()
    clock["now"] = T0 + 15
    assert f"About {kb.points['GB20'].hold_seconds - 15} seconds left" in texts(
        control(Intent.ROUTINE_TIME_LEFT, state)[0]
    )


def test_where_repeats_the_location_without_moving(clock, kb):
    messages, events = control(Intent.ASK_POINT_LOCATION, running_state())
    assert kb.points["GB20"].location in texts(messages)
    assert not any(e.get("name") == "routine_state" for e in events)


def test_stop_ends_and_cancels_then_start_again_works(clock):
    messages, events = control(Intent.ROUTINE_STOP, running_state())
    assert "stopped the routine" in texts(messages)
    assert any(e["event"] == "cancel_reminder" for e in events)
    stopped = slot_value(events, Slot.ROUTINE_STATE)
    assert "no routine running" in texts(control(Intent.ROUTINE_NEXT, stopped)[0])
    assert texts(control(Intent.ROUTINE_RESTART, stopped)[0]).startswith("Starting again")


def test_last_step_finishes_and_asks_for_the_after_rating(clock):
    state = RoutineState.from_slot(running_state())
    last = state._at(len(state.steps) - 1, T0).to_slot()
    messages, events = control(Intent.ROUTINE_NEXT, last)
    assert "last step" in texts(messages)
    assert FollowupAction("rating_form") in events


def test_after_rating_reports_the_change_and_keeps_history(clock):
    finished = {**RoutineState.from_slot(running_state()).to_slot(), "finished": True}
    tracker = make_tracker(
        "3",
        None,
        {
            **ALL_CLEAR,
            Slot.ROUTINE_STATE: finished,
            Slot.SYMPTOM_RATING: 3,
            Slot.RATING_BEFORE: 6,
            Slot.RATING_HISTORY: [],
        },
    )
    messages, events = run_action(guided.ActionRecordRating(), tracker)
    assert "went from 6 to 3" in texts(messages) and responses(messages) == ["utter_offer_more"]
    history = slot_value(events, Slot.RATING_HISTORY)
    assert history[-1]["before"] == 6 and history[-1]["after"] == 3 and history[-1]["symptom"] == "headache"
    assert slot_value(events, Slot.ROUTINE_STATE) is None


def test_worse_after_says_stop_and_see_someone(clock):
    finished = {**RoutineState.from_slot(running_state()).to_slot(), "finished": True}
    tracker = make_tracker("8", None, {Slot.ROUTINE_STATE: finished, Slot.SYMPTOM_RATING: 8, Slot.RATING_BEFORE: 5})
    assert "stop pressing" in texts(run_action(guided.ActionRecordRating(), tracker)[0])


def test_controls_without_a_routine_explain_and_close_any_form():
    messages, events = control(Intent.ROUTINE_NEXT, None)
    assert "no routine running" in texts(messages) and ActiveLoop(None) in events


def test_how_long_without_a_routine_gives_the_hold_time_advice():
    messages, events = control(Intent.ROUTINE_TIME_LEFT, None, "how long do I keep pressing")
    assert responses(messages) == ["utter_faq/how_long_to_press"] and ActiveLoop(None) in events


def test_timer_elapsed_says_times_up_only_for_a_running_step(clock):
    state = running_state()
    assert "Time's up. Release slowly." in texts(
        run_action(guided.ActionStepTimerElapsed(), make_tracker(slots={Slot.ROUTINE_STATE: state}))[0]
    )
    _, events = control(Intent.ROUTINE_PAUSE, state)
    paused = slot_value(events, Slot.ROUTINE_STATE)
    assert run_action(guided.ActionStepTimerElapsed(), make_tracker(slots={Slot.ROUTINE_STATE: paused}))[0] == []


# ---------------------------------------------------------------- the "time's up" reminder of every control
# The headache routine (nothing screened out): GB20 left, GB20 right (60 s each),
# Taiyang left and right (45 s), LI4, BL2, GV20. Step 1 started at T0 (10 000 s).
# A reminder is named amma-step-<conversation>-<step index>-<hold start in ms>;
# "fires in" counts seconds from the moment the control is said.
FIRST_HOLD = "amma-step-unit-test-0-10000000"

# control, seconds into step 1 when it is said, paused 20 s in?, reminders cancelled, (reminder scheduled, fires in)
REMINDERS = [
    # Running, 20 s into the 60 s hold (40 s left).
    (Intent.ROUTINE_NEXT, 20, False, [FIRST_HOLD], ("amma-step-unit-test-1-10020000", 60)),
    (Intent.ROUTINE_DONE, 20, False, [], None),  # too early: the hold and its reminder carry on
    (Intent.ROUTINE_DONE, 58, False, [FIRST_HOLD], ("amma-step-unit-test-1-10058000", 60)),  # 2 s left counts as done
    (Intent.ROUTINE_REPEAT, 20, False, [FIRST_HOLD], ("amma-step-unit-test-0-10020000", 60)),
    (Intent.ROUTINE_BACK, 20, False, [FIRST_HOLD], ("amma-step-unit-test-0-10020000", 60)),  # nothing before step 1
    (Intent.ROUTINE_SKIP, 20, False, [FIRST_HOLD], ("amma-step-unit-test-2-10020000", 45)),  # both GB20 sides: Taiyang
    (Intent.ROUTINE_PAUSE, 20, False, [FIRST_HOLD], None),
    (Intent.ROUTINE_RESUME, 20, False, [FIRST_HOLD], ("amma-step-unit-test-0-10020000", 60)),  # not paused: hold again
    (Intent.ROUTINE_TIME_LEFT, 20, False, [], None),
    (Intent.ASK_POINT_LOCATION, 20, False, [], None),
    (Intent.ROUTINE_STOP, 20, False, [FIRST_HOLD], None),
    (Intent.ROUTINE_RESTART, 20, False, [FIRST_HOLD], ("amma-step-unit-test-0-10020000", 60)),
    (Intent.ROUTINE_TIME_LEFT, 70, False, [], None),  # time's up already: nothing to move
    # Paused 20 s in (40 s left, its reminder cancelled then), the control said at 500 s.
    (Intent.ROUTINE_RESUME, 500, True, [], ("amma-step-unit-test-0-10480000", 40)),
    (Intent.ROUTINE_NEXT, 500, True, [], ("amma-step-unit-test-1-10500000", 60)),
    (Intent.ROUTINE_DONE, 500, True, [], ("amma-step-unit-test-1-10500000", 60)),
    (Intent.ROUTINE_REPEAT, 500, True, [], ("amma-step-unit-test-0-10500000", 60)),
    (Intent.ROUTINE_BACK, 500, True, [], ("amma-step-unit-test-0-10500000", 60)),
    (Intent.ROUTINE_SKIP, 500, True, [], ("amma-step-unit-test-2-10500000", 45)),
    (Intent.ROUTINE_PAUSE, 500, True, [], None),
    (Intent.ROUTINE_TIME_LEFT, 500, True, [], None),
    (Intent.ASK_POINT_LOCATION, 500, True, [], None),
    (Intent.ROUTINE_STOP, 500, True, [], None),
    (Intent.ROUTINE_RESTART, 500, True, [], ("amma-step-unit-test-0-10500000", 60)),
]


def reminder_events(events):
    """(names cancelled, [(name scheduled, when it fires)]) among the events."""
    cancelled = [e["name"] for e in events if e["event"] == "cancel_reminder"]
    scheduled = [(e["name"], e["date_time"]) for e in events if e["event"] == "reminder"]
    return cancelled, scheduled


def fires_at(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds).isoformat()


def test_every_control_has_a_row_in_the_reminder_table():
    assert {row[0] for row in REMINDERS} == set(guided.CONTROLS)


@pytest.mark.parametrize(
    "intent, at, paused, cancelled, scheduled",
    REMINDERS,
    ids=[f"{r[0]}@{r[1]}{'-paused' if r[2] else ''}" for r in REMINDERS],
)
def test_each_control_cancels_and_schedules_exactly_the_right_reminders(
    clock, intent, at, paused, cancelled, scheduled
):
    state = running_state()
    if paused:
        clock["now"] = T0 + 20
        state = slot_value(control(Intent.ROUTINE_PAUSE, state)[1], Slot.ROUTINE_STATE)
    clock["now"] = T0 + at
    _, events = control(intent, state)
    expected = [(scheduled[0], fires_at(T0 + at + scheduled[1]))] if scheduled else []
    assert reminder_events(events) == (cancelled, expected)


def test_the_first_hold_is_scheduled_when_the_before_rating_is_given():
    _, events = start()
    assert reminder_events(events) == ([], [(FIRST_HOLD, fires_at(T0 + 60))])


def test_a_control_before_the_rating_starts_the_first_hold_with_nothing_to_cancel(clock):
    tracker = make_tracker("yes", Intent.AFFIRM, {**ALL_CLEAR, Slot.SYMPTOM: "headache"})
    waiting = slot_value(run_action(guided.ActionStartRoutine(), tracker)[1], Slot.ROUTINE_STATE)
    clock["now"] = T0 + 5
    assert reminder_events(control(Intent.ROUTINE_NEXT, waiting)[1]) == (
        [],
        [("amma-step-unit-test-0-10005000", fires_at(T0 + 5 + 60))],
    )
    assert reminder_events(control(Intent.ROUTINE_STOP, waiting)[1]) == ([], [])


def test_the_last_step_cancels_its_reminder_and_schedules_none(clock):
    state = RoutineState.from_slot(running_state())
    last = state._at(len(state.steps) - 1, T0).to_slot()  # GV20, step 9 of 9 (index 8)
    clock["now"] = T0 + 30
    assert reminder_events(control(Intent.ROUTINE_NEXT, last)[1]) == (["amma-step-unit-test-8-10000000"], [])


# ---------------------------------------------------------------- an answer that changes mid-routine
# The headache routine for someone pregnant, written out by hand: LI4 is left out.
PREGNANT_HEADACHE_STEPS = [
    ("GB20", "left"),
    ("GB20", "right"),
    ("Taiyang", "left"),
    ("Taiyang", "right"),
    ("BL2", "left"),
    ("BL2", "right"),
    ("GV20", None),
]
LI4_LEFT_OUT = (
    "Going by what you've told me, I've taken these out of your routine:\n"
    "- LI4 (Hegu): traditionally avoided during pregnancy; ask your midwife or doctor before trying acupressure"
)


def walk_with_next(state, **slots):
    """(code, side) of every step shown by saying "next" until the routine finishes."""
    shown = []
    while True:
        messages, events = control(Intent.ROUTINE_NEXT, state, **slots)
        if FollowupAction("rating_form") in events:
            return shown
        timer = next(m["custom"]["data"]["timer"] for m in messages if m.get("custom"))
        shown.append((timer["point"], timer["side"]))
        state = slot_value(events, Slot.ROUTINE_STATE)


def test_im_pregnant_after_step_one_takes_li4_out_at_once_and_next_never_reaches_it(clock):
    from actions.screening_actions import ActionAcknowledgeCondition
    from tests.actions.trackers import user_turn

    state = running_state()  # step 1 of 9, GB20 left
    told = user_turn("oh, I'm pregnant", "inform_health_condition", {**ALL_CLEAR, Slot.ROUTINE_STATE: state})
    messages, events = run_action(ActionAcknowledgeCondition(), told)
    assert [m["text"] for m in messages] == [
        "Thanks for telling me. I'll leave out points that aren't advised with pregnancy.",
        LI4_LEFT_OUT,
        'Say "next" when you\'re ready to carry on, or "stop" to end the routine.',
    ]
    now_state = slot_value(events, Slot.ROUTINE_STATE)
    assert [(s["code"], s["side"]) for s in now_state["steps"]] == PREGNANT_HEADACHE_STEPS
    assert not any(e["event"] == "cancel_reminder" for e in events)  # GB20's hold goes on
    assert [("GB20", "left"), *walk_with_next(now_state, is_pregnant=True)] == PREGNANT_HEADACHE_STEPS


def test_a_control_screens_again_even_if_nobody_acknowledged_the_answer(clock):
    messages, events = control(Intent.ROUTINE_NEXT, running_state(), is_pregnant=True)
    assert messages[0]["text"] == LI4_LEFT_OUT
    assert texts(messages).split("\n")[2].startswith("Step 2 of 7: GB20 (Fengchi), the right side of your neck")


def test_when_the_current_step_is_left_out_its_timer_goes_and_the_next_safe_one_is_shown(clock):
    at_li4 = RoutineState.from_slot(running_state())._at(4, T0)  # step 5 of 9, LI4 left, holding
    messages, events = control(Intent.ROUTINE_DONE, at_li4.to_slot(), is_pregnant=True)
    assert messages[0]["text"] == LI4_LEFT_OUT
    assert "Step 5 of 7: BL2 (Zanzhu), the left side of your face" in texts(messages)
    cancelled, scheduled = reminder_events(events)
    assert cancelled == ["amma-step-unit-test-4-10000000"]
    assert scheduled == [("amma-step-unit-test-4-10000000", fires_at(T0 + 45))]  # BL2's own hold


def test_start_again_screens_the_whole_routine_again(clock):
    stopped = slot_value(control(Intent.ROUTINE_STOP, running_state())[1], Slot.ROUTINE_STATE)
    messages, events = control(Intent.ROUTINE_RESTART, stopped, is_pregnant=True)
    assert [m["text"].split("\n")[0] for m in messages if m.get("text")][:3] == [
        LI4_LEFT_OUT.split("\n")[0],
        "Starting again from the first press.",
        "Step 1 of 7: GB20 (Fengchi), the left side of your neck.",
    ]
    restarted = slot_value(events, Slot.ROUTINE_STATE)
    assert [(s["code"], s["side"]) for s in restarted["steps"]] == PREGNANT_HEADACHE_STEPS


def test_resume_screens_again(clock):
    paused = slot_value(control(Intent.ROUTINE_PAUSE, running_state())[1], Slot.ROUTINE_STATE)
    messages, events = control(Intent.ROUTINE_RESUME, paused, is_pregnant=True)
    assert messages[0]["text"] == LI4_LEFT_OUT and "Step 1 of 7" in texts(messages)


def test_the_first_step_after_the_before_rating_is_screened_again(clock):
    tracker = make_tracker("yes", Intent.AFFIRM, {**ALL_CLEAR, Slot.SYMPTOM: "headache"})
    waiting = slot_value(run_action(guided.ActionStartRoutine(), tracker)[1], Slot.ROUTINE_STATE)
    rated = make_tracker(
        "6", None, {**ALL_CLEAR, "is_pregnant": True, Slot.ROUTINE_STATE: waiting, Slot.SYMPTOM_RATING: 6}
    )
    messages, events = run_action(guided.ActionRecordRating(), rated)
    assert messages[0]["text"] == LI4_LEFT_OUT and "Step 1 of 7" in texts(messages)


def test_when_nothing_safe_is_left_the_routine_ends(clock, kb):
    state = running_state()
    hands_everywhere = {"has_skin_problem": True, Slot.PROBLEM_AREAS: ["neck", "face", "hand", "head"]}
    messages, events = control(Intent.ROUTINE_NEXT, state, **hands_everywhere)
    assert "stopped it here" in texts(messages) and "Step" not in texts(messages)
    assert slot_value(events, Slot.ROUTINE_STATE) is None
    assert reminder_events(events) == ([FIRST_HOLD], [])
