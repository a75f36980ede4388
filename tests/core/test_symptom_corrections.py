"""Corrections ("no, it's my tooth, not a headache") told from messages that name the
symptom without denying it, on phrasings helpers wrote without seeing the code
(tests/data/symptom_corrections.yml, where the labels come from them).

A missed correction leaves things as they were before the reading existed (the
screening goes on); a false one ends a screening for someone who has the symptom. So
false corrections must stay at none; the floors on corrections read are today's
figures, exact because the reading is plain code that doesn't vary between runs."""

from __future__ import annotations

import pytest
import yaml

from amma.knowledge_base import get_knowledge_base
from tests.conftest import ROOT

SETS = yaml.safe_load((ROOT / "tests" / "data" / "symptom_corrections.yml").read_text())
# (set, corrections read at least); a message that isn't a correction is never read as one.
FLOORS = {"blind": 43, "tuned": 38}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_corrections_are_read_and_nothing_else_is(name):
    kb = get_knowledge_base()

    def read(kind: str) -> tuple[list[str], list[str]]:
        """(the texts of that kind read as corrections, all its texts)."""
        texts = [(key, text) for key, group in SETS[name][kind].items() for text in group]
        return [text for key, text in texts if kb.symptom_denied(kb.symptoms[key], text)], [t for _, t in texts]

    (read_right, corrections), (misread, others) = read("corrections"), read("not_corrections")
    print(f"{name}: {len(read_right)} of {len(corrections)} corrections read; {len(misread)} of {len(others)} others")
    assert misread == []
    assert len(read_right) >= FLOORS[name], sorted(set(corrections) - set(read_right))
