"""Reading Rasa's parse data, and a reply as the dispatcher takes it."""

from amma.names import Entity, Intent
from amma.parse_data import entity_values, faq_pick, intent_name, text_of
from amma.replies import Button, Reply

PARSED = {
    "text": "is li4 or LI-4 or zusanli better?",
    "intent": {"name": Intent.ASK_POINT, "confidence": 0.9},
    "entities": [
        {"entity": Entity.POINT, "value": "LI4"},
        {"entity": Entity.POINT, "value": "LI4"},
        {"entity": "other", "value": "x"},
        {"entity": Entity.POINT, "value": "ST36"},
    ],
}


def test_intent_text_and_entities():
    assert intent_name(PARSED) == "ask_point" and text_of(PARSED) == PARSED["text"]
    assert entity_values(PARSED, "point") == ["LI4", "ST36"]


def test_an_empty_message_reads_as_nothing():
    assert intent_name({}) is None and text_of({"text": None}) == "" and entity_values({}, "point") == []
    assert faq_pick({}) == {}


def test_a_reply_as_an_utterance_carries_only_what_it_has():
    assert Reply("hi").as_utterance() == {"text": "hi"}
    assert Reply("which?", (Button("LI4", "where is LI4"),), image="http://x/LI4.svg").as_utterance() == {
        "text": "which?",
        "buttons": [{"title": "LI4", "payload": "where is LI4"}],
        "image": "http://x/LI4.svg",
    }
