"""Safety checked against hand-written expectations, not against the code under test.

The other screening tests ask whether the filter does what its tags say; these ask
whether the tags and the filter give what a person writing the routines by hand
expects: a clinical list of points traditionally avoided in pregnancy, and the
routine each symptom should give for three sets of answers.
"""

from __future__ import annotations

import pytest

from amma.names import Slot
from amma.screening import get_screening

# Points commonly listed as ones to avoid in pregnancy (hand-written from the
# self-care literature, not read from knowledge/points.yml): the hand and leg
# points said to "move" things, the top of the shoulder, and points on the lower
# back, the sacrum and the lower belly. Whichever of them the knowledge base
# holds must carry the pregnancy tag.
PREGNANCY_RESTRICTED = {
    "LI4",  # Hegu, web of the hand
    "SP6",  # Sanyinjiao, inner lower leg
    "GB21",  # Jianjing, top of the shoulder
    "BL60",  # Kunlun, outer ankle
    "BL67",  # Zhiyin, little toe
    "LV3",  # Taichong, top of the foot
    "KI6",  # Zhaohai, inner ankle
    "BL23",  # Shenshu, lower back
    "BL31",  # the sacral points
    "BL32",
    "BL33",
    "BL34",
    "GV4",  # Mingmen, lower back
    "CV3",  # lower belly, on the midline
    "CV4",
    "CV5",
    "CV6",
    "CV12",  # upper belly: pressing into the belly at all is left out
    "ST25",  # beside the navel
    "ST28",
    "ST29",
    "KI16",
}
# Cramps in pregnancy are not period pain: this symptom's check question sends any chance
# of pregnancy to a doctor, so none of its routine's points need be safe in pregnancy.
PREGNANCY_SENT_TO_A_DOCTOR = {"period_pain"}
# Areas where no point is pressed in pregnancy: the belly and the lower back.
PREGNANCY_RESTRICTED_AREAS = {"abdomen", "lower_back"}

ALL_CLEAR = {
    "is_pregnant": False,
    "has_skin_problem": False,
    "has_recent_injury": False,
    "has_osteoporosis": False,
    "has_bleeding_risk": False,
    Slot.PROBLEM_AREAS: [],
}
PREGNANT = {**ALL_CLEAR, "is_pregnant": True}
SKIN_PROBLEM_ON_HANDS = {**ALL_CLEAR, "has_skin_problem": True, Slot.PROBLEM_AREAS: ["hand"]}

# symptom: (all clear, pregnant, skin problem on the hands), each written out by hand.
EXPECTED_ROUTINES = {
    "headache": (
        ["GB20", "Taiyang", "LI4", "BL2", "GV20"],
        ["GB20", "Taiyang", "BL2", "GV20"],
        ["GB20", "Taiyang", "BL2", "GV20"],
    ),
    "insomnia": (
        ["HT7", "Anmian", "Yintang", "KI1", "SP6"],
        ["HT7", "Anmian", "Yintang", "KI1"],
        ["HT7", "Anmian", "Yintang", "KI1", "SP6"],
    ),
    "anxiety": (
        ["PC6", "Yintang", "HT7", "LV3"],
        ["PC6", "Yintang", "HT7"],
        ["PC6", "Yintang", "HT7", "LV3"],
    ),
    "stress": (
        ["Yintang", "LI4", "PC6", "LV3", "GV20"],
        ["Yintang", "PC6", "GV20"],
        ["Yintang", "PC6", "LV3", "GV20"],
    ),
    "neck_shoulder_tension": (
        ["GB20", "GB21", "BL10", "SI3", "LI4"],
        ["GB20", "BL10", "SI3"],
        ["GB20", "GB21", "BL10"],
    ),
    "fatigue": (
        ["ST36", "GV20", "KI1", "CV6", "BL23"],
        ["ST36", "GV20", "KI1"],
        ["ST36", "GV20", "KI1", "CV6", "BL23"],
    ),
    "nausea": (
        ["PC6", "ST36", "CV12"],
        ["PC6", "ST36"],
        ["PC6", "ST36", "CV12"],
    ),
    "digestive_upset": (
        ["ST36", "CV12", "PC6", "ST25", "SP6"],
        ["ST36", "PC6"],
        ["ST36", "CV12", "PC6", "ST25", "SP6"],
    ),
    "eye_strain": (
        ["BL2", "Taiyang", "GB20", "Yintang", "LI4"],
        ["BL2", "Taiyang", "GB20", "Yintang"],
        ["BL2", "Taiyang", "GB20", "Yintang"],
    ),
    "low_back_ache": (
        ["BL23", "BL40", "GB34", "SI3"],
        ["BL40", "GB34", "SI3"],
        ["BL23", "BL40", "GB34"],
    ),
    # Every period-pain point is one to avoid in pregnancy (inner leg, foot, lower belly,
    # lower back): a pregnant person gets none, and a doctor (its check question).
    "period_pain": (
        ["SP6", "LV3", "CV6", "BL23"],
        [],
        ["SP6", "LV3", "CV6", "BL23"],
    ),
}


