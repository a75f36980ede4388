"""NLU: how near a message is to the red-flag and benign exemplar banks
(amma/semantic_red_flags.py); RedFlagDetector, next in the pipeline, decides.

The banks' embeddings are computed in training (every training example, plus
knowledge/red_flag_exemplars.yml) and stored in the model, so a server loads
them instead of encoding thousands of sentences at start. An exemplar added to
the knowledge file since the training is encoded at load: the file, not the
model, is the source of truth for it.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from amma.knowledge_base import knowledge_dir
from amma.names import SEMANTIC_RED_FLAG_KEY
from amma.semantic_red_flags import SemanticRedFlags, bank_texts, label_for_intent, layer_from_stored, load_exemplars
from amma.sentence_encoder import get_sentence_encoder

BANK_FILE = "bank.json"
VECTORS_FILE = "vectors.npy"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SemanticRedFlagScorer(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SemanticRedFlagScorer:
        return cls(model_storage, resource)

    def __init__(self, model_storage: ModelStorage, resource: Resource, layer: Optional[SemanticRedFlags] = None):
        self._model_storage = model_storage
        self._resource = resource
        self.layer = layer

    def train(self, training_data: TrainingData) -> Resource:
        examples: Dict[str, List[str]] = {}
        for message in training_data.intent_examples:
            examples.setdefault(label_for_intent(message.get(INTENT)), []).append(message.get(TEXT))
        pairs = bank_texts(examples, load_exemplars(knowledge_dir()))
        vectors = get_sentence_encoder().encode([text for _, text in pairs])
        with self._model_storage.write_to(self._resource) as directory:
            bank = {"training_examples": examples, "encoded": pairs}
            (directory / BANK_FILE).write_text(json.dumps(bank), encoding="utf-8")
            np.save(directory / VECTORS_FILE, vectors)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SemanticRedFlagScorer:
        with model_storage.read_from(resource) as directory:
            bank = json.loads((directory / BANK_FILE).read_text(encoding="utf-8"))
            stored_vectors = np.load(directory / VECTORS_FILE)
        layer = layer_from_stored(
            get_sentence_encoder(),
            bank["training_examples"],
            bank["encoded"],
            stored_vectors,
            load_exemplars(knowledge_dir()),
        )
        return cls(model_storage, resource, layer)

    def process(self, messages: List[Message]) -> List[Message]:
        if self.layer is None:  # only an untrained component, which Rasa never runs
            return messages
        for message in messages:
            verdict = self.layer.judge(message.get(TEXT))
            if verdict is not None:
                message.set(SEMANTIC_RED_FLAG_KEY, verdict.as_parse_data())
        return messages
