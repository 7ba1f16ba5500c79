"""How a series moves over time: first and latest estimate, steps, one voice's revisions, values carried forward."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from tracker.models import Claim
from tracker.timeline.estimates import HI, LO, SOURCE, VOICE
from tracker.timeline.rules import SeriesRules, load_rules
from tracker.timeline.series import Series, SeriesKey, describe_point, fmt_number, point_range, series_key, whole


def _num(x: float | None) -> str:
    if x is None:
        return "?"
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


def describe_value(claim: Claim | dict) -> str:
    """The value as a reader would write it down: '~130', '≤800', '≥30', '700–800', '≥24 (vague)'."""
    if isinstance(claim, dict):
        claim = Claim.model_validate({k: claim.get(k) for k in Claim.model_fields if k in claim})
    if claim.hedge == "range":
        return f"{_num(claim.low)}–{_num(claim.high)}"
    if claim.hedge == "vague":
        return f"≥{_num(claim.low)} (vague)" if claim.low is not None else "vague"
    mark = {"approx": "~", "at_least": "≥", "at_most": "≤"}.get(claim.hedge, "")
    best = claim.value if claim.value is not None else (claim.low if claim.low is not None else claim.high)
    return f"{mark}{_num(best)}"


def in_date_order(claims: Iterable[Claim]) -> list[Claim]:
    """Claims sorted by date (undated last), then by position in their document."""
    return sorted(claims, key=lambda c: (c.date is None, c.date or "", c.doc, c.start))


def dates(claims: Sequence[Claim]) -> list[str]:
    """The distinct dates the claims were reported on, in order."""
    return sorted({c.date for c in claims if c.date})


# --- changes over series (see tracker/timeline/series.py for how series are formed) ---

CHANGE_KINDS = ("first", "step", "revision", "carried_forward", "latest")
CHANGE_TABLE_COLUMNS = ("story", "series", "kind", "dates", "values", "delta", "sources")
CHANGE_COLUMNS = ("story", "series", "kind", "from_date", "from_value", "to_date", "to_value", "delta", "percent",
                  "reports", "from_sources", "to_sources", "voice")


def _percent(old: Optional[float], new: Optional[float]) -> Optional[float]:
    if old is None or new is None or old == 0:
        return None
    return round((new - old) / abs(old) * 100, 1)


@dataclass
class Change:
    """One thing that happened to a series: first estimate, a step, a revision, a carried value, latest."""

    key: SeriesKey
    kind: str
    from_date: Optional[str]
    from_value: Optional[float]
    to_date: Optional[str]
    to_value: Optional[float]
    reports: int = 1
    from_sources: list[str] = field(default_factory=list)
    to_sources: list[str] = field(default_factory=list)
    voice: Optional[str] = None

    @property
    def delta(self) -> Optional[float]:
        """to − from, where both are known."""
        if self.from_value is None or self.to_value is None:
            return None
        return self.to_value - self.from_value

    def as_row(self) -> dict:
        """The change as an output row (CHANGE_COLUMNS)."""
        return {"story": self.key.story or None, "series": self.key.label, "kind": self.kind,
                "from_date": self.from_date, "from_value": whole(self.from_value), "to_date": self.to_date,
                "to_value": whole(self.to_value), "delta": whole(self.delta),
                "percent": _percent(self.from_value, self.to_value), "reports": self.reports,
                "from_sources": self.from_sources, "to_sources": self.to_sources, "voice": self.voice}


def _signed(x: Optional[float]) -> str:
    return "" if x is None else ("+" if x > 0 else "") + fmt_number(x)


def change_table_row(row: dict) -> dict:
    """A change row (Change.as_row) folded into CHANGE_TABLE_COLUMNS for a terminal."""
    joined = {k: "; ".join(row[k]) for k in ("from_sources", "to_sources")}
    if row["from_date"] is None:
        dates, values, sources = row["to_date"], fmt_number(row["to_value"]), joined["to_sources"]
    else:
        dates = f"{row['from_date']} → {row['to_date']}"
        values = f"{fmt_number(row['from_value'])} → {fmt_number(row['to_value'])}"
        sources = joined["from_sources"] if row["kind"] == "carried_forward" else (
            f"{joined['from_sources']} → {joined['to_sources']}")
    if row["kind"] == "revision" and row.get("voice"):
        sources = f"{row['voice']} ({sources})"
    delta = "" if row["kind"] in ("first", "latest", "carried_forward") else (
        f"{_signed(row['delta'])} ({_signed(row['percent'])}%)" if row["percent"] is not None else _signed(row["delta"]))
    if row["kind"] == "carried_forward":
        delta = f"{row['reports']} reports"
    return {"story": row.get("story"), "series": row["series"], "kind": row["kind"], "dates": dates,
            "values": values, "delta": delta, "sources": sources}


def series_changes(series: Series, rules: Optional[SeriesRules] = None) -> list[Change]:
    """First and latest estimate, each step between consecutive dates, revisions and carried values."""
    rules = rules or load_rules()
    pts = [p for p in series.points if p.level is not None]
    key = series.key
    if not pts:
        return []
    first, last = pts[0], pts[-1]
    out = [Change(key, "first", None, None, first.date, first.level, len(first.documents), [], first.sources)]
    for a, b in zip(pts, pts[1:]):
        if (a.value, a.low, a.high) != (b.value, b.low, b.high):
            out.append(Change(key, "step", a.date, a.level, b.date, b.level, len(a.documents | b.documents),
                              a.sources, b.sources))
    if rules.is_cumulative(key.figure, key.aspect, key.qualifiers):
        out += revisions(series)
    out += carried_forward(series, rules.carried_forward_reports)
    out.append(Change(key, "latest", None, None, last.date, last.level, len(last.documents), [], last.sources))
    return out


def revisions(series: Series) -> list[Change]:
    """One voice lowering its own earlier figure: its later interval lies wholly below its earlier one.

    A floor ("at least 24") cannot lower anything, and a ceiling ("as many as") cannot be lowered;
    two different voices never make a revision (one may count differently from the other).
    """
    by_voice: dict[str, list[tuple[str, tuple]]] = {}
    for p in series.points:
        for it in p.items:
            by_voice.setdefault(it[VOICE], []).append((p.date, it))
    out = []
    for voice, said in sorted(by_voice.items()):
        peak = None  # the voice's highest earlier floor: (date, item)
        for date, it in said:
            if peak is not None and date > peak[0] and it[HI] is not None and it[HI] < peak[1][LO]:
                out.append(Change(series.key, "revision", peak[0], peak[1][LO], date, it[HI], 2,
                                  [peak[1][SOURCE]], [it[SOURCE]], voice))
                peak = (date, it)
            elif it[LO] and (peak is None or it[LO] >= peak[1][LO]):
                peak = (date, it)
    return out


def carried_forward(series: Series, min_reports: int = 3) -> list[Change]:
    """Runs of consecutive dates on which the series kept one estimate, repeated by ≥ `min_reports` reports."""
    out, pts, start = [], [p for p in series.points if p.level is not None], 0
    for i in range(1, len(pts) + 1):
        if i == len(pts) or pts[i].level != pts[start].level or pts[i].hedge != pts[start].hedge:
            run = pts[start:i]
            docs = set().union(*(p.documents for p in run))
            if len(run) > 1 and len(docs) >= min_reports:
                srcs = sorted({s for p in run for s in p.sources})
                out.append(Change(series.key, "carried_forward", run[0].date, run[0].level, run[-1].date,
                                  run[-1].level, len(docs), srcs, srcs))
            start = i
    return out


def changes(series_list: Iterable[Series], rules: Optional[SeriesRules] = None,
            kinds: Optional[Sequence[str]] = None) -> list[Change]:
    """The changes of every series, series by series (only `kinds`, when given; unknown kinds raise)."""
    if kinds:
        unknown = [k for k in kinds if k not in CHANGE_KINDS]
        if unknown:
            from tracker.errors import UnknownChoiceError
            raise UnknownChoiceError("kind", unknown[0], CHANGE_KINDS)
    return [c for s in series_list for c in series_changes(s, rules) if not kinds or c.kind in kinds]


def period_of(date: str, period: str = "day") -> str:
    """The date itself (period 'day') or its ISO week, e.g. '2024-W13' (period 'week')."""
    if period == "day":
        return date
    year, week, _ = _dt.date.fromisoformat(date).isocalendar()
    return f"{year}-W{week:02d}"


SERIES_TABLE_COLUMNS = ("date", "value", "hedge", "attribution", "source", "text")


#: How a table marks a claim people decided on (tracker.store.decisions).
STATUS_MARKS = {"confirmed": " ✓ confirmed", "fixed": " ✎ fixed", "added": " + added"}


def series_table_rows(series: Series) -> list[dict]:
    """A series as table rows: per date the range across voices (under the date), then each claim
    with its value and bounds ('~130', '≤800', '700–800'), hedge, attribution, source and quote."""
    by_date = {p.date: p for p in series.points}
    rows, seen = [], set()
    for c in series.claims:
        point = by_date.get(c.date)
        date = ""
        if c.date not in seen:
            seen.add(c.date)
            date = c.date or "?"
            if point is not None and len(point.items) > 1:
                date += f"\n{point_range(point)}"
        mark = STATUS_MARKS.get(getattr(c, "status", "extracted"), "")  # a person confirmed, fixed or added it
        rows.append({"date": date, "value": describe_value(c), "hedge": c.hedge, "attribution": c.attribution,
                     "source": getattr(c, "source", None), "text": c.text + mark})
    return rows


def _claims(n: int) -> str:
    return f"{n} claim" if n == 1 else f"{n} claims"


def series_title(series: Series) -> str:
    """'hostages held  ▇▅▃▁  240 → 94 (9 claims, 2023-11-22 → 2025-01-20)'."""
    pts = series.points
    if not pts:
        return f"{series.key.label} ({_claims(len(series.claims))}, undated)"
    return (f"{series.key.label}  {series.sparkline()}  {describe_point(pts[0])} → {describe_point(pts[-1])} "
            f"({_claims(len(series.claims))}, {pts[0].date} → {pts[-1].date})")


def with_series(claims: Iterable[Claim], rules: Optional[SeriesRules] = None) -> list[dict]:
    """Claims as output rows (CLAIMS.md fields, source, url, title) plus the label of their series."""
    return [{**(c.as_output() if hasattr(c, "as_output") else c.as_record()), "series": series_key(c, rules).label}
            for c in claims]


def parse_tolerance(text: str | float) -> float:
    """A tolerance as a share: '10%' → 0.1, '0.1' → 0.1, '10' → 0.1 (a number above 1 is a percent)."""
    raw = str(text).strip()
    try:
        value = float(raw.rstrip("%"))
    except ValueError:
        raise ValueError(f"tolerance {text!r} is not a number or a percent such as 10%") from None
    if raw.endswith("%") or value > 1:
        value /= 100
    if not 0 <= value <= 1:
        raise ValueError(f"tolerance {text!r} must be between 0 and 100%")
    return value
