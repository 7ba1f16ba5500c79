"""A claim as an interval, and one best estimate per series and date from those intervals.

Pure functions over small tuples (no database, no pydantic), so that a million claims stream
through them. An `Item` is one claim of a series on a date:

    (lo, hi, hedge, voice, source, value, claim_id, wire, document_id)

`lo`/`hi` is what the claim allows (`hi` None = unbounded); an approximate number is [N, N] and
allows N ± tolerance when claims are combined.

The rule (README, "Best estimate"):
1. Every claim allows an interval; approx N allows [N(1−t), N(1+t)].
2. Take the largest set of claims that can all be true together: the point covered by the claims
   of the most voices; ties go to the more specific set (an exact number beats an approximate one,
   which beats a range, which beats bounds), then to more claims, then to the higher number (in a
   headline count, a clashing smaller number is most often a part taken for the whole).
3. From that set: an exact number if there is one; else the median approximate number, kept
   inside the set's common interval; else the common interval of the bounds ([max low, min high]).
Voices outside the chosen set are listed as `against`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median
from typing import Optional, Sequence

LO, HI, HEDGE, VOICE, SOURCE, VALUE, ID, WIRE, DOC = range(9)
#: how specific a hedge is, for breaking ties between sets of claims that cannot all be true
SPECIFICITY = {"exact": 4, "approx": 3, "range": 2, "at_most": 1, "at_least": 1, "vague": 0}


def interval(hedge: str, value: Optional[float], low: Optional[float], high: Optional[float]
             ) -> tuple[Optional[float], Optional[float]]:
    """What a claim allows: exact/approx N → (N, N); at_least → (N, None); at_most → (0, N);
    range → (low, high); vague → (floor, None). (None, None) when it holds no number."""
    if hedge in ("exact", "approx"):
        v = value if value is not None else (low if low is not None else high)
        return (v, v) if v is not None else (None, None)
    if hedge == "at_least" or hedge == "vague":
        v = low if low is not None else value
        return (v if v is not None else 0.0), None
    if hedge == "at_most":
        v = high if high is not None else value
        return (0.0, v) if v is not None else (None, None)
    lo = low if low is not None else value
    hi = high if high is not None else value
    if lo is None and hi is None:
        return None, None
    return (lo if lo is not None else 0.0), hi


def allows(item: tuple, tol: float) -> tuple[float, Optional[float]]:
    """The interval an item allows when claims are combined (approx widened by the tolerance)."""
    lo, hi = item[LO], item[HI]
    if item[HEDGE] == "approx":
        return lo * (1 - tol), hi * (1 + tol)
    return lo, hi


def gap_share(a: tuple, b: tuple) -> float:
    """How far apart two intervals lie, as a share of the larger number at the gap (0 if they meet)."""
    (alo, ahi), (blo, bhi) = a, b
    if ahi is not None and ahi < blo:
        return (blo - ahi) / blo if blo else 0.0
    if bhi is not None and bhi < alo:
        return (alo - bhi) / alo if alo else 0.0
    return 0.0


@dataclass
class Estimate:
    """The best estimate of a series on one date."""

    value: Optional[float]
    low: Optional[float]
    high: Optional[float]
    hedge: str
    voices: list[str]
    items: list = field(default_factory=list)
    against: list[str] = field(default_factory=list)

    @property
    def level(self) -> Optional[float]:
        """One number to draw a line or a step through: the value, else the nearer finite bound."""
        if self.value is not None:
            return self.value
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        return self.low if self.low is not None else self.high


def merge_wires(items: Sequence[tuple]) -> list[tuple]:
    """Items whose wire key (same words, same number, same day) recurs in several outlets take one voice."""
    first: dict = {}
    for it in items:
        w = it[WIRE]
        if w is not None and (w not in first or it[VOICE] < first[w]):
            first[w] = it[VOICE]
    if len(first) == len(items):
        return list(items)
    return [it if it[WIRE] is None or first[it[WIRE]] == it[VOICE] else
            it[:VOICE] + (first[it[WIRE]],) + it[VOICE + 1:] for it in items]


def _agreeing(items: Sequence[tuple], tol: float) -> list[tuple]:
    """The largest set of items that can all be true (rule 2), found by one sweep over the bounds."""
    spans = [allows(it, tol) for it in items]
    top = max(lo for lo, _ in spans)
    if all(hi is None or top <= hi for _, hi in spans):
        return list(items)
    # events: a claim starts at its low and ends after its high; starts sort before ends at one point
    events = sorted([(lo, 0, i) for i, (lo, _) in enumerate(spans)] +
                    [(hi, 1, i) for i, (_, hi) in enumerate(spans) if hi is not None])
    voices: dict[str, int] = {}
    levels = [0] * 5
    active = 0
    best, best_x = None, None
    k = 0
    while k < len(events):
        x = events[k][0]
        while k < len(events) and events[k][0] == x and events[k][1] == 0:
            it = items[events[k][2]]
            voices[it[VOICE]] = voices.get(it[VOICE], 0) + 1
            levels[SPECIFICITY[it[HEDGE]]] += 1
            active += 1
            k += 1
        if active and (best is None or len(voices) >= best[0]):
            spec = 4 if levels[4] else 3 if levels[3] else 2 if levels[2] else 1 if levels[1] else 0
            score = (len(voices), spec, active, x)
            if best is None or score > best:
                best, best_x = score, x
        while k < len(events) and events[k][0] == x and events[k][1] == 1:
            it = items[events[k][2]]
            voices[it[VOICE]] -= 1
            if not voices[it[VOICE]]:
                del voices[it[VOICE]]
            levels[SPECIFICITY[it[HEDGE]]] -= 1
            active -= 1
            k += 1
    return [it for it, (lo, hi) in zip(items, spans) if lo <= best_x and (hi is None or best_x <= hi)]


def best_estimate(items: Sequence[tuple], tol: float = 0.10) -> Estimate:
    """The best estimate from one date's items of one series (see the module docstring)."""
    if len(items) == 1:  # most dates of most series: one claim, its own interval
        it = items[0]
        lo, hi, hedge = it[LO], it[HI], it[HEDGE]
        value = lo if hedge in ("exact", "approx", "at_least") else (hi if hedge == "at_most" else None)
        if hedge == "vague":
            value = lo or None
        return Estimate(value, lo, hi, hedge, [it[VOICE]], list(items), [])
    items = merge_wires(items)
    chosen = _agreeing(items, tol) if len(items) > 1 else items
    voices = sorted({it[VOICE] for it in chosen})
    against = sorted({it[VOICE] for it in items} - set(voices))
    exact = [it[LO] for it in chosen if it[HEDGE] == "exact"]
    if exact:
        v = median(exact)
        return Estimate(v, v, v, "exact", voices, items, against)
    spans = [allows(it, tol) for it in chosen]
    lo = max(s[0] for s in spans)
    his = [s[1] for s in spans if s[1] is not None]
    hi = min(his) if his else None
    approx = [it[LO] for it in chosen if it[HEDGE] == "approx"]
    if approx:
        v = min(max(median(approx), lo), hi if hi is not None else float("inf"))
        return Estimate(v, v, v, "approx", voices, items, against)
    hedges = {it[HEDGE] for it in chosen}
    if hi is None:
        hedge = "vague" if hedges == {"vague"} else "at_least"
        return Estimate(lo if lo else None, lo, None, hedge, voices, items, against)
    if lo == hi:
        return Estimate(lo, lo, hi, "exact" if hedges != {"at_most"} else "at_most", voices, items, against)
    if lo == 0 and hedges == {"at_most"}:
        return Estimate(hi, 0.0, hi, "at_most", voices, items, against)
    return Estimate(None, lo, hi, "range", voices, items, against)
