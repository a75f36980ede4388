"""Bounded work per message: every red-flag pattern runs in linear time.

Python's regular expressions backtrack. An unbounded repeat followed by
something that can fail (``\\w*...head``) retries from every start, so a long
message of the pattern's own words takes time that grows with its square
("fellahit" x 2,500 took 14 seconds). Each pattern is timed here on
20,000-character inputs built to be as hard as possible for it: filler, its
own words, and every prefix of a text it would match, repeated with and
without separators, which is where a backtracking pattern fails slowest.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

import pytest

from amma.red_flags import get_red_flag_rules

try:  # Python 3.11 moved the regular-expression parser
    import re._parser as sre_parse
    from re import _constants as sre
except ImportError:  # Python 3.10, the project's
    import sre_constants as sre
    import sre_parse

LENGTH = 20_000
# A linear pattern takes 1 to 25 ms on these inputs on a 2-core machine; the
# quadratic one this replaced took 14 s. The budget sits an order of magnitude from
# both: a busy machine (a training beside the tests) pushed a linear one to 50 ms,
# and backtracking shows as seconds, not milliseconds.
PATTERN_BUDGET_SECONDS = 0.5
# All the patterns together, normalisation and negation included (about 150 ms).
DETECT_BUDGET_SECONDS = 2.5
SEPARATORS = ("", " ", ", ")
FILLERS = ("a ", ", ", "worst ", "x", "a,", "' ", "a, b ", "no ", "not sure, ")

RULES = get_red_flag_rules()


def repeated(unit: str, length: int = LENGTH) -> str:
    return (unit * (length // max(1, len(unit)) + 1))[:length]


def _class_example(items: list) -> str:
    for op, av in items:
        if op is sre.LITERAL:
            return chr(av)
        if op is sre.RANGE:
            return chr(av[0])
        if op is sre.CATEGORY:
            return " " if av is sre.CATEGORY_SPACE else "a"
    return "a"


def example(items: list) -> str:
    """A short text the parsed pattern matches, or nearly: the first branch of
    each choice, one turn of each repeat (so an optional window is not empty)."""
    out = []
    for op, av in items:
        if op is sre.LITERAL:
            out.append(chr(av))
        elif op is sre.IN:
            out.append(_class_example(av))
        elif op is sre.ANY:
            out.append("a")
        elif op is sre.SUBPATTERN:
            out.append(example(av[-1]))
        elif op is sre.BRANCH:
            out.append(example(av[1][0]))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, _, sub = av
            out.append(example(sub) * max(low, 1))
    return "".join(out)


def prefixes(source: str) -> Iterator[str]:
    """Every prefix, element by element, of a text the pattern matches: each is
    a text the pattern starts on and then has to give up."""
    tree = list(sre_parse.parse(source.lower()))
    sequences = [list(branch) for branch in tree[0][1][1]] if len(tree) == 1 and tree[0][0] is sre.BRANCH else [tree]
    for sequence in sequences:
        for end in range(1, len(sequence) + 1):
            yield example(sequence[:end])


def adversarial_inputs(source: str, length: int = LENGTH) -> Iterator[str]:
    yield from (repeated(filler, length) for filler in FILLERS)
    words = list(dict.fromkeys(re.findall(r"[a-z][a-z']*", re.sub(r"\\[a-z]", " ", source.lower()))))
    for separator in SEPARATORS:
        yield repeated(separator.join(words) + separator, length)
        for prefix in dict.fromkeys(prefixes(source)):
            yield repeated(prefix + separator, length)


def seconds(run: Callable[[], object], budget: float = PATTERN_BUDGET_SECONDS) -> float:
    """The best of up to three runs: one is enough unless the machine was busy."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
        if best <= budget:
            break
    return best


def every_match(pattern: re.Pattern[str], text: str) -> int:
    # All matches, as the negation check may have to look at each one.
    return sum(1 for _ in pattern.finditer(text))


def flag_patterns(flag) -> list[re.Pattern[str]]:
    return [*flag.any_of, *(p for group in flag.all_of for p in group)]


@pytest.mark.parametrize("flag", RULES.flags, ids=lambda flag: flag.name)
def test_every_pattern_runs_in_bounded_time_on_adversarial_input(flag):
    slow = {}
    for pattern in flag_patterns(flag):
        for text in adversarial_inputs(pattern.pattern):
            took = seconds(lambda p=pattern, t=text: every_match(p, t))
            if took > PATTERN_BUDGET_SECONDS:
                slow[pattern.pattern] = f"{took * 1000:.0f} ms on {text[:40]!r}..."
                break
    assert not slow, slow


def test_adversarial_inputs_catch_a_quadratic_pattern():
    # The guard must be able to fail: the pattern it caught in head_injury, on
    # 10,000 characters (about 3.5 s; 20,000 took 14 s).
    quadratic = re.compile(r"(fell|fall)[\w\s,]{0,40}(hit|bang)\w*[\w\s]{0,10}head")
    inputs = adversarial_inputs(quadratic.pattern, length=10_000)
    assert any(seconds(lambda t=t: every_match(quadratic, t)) > PATTERN_BUDGET_SECONDS for t in inputs)


def unbounded_repeats(items: list) -> Iterator[str]:
    """Repeats with no upper bound (*, +, {n,}) of anything wider than one letter."""
    for op, av in items:
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, high, sub = av
            if high is sre.MAXREPEAT and not (len(sub) == 1 and sub[0][0] is sre.LITERAL):
                yield str(sub)
            yield from unbounded_repeats(list(sub))
        elif op is sre.SUBPATTERN:
            yield from unbounded_repeats(list(av[-1]))
        elif op is sre.BRANCH:
            for branch in av[1]:
                yield from unbounded_repeats(list(branch))
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            yield from unbounded_repeats(list(av[1]))


def test_no_pattern_repeats_a_class_without_bound():
    # The rule behind the timings: "\w*", ".+" or "[a-z ]*" can run to the end
    # of the message from every start; a window like "[\w\s]{0,30}" cannot.
    # "at+ack" is fine: a run of one letter ends where the next begins.
    unbounded = {
        p.pattern: found
        for flag in RULES.flags
        for p in flag_patterns(flag)
        if (found := list(unbounded_repeats(list(sre_parse.parse(p.pattern)))))
    }
    assert not unbounded, unbounded


@pytest.mark.parametrize(
    "unit",
    ["a ", "worst ", ", ", "no chest pain, ", "no chest pain ", "not sure, chest pain ", "i'm not ", "fellhit"],
)
def test_detect_as_a_whole_runs_in_bounded_time(unit):
    text = repeated(unit)
    assert seconds(lambda: RULES.detect(text), DETECT_BUDGET_SECONDS) <= DETECT_BUDGET_SECONDS
