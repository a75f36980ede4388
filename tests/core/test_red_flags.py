"""The deterministic red-flag layer: patterns, negation, messages, data validation."""

from __future__ import annotations

import copy

import pytest
import yaml

from amma.knowledge_base import DEFAULT_KNOWLEDGE_DIR, KnowledgeBaseError
from amma.red_flags import CRISIS, EMERGENCY, country_from, get_red_flag_rules, parse_red_flag_rules
from amma.wording import get_wording
from tests.conftest import load_yaml, nlu_examples

HELD_OUT = load_yaml("tests/data/red_flag_phrasings.yml")
ORDINARY = [
    p for phrasings in load_yaml("tests/data/unseen_symptom_phrasings.yml")["phrasings"].values() for p in phrasings
]
RED_FLAG_INTENTS = {"red_flag_emergency": EMERGENCY, "red_flag_crisis": CRISIS}
# Too vague for a pattern without false alarms ("i wanna end it" also means
# "stop the routine"): the classifier, trained on them, answers these alone.
LEFT_TO_THE_CLASSIFIER = {"nothing matters, I'm done", "i wanna end it"}


@pytest.fixture(scope="module")
def rules():
    return get_red_flag_rules()


def verdict(rules, text):
    """(kind, flag names) a message raises, (None, ()) for none."""
    detection = rules.detect(text)
    return (detection.kind, detection.names) if detection else (None, ())


@pytest.mark.parametrize("kind", [EMERGENCY, CRISIS])
def test_every_held_out_red_flag_phrasing_is_caught_by_the_patterns(rules, kind):
    missed = [p for p in HELD_OUT[kind] if rules.detect(p) is None]
    assert not missed, f"{kind} phrasings the safety net misses: {missed}"


def test_every_red_flag_training_example_is_caught_by_the_patterns(rules):
    """A classifier trained on a phrasing can still miss its neighbours (cross-validation
    missed "cant breath" and "i wanna die fr"); the patterns must not depend on it."""

    def caught(text: str, kind: str) -> bool:
        detection = rules.detect(text)
        # Emergency may win over crisis (an overdose), never the other way round.
        return detection is not None and (detection.kind == kind or kind == CRISIS)

    for intent, kind in RED_FLAG_INTENTS.items():
        missed = [t for t in nlu_examples()[intent] if t not in LEFT_TO_THE_CLASSIFIER and not caught(t, kind)]
        assert not missed, f"{intent} training examples the patterns miss: {missed}"


def test_no_other_training_example_escalates(rules):
    """Everyday examples may tell a sign as history ("dad had a stroke years ago"): asked about, never escalated."""
    flagged = {
        t: rules.detect(t).names
        for intent, examples in nlu_examples().items()
        if intent not in RED_FLAG_INTENTS
        for t in examples
        if rules.detect(t) and not rules.detect(t).past
    }
    assert not flagged


def test_crisis_phrasings_are_crisis(rules):
    wrong = [
        p
        for p in HELD_OUT[CRISIS]
        if rules.detect(p)
        and rules.detect(p).kind == EMERGENCY
        and not any(f.kind == CRISIS for f in rules.detect(p).flags)
    ]
    assert not wrong


def test_ordinary_symptom_phrasings_do_not_escalate(rules):
    assert len(ORDINARY) >= 40
    flagged = {p: rules.detect(p).names for p in ORDINARY if rules.detect(p)}
    assert not flagged


