"""Actions of the guided, timed routine: start, rate, step controls, timer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, ReminderCancelled, ReminderScheduled, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from amma.guided_session import RoutineState, build_steps, now
from amma.knowledge_base import get_knowledge_base
from amma.names import Form, Intent, Slot
from amma.parse_data import intent_name
from amma.point_finder import answer_point_question
from amma.replies import Reply
from amma.routine_check import check_routine
from amma.screening import get_screening
from amma.wording import get_wording


def current_state(tracker: Tracker) -> RoutineState | None:
    return RoutineState.from_slot(tracker.get_slot(Slot.ROUTINE_STATE))


def say(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    dispatcher.utter_message(**reply.as_utterance())


def show_step(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    before: RoutineState | None,
    after: RoutineState,
    resumed: bool = False,
) -> list[EventType]:
    """Say the step, attach its timer, and move the "time's up" reminder from ``before``'s hold to this one."""
    words = get_wording()
    point = get_knowledge_base().points[after.step.code]
    left = after.seconds_left(now())
    buttons = (
        words.button("done", f"/{Intent.ROUTINE_DONE}"),
        words.button("pause", f"/{Intent.ROUTINE_PAUSE}"),
        words.button("stop", f"/{Intent.ROUTINE_STOP}"),
    )
    say(dispatcher, Reply(words.step_message(after.step, point, left if resumed else None), buttons))
    dispatcher.utter_message(json_message=after.step.timer_payload(left))
    return [
        *cancel_reminder(tracker, before),
        SlotSet(Slot.ROUTINE_STATE, after.to_slot()),
        *schedule_reminder(tracker, after),
    ]


def schedule_reminder(tracker: Tracker, state: RoutineState) -> list[EventType]:
    """The "time's up" for a running hold, due when the time left runs out."""
    if not state.running:
        return []
    moment = now()
    fire_at = dt.datetime.fromtimestamp(moment + state.seconds_left(moment))
    return [
        ReminderScheduled(
            Intent.STEP_TIMER_ELAPSED,
            trigger_date_time=fire_at,
            name=state.reminder_name(tracker.sender_id),
            kill_on_user_message=False,
        )
    ]


def cancel_reminder(tracker: Tracker, state: RoutineState | None) -> list[EventType]:
    """Cancels the pending "time's up": only a running hold has one (pause already cancelled it)."""
    name = state.pending_reminder(tracker.sender_id) if state else None
    return [ReminderCancelled(name=name)] if name else []


def screen_again(
    dispatcher: CollectingDispatcher, tracker: Tracker, state: RoutineState
) -> tuple[RoutineState | None, list[EventType]]:
    """The routine screened against the answers as they are now (amma/routine_check.py):
    says which points came out and why, cancels the "time's up" of a hold that is gone,
    and stores what is left (None when no safe point is left)."""
    check = check_routine(state, tracker.slots, tracker.sender_id)
    for message in check.messages:
        dispatcher.utter_message(text=message)
    cancelled = [ReminderCancelled(name=check.cancel_reminder)] if check.cancel_reminder else []
    return check.state, cancelled + ([SlotSet(Slot.ROUTINE_STATE, check.slot_value)] if check.changed else [])


def finish(
    dispatcher: CollectingDispatcher, tracker: Tracker, before: RoutineState, after: RoutineState
) -> list[EventType]:
    """After the last step: ask for the after-rating through the rating form."""
    dispatcher.utter_message(text=get_wording().say("guided.last_step"))
    return [
        *cancel_reminder(tracker, before),
        SlotSet(Slot.ROUTINE_STATE, after.to_slot()),
        SlotSet(Slot.SYMPTOM_RATING, None),
        FollowupAction(Form.RATING),
    ]


class ActionStartRoutine(Action):
    """Turns the screened routine into steps and asks for the before-rating."""

    def name(self) -> str:
        return "action_start_routine"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        kb = get_knowledge_base()
        words = get_wording()
        symptom = kb.symptoms.get(tracker.get_slot(Slot.SYMPTOM) or "")
        if symptom is None:
            dispatcher.utter_message(response="utter_ask_symptom")
            return [ActiveLoop(None)]
        routine = get_screening().safe_routine(kb, symptom.key, tracker.slots)
        if not routine.points:
            dispatcher.utter_message(text=words.say("routine.nothing_safe", symptom=symptom.name))
            return [ActiveLoop(None)]
        state = RoutineState.start(symptom.key, build_steps(routine.points), now=None)
        dispatcher.utter_message(text=words.say("guided.start", total=state.step.total))
        return [
            *cancel_reminder(tracker, current_state(tracker)),
            SlotSet(Slot.ROUTINE_STATE, state.to_slot()),
            SlotSet(Slot.SYMPTOM_RATING, None),
            SlotSet(Slot.RATING_BEFORE, None),
            SlotSet(Slot.RATING_AFTER, None),
        ]


