"""action_show_help: one answer with every symptom as a button; action_decline_out_of_scope."""

from actions.help_actions import ActionDeclineOutOfScope, ActionShowHelp
from tests.actions.trackers import make_tracker, run_action


def test_help_is_one_message_with_every_symptom_and_a_way_to_ask_about_points(kb):
    messages, events = run_action(ActionShowHelp(), make_tracker("what can you do", intent="ask_help"))
    assert events == []
    assert len(messages) == 1
    assert len(messages[0]["buttons"]) == len(kb.symptoms) == 11
    assert "Period pain" in {b["title"] for b in messages[0]["buttons"]}
    assert "where is LI4?" in messages[0]["text"]


def test_a_complaint_amma_has_no_points_for_is_told_so_and_the_heard_symptom_offered():
    tracker = make_tracker("my knee aches so much it keeps me awake", intent="out_of_scope")
    tracker.latest_message["uncovered_body_part"] = {"part": "knees", "symptom": "insomnia"}
    messages, events = run_action(ActionDeclineOutOfScope(), tracker)
    assert events == []
    assert len(messages) == 1
    text = messages[0]["text"]
    assert "I don't have acupressure points for trouble with your knees" in text
    assert "doctor or pharmacist" in text
    assert [(b["title"], b["payload"]) for b in messages[0]["buttons"]] == [
        ("Points for trouble sleeping", "/symptom_insomnia")
    ]


def test_teeth_are_sent_to_a_dentist():
    tracker = make_tracker("throbbing toothache", intent="out_of_scope")
    tracker.latest_message["uncovered_body_part"] = {"part": "teeth and gums", "symptom": "headache"}
    messages, _ = run_action(ActionDeclineOutOfScope(), tracker)
    assert "trouble with your teeth and gums, so I'd rather not guess: a dentist can help" in messages[0]["text"]
    assert messages[0]["buttons"][0]["payload"] == "/symptom_headache"


def test_anything_else_out_of_scope_gets_the_plain_answer():
    messages, events = run_action(ActionDeclineOutOfScope(), make_tracker("what's the weather", intent="out_of_scope"))
    assert events == []
    assert [message["response"] for message in messages] == ["utter_out_of_scope"]