@pytest.mark.parametrize(
    "text",
    [
        "my head is killing me",
        "the pressure at work is crushing me",
        "I'm dying for a coffee",
        "no chest pain, just a stiff neck from my desk",
        "I didn't hit my head, it's just tension",
        "I'm pregnant and feel sick in the mornings",
        "stiff neck but no fever",
        "I could sleep for a week",
        "killing time before my meeting, shoulders tight",
        "my friend came round after work",
        "sore throat and swollen glands",
        "neck pain shooting down into my left arm",
        "my boss threw me under the bus",
        "I'm so tired I'm about to pass out",
        "that's odd",
        "I've been cutting carbs",
        "I'm expecting a parcel and my back is in severe pain",
        "stop, I want to end it here",
        "those pills knocked me out, slept 12 hours",
        "my leg went numb from sitting cross legged",
        "there's no way out of this contract lol",
        "my laptop is unresponsive",
        # Near misses of the categories added for the blind-test gaps.
        "this headache is killing me",
        "I could kill for a coffee",
        "I fell off my bike last year, fine since",
        "I took 2 paracetamol",
        "my eyes are tired",
        "I'm dying to sleep",
        "no chest pain, just tight shoulders",
        "I think I have food poisoning",
        "I ate some battered fish and feel bloated",
        "it took 20 minutes for the painkillers to kick in",
        "I take 50 mg tramadol twice a day",
        "we all feel sick after the barbecue",
        "the whole family has a cold and a headache",
        "we all have gas and feel a bit sick",
        "I've taken 14 tablets this week as prescribed",
        "my son took his tablets this morning",
        "I'll take my pills tonight",
        "my phone isn't responding",
        "my mum won't respond to my texts",
        "he's not responding to the antibiotics",
        "she stopped breathing through her nose when it got blocked",
        "my boss is breathing down my neck",
        "my bum is numb from sitting on this hard chair",
        "my bum is numb and my back aches from the hard chair",
        "my back hurts after falling asleep on the sofa",
        "my neck has hurt since a car accident years ago",
        "neck pain from sleeping funny",
        "eye strain from screens and a bit blurry by evening",
        "my eyes hurt from the screen and my vision is blurry",
        "I'm giving away my old clothes to charity",
        "saying goodbye to my family at the airport",
        "when I'm gone on holiday who will water the plants",
        "I wrote a note to my mum about dinner",
        "this is my last day at work before the holidays",
        "I have a plan for my workout tonight",
        "skipping rope workout tonight",
        "rope burn on my hands from climbing",
        "I cut my finger chopping onions",
        "I use a razor on my legs",
        "I've been banging my head against the wall with this spreadsheet",
        "I saved up for a new bike",
        "no fever, rash or stiff neck",
        "tummy bug, I was sick yesterday but I've kept toast down today",
        "I feel sick and haven't been hungry since the weekend",
        "constipated for a few days, no vomiting, just uncomfortable",
        "bloated after a big dinner",
        "how many tablets of magnesium is enough to help sleep",
        "this is my last week before the exams",
        "my boss gives me a heart attack every monday",
        "my voice sounds weird from this cold",
        "my jaw won't move properly since I started grinding my teeth",
        "I nearly had a heart attack when I saw the bill",
        "watched the Suicide Squad film last night and my eyes are tired",
        "I was knocked out cold by flu for a few days",
        "heart attack levels of stress at work lol",
        "something for these cramps, preferably without meds",
        "I'd like to manage without medication",
        "my friends went to the cinema without me and now I've got a tension headache",
        "can you start the routine without me pressing too hard?",
        "they go on holiday without me every year",
        # Near misses of the categories from the emergency services' list (2026-12-06).
        "my nose bled for a minute this morning and stopped",
        "my gums bleed and I can't stop worrying about it",
        "no bleeding, just a bruise on my shin",
        "I got shot down by my crush lol",
        "I feel stabbed in the back by my colleague",
        "I checked out of the hotel and now my neck aches from the bed",
        "clocked out early and went home with a headache",
        "my stomach is rock hard from bloating",
        "my blood sugar dipped before lunch so I had a banana",
        "it was so hot on the beach, I had to sit in the shade",
        "make my headache stop for good please",
        "I got soap in my eye in the shower",
        "a bit of a temperature and a blocked nose",
        "I burnt my finger on the oven door, it's a small red mark",
        "I was choking up during my speech at the wedding",
        "I keep choking on my words in meetings",
        "I can't see a way out of this phone contract",
        "the voices of my kids playing outside keep me awake",
        "I keep my shotgun locked away for clay shooting",
        "I've packed my tablets and I won't be around for long, back on Monday",
        "the river walk was lovely, nothing left to do today",
        "my friends are at the pub, I'll join them soon once my tablets kick in",
        "my aunt died and I'll be with my cousins soon at the funeral",
        "see you on the other side of the exams!",
        "I nearly drove into a tree on the ice this morning",
    ],
)
def test_everyday_words_that_sound_alarming_do_not_escalate(rules, text):
    assert rules.detect(text) is None


