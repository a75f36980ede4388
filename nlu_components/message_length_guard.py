"""First in the pipeline: the classifier reads at most ``max_chars`` characters
of a message, the red-flag detector all of it.

The tokenizer and featurizers see the cut text; the whole text waits under
FULL_TEXT_KEY for RedFlagDetector, which checks it and puts it back, so the
parse data and the actions see what the person wrote. ``truncated`` in the
parse data tells the actions the classifier read only part of it. The policy
itself lives in amma/message_length.py.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from amma.message_length import CLASSIFIER_CHARS, cut_for_classifier
from amma.names import FULL_TEXT_KEY, TRUNCATED_PARSE_KEY


# A featurizer to Rasa's recipe, as that is what runs before the tokenizer,
# in training and in prediction alike.
@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class MessageLengthGuard(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"max_chars": CLASSIFIER_CHARS}

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageLengthGuard:
        return cls(int(config.get("max_chars", CLASSIFIER_CHARS)))

    def __init__(self, max_chars: int = CLASSIFIER_CHARS) -> None:
        cut_for_classifier("", max_chars)  # a limit below one character fails here, at load time
        self.max_chars = max_chars

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._cut(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # The same cut in training (a no-op today: the longest example is 103 characters).
        for message in training_data.training_examples:
            self._cut(message)
        return training_data

    def _cut(self, message: Message) -> None:
        text = message.get(TEXT)
        if not isinstance(text, str):
            return  # an intent-only or action message
        cut = cut_for_classifier(text, self.max_chars)
        if cut.truncated:
            message.set(FULL_TEXT_KEY, text)
            message.set(TEXT, cut.text)
            message.set(TRUNCATED_PARSE_KEY, cut.as_parse_data(), add_to_output=True)
