"""NLU safety net: known red-flag phrasings become a red-flag intent with certainty.

Runs last in the pipeline, after the intent classifier and the
FallbackClassifier, so neither an unsure classifier nor a wrong guess can
route an emergency to a self-care routine. The patterns live in
knowledge/red_flags.yml (see amma/red_flags.py).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from amma.names import FULL_TEXT_KEY, RED_FLAG_PARSE_KEY, SEMANTIC_RED_FLAG_KEY, Intent
from amma.red_flags import RedFlagRules, get_red_flag_rules


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RedFlagDetector(GraphComponent):
    """Patterns decide with certainty. A red flag seen by the classifier alone
    becomes red_flag_check, so the bot asks before it alarms someone who only
    said "by myself" or typed gibberish, unless it was the classifier's
    confident first guess. The classifier's ranking is read, not just its
    answer: a red flag the FallbackClassifier replaced with nlu_fallback, or
    that another intent narrowly beat, is still checked. SemanticRedFlagScorer,
    just before, says how near the message is to known red flags: near enough
    to be certain escalates, near enough to worry is checked, whatever the
    classifier answered. A pattern match told only as history ("grandad had a
    stroke years ago") is checked too, unless the classifier is sure the message
    is an everyday one and no layer heard a red flag."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # check_above: a red flag ranked second or third below this is noise.
        return {"certain_above": 0.9, "check_above": 0.1, "check_within": 3}

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RedFlagDetector:
        defaults = cls.get_default_config()
        return cls(
            get_red_flag_rules(),
            float(config.get("certain_above", defaults["certain_above"])),
            float(config.get("check_above", defaults["check_above"])),
            int(config.get("check_within", defaults["check_within"])),
        )

    def __init__(
        self, rules: RedFlagRules, certain_above: float = 0.9, check_above: float = 0.1, check_within: int = 3
    ) -> None:
        self.rules = rules
        self.certain_above = certain_above
        self.check_above = check_above
        self.check_within = check_within

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._flag(message)
        return messages

    def _flag(self, message: Message) -> None:
        # The whole message, also where MessageLengthGuard cut what the classifier read;
        # it goes back into the parse data, so the actions see what the person wrote.
        full_text = message.get(FULL_TEXT_KEY)
        if full_text is not None:
            message.set(TEXT, full_text)
        semantic = message.get(SEMANTIC_RED_FLAG_KEY)
        detection = self.rules.detect(message.get(TEXT))
        if detection is not None and not detection.past:
            self._escalate(message, detection.kind, list(detection.names), semantic)
            return
        predicted = message.get(INTENT) or {}
        heard = self.rules.classifier_red_flag(
            message.get(INTENT_RANKING_KEY) or [predicted], self.certain_above, self.check_above, self.check_within
        )
        if heard is not None and heard.certain:
            return
        if semantic is not None and semantic["certain"]:
            # What the classifier heard stays on record, so each layer's share can be measured.
            self._escalate(message, semantic["kind"], [], semantic, heard.as_parse_data() if heard else None)
            return
        if heard is None and semantic is None and (detection is None or self._sure_it_is_everyday(predicted)):
            return
        # A sign told only as history ("had a stroke years ago") is asked about unless
        # the classifier is sure the message is an everyday one and no layer heard a red flag.
        # The kind: the patterns' when they heard one, else the classifier's (its examples
        # name the kind), else the bank's.
        kind = detection.kind if detection else heard.kind if heard else semantic["kind"]
        confidence = 1.0 if detection else heard.confidence if heard else semantic["similarity"]
        message.set(INTENT, {"name": Intent.RED_FLAG_CHECK, "confidence": confidence}, add_to_output=True)
        parse_data: Dict[str, Any] = {
            "kind": kind,
            "flags": list(detection.names) if detection else [],
            "classifier_intent": predicted.get("name"),
            "unsure": True,
            "heard": heard.as_parse_data() if heard else None,
        }
        if detection is not None:
            parse_data["told_as_past"] = True
        message.set(RED_FLAG_PARSE_KEY, _with_semantic(parse_data, semantic), add_to_output=True)

    def _sure_it_is_everyday(self, predicted: Dict[str, Any]) -> bool:
        name = predicted.get("name")
        return name != Intent.NLU_FALLBACK and float(predicted.get("confidence") or 0.0) >= self.certain_above

    def _escalate(
        self, message: Message, kind: str, flags: List[str], semantic: Any, heard: Optional[Dict[str, Any]] = None
    ) -> None:
        intent = self.rules.kinds[kind].intent
        # Kept so tests can measure the classifier layer on its own.
        classifier_intent = (message.get(INTENT) or {}).get("name")
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
        message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}, *ranking], add_to_output=True)
        parse_data: Dict[str, Any] = {"kind": kind, "flags": flags, "classifier_intent": classifier_intent}
        if heard is not None:
            parse_data["heard"] = heard
        message.set(RED_FLAG_PARSE_KEY, _with_semantic(parse_data, semantic), add_to_output=True)


def _with_semantic(parse_data: Dict[str, Any], semantic: Any) -> Dict[str, Any]:
    """The semantic layer's figures, when it came near a red flag (tests and logs read them)."""
    return {**parse_data, "semantic": semantic} if semantic is not None else parse_data