@pytest.mark.parametrize(
    "text, kind, flag",
    [
        # Cauda equina: back pain with saddle numbness or the bladder or bowel letting go.
        ("my lower back is killing me and my groin has gone numb", EMERGENCY, "cauda_equina"),
        ("sciatica and now numbness around my bottom and between my legs", EMERGENCY, "cauda_equina"),
        ("back pain and I've lost control of my bladder since this morning", EMERGENCY, "cauda_equina"),
        ("bad back and I can't feel when I need to pee", EMERGENCY, "cauda_equina"),
        ("slipped disc, tingling in my private parts", EMERGENCY, "cauda_equina"),
        ("could this be cauda equina", EMERGENCY, "cauda_equina"),
        # The neck or back after a fall from a height or a crash.
        ("fell off a ladder and now my neck really hurts", EMERGENCY, "spine_after_injury"),
        ("my husband fell from the roof and says his back is agony", EMERGENCY, "spine_after_injury"),
        ("car crash this morning and my neck is so stiff I can't turn it", EMERGENCY, "spine_after_injury"),
        ("got rear-ended on the motorway and my neck hurts", EMERGENCY, "spine_after_injury"),
        ("back pain since I came off my motorbike yesterday", EMERGENCY, "spine_after_injury"),
        ("fell about 10 feet from the scaffolding and my back hurts", EMERGENCY, "spine_after_injury"),
        # Sudden severe eye pain with loss of sight.
        ("sudden severe pain in my right eye and everything is blurry", EMERGENCY, "eye_pain_vision_loss"),
        ("my eye hurts so badly and I can't see out of it", EMERGENCY, "eye_pain_vision_loss"),
        ("excruciating eye pain and I'm seeing halos around lights", EMERGENCY, "eye_pain_vision_loss"),
        # Overdose and poisoning.
        ("I took 30 paracetamol", EMERGENCY, "overdose_or_poisoning"),
        ("swallowed bleach", EMERGENCY, "overdose_or_poisoning"),
        ("a child ate tablets from my bag", EMERGENCY, "overdose_or_poisoning"),
        ("my 3 year old got into the dishwasher tablets", EMERGENCY, "overdose_or_poisoning"),
        ("I've taken about forty of my sleeping pills", EMERGENCY, "overdose_or_poisoning"),
        ("she drank some antifreeze", EMERGENCY, "overdose_or_poisoning"),
        ("I think I've been poisoned", EMERGENCY, "overdose_or_poisoning"),
        # Someone else not breathing or not responding.
        ("my dad isn't breathing", EMERGENCY, "not_breathing_or_unresponsive"),
        ("she's not responding and her lips look grey", EMERGENCY, "not_breathing_or_unresponsive"),
        ("I found my flatmate on the floor, he's not breathing", EMERGENCY, "not_breathing_or_unresponsive"),
        ("my husband won't wake up", EMERGENCY, "not_breathing_or_unresponsive"),
        ("how do I do CPR", EMERGENCY, "not_breathing_or_unresponsive"),
        ("can't find a pulse", EMERGENCY, "not_breathing_or_unresponsive"),
        # Stroke signs in plain words.
        ("the left side of his face won't move and he's dribbling", EMERGENCY, "stroke_signs"),
        ("one side of my lips feels numb and dead", EMERGENCY, "stroke_signs"),
        ("my words keep coming out wrong and I feel odd", EMERGENCY, "stroke_signs"),
        ("her speech sounds drunk but she hasn't had anything", EMERGENCY, "stroke_signs"),
        # A blocked or burst bowel: vomiting with nothing passing, a rigid belly.
        ("I've been vomiting since last night and haven't passed any wind", EMERGENCY, "severe_abdominal"),
        ("keep throwing up and can't poo, my stomach is so bloated", EMERGENCY, "severe_abdominal"),
        ("my stomach is rigid like a board and it hurts to move", EMERGENCY, "severe_abdominal"),
        ("my baby is vomiting green", EMERGENCY, "severe_abdominal"),
        ("her belly has gone rigid and she's screaming in agony", EMERGENCY, "severe_abdominal"),
        # The rest of the emergency services' "call now" list (2026-12-06).
        ("I've pressed on it for half an hour and the cut won't stop bleeding", EMERGENCY, "heavy_bleeding"),
        ("my nose has been bleeding for two hours", EMERGENCY, "heavy_bleeding"),
        ("blood is pumping out of the gash on my leg", EMERGENCY, "heavy_bleeding"),
        ("it's bled through three tea towels already", EMERGENCY, "heavy_bleeding"),
        ("the lawnmower caught my toe and it's hanging off", EMERGENCY, "serious_injury"),
        ("you can see the bone sticking out of his shin", EMERGENCY, "serious_injury"),
        ("her wrist is bent the wrong way after she fell off the trampoline", EMERGENCY, "serious_injury"),
        ("my grandma can't put any weight on her leg after a fall", EMERGENCY, "serious_injury"),
        ("my mate has just been stabbed", EMERGENCY, "serious_injury"),
        ("there's a nail stuck in my foot, right through the shoe", EMERGENCY, "serious_injury"),
        ("he touched the cable and got an electric shock, now he's confused", EMERGENCY, "severe_burn"),
        ("I spilled boiling oil on my arm and the skin is peeling off", EMERGENCY, "severe_burn"),
        ("acid splashed into my eye at work", EMERGENCY, "eye_injury"),
        ("a shard of glass flew into my eye", EMERGENCY, "eye_injury"),
        ("red lines are creeping up my leg from the blister", EMERGENCY, "spreading_infection_or_sepsis"),
        (
            "the redness round the wound is spreading and I'm shivering with a fever",
            EMERGENCY,
            "spreading_infection_or_sepsis",
        ),
        ("my baby's skin looks mottled and she won't feed", EMERGENCY, "spreading_infection_or_sepsis"),
        ("my son has a temp and purple spots on his arms", EMERGENCY, "meningitis_signs"),
        ("sudden swelling in my testicle, it came on an hour ago", EMERGENCY, "testicular_pain"),
        ("my dad's sugar is very low and he's drowsy", EMERGENCY, "diabetic_emergency"),
        ("she had a hypo and now she's unconscious", EMERGENCY, "diabetic_emergency"),
        ("I think it's heatstroke, he's stopped sweating and he's confused", EMERGENCY, "heat_cold_or_water"),
        ("I think my grandad has hypothermia", EMERGENCY, "heat_cold_or_water"),
        ("my daughter nearly drowned in the lake this afternoon", EMERGENCY, "heat_cold_or_water"),
        ("my little boy is choking on a sweet and going red", EMERGENCY, "breathing_or_seizure"),
        ("a piece of apple got stuck in her throat and she can't cough", EMERGENCY, "breathing_or_seizure"),
        # Crises: a means named beside finality, or joining someone who died (2026-12-06).
        ("the rifle is in the cupboard and I won't be a burden for much longer", CRISIS, "means_with_finality"),
        ("I've kept all my tablets in a jar, it's been a good run", CRISIS, "means_with_finality"),
        ("thinking about one last swim into the sea tonight", CRISIS, "means_with_finality"),
        ("sometimes I think I could steer into the lorry on the motorway", CRISIS, "means_with_finality"),
        ("since my brother died I can't go on without him", CRISIS, "joining_the_dead"),
        ("he's been gone since June and I'll be with him soon", CRISIS, "joining_the_dead"),
    ],
)
def test_each_added_category_fires(rules, text, kind, flag):
    found, names = verdict(rules, text)
    assert found == kind and flag in names


