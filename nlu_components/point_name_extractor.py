"""Finds acupressure point names in a message: LI4, "li 4", "LI-4", "hegu",
"large intestine 4", "zusanli".

The names come from knowledge/points.yml at run time, so a new point's names
work without touching the NLU training data.

A message that names a point is about that point: when the classifier has
read it as a generic request ("what is taiyang used for" -> ask_help, "where
would I find GB34" -> ask_point_location, "zusanli - what does it do" -> faq),
the intent becomes ask_point, whose answer carries that point's own cautions.
Intents that act on a point in their own way (skip, a symptom, red flags, ...)
are left alone, except a symptom read only from the point's name ("what's
stomach 36 for").
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from amma.knowledge_base import KnowledgeBase, get_knowledge_base, normalise_name
from amma.names import Entity, Intent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class PointNameExtractor(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "point_intent": Intent.ASK_POINT,
            "generic_intents": [
                Intent.ASK_POINT_LOCATION,
                Intent.ASK_HELP,
                Intent.OUT_OF_SCOPE,
                Intent.NONSENSE,
                Intent.GREET,
                Intent.FAQ,
            ],
        }

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PointNameExtractor:
        return cls(get_knowledge_base(), config["point_intent"], config["generic_intents"])

    def __init__(self, kb: KnowledgeBase, point_intent: str, generic_intents: List[str]) -> None:
        self.kb = kb
        self.point_intent = point_intent
        self.generic_intents = set(generic_intents)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = [
                {
                    "entity": Entity.POINT,
                    "value": point.code,
                    "start": start,
                    "end": end,
                    "confidence_entity": 1.0,
                    "extractor": self.__class__.__name__,
                }
                for start, end, point in self.kb.point_mentions(text)
            ]
            if found:
                message.set(ENTITIES, [*(message.get(ENTITIES) or []), *found], add_to_output=True)
            # An unknown code ("where is GB99") is a point question too: the
            # answer says so and offers the closest points it does know.
            if found or self.kb.unknown_codes(text):
                self._route_to_point_intent(message, found)
        return messages

    def _symptom_only_in_the_point_name(self, text: str, intent: Any, found: List[Dict[str, Any]]) -> bool:
        """ "what's stomach 36 for" reads as a stomach complaint only because of the
        point's own name. A point named by channel and number, and no symptom named
        anywhere else in the message, make it a question about the point."""
        if self.kb.symptom_for_intent(intent) is None:
            return False
        if not any(any(c.isdigit() for c in normalise_name(text[e["start"] : e["end"]])) for e in found):
            return False
        rest = text
        for e in found:
            rest = rest[: e["start"]] + " " * (e["end"] - e["start"]) + rest[e["end"] :]
        return not self.kb.symptoms_mentioned(rest)

    def _route_to_point_intent(self, message: Message, found: List[Dict[str, Any]]) -> None:
        intent = message.get(INTENT) or {}
        name = intent.get(INTENT_NAME_KEY)
        # The point intent itself is routed too: an unsure "what's stomach 36 for"
        # (ask_point at 0.39) must not fall back when the point is named outright.
        routable = name == self.point_intent or name in self.generic_intents
        if not routable and not self._symptom_only_in_the_point_name(message.get(TEXT) or "", name, found):
            return
        # Certain: the point is named outright, so the fallback must not fire.
        routed = {INTENT_NAME_KEY: self.point_intent, "confidence": 1.0}
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != self.point_intent]
        message.set(INTENT, routed, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [routed, *ranking], add_to_output=True)
