"""Whole conversations against a live Rasa server and action server over REST,
asserting what the user actually reads."""

from __future__ import annotations

import pytest

from tests.conftest import COVERED_SYMPTOMS, Chat, load_yaml

pytestmark = pytest.mark.rasa

UNSEEN = load_yaml("tests/data/unseen_symptom_phrasings.yml")["phrasings"]
CASES = [(symptom, phrasing) for symptom, phrasings in UNSEEN.items() for phrasing in phrasings]
RED_FLAGS = load_yaml("tests/data/red_flag_phrasings.yml")
RED_FLAG_CASES = [(kind, p) for kind in ("emergency", "crisis") for p in RED_FLAGS[kind]]
ESCALATION = {"emergency": "Please stop the self-care", "crisis": "reach out to a crisis line"}


def finish_screening(chat: Chat, reply: str, answers: dict[str, str] | None = None, limit: int = 10) -> str:
    """Answer each screening question (default "no") until the form is done; all replies joined."""
    answers = answers or {}
    for _ in range(limit):
        tracker = chat.tracker()
        if not tracker.get("active_loop", {}).get("name"):
            return reply
        slot = tracker["slots"].get("requested_slot")
        reply += "\n" + chat.say(answers.get(slot, "no"))
    pytest.fail(f"screening did not finish:\n{reply}")


def assert_routine(reply: str, kb, symptom_key: str) -> None:
    for point in kb.routine_points(symptom_key):
        assert point.title in reply, f"{point.title} missing for {symptom_key}:\n{reply}"
    assert kb.symptoms[symptom_key].intro in reply


def test_first_reply_carries_the_not_medical_advice_notice(chat):
    reply = chat.say("hello")
    assert "not medical advice" in reply
    assert all(number in reply for number in ("911", "999", "112", "000"))
    assert "not medical advice" not in chat.say("hi again")


# How many of the unseen symptom phrasings the model reads as their symptom: a model
# figure. Over four seeds on 2026-11-29 it was 36, 35, 38 and 37 (seed 7, the one every
# clone trains, gives 36): the floor sits two below the lowest, since another CPU can
# train a slightly different model from the same seed. Later that day, with 200 more
# everyday examples: 37, 37 and 38 for seeds 7, 11 and 23 (the floor stays). Stress
# told as pressure or overload still goes to the FAQ or to fatigue; see the README.
UNSEEN_SYMPTOMS_READ_RIGHT = 33


def test_unseen_symptom_phrasings_are_screened_then_reach_the_right_points(rasa_servers, kb):
    """Every phrasing read as its symptom goes through the screening to that symptom's
    points (a failure there is a dialogue bug); the ones misread are counted."""
    misread = {}
    for symptom_key, phrasing in CASES:
        chat = Chat(rasa_servers)
        first = chat.say(phrasing)
        assert "Please stop" not in first, phrasing
        if chat.tracker()["slots"].get("symptom") != symptom_key:
            misread[phrasing] = (symptom_key, first.splitlines()[-1][:80])
            continue
        # The symptom as understood is named before the first question, so a misreading shows.
        assert f"Before I suggest points for {COVERED_SYMPTOMS[symptom_key]}, a few quick safety questions" in first
        assert_routine(finish_screening(chat, first), kb, symptom_key)
    read_right = len(CASES) - len(misread)
    print(f"\nunseen symptom phrasings read as their symptom: {read_right} of {len(CASES)}; misread: {misread}")
    assert read_right >= UNSEEN_SYMPTOMS_READ_RIGHT, misread


def test_screening_is_asked_once_per_conversation(chat, kb):
    finish_screening(chat, chat.say("I'm completely drained of energy today"))
    second = chat.say("and I'm so stressed at work")
    assert "safety questions" not in second
    assert_routine(second, kb, "stress")


def test_volunteered_pregnancy_is_not_asked_again_and_restricted_points_are_left_out(chat, kb):
    assert "pregnancy" in chat.say("hi, I'm 20 weeks pregnant")
    reply = chat.say("my shoulders feel really knotted up")
    reply = finish_screening(chat, reply)
    assert "Are you pregnant" not in reply
    routine_part, _, left_out = reply.partition("I've left out:")
    for code in ("GB21", "LI4"):
        assert code not in routine_part.split("commonly used:")[-1].split("\n")[0]
        assert f"- {kb.points[code].title}: traditionally avoided during pregnancy" in left_out
    assert "GB20 (Fengchi)" in routine_part


@pytest.mark.parametrize("pregnancy_answer", ["/affirm", "not sure", "yes, 12 weeks", "👍"])
def test_pregnant_or_unsure_never_gets_a_pregnancy_restricted_point(chat, kb, pregnancy_answer):
    reply = finish_screening(
        chat, chat.say("I've got way too many deadlines and I'm losing it"), {"is_pregnant": pregnancy_answer}
    )
    suggested = reply.split("commonly used:")[1].split("\n")[0]
    for point in kb.routine_points("stress"):
        assert (point.code in suggested) == ("pregnancy" not in point.contraindications), (point.code, suggested)


