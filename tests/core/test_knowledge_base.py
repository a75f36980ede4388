"""The knowledge base loads, is complete, and rejects broken data with clear messages."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from amma.knowledge_base import (
    DEFAULT_KNOWLEDGE_DIR,
    KnowledgeBaseError,
    load_knowledge_base,
    normalise_name,
)
from tests.conftest import COVERED_SYMPTOMS
from tests.core.test_safety_oracle import PREGNANCY_SENT_TO_A_DOCTOR

REQUIRED_POINTS = {
    "LI4",
    "ST36",
    "SP6",
    "PC6",
    "HT7",
    "Yintang",
    "GB20",
    "BL10",
    "GB21",
    "BL2",
    "GV20",
    "Anmian",
    "KI1",
    "LV3",
    "CV12",
    "BL23",
}
REQUIRED_SYMPTOMS = set(COVERED_SYMPTOMS)


def read(name: str):
    return yaml.safe_load((DEFAULT_KNOWLEDGE_DIR / name).read_text())


def write_kb(directory: Path, points=None, symptoms=None, contraindications=None) -> Path:
    """A copy of the real knowledge base with any file replaced."""
    for name, document in (
        ("points.yml", points),
        ("symptoms.yml", symptoms),
        ("contraindications.yml", contraindications),
    ):
        (directory / name).write_text(yaml.safe_dump(document if document is not None else read(name)))
    return directory


def broken(tmp_path: Path, **documents) -> str:
    with pytest.raises(KnowledgeBaseError) as error:
        load_knowledge_base(write_kb(tmp_path, **documents))
    return str(error.value)


def test_real_knowledge_base_loads_with_required_content(kb):
    assert set(kb.points) >= REQUIRED_POINTS
    assert len(kb.points) >= 23  # today's count: a lost point is a lost answer
    assert set(kb.symptoms) >= REQUIRED_SYMPTOMS


def test_every_point_is_found_by_each_of_its_names(kb):
    # The loader guarantees the fields are there; this checks they lead back to the point.
    for point in kb.points.values():
        assert kb.find_point(point.code) is point
        assert kb.find_point(point.name) is point
        for alias in point.aliases:
            assert kb.find_point(alias) is point, (point.code, alias)


def test_every_symptom_routine_has_a_point_safe_in_pregnancy(kb):
    for symptom in kb.symptoms.values():
        points = kb.routine_points(symptom.key)
        assert len(points) >= 3, symptom.key
        if symptom.key in PREGNANCY_SENT_TO_A_DOCTOR:
            assert "pregnant" in symptom.check_question, symptom.key
        else:
            assert any("pregnancy" not in p.contraindications for p in points), symptom.key
        assert symptom.see_a_doctor, symptom.key


def test_pregnancy_restricted_points_are_tagged(kb):
    for code in ("LI4", "SP6", "GB21", "BL23", "CV12"):
        assert "pregnancy" in kb.points[code].contraindications, code


@pytest.mark.parametrize("spelling", ["LI4", "li4", "li 4", "LI-4", "hegu", "Large Intestine 4"])
def test_points_are_found_by_any_spelling(kb, spelling):
    assert kb.find_point(spelling).code == "LI4"


def test_unknown_point_is_none(kb):
    assert kb.find_point("XY99") is None


@pytest.mark.parametrize(
    "text, codes",
    [
        ("where is GB99", ["GB99"]),
        ("what does st 50 do", ["ST50"]),
        ("where is the xyz99 point", ["XYZ99"]),
        ("tell me about point ab-12", ["AB12"]),
        ("where is LI4", []),  # known
        ("where is the li4 point", []),
        ("my headache is an 8 on a 10 point scale", []),
        ("what's the point of step 2", []),
        ("my covid jab was 2 weeks ago", []),
    ],
)
def test_codes_the_knowledge_base_does_not_hold(kb, text, codes):
    assert kb.unknown_codes(text) == codes


def test_symptom_for_intent(kb):
    assert kb.symptom_for_intent("symptom_headache").key == "headache"
    assert kb.symptom_for_intent("greet") is None
    assert kb.symptom_for_intent(None) is None


def test_normalise_name():
    assert normalise_name("  LI-4 ") == normalise_name("li 4") == "li4"
    assert normalise_name("Large Intestine four") == "largeintestine4"
    assert normalise_name("stomach thirty-six") == normalise_name("stomach thirty six") == "stomach36"
    assert normalise_name("bladder twenty") == "bladder20"


def test_points_named_with_spelled_out_numbers_are_found(kb):
    assert [p.code for _, _, p in kb.point_mentions("tell me about large intestine four")] == ["LI4"]
    assert [p.code for _, _, p in kb.point_mentions("where is stomach thirty-six?")] == ["ST36"]
    assert [p.code for _, _, p in kb.point_mentions("spleen six or liver three")] == ["SP6", "LV3"]


def test_rejects_routine_with_unknown_point(tmp_path):
    symptoms = read("symptoms.yml")
    symptoms["symptoms"][0]["routine"].append("ZZ9")
    assert "routine refers to unknown point 'ZZ9'" in broken(tmp_path, symptoms=symptoms)


def test_rejects_missing_location(tmp_path):
    points = read("points.yml")
    del points["points"][0]["location"]
    message = broken(tmp_path, points=points)
    assert f"point {points['points'][0]['code']!r}: missing 'location'" in message


@pytest.mark.parametrize("seconds", [0, 5, 301, 5000, "sixty", True])
def test_rejects_hold_duration_out_of_range(tmp_path, seconds):
    points = read("points.yml")
    points["points"][0]["hold_seconds"] = seconds
    assert "hold_seconds" in broken(tmp_path, points=points)


def test_rejects_alias_shared_by_two_points(tmp_path):
    points = read("points.yml")
    points["points"][1]["aliases"].append(points["points"][0]["aliases"][0])
    assert "is used by both" in broken(tmp_path, points=points)


def test_rejects_duplicate_point_code(tmp_path):
    points = read("points.yml")
    points["points"].append(copy.deepcopy(points["points"][0]))
    assert "duplicate code" in broken(tmp_path, points=points)


def test_rejects_unknown_contraindication_tag(tmp_path):
    points = read("points.yml")
    points["points"][0]["contraindications"] = ["pregnancy", "full_moon"]
    assert "unknown contraindication tag(s) ['full_moon']" in broken(tmp_path, points=points)


def test_rejects_a_contraindication_without_its_caution(tmp_path):
    contraindications = read("contraindications.yml")
    del contraindications["contraindications"]["pregnancy"]["caution"]
    message = broken(tmp_path, contraindications=contraindications)
    assert "contraindications.yml: 'pregnancy'" in message and "caution" in message


def test_rejects_unknown_body_area_and_misspelt_key(tmp_path):
    points = read("points.yml")
    points["points"][0]["body_area"] = "elbowish"
    points["points"][0]["techniqe"] = "typo"
    message = broken(tmp_path, points=points)
    assert "body_area 'elbowish'" in message and "unknown key 'techniqe'" in message


def test_reports_every_problem_at_once(tmp_path):
    points = read("points.yml")
    points["points"][0]["hold_seconds"] = 1
    points["points"][1]["body_area"] = "nowhere"
    error_text = broken(tmp_path, points=points)
    assert "hold_seconds" in error_text and "nowhere" in error_text


def test_rejects_invalid_yaml_and_missing_file(tmp_path):
    write_kb(tmp_path)
    (tmp_path / "points.yml").write_text("points: [unclosed")
    (tmp_path / "symptoms.yml").unlink()
    with pytest.raises(KnowledgeBaseError) as error:
        load_knowledge_base(tmp_path)
    assert "points.yml: is not valid YAML" in str(error.value)
    assert "symptoms.yml: file not found" in str(error.value)


def test_rejects_empty_symptom_list(tmp_path):
    assert "expected a top-level 'symptoms:' list" in broken(tmp_path, symptoms={"symptoms": []})


@pytest.mark.parametrize(
    "text, keys",
    [
        ("does amma help with insomnia?", ["insomnia"]),
        ("can acupressure help my lower back pain", ["low_back_ache"]),
        ("is it good for tiredness and stress", ["fatigue", "stress"]),
        ("what should I wear to a session", []),
        ("is it distressing", []),  # whole words only: "distressing" is not "stress"
    ],
)
def test_symptoms_are_found_by_name_or_alias_in_free_text(kb, text, keys):
    assert [s.key for s in kb.symptoms_mentioned(text)] == keys


@pytest.mark.parametrize(
    "text, symptom, denied",
    [
        ("no, it's my tooth, not a headache", "headache", True),
        ("It isn't a headache, my ear hurts", "headache", True),
        ("no headache, no fever, my knee is sore", "headache", True),
        ("I'm not anxious, just itchy", "anxiety", True),
        ("I have a headache", "headache", False),
        ("not sure why, but I have a headache", "headache", False),
        ("no idea what to do about this headache", "headache", False),
        ("not a headache at first, but now a proper headache", "headache", False),
        ("I have no energy at all", "fatigue", False),
        ("I can't sleep", "insomnia", False),
        ("my head is pounding", "headache", False),  # no name to deny: the classifier decides
        ("I don't have a headache, my jaw hurts", "headache", True),
        ("sorry, it's not a headache really, my tooth hurts", "headache", True),
        ("no, not insomnia exactly, I snore", "insomnia", True),
        # Answers to the check question, or a headache described: it is there.
        ("no, not a sudden headache", "headache", False),
        ("no it isn't the worst headache of my life", "headache", False),
        ("no, not a headache like that", "headache", False),
        ("not much of a headache, more a dull ache", "headache", False),
        ("it's not just a headache, I feel sick too", "headache", False),
        ("not a bad headache, just annoying", "headache", False),
        ("no, not a headache, a migraine", "headache", False),  # another name for it, not denied
    ],
)
def test_a_symptom_named_only_to_deny_it(kb, text, symptom, denied):
    assert kb.symptom_denied(kb.symptoms[symptom], text) is denied


def test_the_symptom_denied_is_the_one_under_discussion_or_the_one_heard(kb):
    text = "no, it's my tooth, not a headache"
    assert kb.denied_symptom(text, "deny", "headache").key == "headache"
    assert kb.denied_symptom(text, "symptom_headache", None).key == "headache"
    assert kb.denied_symptom(text, "deny", "insomnia") is None  # another symptom's screening goes on
    assert kb.denied_symptom("no, not a sudden one", "deny", "headache") is None
