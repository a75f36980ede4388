"""The semantic red-flag layer with the bank the trained model holds, on sentences a
person wrote and judged (tests/data/semantic_red_flag_table.yml): danger is at
least asked about, everyday sentences that borrow danger's words are left alone.
Then the same sentences through the whole NLU pipeline of the running server."""

from __future__ import annotations

import io
import json
import tarfile

import numpy as np
import pytest

from amma.knowledge_base import DEFAULT_KNOWLEDGE_DIR
from amma.semantic_red_flags import layer_from_stored, load_exemplars
from amma.sentence_encoder import get_sentence_encoder
from tests.conftest import load_yaml

pytestmark = pytest.mark.rasa

TABLE = load_yaml("tests/data/semantic_red_flag_table.yml")
RED_FLAG_INTENTS = {"red_flag_emergency", "red_flag_crisis", "red_flag_check"}


@pytest.fixture(scope="module")
def layer(trained_model):
    """The layer as the server builds it, from the bank stored in the model."""
    stored = {}
    with tarfile.open(trained_model) as archive:
        for member in archive.getmembers():
            if "SemanticRedFlagScorer" in member.name and member.name.endswith(("bank.json", "vectors.npy")):
                stored[member.name.rsplit("/", 1)[1]] = archive.extractfile(member).read()
    assert set(stored) == {"bank.json", "vectors.npy"}, "the model holds no semantic red-flag bank"
    bank = json.loads(stored["bank.json"])
    vectors = np.load(io.BytesIO(stored["vectors.npy"]))
    return layer_from_stored(
        get_sentence_encoder(),
        bank["training_examples"],
        bank["encoded"],
        vectors,
        load_exemplars(DEFAULT_KNOWLEDGE_DIR),
    )


@pytest.mark.parametrize("text", TABLE["danger"])
def test_the_layer_flags_danger_told_in_new_words(layer, text):
    assert layer.judge(text) is not None


@pytest.mark.parametrize("text", TABLE["benign"])
def test_the_layer_leaves_everyday_sentences_alone(layer, text):
    assert layer.judge(text) is None, layer.judge(text)


def test_the_pipeline_raises_every_danger_sentence_and_the_layer_no_benign_one(rasa_servers):
    for text in TABLE["danger"]:
        assert rasa_servers.parse(text)["intent"]["name"] in RED_FLAG_INTENTS, text
    for text in TABLE["benign"]:
        # The classifier may still ask about one ("I could die for a nap" reads as crisis
        # to it, unsure, and gets the check); this layer adds nothing to that.
        red_flag = rasa_servers.parse(text).get("red_flag") or {}
        assert "semantic" not in red_flag, (text, red_flag)
