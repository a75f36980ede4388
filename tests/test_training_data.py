"""`rasa data validate`: domain, NLU data, stories and rules are consistent.

Rasa warns about responses that no story or rule uses, even when a custom
action sends them or a form asks them, about EXTERNAL_ intents (fired by
reminders) having no examples, and about the faq retrieval intent being
"duplicated"; those (and only those) warnings are expected.
"""

import re

import pytest

from tests.conftest import LOGS, RASA, ROOT, load_yaml, log_tail, run_logged

WARNING = re.compile(r"UserWarning: (.*)")
UNUSED_RESPONSE = re.compile(r"The utterance '(utter_\w+)' is not used in any story or rule\.")
EXPLAINED = (
    # Intents fired by reminders or other systems, never typed, so they have no examples.
    re.compile(r"The intent 'EXTERNAL_\w+' is listed in the domain file, but is not found in the NLU"),
    # Set only by the RedFlagDetector NLU component, never classified, so it has no examples.
    re.compile(r"The intent 'red_flag_check' is listed in the domain file, but is not found in the NLU"),
    # Rasa 3.6's importer adds retrieval intents from the NLU data to the domain
    # and then reports the domain's own entry as a duplicate; without that entry
    # the rules fail their domain check instead.
    re.compile(r"The following duplicated intents have been found across multiple domain files: faq$"),
)


def responses_used_outside_stories() -> set:
    """Responses sent by custom actions, and the questions forms ask (utter_ask_<slot>)."""
    sent = {
        name
        for path in (ROOT / "actions").glob("*.py")
        for name in re.findall(r"""response=["'](utter_\w+)["']""", path.read_text())
    }
    from amma.safety_net import FORGET_UNAVAILABLE, MESSAGE_CUT, OFFLINE_ESCALATION, TROUBLE

    # The safety net policy sends these when the action server can't be reached.
    sent |= {TROUBLE, MESSAGE_CUT, FORGET_UNAVAILABLE, *OFFLINE_ESCALATION.values()}
    forms = load_yaml("domain.yml").get("forms", {})
    return sent | {f"utter_ask_{slot}" for form in forms.values() for slot in form.get("required_slots", [])}


@pytest.mark.rasa
def test_rasa_data_validate_passes_with_only_explained_warnings():
    result = run_logged([RASA, "data", "validate", "--fail-on-warnings"], "validate.log", timeout=600)
    assert result.returncode == 0, f"rasa data validate failed:\n{log_tail('validate.log', 60)}"
    sent_by_actions = responses_used_outside_stories()
    unexplained = []
    for warning in WARNING.findall((LOGS / "validate.log").read_text(errors="replace")):
        unused = UNUSED_RESPONSE.search(warning)
        if not (unused and unused.group(1) in sent_by_actions) and not any(p.search(warning) for p in EXPLAINED):
            unexplained.append(warning)
    assert not unexplained, "unexplained validation warnings:\n" + "\n".join(unexplained)
