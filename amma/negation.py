"""Whether the words around a red-flag match deny it: "no chest pain" does,
"not sure why, but I have chest pain" does not.

Plain Python, used by amma/red_flags.py for emergency flags only. It reads a
bounded window around each match, so its work per match does not grow with
the length of the message.
"""

from __future__ import annotations

import re

# A match is denied when one of these words stands shortly before it in the
# same clause: "no chest pain", "I didn't hit my head".
_NEGATORS = frozenset(
    {
        "no",
        "not",
        "never",
        "don't",
        "dont",
        "doesn't",
        "didn't",
        "didnt",
        "haven't",
        "hasn't",
        "wasn't",
        "isn't",
        "without",
        "nor",
        "neither",
        "zero",
    }
)
_WINDOW_WORDS = 4
# Four words, or a short list, fit in this many characters; looking no further
# keeps the work per match bounded, however many matches a long message has.
_LOOKBACK_CHARS = 80
_LOOKAHEAD_CHARS = 40
_SENTENCE_BREAK = re.compile(r"[.;!?]|\bbut\b|\bthough\b|\balthough\b")
# Words that look like a negation but deny nothing about the flag: doubt
# ("not sure", "no idea", "I don't know"), a state ("not okay") and a "no"
# that answers before the sentence starts ("no I'm not okay", "no, ...").
_NOT_A_NEGATION = re.compile(
    r"\b(not (even )?(sure|certain|okay|ok|alright|all right|fine|good|well|great|coping)"
    r"|no (idea|clue)|(i )?(don'?t|do not) know|dunno"
    r"|no(?= (i|i'm|im|i've|ive|it|it's|my|we|he|she|they)\b)|no(?=,))\b"
)
# "I've never had chest pain like this": a first time, not an absence.
_FIRST_TIME = re.compile(
    r"\b(like (this|that|it)|this (bad|severe|painful)|so (bad|severe)|before|until now|till now)\b"
)
# "no rash, fever or stiff neck": the match is an item of a list whose head is denied.
_JOINS_A_LIST = re.compile(r"^\s*([a-z']+ ){0,3}(or|nor) $")
_LIST_GOES_ON = re.compile(r"^ (or|nor)\b")
_LIST_ITEM_WORDS = 4


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text)


def _denied_list_item(segments: list[str], after: str) -> bool:
    *earlier, last = segments
    if not (_JOINS_A_LIST.match(last) or (not last.strip() and _LIST_GOES_ON.match(after))):
        return False
    for segment in reversed(earlier):
        words = _words(segment)
        if any(word in _NEGATORS for word in words):
            return True
        if len(words) > _LIST_ITEM_WORDS:
            return False  # a clause of its own, not a list item
    return False


# A crisis match is denied only outright, right before it: "no thoughts of
# hurting myself", "I'm not suicidal". "Not going to kill myself" or "no one
# would care if I killed myself" stay crisis: a denial that is not plainly about
# the thought itself could be the opposite.
_DENIED_THOUGHT = re.compile(
    r"\b(no|not|never|without|zero|nor|(don'?t|do not) have|(haven'?t|have not) had)( (any|real|actual|active))?"
    r"( (been|feeling|feel))?(?P<thought> (thoughts?|thinking|ideas?|urges?|plans?|intentions?|desire|wish))"
    r"( (of|about|to|like))? $"
    r"|\b(no|not|never|without|zero|nor)( (any|real|actual|active))?( (been|feeling|feel))? $"
)
_THOUGHT_ITSELF = re.compile(r"^(suicid|self[- ]?harm|thoughts?|thinking|urges?)")
# "I'm not suicidal exactly, but...": a hedged denial is no denial.
_HEDGE = re.compile(
    r"^[\w\s-]{0,12}?,? ?(exactly|as such|per se|really|i (think|guess|suppose)|yet|but|though|however)\b"
)


def denied_thought(text: str, start: int, end: int) -> bool:
    """Whether the crisis match text[start:end] of normalised ``text`` is denied outright."""
    before = _SENTENCE_BREAK.split(text[max(0, start - _LOOKBACK_CHARS) : start])[-1].split(",")[-1]
    denial = _DENIED_THOUGHT.search(before)
    if denial is None or _HEDGE.match(text[end : end + _LOOKAHEAD_CHARS]):
        return False
    # "no thoughts of hurting myself" names the thought; "not suicidal" is the thought.
    return bool(denial.group("thought")) or bool(_THOUGHT_ITSELF.match(text[start:end]))


def negated(text: str, start: int, end: int) -> bool:
    """Whether the match text[start:end] of normalised ``text`` is denied.

    A negation reaches over the last few words of its clause, and not past a
    comma ("no, I'm not okay, I took 40 pills"), except along a list.
    """
    before = text[max(0, start - _LOOKBACK_CHARS) : start]
    if start > _LOOKBACK_CHARS:
        before = before.partition(" ")[2]  # the first word may be cut: "piano" must not read as "no"
    after = _SENTENCE_BREAK.split(text[end : end + _LOOKAHEAD_CHARS])[0]
    segments = _NOT_A_NEGATION.sub(" ", _SENTENCE_BREAK.split(before)[-1]).split(",")
    negators = {word for word in _words(segments[-1])[-_WINDOW_WORDS:] if word in _NEGATORS}
    if negators == {"never"}:
        return not _FIRST_TIME.search(after.split(",")[0])
    return bool(negators) or _denied_list_item(segments, after)