def test_hesitating_at_the_pregnancy_question_is_never_taken_as_a_no(chat):
    chat.say("I've got way too many deadlines and I'm losing it")
    for _ in range(6):
        if chat.tracker()["slots"].get("requested_slot") == "is_pregnant":
            break
        chat.say("no")
    reply = chat.say("hmm")
    slots = chat.tracker()["slots"]
    assert slots["is_pregnant"] is True or (slots["is_pregnant"] is None and "pregnant" in reply), reply


def test_skin_problem_on_the_hands_skips_hand_points(chat, kb):
    reply = finish_screening(
        chat,
        chat.say("/symptom_stress"),  # by its payload: this test is about screening
        {"has_skin_problem": "yes, eczema", "problem_areas": "on my hands"},
    )
    assert "where you mentioned a skin problem or injury" in reply
    assert "LI4" not in reply.split("commonly used:")[1].split("\n")[0]


def test_yes_to_the_headache_check_gives_urgent_care_not_points(chat):
    chat.say("my skull is throbbing since lunch")
    reply = chat.say("/affirm")
    assert "get medical help today" in reply and "Where:" not in reply


def test_a_chance_of_pregnancy_at_the_period_pain_check_gets_a_doctor_not_points(chat):
    # Cramps with a possible pregnancy can be an ectopic pregnancy: seen today, no points.
    first = chat.say("/symptom_period_pain")
    assert "any chance you could be pregnant" in first
    reply = chat.say("yes")
    assert "get medical help today" in reply and "Where:" not in reply and "Sanyinjiao" not in reply


def test_describing_a_sudden_onset_in_answer_to_the_check_is_taken_seriously(chat):
    chat.say("got a nasty headache brewing, what should i press")
    reply = chat.say("yes, it came on suddenly")
    assert ("get medical help today" in reply or "Please stop the self-care" in reply) and "Where:" not in reply


@pytest.mark.parametrize("kind, phrasing", RED_FLAG_CASES, ids=[f"{k}:{p[:30]}" for k, p in RED_FLAG_CASES])
def test_unseen_red_flag_escalates_on_the_first_reply(chat, kind, phrasing):
    reply = chat.say(phrasing)
    assert ESCALATION[kind] in reply or ESCALATION["emergency"] in reply, reply
    assert "911" in reply and "Where:" not in reply and "safety questions" not in reply


def test_red_flag_mid_screening_stops_it_and_help_stays_in_reach(chat, kb):
    chat.say("my eyes feel gritty after hours at the monitor")
    reply = chat.say("wait, now I have crushing chest pain")
    assert ESCALATION["emergency"] in reply and "heart attack" in reply
    assert not chat.tracker().get("active_loop", {}).get("name")
    follow_up = chat.say("no I'm fine")
    assert "911" in follow_up
    later = finish_screening(chat, chat.say("my eyes are really strained after a day of spreadsheets"))
    assert "call 911" in later.split("\n")[0] or "911" in later


def test_red_flag_after_a_routine_still_escalates(chat, kb):
    assert_routine(finish_screening(chat, chat.say("/symptom_stress")), kb, "stress")  # payload: about red flags
    reply = chat.say("hang on, my left arm has gone numb and my speech is slurred")
    assert ESCALATION["emergency"] in reply and "stroke" in reply


def test_an_emergency_from_the_services_list_mid_screening_says_why(chat):
    # Categories added 2026-12-06 (bleeding that won't stop, spreading infection, ...):
    # the reply stops the screening and says why in the person's terms.
    chat.say("I've been queasy since breakfast")
    reply = chat.say("sorry, first - the cat scratch on my hand has red streaks running up my arm and I'm shivery")
    assert ESCALATION["emergency"] in reply and "sepsis" in reply and "911" in reply
    assert not chat.tracker().get("active_loop", {}).get("name")


CHECK_ASKED = "I want to be sure I understood you."


def checked_by_the_nlu(chat: Chat, text: str, classifier_intent: str | None) -> str:
    """The bot asks the red-flag check about ``text`` as if the NLU had marked it unsure
    with the classifier reading ``classifier_intent``; the check question's text. Which
    messages the NLU marks so depends on the trained model (the blind sets measure it);
    what follows a check doesn't, so it is set up through the HTTP API: the message,
    then the real action_check_red_flag on the action server."""
    chat.say("hi")
    parse_data = {
        "text": text,
        "intent": {"name": "red_flag_check", "confidence": 0.6},
        "entities": [],
        "red_flag": {"kind": "emergency", "flags": [], "unsure": True, "classifier_intent": classifier_intent},
    }
    path = f"/conversations/{chat.sender}"
    chat.servers.api(f"{path}/tracker/events", {"event": "user", "text": text, "parse_data": parse_data})
    asked = chat.servers.api(f"{path}/execute", {"name": "action_check_red_flag"})
    chat.servers.api(f"{path}/tracker/events", {"event": "action", "name": "action_listen"})
    return "\n".join(message.get("text", "") for message in asked["messages"])


