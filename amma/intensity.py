"""How strong a symptom is, read from the person's own words.

People rarely answer "7/10" unprompted; they say "a bit", "terrible" or
"killing me". We read an explicit score when there is one and otherwise map
common intensity words onto the 0-10 scale, so the bot can acknowledge it and
point strong symptoms towards a professional.
"""

from __future__ import annotations

import re

# Explicit scores: "7/10", "7 out of 10", "8 of 10", "a 6", "level 9", "about a 5".
_SCORE_PATTERNS = (
    re.compile(r"\b(10|[0-9])(?:\.5)?\s*(?:/|out of|of)\s*10\b"),
    re.compile(r"\b(?:level|rating|rated?(?: it)?|score)\s+(?:(?:a|an|at)\s+)?(10|[0-9])\b"),
    re.compile(r"\b(?:about|like|maybe|it'?s|at)\s+an?\s+(10|[0-9])\b"),
)

# Ordered strongest first: the first family that matches wins, so
# "not too bad" must be checked before "bad".
_WORD_SCALE = (
    (9, r"unbearable|excruciating|agony|agonising|agonizing|worst|can'?t take (?:it|this)"),
    (8, r"killing me|terrible|horrible|awful|severe|really bad|so bad|very bad|intense|pounding|splitting"),
    (3, r"not too bad|not that bad|mild|slight(?:ly)?|a (?:little|bit|tad)|a little bit|minor|niggl"),
    (6, r"\bbad\b|quite|pretty|really|so much|very|strong"),
    (5, r"moderate|medium|so-so|manageable"),
)
_WORD_PATTERNS = tuple((score, re.compile(rf"(?:{words})", re.IGNORECASE)) for score, words in _WORD_SCALE)

STRONG_INTENSITY = 8


def estimate_intensity(text: str | None) -> int | None:
    """A 0-10 estimate of how strong the symptom is, or None if the text does not say."""
    if not text:
        return None
    lowered = text.lower()
    for pattern in _SCORE_PATTERNS:
        match = pattern.search(lowered)
        if match:
            return int(match.group(1))
    for score, pattern in _WORD_PATTERNS:
        if pattern.search(lowered):
            return score
    return None
