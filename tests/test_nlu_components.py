"""The custom NLU components: the red-flag safety net and the point-name extractor."""

import pytest
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from amma.names import RED_FLAG_PARSE_KEY, SEMANTIC_RED_FLAG_KEY, TRUNCATED_PARSE_KEY, Entity, Intent
from amma.red_flags import get_red_flag_rules
from nlu_components.message_length_guard import MessageLengthGuard
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
    # A name the message calls a point, though not in the knowledge base's style.
    assert points_parsed("where is the xyz99 point", Intent.NONSENSE).get("intent")["name"] == Intent.ASK_POINT
    assert points_parsed("an 8 on a 10 point scale", Intent.OUT_OF_SCOPE).get("intent")["name"] == Intent.OUT_OF_SCOPE


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
    assert message.get("intent") == {"name": Intent.RED_FLAG_CHECK, "confidence": 0.7}
    assert message.get(RED_FLAG_PARSE_KEY) == {
        "kind": "crisis",
        "flags": [],
        "classifier_intent": "red_flag_crisis",
        "unsure": True,
        "heard": {"intent": "red_flag_crisis", "confidence": 0.7, "rank": 1},
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


def ranked(text, ranking, **config):
    """A message as the classifier and the FallbackClassifier left it: ``ranking``
    is [(intent, confidence), ...] in their order, the first one the answer."""
    intents = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message = Message(data={"text": text, "intent": intents[0], "intent_ranking": intents})
    RedFlagDetector(get_red_flag_rules(), **config).process([message])
    return message


def heard(message):
    """(intent, kind, rank) of what the detector decided, for the tables below."""
    red_flag = message.get(RED_FLAG_PARSE_KEY) or {}
    return message.get("intent")["name"], red_flag.get("kind"), (red_flag.get("heard") or {}).get("rank")


# Ranking orders and confidences written by hand, with the verdict each must
# give: (intent, kind, rank of the red flag in the classifier's own guesses).
RANKINGS = {
    "a confident first guess stands": (
        [("red_flag_crisis", 0.95), ("symptom_insomnia", 0.03)],
        ("red_flag_crisis", None, None),
    ),
    "an unsure first guess is checked": (
        [("red_flag_emergency", 0.55), ("symptom_headache", 0.3)],
        (Intent.RED_FLAG_CHECK, "emergency", 1),
    ),
    "a red flag the fallback replaced is checked": (
        [("nlu_fallback", 0.4), ("red_flag_emergency", 0.35), ("symptom_neck_pain", 0.3)],
        (Intent.RED_FLAG_CHECK, "emergency", 1),
    ),
    "a red flag the fallback found ambiguous is checked": (
        [("nlu_fallback", 0.4), ("symptom_headache", 0.46), ("red_flag_emergency", 0.42)],
        (Intent.RED_FLAG_CHECK, "emergency", 2),
    ),
    "a red flag narrowly beaten is checked": (
        [("symptom_neck_pain", 0.52), ("red_flag_crisis", 0.41), ("greet", 0.02)],
        (Intent.RED_FLAG_CHECK, "crisis", 2),
    ),
    "a red flag third above the floor is checked": (
        [("symptom_insomnia", 0.6), ("symptom_stress", 0.2), ("red_flag_crisis", 0.12)],
        (Intent.RED_FLAG_CHECK, "crisis", 3),
    ),
    "a red flag third behind the fallback is checked": (
        [("nlu_fallback", 0.4), ("symptom_stress", 0.3), ("ask_help", 0.25), ("red_flag_crisis", 0.2)],
        (Intent.RED_FLAG_CHECK, "crisis", 3),
    ),
    "a red flag at the floor is noise": (
        [("symptom_headache", 0.8), ("symptom_neck_pain", 0.1), ("red_flag_emergency", 0.1)],
        ("symptom_headache", None, None),
    ),
    "a red flag fourth is too far down": (
        [("symptom_headache", 0.5), ("symptom_neck_pain", 0.2), ("symptom_stress", 0.15), ("red_flag_crisis", 0.11)],
        ("symptom_headache", None, None),
    ),
    "the higher of two red flags is asked about": (
        [("symptom_chest_tightness", 0.45), ("red_flag_crisis", 0.3), ("red_flag_emergency", 0.2)],
        (Intent.RED_FLAG_CHECK, "crisis", 2),
    ),
    "no red flag anywhere": (
        [("nlu_fallback", 0.4), ("symptom_headache", 0.3), ("greet", 0.2)],
        ("nlu_fallback", None, None),
    ),
}


@pytest.mark.parametrize("case", RANKINGS)
def test_a_red_flag_anywhere_near_the_top_of_the_ranking_is_checked(case):
    ranking, verdict = RANKINGS[case]
    assert heard(ranked("hmm", ranking)) == verdict


def test_a_checked_red_flag_keeps_what_the_classifier_answered():
    message = ranked("hmm", [("nlu_fallback", 0.4), ("symptom_headache", 0.46), ("red_flag_emergency", 0.42)])
    assert message.get("intent") == {"name": Intent.RED_FLAG_CHECK, "confidence": 0.42}
    assert message.get(RED_FLAG_PARSE_KEY) == {
        "kind": "emergency",
        "flags": [],
        "classifier_intent": "nlu_fallback",
        "unsure": True,
        "heard": {"intent": "red_flag_emergency", "confidence": 0.42, "rank": 2},
    }


def test_the_floor_and_the_reach_are_configurable():
    second = [("symptom_neck_pain", 0.6), ("red_flag_crisis", 0.2), ("greet", 0.1)]
    assert heard(ranked("hmm", second, check_above=0.3)) == ("symptom_neck_pain", None, None)
    assert heard(ranked("hmm", second, check_within=1)) == ("symptom_neck_pain", None, None)
    assert heard(ranked("hmm", second))[0] == Intent.RED_FLAG_CHECK


def test_create_reads_the_config_rasa_passes():
    detector = RedFlagDetector.create({**RedFlagDetector.get_default_config(), "check_above": 0.25}, None, None, None)
    assert (detector.certain_above, detector.check_above, detector.check_within) == (0.9, 0.25, 3)


@pytest.mark.parametrize(
    "ranking",
    [
        [("greet", 0.99)],
        [("nlu_fallback", 0.4), ("nonsense", 0.38)],
        [("red_flag_crisis", 0.3), ("red_flag_emergency", 0.25)],
    ],
)
def test_a_pattern_hit_wins_with_certainty_whatever_the_ranking(ranking):
    message = ranked("I took 30 paracetamol an hour ago", ranking)
    assert message.get("intent") == {"name": "red_flag_emergency", "confidence": 1.0}
    assert message.get(RED_FLAG_PARSE_KEY)["flags"] == ["overdose_or_poisoning"]


# A neck-tension story longer than the classifier reads: 14 sentences of 83 characters.
STORY = "My neck has been tight for weeks, mostly from the desk and the long drive to work. " * 14


def guarded(text, **config):
    message = Message(data={"text": text})
    MessageLengthGuard(**config).process([message])
    return message


def test_a_short_message_is_left_as_it_is():
    message = guarded("my neck is stiff")
    assert message.get("text") == "my neck is stiff"
    assert message.get(TRUNCATED_PARSE_KEY) is None
    assert message.as_dict(only_output_properties=True) == {"text": "my neck is stiff"}


def test_a_long_message_is_cut_for_the_classifier_and_says_so():
    assert len(STORY) == 1162
    message = guarded(STORY)
    # Twelve sentences (996 characters) and the "My" of the next: not "My n".
    assert message.get("text") == STORY[:998] and message.get("text").endswith("to work. My")
    assert message.get(TRUNCATED_PARSE_KEY) == {"kept_chars": 998, "total_chars": 1162}
    # The whole text travels with the message but is not part of the parse data.
    assert set(message.as_dict(only_output_properties=True)) == {"text", TRUNCATED_PARSE_KEY}


def test_the_limit_is_configurable():
    message = guarded("one two three four", max_chars=9)
    assert message.get("text") == "one two"
    assert message.get(TRUNCATED_PARSE_KEY) == {"kept_chars": 7, "total_chars": 18}
    with pytest.raises(ValueError):
        MessageLengthGuard(max_chars=0)


def test_a_red_flag_past_the_cut_is_still_caught_and_the_whole_text_comes_back():
    text = STORY + "Help my neck tension, I want to use the rope on myself."
    message = guarded(text)
    assert "rope" not in message.get("text")
    # What the classifier made of the part it read.
    message.set("intent", {"name": "symptom_neck_pain", "confidence": 0.97}, add_to_output=True)
    message.set("intent_ranking", [{"name": "symptom_neck_pain", "confidence": 0.97}], add_to_output=True)
    RedFlagDetector(get_red_flag_rules()).process([message])
    assert message.get("intent") == {"name": "red_flag_crisis", "confidence": 1.0}
    assert message.get(RED_FLAG_PARSE_KEY)["classifier_intent"] == "symptom_neck_pain"
    assert message.get("text") == text
    assert message.get(TRUNCATED_PARSE_KEY) == {"kept_chars": 998, "total_chars": 1217}


def test_training_examples_are_cut_the_same_way():
    data = TrainingData(
        [Message(data={"text": STORY, "intent": "symptom_neck_pain"}), Message(data={"intent": "greet"})]
    )
    MessageLengthGuard().process_training_data(data)
    assert [m.get("text") for m in data.training_examples] == [STORY[:998], None]


def with_semantic(text, semantic, intent="symptom_headache", confidence=0.93):
    """A message as the classifier and SemanticRedFlagScorer left it."""
    message = Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [{"name": intent, "confidence": confidence}],
            SEMANTIC_RED_FLAG_KEY: semantic,
        }
    )
    RedFlagDetector(get_red_flag_rules()).process([message])
    return message


