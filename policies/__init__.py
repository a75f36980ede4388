"""Custom Rasa dialogue policies (run inside the Rasa server).

Rasa's server imports this package when it loads the model, so the one fix to
Rasa's own code that the server needs is installed here too.
"""

from policies import action_response_check  # noqa: F401  (installs the faster reply check)
