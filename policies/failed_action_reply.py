"""A custom action that fails still answers the person (issue 13.4).

When the action server raises, times out or returns an error, Rasa 3.6 logs the
exception, drops the action's events and carries on: the person gets no reply at
all, which is worst when they had just described an emergency. Here a failed call
answers from the Rasa server alone with what the safety net gives when the action
server is down (amma/safety_net.py): a red flag its contacts, anything else "I'm
having trouble right now" with the emergency numbers. The conversation carries on
with the next message. A form that rejects a message (ActionExecutionRejection)
is not a failure and passes through.
Rasa's server imports this package with the model, which installs the wrapper.
"""

from __future__ import annotations

import logging
from typing import Any, List

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance
from rasa.shared.core.events import Event

from amma.names import ACTION_LISTEN, Slot
from amma.safety_net import next_action
from policies.safety_net import turn_so_far

logger = logging.getLogger(__name__)
_run_remote_action = RemoteAction.run


def reply_when_failed(tracker: Any) -> str | None:
    """The response to send in place of a failed action's, or None for silence
    (a reminder firing is nobody's message)."""
    before, _ = turn_so_far(tracker)
    latest = tracker.latest_message.intent.get("name") if tracker.latest_message else None
    response = next_action(latest, before, [], False, tracker.get_slot(Slot.RED_FLAG_PENDING))
    return None if response in (None, ACTION_LISTEN) else response


async def run_or_answer(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> List[Event]:
    try:
        return await _run_remote_action(self, output_channel, nlg, tracker, domain)
    except ActionExecutionRejection:
        raise
    except Exception:
        logger.exception(f"Custom action '{self.name()}' failed; answering from the Rasa server instead.")
        response = reply_when_failed(tracker)
        if response is None:
            return []
        message = await nlg.generate(response, tracker, output_channel.name())
        return [create_bot_utterance(message)] if message else []


RemoteAction.run = run_or_answer
