"""`rasa test` over the conversation tests in tests/test_stories.yml.

The stories use phrasings that are not in the training data, so they check
the trained model's NLU and dialogue predictions together.
"""

from pathlib import Path

import pytest

from tests.conftest import RASA, ROOT, log_tail, run_logged

RESULTS = ROOT / "results"


@pytest.mark.rasa
def test_conversation_stories_pass(trained_model: Path):
    result = run_logged(
        [
            RASA,
            "test",
            "core",
            "-m",
            str(trained_model),
            "--stories",
            "tests/test_stories.yml",
            "--out",
            str(RESULTS),
            "--no-plot",
            "--fail-on-prediction-errors",
        ],
        "rasa-test.log",
        timeout=900,
        # `rasa test core` predicts actions without running them: no action server
        # is meant to be up, so the safety net's health check is off.
        env={"AMMA_ACTION_SERVER_URL": "none"},
    )
    failed = RESULTS / "failed_test_stories.yml"
    detail = failed.read_text() if failed.exists() else log_tail("rasa-test.log", 60)
    assert result.returncode == 0, f"conversation tests failed:\n{detail}"
