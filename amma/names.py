"""The domain's names that Python code uses: slots, intents, entities, forms.

One home, so a rename is one edit here and one in domain.yml (tests/test_wiring.py
checks that every name here is declared there). Names that come from the
knowledge files (screening slots, red-flag intents, symptom_<key>) stay there.
"""

from __future__ import annotations

from typing import Final


class Slot:
    POINT: Final = "point"  # the point discussed last
    SYMPTOM: Final = "symptom"
    SYMPTOM_INTENSITY: Final = "symptom_intensity"
    SYMPTOM_CHECK: Final = "symptom_check"  # the answer to the symptom's own red-flag question
    PROBLEM_AREAS: Final = "problem_areas"
    # The screening answer the bot has just asked to confirm (a "no" after a "yes"
    # that must not count silently); only the next message answers it.
    SCREENING_CONFIRM: Final = "screening_confirm"
    RED_FLAG: Final = "red_flag"
    RED_FLAG_PENDING: Final = "red_flag_pending"
    ROUTINE_STATE: Final = "routine_state"
    SYMPTOM_RATING: Final = "symptom_rating"
    RATING_BEFORE: Final = "rating_before"
    RATING_AFTER: Final = "rating_after"
    RATING_HISTORY: Final = "rating_history"
    # The marker of a confirmed "forget me": the tracker store (stores/) deletes the
    # conversation when a turn sets it, and never stores it.
    FORGET_CONFIRMED: Final = "forget_confirmed"
    # Rasa's own.
    REQUESTED_SLOT: Final = "requested_slot"
    SESSION_METADATA: Final = "session_started_metadata"


class Intent:
    AFFIRM: Final = "affirm"
    DENY: Final = "deny"
    GREET: Final = "greet"
    ASK_HELP: Final = "ask_help"
    OUT_OF_SCOPE: Final = "out_of_scope"
    NONSENSE: Final = "nonsense"
    FAQ: Final = "faq"
    ASK_POINT: Final = "ask_point"
    ASK_POINT_LOCATION: Final = "ask_point_location"
    RED_FLAG_CHECK: Final = "red_flag_check"
    # The kinds' intents in knowledge/red_flags.yml (tests/test_wiring.py keeps them equal).
    RED_FLAG_EMERGENCY: Final = "red_flag_emergency"
    RED_FLAG_CRISIS: Final = "red_flag_crisis"
    FORGET_ME: Final = "forget_me"  # "delete my data", confirmed before anything goes
    ROUTINE_DONE: Final = "routine_done"
    ROUTINE_NEXT: Final = "routine_next"
    ROUTINE_REPEAT: Final = "routine_repeat"
    ROUTINE_BACK: Final = "routine_back"
    ROUTINE_PAUSE: Final = "routine_pause"
    ROUTINE_RESUME: Final = "routine_resume"
    ROUTINE_SKIP: Final = "routine_skip"
    ROUTINE_TIME_LEFT: Final = "routine_time_left"
    ROUTINE_STOP: Final = "routine_stop"
    ROUTINE_RESTART: Final = "routine_restart"
    STEP_TIMER_ELAPSED: Final = "EXTERNAL_step_timer_elapsed"  # fired by the step reminder, never typed
    SYMPTOM_PREFIX: Final = "symptom_"  # symptom_<key> for each symptom in knowledge/symptoms.yml
    # Rasa's own: the FallbackClassifier's verdict, put above the classifier's ranking.
    NLU_FALLBACK: Final = "nlu_fallback"


class Entity:
    POINT: Final = "point"


class Form:
    RATING: Final = "rating_form"
    SCREENING: Final = "screening_form"


# Rasa's own: the bot waits for the next message.
ACTION_LISTEN: Final = "action_listen"


# What RedFlagDetector adds to a message's parse data.
RED_FLAG_PARSE_KEY: Final = "red_flag"
# What MessageLengthGuard adds when the classifier read only the start of a
# message ({"kept_chars": 1000, "total_chars": 4210}), and where it keeps the
# whole text for RedFlagDetector (not in the parse data).
TRUNCATED_PARSE_KEY: Final = "truncated"
FULL_TEXT_KEY: Final = "amma_full_text"
# What SemanticRedFlagScorer leaves for RedFlagDetector (not in the parse data,
# which carries it under RED_FLAG_PARSE_KEY when it counted).
SEMANTIC_RED_FLAG_KEY: Final = "amma_semantic_red_flag"
# What BodyPartBoundary adds when it took a symptom's reading back: the region
# complained of (knowledge/body_parts.yml) and the symptom the classifier heard,
# {"part": "knees", "symptom": "insomnia"}.
UNCOVERED_PART_PARSE_KEY: Final = "uncovered_body_part"