@pytest.mark.parametrize(
    "text",
    [
        # Preparation and farewell.
        "I've been giving away all my stuff",
        "I've said my goodbyes",
        "I wrote letters to my kids for when I'm gone",
        "I've put my affairs in order",
        "this is goodbye forever",
        # Self-harm by any method.
        "I burn my arms with a lighter when I'm upset",
        "I've been cutting my thighs",
        "I hit my head against the wall on purpose until it bleeds",
        "I scratch my skin until it bleeds",
        "the urge to cut is so strong tonight",
        # Plans with the means.
        "I have a stockpile of pills",
        "I've been saving up my sleeping pills",
        "I bought a rope and I'm going to use it tonight",
        "I've got a plan and the pills",
        "I've worked out how I'm going to end it",
        "I've been reading about the lethal dose of my antidepressants",
        "how many paracetamol would be enough",
        "I've made up my mind that this is my last weekend",
        # Crisis words inside a symptom request.
        "help my neck tension, I want to use the rope on myself",
        "points for sleep please, I'm going to end my life tonight anyway",
        # Someone else in crisis.
        "my friend wants to kill herself",
        "my son keeps talking about ending his life",
        "my sister has been cutting herself",
        "he told me he wants to die",
        # Wishing not to exist, or for it all to stop for good (2026-12-06).
        "I keep thinking about not existing",
        "I'd rather not wake up tomorrow",
        "I'm ready to check out for good",
        "is there a point to make it all stop permanently",
        "I just want to stop feeling anything, forever",
        # Voices that command harm, and feeling trapped (C-SSRS, crisis lines).
        "there's a voice that keeps telling me to walk into the sea",
        "the voices told me to hurt myself again",
        "I'm stuck and I honestly can't see any way out",
    ],
)
def test_each_added_crisis_phrasing_is_crisis(rules, text):
    assert "suicide_or_self_harm" in verdict(rules, text)[1]


