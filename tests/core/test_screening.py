"""Screening: reading answers, and an exhaustive proof that no unsafe point is ever suggested."""

from __future__ import annotations

import itertools

import pytest

from amma.knowledge_base import BODY_AREAS
from amma.names import Intent, Slot
from amma.screening import get_screening
from tests.core.test_safety_oracle import PREGNANCY_RESTRICTED, PREGNANCY_SENT_TO_A_DOCTOR


@pytest.fixture(scope="module")
def screening():
    return get_screening()


@pytest.mark.parametrize(
    "text, intent, requested, expected",
    [
        ("I'm 20 weeks pregnant", None, None, {"is_pregnant": True}),
        ("we're expecting twins, third trimester", None, "has_osteoporosis", {"is_pregnant": True}),
        ("I'm not pregnant", None, "is_pregnant", {"is_pregnant": False}),
        ("I take warfarin", None, "is_pregnant", {"has_bleeding_risk": True}),
        ("nope", Intent.DENY, "is_pregnant", {"is_pregnant": False}),
        ("/affirm", Intent.AFFIRM, "has_osteoporosis", {"has_osteoporosis": True}),
        ("not sure", "nlu_fallback", "is_pregnant", {"is_pregnant": True}),
        ("not sure", Intent.DENY, "is_pregnant", {"is_pregnant": True}),  # "not" must not make it a no
        ("I don't know", Intent.DENY, "has_osteoporosis", {"has_osteoporosis": True}),
        ("hmm", Intent.DENY, "is_pregnant", {"is_pregnant": True}),  # the classifier hears "hmm" as no
        ("erm...", Intent.DENY, "has_bleeding_risk", {"has_bleeding_risk": True}),
        ("hmm no", Intent.DENY, "is_pregnant", {"is_pregnant": False}),
        ("my eyes are sore and my sleep is broken", None, None, {}),  # everyday words are not screening facts
        (
            "no",
            Intent.DENY,
            Slot.PROBLEM_AREAS,
            {Slot.PROBLEM_AREAS: [], "has_skin_problem": False, "has_recent_injury": False},
        ),
        ("not sure where", None, Slot.PROBLEM_AREAS, {Slot.PROBLEM_AREAS: sorted(BODY_AREAS)}),
        ("maybe?", None, "has_bleeding_risk", {"has_bleeding_risk": True}),
        ("nah all good", None, "has_recent_injury", {"has_recent_injury": False}),
        # A problem named with its place gives the place too.
        ("I broke my wrist last month", None, None, {"has_recent_injury": True, Slot.PROBLEM_AREAS: ["wrist"]}),
        ("eczema on my hands", None, "has_skin_problem", {"has_skin_problem": True, Slot.PROBLEM_AREAS: ["hand"]}),
        ("I've got eczema", None, None, {"has_skin_problem": True}),  # where is still asked
        ("a graze along my shin", None, None, {"has_skin_problem": True, Slot.PROBLEM_AREAS: ["leg"]}),
        ("I cut down on coffee", None, None, {}),
        ("had knee surgery three weeks ago", None, None, {"has_recent_injury": True, Slot.PROBLEM_AREAS: ["leg"]}),
        ("my left wrist and both hands", None, Slot.PROBLEM_AREAS, {Slot.PROBLEM_AREAS: ["hand", "wrist"]}),
        ("all over really", None, Slot.PROBLEM_AREAS, {Slot.PROBLEM_AREAS: sorted(BODY_AREAS)}),
        ("purple monkey", None, "is_pregnant", {}),
        # A general question about a condition is not a fact about the person; the form asks.
        ("is acupressure safe in pregnancy?", None, None, {}),
        ("are any points risky when you're expecting a baby", None, None, {}),
        ("does it matter if someone takes blood thinners", None, None, {}),
        ("can I still do this if I'm pregnant?", None, None, {"is_pregnant": True}),
        ("I take warfarin, is that a problem?", None, None, {"has_bleeding_risk": True}),
    ],
)
def test_read_answers(screening, text, intent, requested, expected):
    assert screening.read_answers(text, intent, requested) == expected


