"""A faster check of the action server's replies, with the same verdicts.

Rasa 3.6 checks every reply from the action server with `jsonschema.validate`,
which first validates the (constant) reply schema against JSON Schema's own
metaschema, and picks the newest draft's validator, the slowest. Profiled with
py-spy on 2026-11-29, that was 60% of the Rasa server's time per message. Here
the schema is checked once and its validator built once (Draft 7: the schema
uses nothing newer), then each reply is validated against it as before.
Rasa's server imports this package with the model, which installs the check.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Text

from jsonschema import Draft7Validator, ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def reply_validator() -> Draft7Validator:
    schema = RemoteAction.action_response_format_spec()
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """Rasa's RemoteAction._validate_action_result, with the validator built once."""
    try:
        reply_validator().validate(result)
        return True
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error


RemoteAction._validate_action_result = validate_action_result
