"""Custom Rasa dialogue policies (run inside the Rasa server).

Rasa's server imports this package when it loads the model, so the changes to
Rasa's own code that the server needs are installed here too.
"""

from policies import (
    action_failover,  # noqa: F401  (a call to an unreachable action server goes to a replica)
    action_response_check,  # noqa: F401  (installs the faster reply check)
    event_lookup,  # noqa: F401  (an event's class found once per name)
    failed_action_reply,  # noqa: F401  (a failed custom action still answers)
    kept_connections,  # noqa: F401  (calls to the action server reuse their connections)
    message_answers,  # noqa: F401  (screening facts read from every message, in this server)
)
