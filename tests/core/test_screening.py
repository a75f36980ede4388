"""Screening: reading answers, and an exhaustive proof that no unsafe point is ever suggested."""

from __future__ import annotations

import itertools

import pytest

from amma.knowledge_base import BODY_AREAS
from amma.names import Intent, Slot
from amma.screening import get_screening


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
        ("I broke my wrist last month", None, None, {"has_recent_injury": True}),
        ("eczema on my hands", None, "has_skin_problem", {"has_skin_problem": True}),
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
