"""The custom NLU components: the red-flag safety net and the point-name extractor."""

from rasa.shared.nlu.training_data.message import Message

from amma.names import RED_FLAG_PARSE_KEY, Entity, Intent
from amma.red_flags import get_red_flag_rules
from nlu_components.red_flag_detector import RedFlagDetector


def parsed(text, intent="symptom_headache", confidence=0.93):
    message = Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [{"name": intent, "confidence": confidence}],
        }
    )
    RedFlagDetector(get_red_flag_rules()).process([message])
    return message


def test_known_emergency_phrasing_becomes_the_emergency_intent_with_certainty():
    message = parsed("sudden severe headache, worst ever")
    assert message.get("intent") == {"name": "red_flag_emergency", "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == "red_flag_emergency"
    assert message.get(RED_FLAG_PARSE_KEY)["flags"] == ["thunderclap_headache"]


def test_crisis_overrides_a_fallback():
    assert parsed("i want to die", "nlu_fallback", 0.3).get("intent")["name"] == "red_flag_crisis"


def test_ordinary_message_is_left_alone():
    message = parsed("my temples ache a bit")
    assert message.get("intent") == {"name": "symptom_headache", "confidence": 0.93}
    assert message.get(RED_FLAG_PARSE_KEY) is None


def test_point_name_extractor_tags_every_spelling_with_the_code():
    from amma.knowledge_base import get_knowledge_base
    from nlu_components.point_name_extractor import PointNameExtractor

    message = Message(data={"text": "is li-4 or zusanli better?", "entities": []})
    PointNameExtractor(get_knowledge_base(), **PointNameExtractor.get_default_config()).process([message])
    assert [(e["entity"], e["value"], message.get("text")[e["start"] : e["end"]]) for e in message.get("entities")] == [
        (Entity.POINT, "LI4", "li-4"),
        (Entity.POINT, "ST36", "zusanli"),
    ]


def points_parsed(text, intent):
    from amma.knowledge_base import get_knowledge_base
    from nlu_components.point_name_extractor import PointNameExtractor

    message = Message(
        data={
            "text": text,
            "entities": [],
            "intent": {"name": intent, "confidence": 0.55},
            "intent_ranking": [{"name": intent, "confidence": 0.55}],
        }
    )
    PointNameExtractor(get_knowledge_base(), **PointNameExtractor.get_default_config()).process([message])
    return message


def test_a_named_point_turns_a_generic_reading_into_a_point_question():
    message = points_parsed("what is taiyang used for", Intent.ASK_HELP)
    assert message.get("intent") == {"name": Intent.ASK_POINT, "confidence": 1.0}
    assert [r["name"] for r in message.get("intent_ranking")] == [Intent.ASK_POINT, Intent.ASK_HELP]
    assert points_parsed("where would I find GB34", Intent.ASK_POINT_LOCATION).get("intent")["name"] == Intent.ASK_POINT
    assert points_parsed("is SP6 ok when pregnant", Intent.FAQ).get("intent")["name"] == Intent.ASK_POINT
    assert points_parsed("where is the GB99 point", Intent.ASK_POINT_LOCATION).get("intent")["name"] == Intent.ASK_POINT


def test_a_named_point_leaves_specific_intents_alone():
    assert points_parsed("skip LI4 please", Intent.ROUTINE_SKIP).get("intent")["name"] == Intent.ROUTINE_SKIP
    assert points_parsed("LI4 helped my headache", "symptom_headache").get("intent")["name"] == "symptom_headache"
    assert (
        points_parsed("where is it again", Intent.ASK_POINT_LOCATION).get("intent")["name"] == Intent.ASK_POINT_LOCATION
    )
    assert (
        points_parsed("is stomach 36 good for bloating", "symptom_digestive_upset").get("intent")["name"]
        == "symptom_digestive_upset"
    )
    assert points_parsed("my third eye area throbs", "symptom_headache").get("intent")["name"] == "symptom_headache"


def test_a_symptom_read_only_from_the_point_name_becomes_a_point_question():
    assert points_parsed("what's stomach 36 for", "symptom_digestive_upset").get("intent")["name"] == Intent.ASK_POINT
    assert (
        points_parsed("where is stomach thirty six", "symptom_digestive_upset").get("intent")["name"]
        == Intent.ASK_POINT
    )


def test_unsure_classifier_red_flag_is_checked_not_escalated():
    message = parsed("could I do this by myself", "red_flag_crisis", 0.7)
    assert message.get("intent")["name"] == Intent.RED_FLAG_CHECK
    assert message.get(RED_FLAG_PARSE_KEY) == {
        "kind": "crisis",
        "flags": [],
        "classifier_intent": "red_flag_crisis",
        "unsure": True,
    }


def test_confident_classifier_red_flag_stands():
    assert (
        parsed("everything feels pointless and dark", "red_flag_crisis", 0.97).get("intent")["name"]
        == "red_flag_crisis"
    )


def test_an_unsure_point_question_naming_a_point_is_made_certain_so_it_never_falls_back():
    # The classifier's 0.55 would be close to the FallbackClassifier's threshold;
    # naming ST36 outright makes the question certain.
    message = points_parsed("what's stomach 36 for", Intent.ASK_POINT)
    assert message.get("intent") == {"name": Intent.ASK_POINT, "confidence": 1.0}
    assert points_parsed("what is this point for", Intent.ASK_POINT).get("intent")["confidence"] == 0.55