# Pregnancy in everyday words, and statements that say nothing about the person.
PREGNANCY_READINGS = [
    # said as a fact, in the words people use
    ("we're expecting", None, True),
    ("I'm 12 weeks gone", None, True),
    ("about 30 weeks along now", None, True),
    ("my bump is starting to show", None, True),
    ("second trimester", None, True),
    ("we're expecting twins in the spring", None, True),
    ("this morning sickness is relentless", None, True),
    ("got a positive test yesterday!", None, True),
    ("we had our embryo transfer on monday", None, True),
    ("we're going through ivf right now", None, True),
    ("trying to conceive at the moment", None, True),
    ("my period is late", None, True),
    ("preggers with number two", None, True),
    ("I thought I couldn't be pregnant but the test came back positive", None, True),
    ("i didn't think i could be pregnant, but it came back positive", None, True),
    ("never thought I could get pregnant, but the doctor confirmed it", None, True),
    ("the doctor says I'm not pregnant", None, False),
    ("hang on, I'm actually expecting", None, True),
    # someone else, in general, or in a question: nothing about the person
    ("my sister is not pregnant", None, None),
    ("my sister is pregnant", None, None),
    ("my wife is expecting our first", None, None),
    ("she's 20 weeks along", None, None),
    ("is it safe for pregnant women?", None, None),
    ("I read that pregnant women should avoid LI4", None, None),
    ("my covid test came back positive", None, None),
    ("I'm expecting a parcel", None, None),
    # about someone else, then about the person
    ("my sister is not pregnant but I am", None, True),
    ("my sister is pregnant and so am I", None, True),
    ("my sister is pregnant but I'm not", None, False),
    # no, unless something says might be
    ("I'm not pregnant", None, False),
    ("no, but we're trying", "is_pregnant", True),
    ("No. But we are trying.", "is_pregnant", True),
    ("I'm not pregnant but we're trying", None, True),
    ("no, 9 weeks", "is_pregnant", True),
    ("no", "is_pregnant", False),
    ("no, I'm a guy", "is_pregnant", False),
    # "trying" says nothing until pregnancy is the subject
    ("we're trying a new routine", None, None),
]


@pytest.mark.parametrize("text, requested, expected", PREGNANCY_READINGS, ids=[r[0] for r in PREGNANCY_READINGS])
def test_pregnancy_in_everyday_words(screening, text, requested, expected):
    assert screening.read_answers(text, None, requested).get("is_pregnant") is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("i take aspirin every day for my heart", True),
        ("my platelet count is low", True),
        ("I'm on anticoagulation for atrial fibrillation", True),
        ("I'm not on blood thinners", False),
        ("I don't take warfarin", False),
        ("my dad takes warfarin", None),
        ("does it matter if I'm on warfarin?", True),
    ],
)
def test_bleeding_risk_in_everyday_words(screening, text, expected):
    assert screening.read_answers(text, None, None).get("has_bleeding_risk") is expected


def test_a_later_no_never_replaces_a_yes_that_must_be_confirmed(screening):
    pregnant = {"is_pregnant": True, "has_bleeding_risk": True, "has_osteoporosis": True}
    said = {"is_pregnant": False, "has_bleeding_risk": False, "has_osteoporosis": False}
    settled = screening.settle(pregnant, said, confirming=None)
    # Pregnancy and bleeding risk stay yes until confirmed; osteoporosis takes the correction.
    assert settled.values == {"is_pregnant": True, "has_bleeding_risk": True, "has_osteoporosis": False}
    assert settled.to_confirm == ("is_pregnant", "has_bleeding_risk")


def test_the_answer_to_the_confirmation_itself_counts(screening):
    settled = screening.settle({"is_pregnant": True}, {"is_pregnant": False}, confirming="is_pregnant")
    assert settled.values == {"is_pregnant": False} and settled.to_confirm == ()
    kept = screening.settle({"is_pregnant": True}, {"is_pregnant": True}, confirming="is_pregnant")
    assert kept.values == {"is_pregnant": True} and kept.to_confirm == ()


def test_a_no_with_nothing_known_before_and_a_yes_after_a_no_just_count(screening):
    assert screening.settle({}, {"is_pregnant": False}, None).values == {"is_pregnant": False}
    assert screening.settle({"is_pregnant": False}, {"is_pregnant": True}, None).values == {"is_pregnant": True}


def test_places_add_to_those_already_known(screening):
    settled = screening.settle({Slot.PROBLEM_AREAS: ["hand"]}, {Slot.PROBLEM_AREAS: ["leg"]}, None)
    assert settled.values == {Slot.PROBLEM_AREAS: ["hand", "leg"]}