NEAR_CRISIS = {"kind": "crisis", "certain": True, "similarity": 0.71, "margin": 0.2, "nearest": "x"}
UNSURE_EMERGENCY = {"kind": "emergency", "certain": False, "similarity": 0.52, "margin": 0.05, "nearest": "y"}


def test_a_certain_semantic_red_flag_escalates_over_a_confident_ordinary_answer():
    message = with_semantic("the car park roof is where I am now", NEAR_CRISIS, "symptom_stress", 0.98)
    assert message.get("intent") == {"name": "red_flag_crisis", "confidence": 1.0}
    red_flag = message.get(RED_FLAG_PARSE_KEY)
    assert red_flag["kind"] == "crisis" and red_flag["flags"] == [] and red_flag["semantic"] == NEAR_CRISIS
    # The classifier's own answer stays on record, so the layers can be measured apart.
    assert red_flag["classifier_intent"] == "symptom_stress"


def test_an_unsure_semantic_red_flag_is_checked_with_its_kind():
    message = with_semantic("grandad went down in the garden", UNSURE_EMERGENCY, "nlu_fallback", 0.3)
    assert message.get("intent")["name"] == Intent.RED_FLAG_CHECK
    assert message.get(RED_FLAG_PARSE_KEY)["kind"] == "emergency"
    assert message.get(RED_FLAG_PARSE_KEY)["heard"] is None