@pytest.mark.parametrize(
    "text, flag",
    [
        ("not sure why, but I have crushing chest pain", "chest_pain"),
        ("no idea what's happening, my face is drooping", "stroke_signs"),
        ("never had a headache like this, it came on like a thunderclap", "thunderclap_headache"),
        ("no, I'm not okay, I took 40 pills", "overdose_or_poisoning"),
        ("no I'm not okay I took 40 pills", "overdose_or_poisoning"),
        ("not sure it's a heart attack", "chest_pain"),
        ("I don't know if this is a stroke", "stroke_signs"),
        ("no idea if I passed out or just fell asleep", "fainting"),
        ("I've never had chest pain like this", "chest_pain"),
        ("I've never had chest pain before", "chest_pain"),
        ("not sure, chest pain or heartburn", "chest_pain"),
        ("no warning at all, crushing chest pain came out of nowhere", "chest_pain"),
    ],
)
def test_doubt_or_a_comma_does_not_cancel_a_red_flag(rules, text, flag):
    assert flag in verdict(rules, text)[1]


@pytest.mark.parametrize(
    "text",
    [
        "no chest pain",
        "no chest pain, just tight shoulders",
        "I didn't hit my head",
        "I haven't fainted",
        "I've never fainted",
        "never had chest pain, just tight shoulders",
        "no fever, rash or stiff neck",
        "I don't have a fever, a rash or a stiff neck",
        "I've not lost control of my bladder, just a sore lower back",
        # A crisis thought, only when denied outright (hedges stay crisis, below).
        "no thoughts of hurting myself, just stressed about exams",
        "I'm not suicidal, just exhausted",
        "no suicidal thoughts at all, I just can't sleep",
        "I don't have any thoughts of self-harm, only anxiety",
    ],
)
def test_a_denial_of_the_flag_itself_still_cancels_it(rules, text):
    assert rules.detect(text) is None


