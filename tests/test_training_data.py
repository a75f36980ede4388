"""`rasa data validate`: domain, NLU data, stories and rules are consistent.

Rasa warns about responses that no story or rule uses, even when a custom
action sends them; those (and only those) warnings are expected.
"""

import re

import pytest

from tests.conftest import LOGS, RASA, ROOT, log_tail, run_logged

WARNING = re.compile(r"UserWarning: (.*)")
UNUSED_RESPONSE = re.compile(r"The utterance '(utter_\w+)' is not used in any story or rule\.")


def responses_sent_by_custom_actions() -> set:
    return {name for path in (ROOT / "actions").glob("*.py")
            for name in re.findall(r"""response=["'](utter_\w+)["']""", path.read_text())}


@pytest.mark.rasa
def test_rasa_data_validate_passes_with_only_explained_warnings():
    result = run_logged([RASA, "data", "validate", "--fail-on-warnings"], "validate.log", timeout=600)
    assert result.returncode == 0, f"rasa data validate failed:\n{log_tail('validate.log', 60)}"
    sent_by_actions = responses_sent_by_custom_actions()
    unexplained = []
    for warning in WARNING.findall((LOGS / "validate.log").read_text(errors="replace")):
        unused = UNUSED_RESPONSE.search(warning)
        if not (unused and unused.group(1) in sent_by_actions):
            unexplained.append(warning)
    assert not unexplained, "unexplained validation warnings:\n" + "\n".join(unexplained)
