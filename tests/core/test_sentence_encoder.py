"""The numpy sentence encoder against the official implementation.

The figures below were recorded by hand from sentence-transformers 5 with torch
2.13 (CPU) loading the same packaged all-MiniLM-L6-v2 folder with
max_seq_length 128, in a scratch environment outside this project (torch is no
dependency of Amma). They are not computed by the code under test.
"""

from __future__ import annotations

import numpy as np
import pytest

from amma.sentence_encoder import MAX_TOKENS, get_sentence_encoder

SENTENCES = [
    "My grandmother's left arm went numb all of a sudden",
    "this tension in my shoulders won't let up",
    "Café crème, naïve résumé!",
    "how long should I hold each point?",
    "I've been saving up my pills and I know which night I'll take them",
    "unbelievably xyzzy 😀 #stress",
]
# Cosine similarity between sentence i and sentence j, to 5 decimals.
REFERENCE_COSINES = {
    (0, 1): 0.30349,
    (0, 2): 0.03673,
    (0, 3): 0.00407,
    (0, 4): 0.05054,
    (0, 5): 0.10868,
    (1, 2): 0.07887,
    (1, 3): 0.19575,
    (1, 4): 0.10660,
    (1, 5): 0.33963,
    (2, 3): 0.02537,
    (2, 4): 0.02802,
    (2, 5): 0.15928,
    (3, 4): 0.16636,
    (3, 5): 0.06318,
    (4, 5): 0.11673,
}
# The first six dimensions of two unit vectors.
REFERENCE_DIMS = {
    0: [-0.01460, -0.00814, 0.06678, 0.07700, -0.04653, 0.01403],
    2: [-0.04394, -0.03266, 0.04081, 0.04360, 0.02488, 0.04615],
}
# The official tokenizer's pieces: accents stripped, punctuation split, word
# pieces, an emoji unknown.
REFERENCE_TOKENS = {
    0: ["[CLS]", "my", "grandmother", "'", "s", "left", "arm", "went", "numb", "all", "of", "a", "sudden", "[SEP]"],
    2: ["[CLS]", "cafe", "cr", "##eme", ",", "naive", "resume", "!", "[SEP]"],
    5: ["[CLS]", "un", "##bel", "##ie", "##va", "##bly", "x", "##y", "##zzy", "[UNK]", "#", "stress", "[SEP]"],
}


@pytest.fixture(scope="module")
def encoder():
    return get_sentence_encoder()


@pytest.fixture(scope="module")
def vectors(encoder):
    return encoder.encode(SENTENCES)


def test_cosine_similarities_match_the_official_model(vectors):
    for (i, j), expected in REFERENCE_COSINES.items():
        assert float(vectors[i] @ vectors[j]) == pytest.approx(expected, abs=2e-5), (i, j)


def test_vectors_match_the_official_model_and_have_unit_length(vectors):
    for row, expected in REFERENCE_DIMS.items():
        assert vectors[row][:6] == pytest.approx(expected, abs=2e-5)
    assert np.linalg.norm(vectors, axis=1) == pytest.approx(1.0, abs=1e-5)


def test_tokens_match_the_official_tokenizer(encoder):
    vocab = {index: token for token, index in encoder.tokenizer.ids.items()}
    for row, expected in REFERENCE_TOKENS.items():
        assert [vocab[i] for i in encoder.tokenizer.encode(SENTENCES[row])] == expected


def test_a_sentence_encodes_the_same_alone_and_in_a_padded_batch(encoder, vectors):
    # Padding must be masked out of attention and pooling alike.
    alone = encoder.encode([SENTENCES[3]])[0]
    assert alone == pytest.approx(vectors[3], abs=1e-5)


def test_long_and_empty_input_are_bounded_and_harmless(encoder):
    assert len(encoder.tokenizer.encode("pain " * 5000)) == MAX_TOKENS
    for text in ("", "   ", "😀😀😀", "x" * 500):
        vector = encoder.encode([text])[0]
        assert np.isfinite(vector).all() and float(np.linalg.norm(vector)) == pytest.approx(1.0, abs=1e-5)
