"""Held-out NLU quality (scripts/nlu_quality.py): intent and FAQ macro F1 at or above 0.95."""

import subprocess
import sys

import pytest

from tests.conftest import QUIET_ENV, ROOT


@pytest.mark.rasa
def test_held_out_intent_and_faq_f1_meet_the_target(trained_model):
    result = subprocess.run([sys.executable, "scripts/nlu_quality.py", "--model", str(trained_model)],
                            cwd=ROOT, env=QUIET_ENV, capture_output=True, text=True, timeout=900)
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
