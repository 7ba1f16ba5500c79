"""Untrusted text: extraction never raises, spans always index the text, time stays linear."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.extract import extract

WORDS = st.sampled_from([
    "hostages", "prisoners", "some", "about", "at least", "between", "and", "to", "-", "dozens",
    "of", "the", "40", "1,200", "2.5bn", "$6", "billion", "%", "four-day", "truce", "said",
    "according to", "Hamas", "Channel 12", "October", "7,", "2024", "12:01", "50/50", "a week",
    "would", "release", "killed", "(AP Photo/X)", "File:", ".", ",", "\n", "forty-one", "half",
    "three times that number of", "more", "another", "“", "”", "per", "or more",
])
NEWSISH = st.lists(WORDS, max_size=60).map(" ".join)


def _check(text: str, all_quantities: bool = False) -> None:
    for c in extract(text, all_quantities=all_quantities):
        assert text[c.start:c.end] == c.text
        assert c.text and 0 <= c.start < c.end <= len(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_unicode_text(text):
    """Random unicode never raises and every claim indexes the text."""
    _check(text)


@settings(max_examples=150, deadline=None)
@given(NEWSISH)
def test_news_like_word_salad(text):
    """Shuffled news words (numbers, hedges, frames) never raise and spans hold."""
    _check(text)


@settings(max_examples=25, deadline=None)
@given(NEWSISH)
def test_news_like_word_salad_all_quantities(text):
    """The same in --all mode, where quantulum3 reads the sentences too."""
    _check(text, all_quantities=True)


def _timed(text: str) -> float:
    start = time.perf_counter()
    extract(text)
    return time.perf_counter() - start


def test_pathological_inputs_stay_linear():
    """A 1 MB line without spaces, 100,000 figure nouns, repeated ranges, thousands of claims in
    one sentence: each well under 10 s, and doubling the input does not quadruple the time."""
    cases = {
        "no spaces": lambda n: "9" * n + "x" * n,
        "figure nouns": lambda n: "hostages " * (n // 9),
        "between": lambda n: "between 3 and " * (n // 14),
        "punctuation": lambda n: ".,;" * (n // 3),
        # thousands of claims in one sentence: each stage looks at a window, not the sentence
        "claims": lambda n: "Hamas said 5 hostages and 3% pay over 3 days, " * (n // 200),
    }
    for name, make in cases.items():
        small, big = _timed(make(250_000)), _timed(make(500_000))
        assert big < 10, name
        assert big < 4 * small + 0.5, name
    assert _timed("x" * 1_000_000) < 10
