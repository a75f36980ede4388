"""Red-flag escalation: stop self-care, say why, give emergency and crisis contacts."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, ReminderCancelled, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from amma.names import RED_FLAG_PARSE_KEY, Intent, Slot
from amma.parse_data import intent_name, text_of
from amma.red_flags import CRISIS, Contact, Detection, RedFlagRules, country_from, get_red_flag_rules
from amma.replies import Reply
from amma.wording import get_wording


def contacts(tracker: Tracker, rules: RedFlagRules) -> list[Contact]:
    """Emergency and crisis contacts for the person's country, or all of them."""
    return rules.contacts_for(country_from(tracker.get_slot(Slot.SESSION_METADATA)))


def red_flag_kind(tracker: Tracker, rules: RedFlagRules, detection: Detection | None) -> str:
    """The kind the patterns found, else the intent's, else the one a check just confirmed."""
    kind = rules.kind_for_intent(intent_name(tracker.latest_message)) or tracker.get_slot(Slot.RED_FLAG_PENDING)
    return detection.kind if detection else (kind or CRISIS)


class ActionEscalateRedFlag(Action):
    """Ends whatever was going on (screening, a routine) and sends the person to urgent help."""

    def name(self) -> str:
        return "action_escalate_red_flag"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        rules = get_red_flag_rules()
        detection = rules.detect(text_of(tracker.latest_message))
        kind = red_flag_kind(tracker, rules, detection)
        dispatcher.utter_message(text=get_wording().escalation(rules, kind, detection, contacts(tracker, rules)))
        # Always end any form and any guided routine (and its timers): nothing resumes past a red flag.
        return [
            SlotSet(Slot.RED_FLAG, kind),
            SlotSet(Slot.RED_FLAG_PENDING, None),
            SlotSet(Slot.SYMPTOM_CHECK, None),
            ActiveLoop(None),
            SlotSet(Slot.REQUESTED_SLOT, None),
            SlotSet(Slot.ROUTINE_STATE, None),
            ReminderCancelled(),
        ]


class ActionCheckRedFlag(Action):
    """Only the classifier, and unsure, heard a red flag: ask before alarming anyone.
    A yes escalates at once; any form in progress is closed so a "yes" can't be
    taken as a screening answer."""

    def name(self) -> str:
        return "action_check_red_flag"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        words = get_wording()
        kind = get_red_flag_rules().kinds[(tracker.latest_message.get(RED_FLAG_PARSE_KEY) or {}).get("kind") or CRISIS]
        buttons = (words.button("affirm", f"/{kind.intent}"), words.button("deny", f"/{Intent.DENY}"))
        help_now = words.check_contacts(kind.name, contacts(tracker, get_red_flag_rules()))
        dispatcher.utter_message(**Reply(f"{kind.check}\n{help_now}", buttons).as_utterance())
        return [SlotSet(Slot.RED_FLAG_PENDING, kind.name), ActiveLoop(None), SlotSet(Slot.REQUESTED_SLOT, None)]


class ActionRedFlagFollowUp(Action):
    """After a warning, "no, I'm fine" is heard but help stays one message away."""

    def name(self) -> str:
        return "action_red_flag_follow_up"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        words = get_wording()
        kind = tracker.get_slot(Slot.RED_FLAG) or CRISIS
        opening = words.say("red_flags.after_crisis" if kind == CRISIS else "red_flags.after_emergency")
        reminder = words.reminder(kind, contacts(tracker, get_red_flag_rules()))
        dispatcher.utter_message(text=f"{opening} {reminder}")
        dispatcher.utter_message(text=words.say("red_flags.self_care_later"))
        return []
