"""Lengths of time: what a duration measures ('lasted a week', 'a raise over four years'),
and when it measures no figure at all ('six weeks into the war')."""

from __future__ import annotations

from typing import Optional

from tracker.extract import figures
from tracker.extract.document import Document
from tracker.extract.numbers import Quantity
from tracker.extract.text import Token

_LASTED_REACH = 10
# Verbs of happening: a length "over" after them spreads an event out ("took place over four
# days", "were staggered over two weeks").
_HAPPENED = frozenset({"place", "happened", "unfolded", "staggered", "spread", "occurred"})
_BE = frozenset({"was", "were", "been", "being", "be", "is", "are"})


def lasted(doc: Document, toks: list[Token], q: Quantity) -> Optional[str]:
    """'truces that lasted a week', 'bargaining had gone on for about a year': a length after a
    verb of lasting measures the figure named just before that verb in its clause."""
    lex = doc.lex
    k = q.i
    while k > 0 and toks[k - 1].low in lex.lasted_skip:
        k -= 1                                        # "lasted only three days"
    verb = lex.lasted.match_before(toks, k)
    if not verb:
        return None
    for m in range(verb[0] - 1, max(-1, verb[0] - 1 - _LASTED_REACH), -1):
        if toks[m].low in (".", ";", ":", "?", "!"):
            break
        hit = lex.cues.match_at(toks, m)
        if hit and hit[0] <= verb[0]:
            fits = sorted(f for f in hit[1] if figures.compatible("duration", f, lex))
            if fits:
                return fits[0]
        weak = lex.weak.match_at(toks, m)
        if weak and weak[0] <= verb[0]:
            return doc.topic(weak[1])                 # "the agreement will last 60 days"
    return None


def span_of(doc: Document, n: int, toks: list[Token], q: Quantity) -> Optional[str]:
    """'a 24.5% raise over four years': a length right after a claim it spans names the figure
    the lexicon's `spans` says (and 'over' there is no hedge)."""
    if q.kind != "duration" or q.i == 0 or not doc.said:
        return None
    last = doc.said[-1]
    if last.sentence != n or toks[q.i - 1].start < last.end:
        return None
    # "a 9% offer over two years": one noun may stand between the claim and its span word.
    k = q.i - 2
    if k >= 0 and toks[k].start >= last.end:
        if not toks[k].text.isalpha() or (k and toks[k - 1].start >= last.end):
            return None
    return doc.lex.spans.get((last.figure, toks[q.i - 1].low))


def not_a_duration(toks: list[Token], q: Quantity, doc: Document) -> bool:
    """'in almost 50 years', 'six weeks into the war': a span of time, not a figure's length."""
    lex = doc.lex
    if q.i and toks[q.i - 1].low in lex.duration_not_after:
        return True
    if q.i > 1 and toks[q.i - 1].low in lex.duration_not_after_det \
            and toks[q.i - 2].low in ("the", "its", "their", "his", "her", "our", "over", "in", "for", "during"):
        return True
    if q.j < len(toks) and toks[q.j].low in lex.duration_not_before:
        return True
    # "the handovers took place over four days": over a length after a verb means during; it
    # dates a happening, unless a figure's noun follows ("over four days of talks").
    k = q.i - 2 if q.i > 1 and toks[q.i - 1].low == "the" else q.i - 1
    if k > 0 and toks[k].low == "over" and toks[k - 1].low in _HAPPENED \
            and not (q.j < len(toks) and toks[q.j].low == "of"):
        return True
    # "they were held for 491 days", "in captivity for two years": how long people were held is
    # no truce's length ("the truce has held for a week" keeps its active verb).
    if q.i > 2 and toks[q.i - 1].low == "for" and (
            (toks[q.i - 2].low == "held" and toks[q.i - 3].low in _BE)
            or toks[q.i - 2].low == "captivity"):
        return True
    k = q.j
    if k < len(toks) and toks[k].low in ("of", "into"):
        k += 1
        while k < len(toks) and toks[k].low in ("the", "its", "their", "a", "this", "that"):
            k += 1
        return k < len(toks) and toks[k].lemma in lex.duration_not_of
    return False
