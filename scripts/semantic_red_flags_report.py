"""The semantic red-flag layer on its own (no Rasa): how it scores the tuning sets
and, for measurement only, the blind sets.

    .venv/bin/python scripts/semantic_red_flags_report.py            # figures at the file's thresholds
    .venv/bin/python scripts/semantic_red_flags_report.py --grid     # the tuning grid as well

Tuning data: tests/data/red_flag_phrasings.yml (red flags) against the benign
held-out sets (tests/data/unseen_*, fresh_user_phrasings.yml,
third_user_phrasings.yml). The blind sets are printed beside them and never
used to choose a threshold.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from amma.knowledge_base import knowledge_dir  # noqa: E402
from amma.semantic_red_flags import SemanticRedFlags, bank_texts, label_for_intent, load_exemplars  # noqa: E402
from amma.sentence_encoder import get_sentence_encoder  # noqa: E402

NLU_FILES = ("nlu.yml", "nlu_safety.yml", "nlu_routine.yml", "nlu_points.yml", "faq.yml")
BENIGN_SETS = (
    "unseen_symptom_phrasings.yml",
    "unseen_faq_phrasings.yml",
    "unseen_other_phrasings.yml",
    "fresh_user_phrasings.yml",
    "third_user_phrasings.yml",
)
BLIND_2 = Path("/work/blind2/red_flag_blind_set_2.yml")


def load(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict) and isinstance(node.get("text"), str):
        yield node["text"]  # an entry with notes: {text: ..., category: ...}
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def training_examples() -> dict[str, list[str]]:
    by_label: dict[str, list[str]] = {}
    for name in NLU_FILES:
        for block in load(ROOT / "data" / name)["nlu"]:
            if "intent" in block:
                lines = [line[2:].strip() for line in block["examples"].splitlines() if line.strip().startswith("- ")]
                lines = [re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line) for line in lines]
                by_label.setdefault(label_for_intent(block["intent"]), []).extend(lines)
    return by_label


def rates(scores: np.ndarray, similarity: float, margin: float) -> float:
    return float(np.mean((scores[:, 0] >= similarity) & (scores[:, 1] >= margin))) if len(scores) else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", action="store_true", help="print the tuning grid")
    args = parser.parse_args()
    encoder = get_sentence_encoder()
    exemplars = load_exemplars(knowledge_dir())
    pairs = bank_texts(training_examples(), exemplars)
    started = time.perf_counter()
    vectors = encoder.encode([text for _, text in pairs])
    print(f"bank: {len(pairs)} exemplars encoded in {time.perf_counter() - started:.1f} s")
    layer = SemanticRedFlags(
        encoder, [label for label, _ in pairs], [t for _, t in pairs], vectors, exemplars.thresholds
    )

    tuning = load(ROOT / "tests/data/red_flag_phrasings.yml")
    danger = [*tuning["emergency"], *tuning["crisis"]]
    benign = [text for name in BENIGN_SETS for text in strings(load(ROOT / "tests/data" / name))]
    blind = load(ROOT / "tests/data/red_flag_blind_set.yml")
    sets = {
        "tuning red flags": danger,
        "tuning benign": benign,
        "blind red flags (measure only)": [*blind["emergency"], *blind["crisis"], *blind["negation_traps"]],
        "blind near-misses (measure only)": blind["benign"],
    }
    if BLIND_2.exists():
        blind2 = load(BLIND_2)
        for key, texts in blind2.items():
            sets[f"blind set 2 {key} (measure only)"] = list(strings(texts))
    timings: list[float] = []
    scored = {}
    for name, texts in sets.items():
        rows = []
        for text in texts:
            started = time.perf_counter()
            similarity, margin, _, _ = layer.scores(text)
            timings.append(time.perf_counter() - started)
            rows.append((similarity, margin))
        scored[name] = np.array(rows)
    t = exemplars.thresholds
    for name, scores in scored.items():
        print(
            f"{name:40s} n={len(scores):4d}  check or more {rates(scores, t.check_similarity, t.check_margin):6.1%}"
            f"  certain {rates(scores, t.certain_similarity, t.certain_margin):6.1%}"
        )
    print(
        f"latency per message: median {np.median(timings) * 1000:.1f} ms, "
        f"p95 {np.percentile(timings, 95) * 1000:.1f} ms"
    )
    if args.grid:
        red, ok = scored["tuning red flags"], scored["tuning benign"]
        print("similarity margin  red-recall  benign-alarm")
        for similarity in (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
            for margin in (0.0, 0.03, 0.05, 0.08, 0.1, 0.12, 0.15, 0.2):
                print(
                    f"{similarity:10.2f} {margin:6.2f} {rates(red, similarity, margin):10.1%}"
                    f" {rates(ok, similarity, margin):12.1%}"
                )
    # Sentences are listed for the tuning sets only: the blind sets stay unread.
    for name, verb in (("tuning benign", "flagged"), ("tuning red flags", "missed")):
        flagged = (scored[name][:, 0] >= t.check_similarity) & (scored[name][:, 1] >= t.check_margin)
        selected = zip(scored[name], sets[name], flagged if verb == "flagged" else ~flagged, strict=True)
        print(f"{name} {verb}:", *[f"  {s:.2f} {m:+.2f} {x}" for (s, m), x, keep in selected if keep], sep="\n")


if __name__ == "__main__":
    main()