@pytest.mark.parametrize(
    "text, flag",
    [
        ("Worst headache of my life", "thunderclap_headache"),
        ("I banged my head and now I feel confused", "head_injury"),
        ("one side of my face is drooping", "stroke_signs"),
        ("crushing pain in my chest going down my arm", "chest_pain"),
        ("I fainted twice today", "fainting"),
        ("high temperature and a stiff neck", "meningitis_signs"),
        ("I'm 10 weeks pregnant and bleeding", "pregnancy_bleeding"),
        ("I want to kill myself", "suicide_or_self_harm"),
        ("everyone would be better off without me", "suicide_or_self_harm"),
        ("my family would be happier without me around", "suicide_or_self_harm"),
        ("the world would keep turning without me", "suicide_or_self_harm"),
        ("nobody would notice, life just goes on without me", "suicide_or_self_harm"),
        ("the kids would be fine without me", "suicide_or_self_harm"),
        ("I\u2019m thinking of ending it all", "suicide_or_self_harm"),
        ("cant breath", "breathing_or_seizure"),
        ("i wanna die fr", "suicide_or_self_harm"),
        ("I'm 12 weeks along and passing clots", "pregnancy_bleeding"),
        ("our CO detector went off and my head is pounding", "carbon_monoxide"),
        ("the kids and I keep feeling sick and dizzy at home, better when we go to school", "carbon_monoxide"),
    ],
)
def test_each_flag_fires(rules, text, flag):
    assert flag in verdict(rules, text)[1]


def test_crisis_is_never_dismissed_by_negation(rules):
    assert rules.detect("I'm not sure, I just don't want to live anymore").kind == CRISIS


@pytest.mark.parametrize(
    "text",
    [
        "I'm not suicidal exactly but I've been planning how I'd do it",
        "I'm not going to kill myself",
        "no one would care if I killed myself",
        "not suicidal but I cut myself last night",
        "nobody would notice if I was gone, I have thoughts of ending it",
    ],
)
def test_a_hedged_or_indirect_denial_stays_a_crisis(rules, text):
    assert rules.detect(text).kind == CRISIS


@pytest.mark.parametrize(
    "text",
    [
        "my grandad had a stroke years ago, I just want help sleeping",
        "had a concussion back in March, all cleared by the doctor",
        "dad had a heart attack in 2010, he's fine now",
        "my sister fainted once years ago giving blood",
        "chest feels tight when I'm stressed, my GP checked it and said it's anxiety",
        "I hit my head as a kid and still get the odd headache",
    ],
)
def test_a_sign_told_only_as_history_is_asked_about_not_escalated(rules, text):
    detection = rules.detect(text)
    assert detection is not None and detection.kind == EMERGENCY and detection.past


@pytest.mark.parametrize(
    "text",
    [
        "my grandad had a stroke years ago and now his face is drooping",
        "I had a stroke two years ago and the same thing is happening again",
        "crushing chest pain, my doctor said my heart was fine last week",
        "had a concussion last year, I hit my head again this morning and feel sick",
        "never had a headache this bad, not even after my concussion years ago",
        "the worst headache of my life, I had a stroke years ago",
    ],
)
def test_a_sign_told_as_now_beside_its_history_escalates(rules, text):
    detection = rules.detect(text)
    assert detection is not None and detection.kind == EMERGENCY and not detection.past


def test_emergency_wins_when_both_kinds_match(rules):
    assert rules.detect("I took an overdose because I want to die").kind == EMERGENCY


def test_escalation_message_says_why_and_gives_numbers_for_every_region(rules):
    words = get_wording()
    text = words.escalation(rules, EMERGENCY, rules.detect("crushing chest pain"), rules.contacts_for(None))
    assert "That's because chest pain like this can be a sign of a heart attack." in text
    for number in ("911", "999", "112", "000"):
        assert number in text
    crisis = words.escalation(rules, CRISIS, rules.detect("I want to end my life"), rules.contacts_for(None))
    for number in ("988", "116 123", "13 11 14", "911", "999"):
        assert number in crisis


def test_contacts_for_the_country_when_known_else_all(rules):
    assert [c.name for c in rules.contacts_for("uk")] == ["UK"]
    assert (
        [c.name for c in rules.contacts_for("NZ")]
        == [c.name for c in rules.contacts_for(None)]
        == ["US", "UK", "EU", "Australia"]
    )


def test_contacts_are_structured_numbers(rules):
    uk = rules.contacts_for("UK")[0]
    assert (uk.emergency, uk.urgent) == ("999", "111")
    assert [(line.service, line.number, line.by, line.word) for line in uk.crisis] == [
        ("Samaritans", "116 123", ("call",), None),
        ("Shout", "85258", ("text",), "SHOUT"),
    ]


