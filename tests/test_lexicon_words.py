"""Every hedge, vague word and duration word of the built-in lexicon, each in a sentence."""

from __future__ import annotations

import pytest

from tracker.extract import extract, load_lexicon

LEX = load_lexicon()
HEDGES = [(kind, w) for kind, words in LEX.hedges.items()
          if kind in ("approx", "at_least", "at_most") for w in words]


@pytest.mark.parametrize("kind,word", HEDGES, ids=[w for _, w in HEDGES])
def test_every_hedge_word(kind, word):
    """'<hedge> 40 hostages remain in Gaza.' gives the hedge's kind and its bound."""
    (claim,) = extract(f"{word.capitalize()} 40 hostages remain in Gaza.")
    assert (claim.figure, claim.value, claim.hedge) == ("hostages", 40, kind)
    assert claim.low == (40 if kind == "at_least" else None)
    assert claim.high == (40 if kind == "at_most" else None)
    assert claim.text.lower().startswith(word.lower())


@pytest.mark.parametrize("word,floor", sorted(LEX.vague.items()))
def test_every_vague_word(word, floor):
    """'<vague> of prisoners were freed.' gives a vague claim with the floor as `low`."""
    phrase = word if word in ("several", "a few") else f"{word} of"
    (claim,) = extract(f"Israel freed {phrase} prisoners on Monday.")
    assert (claim.figure, claim.hedge, claim.low, claim.value) == ("prisoners", "vague", floor, None)


@pytest.mark.parametrize("word,days", [(w, d) for w, d in LEX.durations.items() if w.endswith("s")])
def test_every_duration_word(word, days):
    """'The truce will last 3 <unit>.' gives 3 units in days."""
    (claim,) = extract(f"The truce will last 3 {word}.")
    assert (claim.figure, claim.unit) == ("truce", "day")
    assert claim.value == pytest.approx(3 * days, abs=1e-3)
