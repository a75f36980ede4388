"""Whether a red-flag match is told as distant history: "grandad had a stroke
years ago", "had a concussion back in March, all cleared", "chest feels tight
when I'm stressed, my GP checked it and said it's fine".

Plain Python, used by amma/red_flags.py for emergency flags only. Such a match
is not dropped: it is only not certain, so the person is asked (the question
carries the contacts) unless another layer is sure. A sign told in a clause of
its own ("had a stroke years ago, now my face is drooping") or told as coming
back ("the same pain again") stays certain. Like amma/negation.py it reads a
bounded window around each match, so the work per match does not grow with
the length of the message.
"""

from __future__ import annotations

import re

_LOOKBACK_CHARS = 80
_LOOKAHEAD_CHARS = 80
# A clause ends at punctuation or a joining word: "had a stroke years ago and
# now his face is drooping" is two clauses, and the second is told as now.
_CLAUSE_BREAK = re.compile(r"[.;!?,:()]|\b(?:but|though|although|and|since|so|because|then|until|when|while|now)\b")
_SENTENCE_BREAK = re.compile(r"[.;!?]")
_NUMBER = r"(\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|a few|few|several|many|some|a couple of|couple of)"
# Long enough ago to be history, in the same clause as the sign.
_DISTANT = re.compile(
    rf"\b({_NUMBER} (years?|yrs?|months?|decades?) (ago|back|before)"
    r"|years (ago|back|before)|months ago|ages ago|a long time ago"
    r"|last (year|month|summer|winter|spring|autumn|fall)"
    r"|(back )?in (19|20)\d\d|back in (january|february|march|april|may|june|july|august|september|october"
    r"|november|december|the day|uni|school|college)"
    r"|as a (kid|child|baby|toddler|teen|teenager)|when (i|he|she|they) (was|were) (a kid|little|young|younger"
    r"|a child|a baby|a teen|a teenager|\d+)"
    r"|history of|had one before)\b"
)
# A doctor's all-clear in the same sentence: "my GP checked my heart, all fine".
_CLEARED = re.compile(
    r"\b(gp|doctor|doc|dr|cardiologist|consultant|a&e|hospital|nurse|ecg|tests?|scans?|bloods)\b[\w\s',]{0,25}"
    r"\b(checked|examined|tested|scanned|looked at|said|says|told me|cleared|ruled out|came back|were|was)\b"
    r"[\w\s',]{0,50}\b(fine|normal|clear|nothing (wrong|serious|there)|anxiety|stress|muscle|muscular|muscle tension"
    r"|reflux|heartburn|indigestion|panic)\b"
)
# A sign told as sudden or acute is news, whatever a doctor said before.
_ACUTE = re.compile(
    r"\b(sudden|suddenly|out of nowhere|all of a sudden|crushing|worst|can'?t breathe|sweat\w*|left arm|jaw|numb"
    r"|collapsed|right now|just now|minutes? ago|an hour ago)\b"
)
# Told as coming back or happening again: still certain.
_RECURRING = re.compile(
    r"\b(again|same (thing|symptoms?|pain|feeling|way)|another one|worse|worsening|getting bad|come back"
    r"|came back(?! (clear|normal|fine))|coming back|returned|back again)\b"
)

# "never happened again" says the opposite of coming back.
_NEVER_AGAIN = re.compile(r"\b(never|not|hasn'?t|has not|haven'?t|didn'?t)( \w+){0,2} again\b")


def _clause(text: str, start: int, end: int) -> str:
    before = text[max(0, start - _LOOKBACK_CHARS) : start]
    after = text[end : end + _LOOKAHEAD_CHARS]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    head = before[breaks[-1].end() :] if breaks else before
    tail = after[: m.start()] if (m := _CLAUSE_BREAK.search(after)) else after
    return f"{head}{text[start:end]}{tail}"


def _sentence(text: str, start: int, end: int) -> str:
    before = _SENTENCE_BREAK.split(text[max(0, start - _LOOKBACK_CHARS) : start])[-1]
    after = _SENTENCE_BREAK.split(text[end : end + _LOOKAHEAD_CHARS])[0]
    return f"{before}{text[start:end]}{after}"


def told_as_past(text: str, start: int, end: int) -> bool:
    """Whether the match text[start:end] of normalised ``text`` is history, not now."""
    sentence = _sentence(text, start, end)
    if _RECURRING.search(_NEVER_AGAIN.sub(" ", sentence)):
        return False
    if _DISTANT.search(_clause(text, start, end)):
        return True
    return bool(_CLEARED.search(sentence)) and not _ACUTE.search(sentence)