def test_the_confirmation_questions_keep_the_yes_unless_clearly_denied(screening):
    for slot in ("is_pregnant", "has_bleeding_risk"):
        question = screening.confirmation(slot)
        assert question.text.startswith("Earlier you") and question.text.endswith("?")
        assert [b.payload for b in question.buttons] == ["/affirm", "/deny", "not sure"]
    assert screening.question("has_osteoporosis").confirm is None


def test_area_question_only_after_a_local_problem(screening):
    assert Slot.PROBLEM_AREAS not in screening.required_slots({"has_skin_problem": False})
    assert screening.required_slots({"has_recent_injury": True})[-1] == Slot.PROBLEM_AREAS


def answer_combinations(screening):
    """Every combination of yes / no / unanswered, and each single problem area or none."""
    slots = screening.slots
    for values in itertools.product([True, False, None], repeat=len(slots)):
        answers = dict(zip(slots, values, strict=True))
        for areas in [None, *([a] for a in sorted(BODY_AREAS))]:
            yield {**answers, Slot.PROBLEM_AREAS: areas}


def test_no_routine_ever_contains_a_point_its_answers_forbid(kb, screening):
    checked = 0
    for symptom in kb.symptoms.values():
        points = kb.routine_points(symptom.key)
        for answers in answer_combinations(screening):
            routine = screening.filter_routine(points, answers, kb)
            forbidden_tags = set().union(
                *(q.excludes_tags for q in screening.questions if answers[q.slot] is not False)
            )
            local = any(q.asks_area and answers[q.slot] is not False for q in screening.questions)
            areas = set(answers[Slot.PROBLEM_AREAS] or (BODY_AREAS if local else []))
            for point in routine.points:
                assert not point.contraindications & forbidden_tags, (symptom.key, point.code, answers)
                # ... and, whatever the tags say, the hand-written clinical list for pregnancy.
                assert answers["is_pregnant"] is False or point.code not in PREGNANCY_RESTRICTED, (symptom.key, point)
                assert not (local and point.body_area in areas), (symptom.key, point.code, answers)
            assert {p.code for p in routine.points} | {x.point.code for x in routine.left_out} == {
                p.code for p in points
            }
            bleeding = answers["has_bleeding_risk"] is not False
            assert routine.light_pressure == bleeding
            checked += 1
    assert checked == len(kb.symptoms) * 3 ** len(screening.slots) * (len(BODY_AREAS) + 1)


def test_pregnancy_removes_every_pregnancy_restricted_point_in_every_routine(kb, screening):
    for symptom in kb.symptoms.values():
        routine = screening.filter_routine(
            kb.routine_points(symptom.key), {s: False for s in screening.slots} | {"is_pregnant": True}, kb
        )
        assert all("pregnancy" not in p.contraindications for p in routine.points)
        if symptom.key not in PREGNANCY_SENT_TO_A_DOCTOR:
            assert routine.points, f"{symptom.key} leaves nothing for a pregnant person"


def test_a_button_without_a_payload_is_rejected(tmp_path):
    import yaml

    from amma.knowledge_base import DEFAULT_KNOWLEDGE_DIR, KnowledgeBaseError
    from amma.screening import parse_screening

    document = yaml.safe_load((DEFAULT_KNOWLEDGE_DIR / "screening.yml").read_text())
    document["buttons"].append({"title": "Maybe"})
    with pytest.raises(KnowledgeBaseError) as error:
        parse_screening(document, ["pregnancy", "osteoporosis"])
    assert "button {'title': 'Maybe'} needs exactly a 'title' and a 'payload'" in str(error.value)


def test_a_misnamed_pattern_list_or_an_empty_confirmation_is_rejected():
    import yaml

    from amma.knowledge_base import DEFAULT_KNOWLEDGE_DIR, KnowledgeBaseError
    from amma.screening import parse_screening

    document = yaml.safe_load((DEFAULT_KNOWLEDGE_DIR / "screening.yml").read_text())
    document["questions"][0]["volunteered"]["in_contxt"] = ["typo"]
    document["questions"][1]["confirm"] = "  "
    with pytest.raises(KnowledgeBaseError) as error:
        parse_screening(document, ["pregnancy", "osteoporosis"])
    assert "volunteered takes only 'affirm', 'deny' and 'in_context'" in str(error.value)
    assert "question 'has_skin_problem': 'confirm' must be the text of a question" in str(error.value)