class ActionRecordRating(Action):
    """Stores the before- or after-rating; starts the first step or reports the change."""

    def name(self) -> str:
        return "action_record_rating"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        state = current_state(tracker)
        rating = tracker.get_slot(Slot.SYMPTOM_RATING)
        if state is None:
            return [SlotSet(Slot.SYMPTOM_RATING, None)]
        if not state.finished:
            rated = [SlotSet(Slot.RATING_BEFORE, rating), SlotSet(Slot.SYMPTOM_RATING, None)]
            checked, changes = screen_again(dispatcher, tracker, state)
            if checked is None:
                return rated + changes
            return rated + changes + show_step(dispatcher, tracker, state, checked.start_clock(now()))
        symptom = get_knowledge_base().symptoms[state.symptom]
        before = tracker.get_slot(Slot.RATING_BEFORE)
        dispatcher.utter_message(text=get_wording().rating_report(symptom, before, rating))
        dispatcher.utter_message(response="utter_offer_more")
        entry = {
            "symptom": symptom.key,
            "symptom_name": symptom.name,
            "before": before,
            "after": rating,
            "date": dt.date.today().isoformat(),
            "skipped": state.skipped,
        }
        history = [*(tracker.get_slot(Slot.RATING_HISTORY) or []), entry][-20:]
        return [
            SlotSet(Slot.RATING_AFTER, rating),
            SlotSet(Slot.SYMPTOM_RATING, None),
            SlotSet(Slot.RATING_HISTORY, history),
            SlotSet(Slot.ROUTINE_STATE, None),
        ]


# ---------------------------------------------------------------- controls
# Each control returns its own reminder events: one that moves to another hold
# cancels the running hold's "time's up" and schedules the new one's; one that
# leaves the hold running (time left, where is it, an early "done") leaves its
# reminder alone, so it still fires.
Control = Callable[[CollectingDispatcher, Tracker, RoutineState], list[EventType]]


def _next(dispatcher: CollectingDispatcher, tracker: Tracker, state: RoutineState) -> list[EventType]:
    following = state.next(now())
    if following.finished:
        return finish(dispatcher, tracker, state, following)
    return show_step(dispatcher, tracker, state, following)


def _done(dispatcher: CollectingDispatcher, tracker: Tracker, state: RoutineState) -> list[EventType]:
    moment = now()
    if state.paused or state.hold_is_over(moment):
        return _next(dispatcher, tracker, state)
    words = get_wording()
    buttons = (
        words.button("keep_going", f"/{Intent.ROUTINE_TIME_LEFT}"),
        words.button("move_on", f"/{Intent.ROUTINE_NEXT}"),
    )
    say(dispatcher, Reply(words.say("guided.too_early", seconds=round(state.seconds_left(moment))), buttons))
    return []


def _repeat(dispatcher: CollectingDispatcher, tracker: Tracker, state: RoutineState) -> list[EventType]:
    return show_step(dispatcher, tracker, state, state.repeat(now()))


def _back(dispatcher: CollectingDispatcher, tracker: Tracker, state: RoutineState) -> list[EventType]:
    if state.index == 0:
        dispatcher.utter_message(text=get_wording().say("guided.first_step_again"))
    return show_step(dispatcher, tracker, state, state.back(now()))


def _skip(dispatcher: CollectingDispatcher, tracker: Tracker, state: RoutineState) -> list[EventType]:
    skipped = state.skip_point(now())
    dispatcher.utter_message(text=get_wording().say("guided.skipping", code=state.step.code))
    if skipped.finished:
        return finish(dispatcher, tracker, state, skipped)
    return show_step(dispatcher, tracker, state, skipped)


def _pause(dispatcher: CollectingDispatcher, tracker: Tracker, state: RoutineState) -> list[EventType]:
    words = get_wording()
    paused = state.pause(now())
    text = words.say("guided.paused", seconds=round(paused.seconds_left(now())))
    say(dispatcher, Reply(text, (words.button("resume", f"/{Intent.ROUTINE_RESUME}"),)))
    return [*cancel_reminder(tracker, state), SlotSet(Slot.ROUTINE_STATE, paused.to_slot())]


def _resume(dispatcher: CollectingDispatcher, tracker: Tracker, state: RoutineState) -> list[EventType]:
    if not state.paused:
        dispatcher.utter_message(text=get_wording().say("guided.not_paused"))
        return show_step(dispatcher, tracker, state, state.repeat(now()))
    return show_step(dispatcher, tracker, state, state.resume(now()), resumed=True)


def _time_left(dispatcher: CollectingDispatcher, tracker: Tracker, state: RoutineState) -> list[EventType]:
    words = get_wording()
    moment = now()
    if state.hold_is_over(moment) and not state.paused:
        dispatcher.utter_message(text=words.say("guided.hold_over"))
    else:
        key = "guided.time_left_paused" if state.paused else "guided.time_left"
        dispatcher.utter_message(text=words.say(key, seconds=round(state.seconds_left(moment))))
    return []


