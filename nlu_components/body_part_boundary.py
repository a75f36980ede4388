"""A symptom felt in a part of the body Amma has no routine for is out of scope:
"my knee aches so much it keeps me awake" is not trouble sleeping, and "throbbing
toothache" is not a headache, though the classifier hears how they feel and says so.

After the classifier and the FallbackClassifier, before the red-flag layers (which
read the ranking and override everything). When the classifier reads a message as
a covered symptom, and the message complains of an uncovered part without naming
that symptom or where it is felt (amma/body_parts.py, knowledge/body_parts.yml),
the intent becomes out_of_scope, and the answer (action_decline_out_of_scope) says
so, points to a doctor or pharmacist and offers that symptom's points with a tap:
no screening starts for the wrong complaint, and none is refused outright.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from amma.body_parts import BodyParts, get_body_parts
from amma.names import UNCOVERED_PART_PARSE_KEY, Intent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class BodyPartBoundary(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> BodyPartBoundary:
        return cls(get_body_parts())

    def __init__(self, parts: BodyParts) -> None:
        self.parts = parts

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            symptom = self.parts.kb.symptom_for_intent(intent.get(INTENT_NAME_KEY))
            if symptom is None:
                continue
            # What the classifier read (MessageLengthGuard's cut of a long message).
            region = self.parts.elsewhere_than(message.get(TEXT) or "", symptom)
            if region is None:
                continue
            # The symptom's place (and confidence: the red-flag layers read how sure the
            # classifier was) goes to out_of_scope, whose other entry goes.
            taken = {INTENT_NAME_KEY: Intent.OUT_OF_SCOPE, "confidence": intent.get("confidence", 0.0)}
            ranking = [
                taken if entry.get(INTENT_NAME_KEY) == symptom.intent else entry
                for entry in message.get(INTENT_RANKING_KEY) or []
                if entry.get(INTENT_NAME_KEY) != Intent.OUT_OF_SCOPE
            ]
            message.set(INTENT, taken, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            # For the answer: what it can't help with, and the points it can offer.
            message.set(UNCOVERED_PART_PARSE_KEY, {"part": region.name, "symptom": symptom.key}, add_to_output=True)
        return messages