def test_every_point_on_the_clinical_list_is_tagged_for_pregnancy(kb):
    held = PREGNANCY_RESTRICTED & set(kb.points)
    assert len(held) >= 8, f"the list should cover the knowledge base's points, found only {sorted(held)}"
    untagged = sorted(code for code in held if "pregnancy" not in kb.points[code].contraindications)
    assert not untagged, f"tag these pregnancy in knowledge/points.yml: {untagged}"


def test_every_belly_and_lower_back_point_is_tagged_for_pregnancy(kb):
    untagged = sorted(
        p.code
        for p in kb.points.values()
        if p.body_area in PREGNANCY_RESTRICTED_AREAS and "pregnancy" not in p.contraindications
    )
    assert not untagged, untagged


def test_every_symptom_has_hand_written_routines(kb):
    assert set(EXPECTED_ROUTINES) == set(kb.symptoms)


CASES = [
    (symptom, label, answers, expected[index])
    for symptom, expected in EXPECTED_ROUTINES.items()
    for index, (label, answers) in enumerate(
        [("all clear", ALL_CLEAR), ("pregnant", PREGNANT), ("skin problem on the hands", SKIN_PROBLEM_ON_HANDS)]
    )
]


@pytest.mark.parametrize("symptom, label, answers, expected", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_the_screened_routine_is_the_one_written_by_hand(kb, symptom, label, answers, expected):
    routine = get_screening().safe_routine(kb, symptom, answers)
    assert [p.code for p in routine.points] == expected
    assert routine.light_pressure is False


def test_not_sure_about_pregnancy_gives_the_pregnant_routine(kb):
    # "Not sure" is stored as yes, and an unanswered question counts as yes.
    for symptom, (_, pregnant, _) in EXPECTED_ROUTINES.items():
        unanswered = {**ALL_CLEAR, "is_pregnant": None}
        assert [p.code for p in get_screening().safe_routine(kb, symptom, unanswered).points] == pregnant


def test_each_points_location_names_its_body_area(kb):
    """The words of a point's location, read the way the screening reads "where is the
    skin problem?", include the point's own body area: a person who says "a rash on my
    forearm" loses PC6, and "a cut at my temple" loses Taiyang."""
    screening = get_screening()
    wrong = {
        p.code: (p.body_area, screening.read_areas(p.location))
        for p in kb.points.values()
        if p.body_area not in (screening.read_areas(p.location) or [])
    }
    assert not wrong, wrong


@pytest.mark.parametrize(
    "words, code",
    [("a rash on my forearm", "PC6"), ("a cut on my forearm", "TE5"), ("a bruise at my temple", "Taiyang")],
)
def test_a_problem_described_in_everyday_words_leaves_out_the_point_there(kb, words, code):
    screening = get_screening()
    answers = {**ALL_CLEAR, "has_skin_problem": True, Slot.PROBLEM_AREAS: screening.read_areas(words)}
    routine = screening.filter_routine([kb.points[code]], answers, kb)
    assert routine.points == () and [x.point.code for x in routine.left_out] == [code]