def _where(dispatcher: CollectingDispatcher, tracker: Tracker, state: RoutineState) -> list[EventType]:
    words = get_wording()
    point = get_knowledge_base().points[state.step.code]
    dispatcher.utter_message(text=words.say("guided.where", point=point.title, location=point.location))
    if point.cautions:
        dispatcher.utter_message(text=words.say("point.careful", cautions=point.cautions))
    dispatcher.utter_message(text=words.say("guided.when_done"))
    return []


def _stop(dispatcher: CollectingDispatcher, tracker: Tracker, state: RoutineState) -> list[EventType]:
    dispatcher.utter_message(text=get_wording().say("guided.stopped"))
    return [*cancel_reminder(tracker, state), SlotSet(Slot.ROUTINE_STATE, state.stop().to_slot())]


def _restart(dispatcher: CollectingDispatcher, tracker: Tracker, state: RoutineState) -> list[EventType]:
    """From the first press again, screened again from the first press: what was safe
    when the routine started may not be now."""
    checked, changes = screen_again(dispatcher, tracker, state.restart(None))
    if checked is None:
        return [*cancel_reminder(tracker, state), *changes]
    dispatcher.utter_message(text=get_wording().say("guided.restarting"))
    return show_step(dispatcher, tracker, state, checked.repeat(now()))


CONTROLS: dict[str, Control] = {
    Intent.ROUTINE_NEXT: _next,
    Intent.ROUTINE_DONE: _done,
    Intent.ROUTINE_REPEAT: _repeat,
    Intent.ROUTINE_BACK: _back,
    Intent.ROUTINE_SKIP: _skip,
    Intent.ROUTINE_PAUSE: _pause,
    Intent.ROUTINE_RESUME: _resume,
    Intent.ROUTINE_TIME_LEFT: _time_left,
    Intent.ASK_POINT_LOCATION: _where,
    Intent.ROUTINE_STOP: _stop,
    Intent.ROUTINE_RESTART: _restart,
}


def _explain_point(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    answer = answer_point_question(
        get_knowledge_base(), tracker.latest_message, tracker.get_slot(Slot.POINT), tracker.slots
    )
    for reply in answer.replies:
        say(dispatcher, reply)
    return [SlotSet(Slot.POINT, answer.point.code)] if answer.point else []


def _hold_time(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    dispatcher.utter_message(response="utter_faq/how_long_to_press")
    return []


# What a control means when no routine is running: "where is that point?" asks about
# the point just discussed, "how long do I keep pressing?" asks for the hold time.
WITHOUT_A_ROUTINE: dict[str, Callable[[CollectingDispatcher, Tracker], list[EventType]]] = {
    Intent.ASK_POINT_LOCATION: _explain_point,
    Intent.ROUTINE_TIME_LEFT: _hold_time,
}


class ActionRoutineControl(Action):
    """next, done, repeat, back, skip, pause, resume, time left, where, stop, start again."""

    def name(self) -> str:
        return "action_routine_control"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        intent = intent_name(tracker.latest_message) or ""
        state = current_state(tracker)
        # A rating form left open by "stop" or "next" is closed: the control wins.
        closing: list[EventType] = [ActiveLoop(None), SlotSet(Slot.REQUESTED_SLOT, None)]
        if (state is None or state.finished) and intent in WITHOUT_A_ROUTINE:
            return closing + WITHOUT_A_ROUTINE[intent](dispatcher, tracker)
        if state is None or (state.finished and intent != Intent.ROUTINE_RESTART):
            dispatcher.utter_message(text=get_wording().say("guided.no_routine"))
            return closing
        if intent in (Intent.ROUTINE_STOP, Intent.ROUTINE_RESTART):
            return closing + CONTROLS[intent](dispatcher, tracker, state)
        # Every step is screened again first: an answer given since the last one counts.
        checked, changes = screen_again(dispatcher, tracker, state)
        if checked is None:
            return closing + changes
        state = checked
        if state.started_at is None:
            # At the before-rating, or the step just left out: any move forward starts the next press.
            return closing + changes + show_step(dispatcher, tracker, state, state.repeat(now()))
        return closing + changes + CONTROLS[intent](dispatcher, tracker, state)


class ActionStepTimerElapsed(Action):
    """The reminder for a hold: time's up (pushed on channels that can push)."""

    def name(self) -> str:
        return "action_step_timer_elapsed"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        state = current_state(tracker)
        if state is None or not state.running:
            return []
        words = get_wording()
        last = state.step.number == state.step.total
        buttons = (
            words.button("finish" if last else "next", f"/{Intent.ROUTINE_NEXT}"),
            words.button("repeat", f"/{Intent.ROUTINE_REPEAT}"),
        )
        say(dispatcher, Reply(words.say("guided.times_up_last" if last else "guided.times_up"), buttons))
        return []