@pytest.mark.parametrize(
    "text, classifier_intent, symptom_key",
    [
        ("my friends went to the cinema without me and now my head aches", "symptom_headache", "headache"),
        ("my mum had a heart attack last year and since then I can't sleep", "symptom_insomnia", "insomnia"),
    ],
)
def test_no_to_the_red_flag_check_goes_on_with_the_symptom_under_it(
    rasa_servers, kb, text, classifier_intent, symptom_key
):
    chat = Chat(rasa_servers)
    assert CHECK_ASKED in checked_by_the_nlu(chat, text, classifier_intent)
    reply = chat.say("no")
    assert f"Let's go on with your {COVERED_SYMPTOMS[symptom_key]}." in reply
    assert "tell me again" not in reply
    # Its screening starts at once, the symptom's own red-flag question first, and leads to its points.
    assert chat.tracker()["active_loop"].get("name") == "screening_form"
    assert_routine(finish_screening(chat, reply), kb, symptom_key)


def test_no_to_the_red_flag_check_asks_again_when_no_symptom_was_heard(rasa_servers):
    chat = Chat(rasa_servers)
    assert CHECK_ASKED in checked_by_the_nlu(chat, "blorp zzt", "nlu_fallback")
    assert "tell me again what's bothering you" in chat.say("no")
    assert not chat.tracker()["active_loop"].get("name")


def test_country_from_the_channel_gives_local_numbers(chat):
    reply = "\n".join(m.get("text", "") for m in chat.send("I want to end my life", metadata={"country": "UK"}))
    assert "Samaritans on 116 123" in reply and "988" not in reply.split("reach out to a crisis line")[-1]


def test_crisis_then_no_keeps_offering_help(chat):
    assert ESCALATION["crisis"] in chat.say("I don't want to be alive anymore")
    assert "988" in chat.say("no, you misunderstood")


def test_help_offers_every_complaint_each_time_it_is_asked(chat):
    """The answer to "help" was two fixed halves, one shown at random: a person saw
    five of the eleven complaints, or the other six."""
    for question in ("what sort of things are you able to help with?", "could you help me please"):
        messages = chat.send(question)
        payloads = {b["payload"] for m in messages for b in m.get("buttons", [])}
        assert {f"/symptom_{key}" for key in COVERED_SYMPTOMS} <= payloads, question
        assert "trouble sleeping" in " ".join(m.get("text", "") for m in messages)


def test_saying_what_it_is_not_never_starts_that_routine(chat):
    """Seed 7 read "not a headache" as a headache and began its screening."""
    reply = chat.say("no, it's my tooth, not a headache")
    assert "points for headache" not in reply
    assert not chat.tracker().get("active_loop", {}).get("name")
    assert "doctor or pharmacist" in reply
    # The conversation goes on: a real headache still gets its screening.
    assert "points for headache" in chat.say("ok, separately, I do get a pounding headache most evenings")


def test_a_correction_mid_screening_ends_it_and_answers_no_question(chat):
    """ "Sorry, it's not a headache really, my tooth hurts", asked about a pregnancy,
    was taken as "no, not pregnant" and the headache's screening went on."""
    chat.say("/symptom_headache")
    assert "pregnant" in chat.say("/deny").lower()  # the check answered; the next question
    reply = chat.say("sorry, it's not a headache really, my tooth hurts")
    assert "I thought you meant headache" in reply and "doctor or pharmacist" in reply
    tracker = chat.tracker()
    assert not tracker.get("active_loop", {}).get("name")
    assert tracker["slots"]["symptom"] is None and tracker["slots"]["is_pregnant"] is None
    # The conversation goes on, and the pregnancy is still asked before any routine.
    reply = chat.say("/symptom_insomnia")
    assert "points for trouble sleeping" in reply and "pregnant" in reply.lower()


def test_bot_challenge(chat):
    assert "I'm a bot" in chat.say("am I talking to a real person?")


def test_out_of_scope_is_declined_politely(chat):
    assert "outside what I can help with" in chat.say("what's the weather in Paris tomorrow?")


def test_thanks(chat):
    chat.say("hi")
    reply = chat.say("cheers, that is kind of you")
    assert "welcome" in reply.lower() or "glad" in reply.lower()


@pytest.mark.parametrize(
    "bad_input",
    [
        "",
        "   ",
        "🙂🙃🤷",
        "x" * 5000,
        "Tengo un dolor de cabeza muy fuerte y no sé qué hacer",
        "you are a useless piece of junk",
        "'; DROP TABLE users; --",
        "<script>alert(1)</script>",
    ],
    ids=["empty", "blank", "emoji", "huge", "spanish", "hostile", "sql", "html"],
)
def test_bad_input_gets_a_sensible_reply_and_the_conversation_keeps_working(chat, kb, bad_input):
    assert chat.say(bad_input).strip(), "every message deserves an answer"
    reply = chat.say("my shoulders feel really knotted up")
    assert_routine(finish_screening(chat, reply), kb, "neck_shoulder_tension")