def test_the_classifiers_kind_leads_the_check_when_both_are_unsure():
    message = with_semantic("grandad went down in the garden", UNSURE_EMERGENCY, "red_flag_crisis", 0.6)
    assert message.get("intent")["name"] == Intent.RED_FLAG_CHECK
    assert message.get(RED_FLAG_PARSE_KEY)["kind"] == "crisis"


def test_a_confident_classifier_red_flag_stands_and_patterns_keep_their_kind():
    assert with_semantic("x y z", UNSURE_EMERGENCY, "red_flag_crisis", 0.97).get("intent")["name"] == "red_flag_crisis"
    message = with_semantic("sudden severe headache, worst ever", NEAR_CRISIS)
    assert message.get("intent")["name"] == "red_flag_emergency"
    assert message.get(RED_FLAG_PARSE_KEY)["flags"] == ["thunderclap_headache"]


def test_no_semantic_verdict_leaves_an_ordinary_message_alone():
    message = with_semantic("my temples ache a bit", None)
    assert message.get("intent") == {"name": "symptom_headache", "confidence": 0.93}
    assert message.get(RED_FLAG_PARSE_KEY) is None


def test_a_sign_told_only_as_history_is_checked_with_its_kind_when_the_classifier_is_unsure():
    message = parsed("my grandad had a stroke years ago, I just want help with my stiff neck", "symptom_neck", 0.6)
    assert message.get("intent")["name"] == Intent.RED_FLAG_CHECK
    red_flag = message.get(RED_FLAG_PARSE_KEY)
    assert red_flag["kind"] == "emergency" and red_flag["flags"] == ["stroke_signs"] and red_flag["told_as_past"]


