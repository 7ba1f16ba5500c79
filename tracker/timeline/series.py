"""Series: the claims of a figure that count the same thing, and their value per date.

A series is keyed by (figure, aspect, the qualifiers that matter); which qualifiers matter is
data, in series.toml. Pure functions over claims: nothing here touches the database.
"""

from __future__ import annotations

import statistics
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Iterable, Optional, Sequence

from tracker.models import Claim

SPARK_BARS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class SeriesRules:
    """What series.toml says: qualifiers that split series, cumulative figures, defaults."""

    qualifiers: frozenset[str]
    qualifier_prefixes: tuple[str, ...]
    cumulative_aspects: frozenset[str]
    cumulative_figures: frozenset[str]
    step_qualifiers: frozenset[str] = frozenset()
    carried_forward_reports: int = 3
    tolerance: float = 0.10

    def matters(self, qualifier: str) -> bool:
        """Whether `qualifier` makes a claim count something else than the plain figure."""
        q = qualifier.strip().lower()
        return q in self.qualifiers or q.startswith(self.qualifier_prefixes)

    def is_cumulative(self, key: "SeriesKey") -> bool:
        """Whether the series only grows, so that a drop is a revision (not for changes or rates)."""
        if set(key.qualifiers) & self.step_qualifiers or any(
                q.startswith(self.qualifier_prefixes) for q in key.qualifiers):
            return False
        if key.aspect:
            return key.aspect in self.cumulative_aspects
        return key.figure in self.cumulative_figures


@lru_cache(maxsize=1)
def load_rules() -> SeriesRules:
    """The series rules shipped in tracker/timeline/series.toml."""
    data = tomllib.loads(resources.files("tracker.timeline").joinpath("series.toml").read_text(encoding="utf-8"))
    s, c, d = data.get("series", {}), data.get("changes", {}), data.get("disputes", {})
    return SeriesRules(
        qualifiers=frozenset(q.lower() for q in s.get("qualifiers", [])),
        qualifier_prefixes=tuple(p.lower() for p in s.get("qualifier_prefixes", [])),
        cumulative_aspects=frozenset(c.get("cumulative_aspects", [])),
        cumulative_figures=frozenset(c.get("cumulative_figures", [])),
        step_qualifiers=frozenset(q.lower() for q in c.get("step_qualifiers", [])),
        carried_forward_reports=int(c.get("carried_forward_reports", 3)),
        tolerance=float(d.get("tolerance", 0.10)),
    )


@dataclass(frozen=True, order=True)
class SeriesKey:
    """What a series counts: figure, aspect ('' for none) and the qualifiers that matter, sorted."""

    figure: str
    aspect: str = ""
    qualifiers: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """'hostages held', 'hostages held (dead)', 'truce (first phase)'."""
        base = f"{self.figure} {self.aspect}".strip()
        return f"{base} ({', '.join(self.qualifiers)})" if self.qualifiers else base

    def as_dict(self) -> dict:
        """The key as report columns: series, figure, aspect, qualifiers."""
        return {"series": self.label, "figure": self.figure, "aspect": self.aspect or None,
                "qualifiers": list(self.qualifiers)}


def series_key(claim: Claim, rules: Optional[SeriesRules] = None) -> SeriesKey:
    """The series `claim` belongs to."""
    rules = rules or load_rules()
    quals = sorted({q.strip().lower() for q in claim.qualifiers if rules.matters(q)})
    return SeriesKey(claim.figure, claim.aspect or "", tuple(quals))


def best_value(claim: Claim) -> Optional[float]:
    """The single number a claim stands for: its value, else its lower bound, else its upper one."""
    for v in (claim.value, claim.low, claim.high):
        if v is not None:
            return float(v)
    return None


def voice(claim: Claim) -> str:
    """Who says it: the outlet, and within it the attribution ('The Times of Israel / Channel 12')."""
    source = getattr(claim, "source", None) or claim.doc or "?"
    return f"{source} / {claim.attribution}" if claim.attribution else source


@dataclass
class DatePoint:
    """A series on one date: the median of what was reported, the range across sources."""

    date: str
    value: float
    low: float
    high: float
    claims: list[Claim] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        """The outlets that reported on this date, sorted."""
        return sorted({getattr(c, "source", None) or c.doc or "?" for c in self.claims})

    @property
    def voices(self) -> list[str]:
        """The distinct voices (outlet / attribution), sorted."""
        return sorted({voice(c) for c in self.claims})

    @property
    def documents(self) -> set:
        """The distinct documents behind this point."""
        return {getattr(c, "document_id", None) or c.doc for c in self.claims}


@dataclass
class Series:
    """The claims of one series in date order, and its per-date points."""

    key: SeriesKey
    claims: list[Claim]
    points: list[DatePoint]

    @property
    def unit(self) -> str:
        """The unit most claims of the series use."""
        units = [c.unit for c in self.claims]
        return max(set(units), key=units.count) if units else ""

    def sparkline(self) -> str:
        """The per-date values as a line of block characters."""
        return sparkline([p.value for p in self.points])


def date_points(claims: Sequence[Claim]) -> list[DatePoint]:
    """One point per date: median of the distinct (document, value) pairs, min and max of them."""
    by_date: dict[str, list[Claim]] = {}
    for c in claims:
        if c.date and best_value(c) is not None:
            by_date.setdefault(c.date, []).append(c)
    points = []
    for date in sorted(by_date):
        day = by_date[date]
        values = [v for _, v in sorted({(str(getattr(c, "document_id", None) or c.doc), best_value(c))
                                        for c in day})]
        points.append(DatePoint(date, statistics.median(values), min(values), max(values), day))
    return points


def group_series(claims: Iterable[Claim], rules: Optional[SeriesRules] = None) -> list[Series]:
    """The claims split into series, sorted by key, each in date order with its points."""
    rules = rules or load_rules()
    groups: dict[SeriesKey, list[Claim]] = {}
    for c in claims:
        groups.setdefault(series_key(c, rules), []).append(c)
    out = []
    for key in sorted(groups):
        members = sorted(groups[key], key=lambda c: (c.date is None, c.date or "", c.doc, c.start))
        out.append(Series(key, members, date_points(members)))
    return out


def sparkline(values: Sequence[float]) -> str:
    """Values as block characters, lowest ▁ to highest █; a flat series is all ▄."""
    if not values:
        return ""
    lo, hi = min(values), max(values)
    if hi == lo:
        return SPARK_BARS[3] * len(values)
    scale = (len(SPARK_BARS) - 1) / (hi - lo)
    return "".join(SPARK_BARS[round((v - lo) * scale)] for v in values)


def fmt_number(x: Optional[float]) -> str:
    """A number as people write it: 1,900 or 2.5; '' for none."""
    if x is None:
        return ""
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


def point_range(point: DatePoint) -> str:
    """The range across sources on a date: '94' or '94–98 (3 sources)'."""
    n = len(point.voices)
    span = fmt_number(point.low) if point.low == point.high else f"{fmt_number(point.low)}–{fmt_number(point.high)}"
    return f"{span} ({n} voices)" if n > 1 else span


def whole(x: Optional[float]):
    """A float that is a whole number as an int, for output."""
    return int(x) if x is not None and float(x).is_integer() else x
