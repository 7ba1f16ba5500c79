"""Disputes: two voices of one story and series whose claims for one date (or week) cannot both be true.

Each claim is an interval (tracker.timeline.estimates). Two voices dispute when no claim of the
one meets any claim of the other within the tolerance: bounds that can both be true ("more than
200", "at least 239") never dispute, and one voice is never set against itself (a wire story
carried by several outlets is one voice).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Iterable, Optional

from tracker.timeline.changes import period_of
from tracker.timeline.estimates import HEDGE, HI, ID, LO, SOURCE, VALUE, VOICE, gap_share
from tracker.timeline.rules import SeriesRules, load_rules
from tracker.timeline.series import Series, SeriesKey, fmt_number, whole

DISPUTE_COLUMNS = ("story", "series", "period",
                   "doc_a", "source_a", "attribution_a", "voice_a", "value_a", "low_a", "high_a", "hedge_a", "date_a",
                   "text_a",
                   "doc_b", "source_b", "attribution_b", "voice_b", "value_b", "low_b", "high_b", "hedge_b", "date_b",
                   "text_b", "difference", "percent", "id_a", "id_b")
DISPUTE_TABLE_COLUMNS = ("story", "series", "period", "one says", "another says", "apart")


def _show(item: tuple) -> str:
    lo, hi, hedge = item[LO], item[HI], item[HEDGE]
    if hedge == "range":
        return f"{fmt_number(lo)}–{fmt_number(hi)}"
    if hi is None:
        return f"≥{fmt_number(lo)}"
    if hedge == "at_most":
        return f"≤{fmt_number(hi)}"
    return ("~" if hedge == "approx" else "") + fmt_number(lo)


@dataclass
class Dispute:
    """Two voices whose closest claims for one series and period lie apart by more than the tolerance."""

    key: SeriesKey
    period: str
    a: tuple
    b: tuple
    date_a: str
    date_b: str
    share: float
    known: dict = field(default_factory=dict, repr=False)  # claim id -> claim, when the series carried claims

    @property
    def difference(self) -> float:
        """The gap between the two intervals."""
        (alo, ahi), (blo, bhi) = (self.a[LO], self.a[HI]), (self.b[LO], self.b[HI])
        if ahi is not None and ahi < blo:
            return blo - ahi
        return alo - bhi if bhi is not None else 0.0

    @property
    def ids(self) -> tuple:
        """The stored ids of the two claims."""
        return self.a[ID], self.b[ID]

    def as_row(self, claims: Optional[dict] = None) -> dict:
        """The dispute as an output row (DISPUTE_COLUMNS); `claims` maps ids to claims for doc and text."""
        claims = claims or self.known
        row = {"story": self.key.story or None, "series": self.key.label, "period": self.period}
        for side, it, date in (("a", self.a, self.date_a), ("b", self.b, self.date_b)):
            c = claims.get(it[ID])
            row.update({f"doc_{side}": getattr(c, "doc", None), f"source_{side}": getattr(c, "source", None) or it[SOURCE],
                        f"attribution_{side}": getattr(c, "attribution", None), f"voice_{side}": it[VOICE],
                        f"value_{side}": whole(it[VALUE]), f"low_{side}": whole(it[LO]),
                        f"high_{side}": whole(it[HI]), f"hedge_{side}": it[HEDGE], f"date_{side}": date,
                        f"text_{side}": getattr(c, "text", None)})
        # the claims' ids, so the wrong one can be corrected (`tracker claim`)
        return {**row, "difference": whole(round(self.difference, 6)), "percent": round(self.share * 100, 1),
                "id_a": self.a[ID], "id_b": self.b[ID]}

    def as_table_row(self, claims: Optional[dict] = None) -> dict:
        """The dispute for a terminal table: each side as value, voice and quote (DISPUTE_TABLE_COLUMNS)."""
        claims = claims or self.known

        def side(it: tuple) -> str:
            c = claims.get(it[ID])
            quote = f": “{c.text}”" if c is not None else ""
            return f"{_show(it)} — {it[VOICE]}{quote}"
        return {"story": self.key.story or None, "series": self.key.label, "period": self.period,
                "one says": side(self.a), "another says": side(self.b),
                "apart": f"{fmt_number(round(self.difference, 6))} ({self.share:.1%})"}


def _closest(said_a: list, said_b: list, tol: float) -> Optional[tuple]:
    best = None
    for da, a in said_a:
        for db, b in said_b:
            share = gap_share((a[LO], a[HI]), (b[LO], b[HI]))
            if share <= tol:
                return None  # some claim of each can both be true: no dispute
            if best is None or share < best[0]:
                best = (share, da, a, db, b)
    return best


def disputes(series_list: Iterable[Series], tolerance: Optional[float] = None, period: str = "day",
             rules: Optional[SeriesRules] = None) -> list[Dispute]:
    """Pairs of voices of one story and series whose claims in one day (or ISO week) cannot both be true."""
    if period not in ("day", "week"):
        raise ValueError(f"period must be 'day' or 'week', not {period!r}")
    tol = (rules or load_rules()).tolerance if tolerance is None else tolerance
    out = []
    for s in series_list:
        periods: dict[str, dict[str, list]] = {}
        known = {i: c for p in s.points if len(p.claims) == len(p.items) for i, c in zip(p.claim_ids, p.claims)}
        for p in s.points:
            by_voice = periods.setdefault(period_of(p.date, period), {})
            for it in p.items:
                if it[HEDGE] != "vague":  # "dozens" is a floor, never a rival number
                    by_voice.setdefault(it[VOICE].casefold(), []).append((p.date, it))
        for per in sorted(periods):
            for va, vb in combinations(sorted(periods[per]), 2):
                found = _closest(periods[per][va], periods[per][vb], tol)
                if found:
                    share, da, a, db, b = found
                    if (a[HI] or a[LO]) < (b[HI] or b[LO]):  # the higher claim first
                        a, b, da, db = b, a, db, da
                    out.append(Dispute(s.key, per, a, b, da, db, share, known))
    return out