def test_a_sign_told_as_history_still_escalates_when_the_classifier_is_sure():
    message = parsed("I had a stroke years ago", "red_flag_emergency", 0.97)
    assert message.get("intent") == {"name": "red_flag_emergency", "confidence": 0.97}


def test_a_sign_told_as_history_is_left_to_a_classifier_sure_it_is_everyday():
    message = parsed("my grandad had a stroke years ago, I just want help with my stiff neck", "symptom_neck", 0.95)
    assert message.get("intent") == {"name": "symptom_neck", "confidence": 0.95}
    assert message.get(RED_FLAG_PARSE_KEY) is None


def bounded(text, ranking):
    """The message after BodyPartBoundary, the classifier having answered ``ranking``."""
    from amma.body_parts import get_body_parts
    from nlu_components.body_part_boundary import BodyPartBoundary

    top = ranking[0]
    message = Message(data={"text": text, "intent": dict(top), "intent_ranking": [dict(r) for r in ranking]})
    BodyPartBoundary(get_body_parts()).process([message])
    return message


KNEE_AT_NIGHT = [
    {"name": "symptom_insomnia", "confidence": 0.84},
    {"name": "red_flag_check", "confidence": 0.06},
    {"name": "out_of_scope", "confidence": 0.05},
    {"name": "symptom_fatigue", "confidence": 0.03},
]


def test_a_symptom_felt_in_a_part_amma_does_not_cover_becomes_out_of_scope():
    from amma.names import UNCOVERED_PART_PARSE_KEY

    message = bounded("my knee aches so much it keeps me awake", KNEE_AT_NIGHT)
    # The classifier's confidence stays (the red-flag layers read it); the symptom's
    # place in the ranking goes to out_of_scope, whose own lower entry goes.
    assert message.get("intent") == {"name": Intent.OUT_OF_SCOPE, "confidence": 0.84}
    assert [r["name"] for r in message.get("intent_ranking")] == ["out_of_scope", "red_flag_check", "symptom_fatigue"]
    assert message.get(UNCOVERED_PART_PARSE_KEY) == {"part": "knees", "symptom": "insomnia"}
    assert "uncovered_body_part" in message.as_dict(only_output_properties=True)


@pytest.mark.parametrize(
    ("text", "ranking"),
    [
        ("can't sleep and my knees ache", KNEE_AT_NIGHT),  # names the symptom
        ("my knee aches so much", [{"name": "faq", "confidence": 0.9}]),  # not read as a symptom
        ("my head throbs and my ear hurts", [{"name": "symptom_headache", "confidence": 0.9}]),  # where it's felt
    ],
)
def test_the_boundary_leaves_other_readings_alone(text, ranking):
    message = bounded(text, ranking)
    assert message.get("intent") == ranking[0]
    assert message.get("intent_ranking") == ranking


def test_a_red_flag_beside_an_uncovered_part_still_escalates():
    # The red-flag layers come after the boundary and override it.
    message = bounded("my knee hurts and I have crushing chest pain", [{"name": "symptom_fatigue", "confidence": 0.6}])
    RedFlagDetector(get_red_flag_rules()).process([message])
    assert message.get("intent")["name"] == "red_flag_emergency"


def test_the_pipeline_runs_the_boundary_before_the_red_flag_layers():
    from tests.conftest import load_yaml

    names = [step["name"].rsplit(".", 1)[-1] for step in load_yaml("config.yml")["pipeline"]]
    boundary = names.index("BodyPartBoundary")
    assert names.index("FallbackClassifier") < boundary < names.index("SemanticRedFlagScorer")
    assert names[-1] == "RedFlagDetector"
