"""What the intent classifier reads of a long message."""

from __future__ import annotations

import pytest

from amma.message_length import CLASSIFIER_CHARS, cut_for_classifier


@pytest.mark.parametrize(
    "text, limit, kept",
    [
        ("my neck is stiff", 100, "my neck is stiff"),
        ("exactly ten", 11, "exactly ten"),
        # The limit falls on a space: the words before it.
        ("one two three", 7, "one two"),
        # The limit falls inside "three": it is left out, not cut to "t".
        ("one two three", 9, "one two"),
        # No space to go back to: a plain cut.
        ("abcdefghij", 4, "abcd"),
        # Line breaks are spaces too, and none is left at the end.
        ("first line\nsecond line", 14, "first line"),
    ],
)
def test_the_classifier_reads_whole_words_up_to_the_limit(text, limit, kept):
    cut = cut_for_classifier(text, limit)
    assert (cut.text, cut.length, cut.truncated) == (kept, len(text), kept != text)


def test_by_default_the_classifier_reads_a_thousand_characters():
    assert CLASSIFIER_CHARS == 1000
    # 300 five-letter words and spaces: 1,500 characters; the cut falls on the "w" of word 201.
    cut = cut_for_classifier("word " * 300)
    assert cut.text == "word " * 199 + "word" and len(cut.text) == 999
    assert cut.as_parse_data() == {"kept_chars": 999, "total_chars": 1500}


def test_a_limit_below_one_character_is_refused():
    with pytest.raises(ValueError):
        cut_for_classifier("anything", 0)
