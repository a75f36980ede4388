"""The NLU safety-net component overrides whatever the classifier said."""

from rasa.shared.nlu.training_data.message import Message

from nlu_components.red_flag_detector import RedFlagDetector
from actions.red_flags import get_red_flag_rules


def parsed(text, intent="symptom_headache", confidence=0.93):
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": confidence},
                            "intent_ranking": [{"name": intent, "confidence": confidence}]})
    RedFlagDetector(get_red_flag_rules()).process([message])
    return message


def test_known_emergency_phrasing_becomes_the_emergency_intent_with_certainty():
    message = parsed("sudden severe headache, worst ever")
    assert message.get("intent") == {"name": "red_flag_emergency", "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == "red_flag_emergency"
    assert message.get("red_flag")["flags"] == ["thunderclap_headache"]


def test_crisis_overrides_a_fallback():
    assert parsed("i want to die", "nlu_fallback", 0.3).get("intent")["name"] == "red_flag_crisis"


def test_ordinary_message_is_left_alone():
    message = parsed("my temples ache a bit")
    assert message.get("intent") == {"name": "symptom_headache", "confidence": 0.93}
    assert message.get("red_flag") is None
