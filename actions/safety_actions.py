"""Red-flag escalation: stop self-care, say why, give emergency and crisis contacts."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, ReminderCancelled, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from amma.names import RED_FLAG_PARSE_KEY, Intent, Slot
from amma.parse_data import intent_name
from amma.red_flags import CRISIS, Detection, RedFlagRules, country_from, get_red_flag_rules


def user_country(tracker: Tracker) -> Optional[str]:
    return country_from(tracker.get_slot(Slot.SESSION_METADATA))


def red_flag_kind(tracker: Tracker, rules: RedFlagRules, detection: Optional[Detection]) -> str:
    """The kind the patterns found, else the intent's, else the one a check just confirmed."""
    kind = rules.kind_for_intent(intent_name(tracker.latest_message)) or tracker.get_slot(Slot.RED_FLAG_PENDING)
    return detection.kind if detection else (kind or CRISIS)


class ActionEscalateRedFlag(Action):
    """Ends whatever was going on (screening, a routine) and sends the person to urgent help."""

    def name(self) -> Text:
        return "action_escalate_red_flag"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        rules = get_red_flag_rules()
        detection = rules.detect(tracker.latest_message.get("text"))
        kind = red_flag_kind(tracker, rules, detection)
        dispatcher.utter_message(text=rules.escalation_message(kind, detection, user_country(tracker)))
        # Always end any form and any guided routine (and its timers): nothing resumes past a red flag.
        return [SlotSet(Slot.RED_FLAG, kind), SlotSet(Slot.RED_FLAG_PENDING, None), SlotSet(Slot.SYMPTOM_CHECK, None),
                ActiveLoop(None), SlotSet(Slot.REQUESTED_SLOT, None), SlotSet(Slot.ROUTINE_STATE, None), ReminderCancelled()]


class ActionCheckRedFlag(Action):
    """Only the classifier, and unsure, heard a red flag: ask before alarming anyone.
    A yes escalates at once; any form in progress is closed so a "yes" can't be
    taken as a screening answer."""

    def name(self) -> Text:
        return "action_check_red_flag"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        rules = get_red_flag_rules()
        kind = (tracker.latest_message.get(RED_FLAG_PARSE_KEY) or {}).get("kind") or CRISIS
        dispatcher.utter_message(text=rules.kinds[kind].check, buttons=[
            {"title": "Yes", "payload": f"/{rules.kinds[kind].intent}"}, {"title": "No", "payload": f"/{Intent.DENY}"}])
        return [SlotSet(Slot.RED_FLAG_PENDING, kind), ActiveLoop(None), SlotSet(Slot.REQUESTED_SLOT, None)]


class ActionRedFlagFollowUp(Action):
    """After a warning, "no, I'm fine" is heard but help stays one message away."""

    def name(self) -> Text:
        return "action_red_flag_follow_up"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        rules = get_red_flag_rules()
        kind = tracker.get_slot(Slot.RED_FLAG) or CRISIS
        opening = ("Thank you for telling me. I'm still here, and it's okay to reach out to someone at any time."
                   if kind == CRISIS else "Okay. Please don't wait if it gets worse or anything new appears.")
        dispatcher.utter_message(text=f"{opening} {rules.reminder(kind, user_country(tracker))}")
        dispatcher.utter_message(text="If you'd like some gentle self-care in the meantime, tell me what's bothering you.")
        return []
