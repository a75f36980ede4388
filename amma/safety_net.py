"""What the dialogue must do whatever the policies learned: decisions over plain
values, so they are tested without Rasa (policies/safety_net.py adapts them).

- The action server can't be reached: a red flag still gets its contacts from a
  response the Rasa server holds, and any other message a clear "I'm having
  trouble" with the contacts, never the fallback's "didn't catch that".
- After the red-flag check question, anything but a clear no escalates: "maybe",
  "not sure", silence on the point or a symptom are not reasons to stand down.
- "Forget me" while the action server is down is told plainly that nothing was
  deleted yet, and to ask again later.
- A message cut before the classifier (amma/message_length.py) is answered with
  a word that it was, so nobody thinks the end of a long story was understood.
- A message that names the symptom under discussion, or the one the classifier
  heard, only to deny it ("no, it's my tooth, not a headache") is a correction:
  nothing goes on for that symptom (no screening answer, no routine), whatever
  the rules would do with its "no" or its symptom name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from amma.names import ACTION_LISTEN, Intent

TROUBLE = "utter_action_server_trouble"
CHECK = "action_check_red_flag"
MESSAGE_CUT = "utter_message_cut"
ESCALATE = "action_escalate_red_flag"
# "Forget me", or the answer to its question, with the action server down: the
# deletion can't run, so the reply says nothing was deleted (not just "trouble").
FORGET_UNAVAILABLE = "utter_forget_unavailable"
ASK_FORGET = "action_ask_forget"
CORRECT_SYMPTOM = "action_correct_symptom"
# A red-flag intent -> the response that escalates it from the Rasa server alone.
OFFLINE_ESCALATION: Mapping[str, str] = {
    Intent.RED_FLAG_EMERGENCY: "utter_red_flag_emergency",
    Intent.RED_FLAG_CRISIS: "utter_red_flag_crisis",
    Intent.RED_FLAG_CHECK: "utter_red_flag_crisis",
}
# A clear "no" to the check; every other answer keeps help in the reply.
CLEAR_NO = frozenset({Intent.DENY})


def next_action(
    latest_intent: str | None,
    asked_before: str | None,
    done_this_turn: Sequence[str],
    action_server_up: bool,
    red_flag_pending: str | None = None,
    truncated: bool = False,
    symptom_denied: bool = False,
) -> str | None:
    """The action the safety net insists on, or None to leave it to the policies.

    asked_before: the bot's last action before the person's latest message.
    done_this_turn: actions already run since that message, oldest first.
    red_flag_pending: the kind the check question asked about (emergency, crisis).
    truncated: the classifier read only the start of the message.
    symptom_denied: the message names the symptom under discussion, or the one the
    classifier heard, only to deny it (KnowledgeBase.denied_symptom)."""
    if not action_server_up:
        # A reminder firing ("time's up") is nobody's message: nothing to answer.
        if done_this_turn or latest_intent == Intent.STEP_TIMER_ELAPSED:
            return ACTION_LISTEN
        offline = OFFLINE_ESCALATION.get(latest_intent or "")
        if offline:
            return offline
        if asked_before == CHECK and latest_intent not in CLEAR_NO:
            return "utter_red_flag_emergency" if red_flag_pending == "emergency" else "utter_red_flag_crisis"
        if latest_intent == Intent.FORGET_ME or asked_before == ASK_FORGET:
            return FORGET_UNAVAILABLE
        return TROUBLE
    if asked_before == CHECK and not done_this_turn and latest_intent not in CLEAR_NO:
        return ESCALATE
    # First in the turn, unless it's a red flag: then help comes first and alone.
    if truncated and not done_this_turn and latest_intent not in OFFLINE_ESCALATION:
        return MESSAGE_CUT
    # A red flag said beside the correction ("not a headache, crushing chest pain") is
    # the red-flag rules' to answer; the correction says all there is to say.
    if symptom_denied and not done_this_turn and latest_intent not in OFFLINE_ESCALATION:
        return CORRECT_SYMPTOM
    if done_this_turn and done_this_turn[-1] == CORRECT_SYMPTOM:
        return ACTION_LISTEN
    return None
