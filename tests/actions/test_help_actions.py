"""action_show_help: one answer with every symptom as a button."""

from actions.help_actions import ActionShowHelp
from tests.actions.trackers import make_tracker, run_action


def test_help_is_one_message_with_every_symptom_and_a_way_to_ask_about_points(kb):
    messages, events = run_action(ActionShowHelp(), make_tracker("what can you do", intent="ask_help"))
    assert events == []
    assert len(messages) == 1
    assert len(messages[0]["buttons"]) == len(kb.symptoms) == 11
    assert "Period pain" in {b["title"] for b in messages[0]["buttons"]}
    assert "where is LI4?" in messages[0]["text"]
