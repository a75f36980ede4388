"""Reading how strong a symptom is from free text."""

import pytest

from amma.intensity import estimate_intensity


@pytest.mark.parametrize(
    "text, expected",
    [
        ("my headache is about 7/10", 7),
        ("it's 3 out of 10", 3),
        ("I'd rate it a 6", 6),
        ("pain level 9 today", 9),
        ("10/10 worst", 10),
        ("my head is killing me", 8),
        ("a terrible migraine", 8),
        ("unbearable back pain", 9),
        ("slightly stiff neck", 3),
        ("a bit queasy", 3),
        ("not too bad, just annoying", 3),
        ("my back is pretty sore", 6),
        ("moderate stress", 5),
        ("I have a headache", None),
        ("", None),
        (None, None),
    ],
)
def test_estimate_intensity(text, expected):
    assert estimate_intensity(text) == expected
