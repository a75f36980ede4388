"""action_escalate_red_flag and action_red_flag_follow_up."""

from rasa_sdk.events import ActiveLoop, SlotSet

from actions.safety_actions import ActionEscalateRedFlag, ActionRedFlagFollowUp
from amma.names import Intent, Slot
from tests.actions.trackers import make_tracker, run_action, texts


def test_emergency_says_why_and_gives_emergency_numbers():
    messages, events = run_action(
        ActionEscalateRedFlag(), make_tracker("worst headache of my life", "red_flag_emergency")
    )
    shown = texts(messages)
    assert "Please stop the self-care" in shown and "bleeding in or around the brain" in shown
    assert all(n in shown for n in ("911", "999", "112", "000"))
    assert SlotSet(Slot.RED_FLAG, "emergency") in events


def test_crisis_from_the_classifier_alone_still_gives_crisis_lines():
    # No pattern matches this text: the classifier's intent decides.
    messages, events = run_action(
        ActionEscalateRedFlag(), make_tracker("everything feels pointless and dark", "red_flag_crisis")
    )
    shown = texts(messages)
    assert "988" in shown and "116 123" in shown and "13 11 14" in shown
    assert SlotSet(Slot.RED_FLAG, "crisis") in events


def test_escalation_always_ends_any_form():
    tracker = make_tracker("crushing chest pain", "red_flag_emergency", {Slot.REQUESTED_SLOT: "is_pregnant"})
    tracker.active_loop = {"name": "screening_form"}
    _, events = run_action(ActionEscalateRedFlag(), tracker)
    assert ActiveLoop(None) in events and SlotSet(Slot.REQUESTED_SLOT, None) in events


def test_country_from_session_metadata_narrows_the_numbers():
    tracker = make_tracker("I want to end my life", "red_flag_crisis", {Slot.SESSION_METADATA: {"country": "AU"}})
    shown = texts(run_action(ActionEscalateRedFlag(), tracker)[0])
    assert "13 11 14" in shown and "988" not in shown


def test_no_im_fine_keeps_help_one_message_away():
    shown = texts(
        run_action(ActionRedFlagFollowUp(), make_tracker("no I'm fine", Intent.DENY, {Slot.RED_FLAG: "crisis"}))[0]
    )
    assert "988" in shown and "116 123" in shown
    assert "tell me what's bothering you" in shown


def test_unsure_red_flag_is_checked_with_yes_and_no_and_ends_any_form():
    from actions.safety_actions import ActionCheckRedFlag

    tracker = make_tracker("blorp", Intent.RED_FLAG_CHECK)
    tracker.latest_message["red_flag"] = {"kind": "emergency", "unsure": True}
    messages, events = run_action(ActionCheckRedFlag(), tracker)
    assert "Are you describing something urgent" in texts(messages)
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/red_flag_emergency", "/deny"]
    assert SlotSet(Slot.RED_FLAG_PENDING, "emergency") in events and ActiveLoop(None) in events


def test_typed_yes_to_a_check_escalates_the_kind_asked_about():
    messages, events = run_action(
        ActionEscalateRedFlag(), make_tracker("yes", Intent.AFFIRM, {Slot.RED_FLAG_PENDING: "crisis"})
    )
    assert "988" in texts(messages) and SlotSet(Slot.RED_FLAG, "crisis") in events


def test_the_check_question_itself_carries_the_contacts():
    # Someone who never answers the check has still been told where help is.
    from actions.safety_actions import ActionCheckRedFlag

    for kind, numbers in (("emergency", ("911", "999", "112", "000")), ("crisis", ("988", "116 123", "13 11 14"))):
        tracker = make_tracker("blorp", Intent.RED_FLAG_CHECK)
        tracker.latest_message["red_flag"] = {"kind": kind, "unsure": True}
        shown = texts(run_action(ActionCheckRedFlag(), tracker)[0])
        assert all(number in shown for number in numbers), (kind, shown)
