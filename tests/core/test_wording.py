"""The sentences built from knowledge, and the wording file's checks."""

from __future__ import annotations

import copy

import pytest
import yaml

from amma.guided_session import Step
from amma.knowledge_base import DEFAULT_KNOWLEDGE_DIR, KnowledgeBaseError
from amma.red_flags import CRISIS, EMERGENCY, get_red_flag_rules
from amma.wording import get_wording, join_words, parse_wording

WORDING = yaml.safe_load((DEFAULT_KNOWLEDGE_DIR / "wording.yml").read_text())


@pytest.fixture(scope="module")
def words():
    return get_wording()


def test_join_words():
    assert join_words([]) == ""
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b"]) == "a and b"
    assert join_words(["a", "b", "c"], "or") == "a, b or c"


def test_describe_point_says_where_why_how_and_how_long(kb, words):
    point = kb.points["LI4"]
    text = words.describe_point(point, 2)
    assert text.startswith("2. LI4 (Hegu), Large Intestine 4\n")
    assert f"Where: {point.location}" in text
    assert "Why: traditionally used for tension headaches, facial tension and stress." in text
    assert "Hold for about 60 seconds on each side." in text


def test_midline_point_has_no_sides(kb, words):
    assert "on each side" not in words.describe_point(kb.points["GV20"])


def test_restriction_notes_name_only_tagged_points(kb, words):
    notes = words.restriction_notes([kb.points["LI4"], kb.points["PC6"]], kb)
    assert len(notes) == 1 and notes[0].startswith("If you are pregnant or might be, skip LI4: ")
    assert words.restriction_notes([kb.points["PC6"]], kb) == []


@pytest.mark.parametrize(
    "code, side, phrase",
    [
        ("LI4", "left", "your left hand"),
        ("PC6", "right", "your right arm"),
        ("HT7", "left", "your left wrist"),
        ("Taiyang", "left", "the left side of your face"),
        ("GB20", "left", "the left side of your neck"),
        ("CV12", None, "the middle, one point only"),
        ("ST25", "right", "the right side of your belly"),
        ("BL23", "left", "the left side of your lower back"),
        ("KI1", "right", "your right foot"),
    ],
)
def test_which_side_to_press(kb, words, code, side, phrase):
    assert words.side_phrase(kb.points[code], side) == phrase


def test_a_step_says_which_point_and_side_where_how_and_for_how_long(kb, words):
    point = kb.points["LI4"]
    step = Step(number=3, total=8, code="LI4", side="left", seconds=60)
    assert words.step_message(step, point).split("\n") == [
        "Step 3 of 8: LI4 (Hegu), your left hand.",
        f"Where: {point.location}",
        f"How: {point.technique} Press and hold for 60 seconds.",
        'Say "done" when the time is up, or "repeat", "back", "pause", "skip", "time left" or "stop".',
    ]
    assert f"How: {point.technique} Press again and hold for the 24 seconds that were left." in words.step_message(
        step, point, 23.6
    )


@pytest.mark.parametrize(
    "before, after, starts",
    [
        (6, 3, "Your headache went from 6 to 3 out of 10. Nice."),
        (5, 5, "Your headache is still 5 out of 10. That happens;"),
        (4, 7, "Your headache went up from 4 to 7 out of 10. Please stop pressing for now."),
        (
            None,
            3,
            "Well done for taking the time. You can repeat this routine later today if your headache comes back.",
        ),
    ],
)
def test_rating_report(kb, words, before, after, starts):
    assert words.rating_report(kb.symptoms["headache"], before, after).startswith(starts)


def test_contacts_become_sentences(words):
    rules = get_red_flag_rules()
    crisis = words.escalation(rules, CRISIS, None, rules.contacts_for(None)).split("\n")
    assert crisis[-4:] == [
        "- US: call or text 988 (Suicide & Crisis Lifeline); emergency 911",
        "- UK: call Samaritans on 116 123, or text SHOUT to 85258; emergency 999 (or 111 if it's urgent but not an "
        "emergency)",
        "- EU: call your country's emotional support line on 116 123 (in many EU countries); emergency 112",
        "- Australia: call Lifeline on 13 11 14; emergency 000",
    ]
    emergency = words.escalation(rules, EMERGENCY, None, rules.contacts_for("AU")).split("\n")
    assert emergency[-1] == "- Australia: emergency 000"
    assert words.reminder(EMERGENCY, rules.contacts_for(None)) == (
        "If anything feels worse or new symptoms appear, call 911 (US), 999 (UK), 112 (EU), 000 (Australia) "
        "straight away."
    )
    assert words.reminder(CRISIS, rules.contacts_for("uk")) == (
        "If those thoughts come back, help is there any time: UK call Samaritans on 116 123, or text SHOUT to 85258."
    )


def test_the_disclaimer_gives_every_emergency_number(words):
    assert words.disclaimer(get_red_flag_rules().contacts_for(None)) == (
        "Hi, I'm Amma, a self-care guide for acupressure. I share general information, not medical advice, and I "
        "can't diagnose anything. In an emergency call your local emergency number (911 US, 999 UK, 112 EU, "
        "000 Australia)."
    )


def test_welcome_back(words):
    assert words.welcome_back({"symptom_name": "stress", "before": 7, "after": 2}) == (
        "Welcome back. Last time your stress went from 7 to 2 out of 10. How has it been since?"
    )


def broken(change) -> str:
    document = copy.deepcopy(WORDING)
    change(document)
    with pytest.raises(KnowledgeBaseError) as error:
        parse_wording(document)
    return str(error.value)


def test_a_missing_template_is_named():
    assert "wording.yml: missing 'guided.paused'" in broken(lambda d: d["guided"].pop("paused"))


def test_a_name_the_code_does_not_fill_in_is_rejected_with_the_ones_it_does():
    message = broken(lambda d: d["guided"].update(paused="Paused with {secs} to go."))
    assert "'guided.paused' uses ['secs'], which the code does not fill in (it may use: {seconds})" in message


def test_an_unknown_template_a_stray_brace_and_empty_text_are_rejected():
    def change(document):
        document["guided"]["pasued"] = "typo"
        document["point"]["where"] = "Where: {location"
        document["buttons"]["done"] = " "

    message = broken(change)
    assert "'guided.pasued' is not a template the code uses" in message
    assert "'point.where' has a stray brace" in message and "'buttons.done' must be non-empty text" in message


def test_help_offers_every_symptom_in_the_knowledge_file_as_a_button(kb, words):
    """Read from symptoms.yml itself, so a symptom added there must show up in help."""
    listed = yaml.safe_load((DEFAULT_KNOWLEDGE_DIR / "symptoms.yml").read_text())["symptoms"]
    reply = words.help(kb)
    assert [b.payload for b in reply.buttons] == [f"/symptom_{s['key']}" for s in listed]
    for symptom in listed:
        assert symptom["name"] in reply.text
    # Written out by hand: what a person sees on two of the buttons.
    titles = {b.payload: b.title for b in reply.buttons}
    assert titles["/symptom_insomnia"] == "Trouble sleeping"
    assert titles["/symptom_low_back_ache"] == "Lower back ache"
    assert "upset stomach, eye strain, lower back ache or period pain. " in reply.text


def test_the_point_help_gives_as_an_example_exists(kb, words):
    assert "where is LI4?" in words.help(kb).text
    assert kb.find_point("LI4") is not None
