"""Finds acupressure point names in a message: LI4, "li 4", "LI-4", "hegu",
"large intestine 4", "zusanli".

The names come from knowledge/points.yml at run time, so a new point's names
work without touching the NLU training data.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.knowledge_base import KnowledgeBase, get_knowledge_base

POINT_ENTITY = "point"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class PointNameExtractor(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "PointNameExtractor":
        return cls(get_knowledge_base())

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = [{"entity": POINT_ENTITY, "value": point.code, "start": start, "end": end,
                      "confidence_entity": 1.0, "extractor": self.__class__.__name__}
                     for start, end, point in self.kb.point_mentions(text)]
            if found:
                message.set(ENTITIES, [*(message.get(ENTITIES) or []), *found], add_to_output=True)
        return messages
