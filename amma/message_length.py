"""How much of a message the intent classifier reads.

The classifier learned from messages of at most about 100 characters; what
it reads past the first few sentences only dilutes their meaning and costs
featurizing time. The red-flag patterns, linear in time, read the whole
message: nlu_components/message_length_guard.py keeps it for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Ten times the longest training example (103 characters) and any question
# about points or symptoms; what a person writes past this is a story, and the
# patterns still read it.
CLASSIFIER_CHARS = 1000
# A word cut in half would be a made-up word to the classifier; look back this
# far for the space before it.
_WORD_CHARS = 40


@dataclass(frozen=True)
class Cut:
    """What the classifier reads of a message, and how long the message was."""

    text: str
    length: int

    @property
    def truncated(self) -> bool:
        return len(self.text) < self.length

    def as_parse_data(self) -> dict[str, Any]:
        return {"kept_chars": len(self.text), "total_chars": self.length}


def cut_for_classifier(text: str, limit: int = CLASSIFIER_CHARS) -> Cut:
    """The first ``limit`` characters of ``text``, without a last word cut in half."""
    if limit < 1:
        raise ValueError(f"the classifier must read at least one character, not {limit}")
    if len(text) <= limit:
        return Cut(text, len(text))
    kept = text[:limit]
    if not text[limit].isspace():
        space = max(kept.rfind(c, max(0, limit - _WORD_CHARS)) for c in " \n\t")
        kept = kept[:space] if space > 0 else kept
    return Cut(kept.rstrip(), len(text))
