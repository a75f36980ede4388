"""SafetyNetPolicy: the dialogue's safety rules that nothing learned may override
(amma/safety_net.py decides; this adapts it to Rasa's policy interface).

It outranks every other policy (priority 7; RulePolicy has 6) and abstains, with
all-zero scores, whenever the safety net has nothing to insist on. It checks the
action server's /health (a local request of about a millisecond, its answer kept
for a quarter of a second), so an emergency never waits on a server that isn't there.
"""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction, confidence_scores_for
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from amma.knowledge_base import get_knowledge_base
from amma.names import ACTION_LISTEN, TRUNCATED_PARSE_KEY, Slot
from amma.safety_net import next_action

# The same variable, and the same default, as endpoints.yml's action_endpoint.
# "none" turns the health check off where no action server is meant to run
# (`rasa test core` predicts actions without running them). Several webhooks,
# separated by spaces, are the replicas a Rasa server fails over to
# (policies/action_failover.py): the actions can run while any of them answers.
ACTION_SERVER_ENV = "AMMA_ACTION_SERVER_URL"
DEFAULT_ACTION_SERVER = "http://localhost:5055/webhook"
NO_ACTION_SERVER = "none"


# url -> (when checked, whether it answered). The check blocks Rasa's event loop,
# and a turn makes 3-5 predictions: one answer serves every prediction, of any
# conversation, for HEALTH_MAX_AGE seconds.
_health: Dict[str, tuple[float, bool]] = {}
HEALTH_MAX_AGE = 0.25


def action_servers_up(webhook_urls: str, timeout: float) -> bool:
    """Whether any of the space-separated webhooks' servers answers its /health."""
    return any(action_server_up(url, timeout) for url in webhook_urls.split())


def action_server_up(webhook_url: str, timeout: float) -> bool:
    if webhook_url == NO_ACTION_SERVER:
        return True
    checked = _health.get(webhook_url)
    if checked and time.monotonic() - checked[0] < HEALTH_MAX_AGE:
        return checked[1]
    health = webhook_url.rsplit("/webhook", 1)[0] + "/health"
    try:
        with urllib.request.urlopen(health, timeout=timeout) as response:
            up = bool(response.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        up = False
    _health[webhook_url] = (time.monotonic(), up)
    return up


def turn_so_far(tracker: DialogueStateTracker) -> tuple[Optional[str], List[str]]:
    """The bot's last action before the latest user message, and the actions since."""
    since: List[str] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted) and event.action_name:
            since.insert(0, event.action_name)
    else:
        return None, since
    before = None
    seen_user = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            seen_user = True
        elif seen_user and isinstance(event, ActionExecuted) and event.action_name not in (None, ACTION_LISTEN):
            before = event.action_name
            break
    return before, [name for name in since if name != ACTION_LISTEN]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class SafetyNetPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": 7, "health_timeout": 0.5}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource  # nothing to learn: the rules are written down

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        before, done = turn_so_far(tracker)
        url = os.environ.get(ACTION_SERVER_ENV, DEFAULT_ACTION_SERVER)
        intent = tracker.latest_message.intent.get("name") if tracker.latest_message else None
        # Read once a turn, at its first prediction: that is where the correction goes.
        denied = not done and bool(
            tracker.latest_message
            and get_knowledge_base().denied_symptom(
                tracker.latest_message.text or "", intent, tracker.get_slot(Slot.SYMPTOM)
            )
        )
        action = next_action(
            intent,
            before,
            done,
            action_servers_up(url, float(self.config.get("health_timeout", 0.5))),
            tracker.get_slot(Slot.RED_FLAG_PENDING),
            truncated=bool(tracker.latest_message and tracker.latest_message.parse_data.get(TRUNCATED_PARSE_KEY)),
            symptom_denied=denied,
        )
        if action is None or action not in domain.action_names_or_texts:
            return self._prediction(self._default_predictions(domain))
        return self._prediction(confidence_scores_for(action, 1.0, domain))