def test_country_from_session_metadata():
    assert country_from({"country": "UK"}) == "UK"
    assert country_from(None) is None and country_from("UK") is None


def test_broken_red_flag_data_is_rejected_with_every_problem():
    document = yaml.safe_load((DEFAULT_KNOWLEDGE_DIR / "red_flags.yml").read_text())
    broken = copy.deepcopy(document)
    broken["flags"][0]["any"].append("(unclosed")
    broken["flags"][1]["kind"] = "mild"
    del broken["kinds"]["crisis"]
    with pytest.raises(KnowledgeBaseError) as error:
        parse_red_flag_rules(broken)
    message = str(error.value)
    assert (
        "not a valid regular expression" in message and "kind must be one of" in message and "kinds.crisis" in message
    )


def test_a_contact_number_must_be_quoted_text_and_a_line_reached_by_call_or_text():
    document = yaml.safe_load((DEFAULT_KNOWLEDGE_DIR / "red_flags.yml").read_text())
    broken = copy.deepcopy(document)
    broken["contacts"][0]["emergency"] = 911
    broken["contacts"][1]["crisis"][0]["by"] = ["fax"]
    with pytest.raises(KnowledgeBaseError) as error:
        parse_red_flag_rules(broken)
    message = str(error.value)
    assert "contacts: 'US': needs a 'name', an 'emergency' number as text (quoted)" in message
    assert "contacts: 'UK': 'by' must list call, text or both, not ['fax']" in message


@pytest.mark.parametrize(
    "text, read",
    [
        ("no thoughts of hurting myself, just really stressed", "no , just really stressed"),
        ("my grandad had a stroke years ago, help with my neck", "my grandad had a years ago, help with my neck"),
        ("no chest pain but I want to die", "no but i want to die"),
        ("I want to die", "I want to die"),
        ("A stiff neck from the desk", "A stiff neck from the desk"),
    ],
)
def test_signs_denied_or_told_as_history_are_left_out_of_what_the_semantic_layer_reads(rules, text, read):
    assert rules.without_discounted(text) == read


# What the patterns alone escalate on four sets written blind by helpers on 2026-12-06
# (tests/data/): emergencies and crises caught, and everyday near-misses raised. The
# patterns don't depend on training, so these are exact figures of today's data; a
# pattern change that catches fewer, or raises more near-misses, must say why here.
# Before the flags of that day: set 6 caught 40 of 80 emergencies and 19 of 60 crises,
# the body-part set 7 of 40, set 7 21 of 50 and 21 of 70 (README, "Red flags"); set 7's
# 29 crises include 8 that means_with_finality and joining_the_dead were written for
# after its misses were read.
PATTERN_FIGURES = {
    "tests/data/red_flag_blind_set_6.yml": {"emergency": 51, "crisis": 22, "benign": 3},
    "tests/data/body_part_red_flag_blind_set.yml": {"emergency": 13, "benign": 0},
    # Its 7 are idioms, history and news ("I'm so hungover I want to die", a father who
    # "passed peacefully"): the ceiling holds them where they are, it doesn't bless them.
    "tests/data/red_flag_blind_set_7.yml": {"emergency": 25, "crisis": 29, "benign": 7},
    "tests/data/red_flag_blind_set_8.yml": {"emergency": 23, "crisis": 11, "benign": 1},
}


@pytest.mark.parametrize("path", sorted(PATTERN_FIGURES))
def test_the_patterns_alone_on_the_blind_sets_of_2026_12_06(rules, path):
    escalated = {
        group: [text for text in texts if (found := rules.detect(text)) is not None and not found.past]
        for group, texts in load_yaml(path).items()
    }
    figures = PATTERN_FIGURES[path]
    for group in ("emergency", "crisis"):
        if group in figures:
            assert len(escalated[group]) >= figures[group], f"{path}: fewer {group} messages caught"
    assert len(escalated["benign"]) <= figures["benign"], f"{path}: near-misses escalated: {escalated['benign']}"
