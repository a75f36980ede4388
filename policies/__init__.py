"""Custom Rasa dialogue policies (run inside the Rasa server).

Rasa's server imports this package when it loads the model, so the two changes to
Rasa's own code that the server needs are installed here too.
"""

from policies import action_response_check  # noqa: F401  (installs the faster reply check)
from policies import failed_action_reply  # noqa: F401  (a failed custom action still answers)
