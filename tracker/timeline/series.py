"""Series: the claims of one story and figure that count the same thing, and their best estimate per date.

A series is keyed by (story, figure, aspect, the qualifiers that split); which qualifiers split
is data (series.toml, see tracker.timeline.rules). The headline series has no splitting
qualifier; subsets (the dead, women, one nationality among several, "N of the M") are series of
their own and never feed it. Series are built from plain rows streamed out of the store, so a
million claims never become a million objects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable, Optional, Sequence, get_args

from tracker.errors import UnknownChoiceError
from tracker.models import Aspect, Claim
from tracker.timeline.estimates import DOC, ID, SOURCE, best_estimate, interval
from tracker.timeline.rules import SeriesRules, load_rules

SPARK_BARS = "▁▂▃▄▅▆▇█"
ASPECTS = get_args(Aspect)


@dataclass(frozen=True, order=True)
class SeriesKey:
    """What a series counts: story ('' for none), figure, aspect ('' for none), splitting qualifiers sorted."""

    story: str
    figure: str
    aspect: str = ""
    qualifiers: tuple[str, ...] = ()

    @property
    def headline(self) -> bool:
        """True for the series without a splitting qualifier."""
        return not self.qualifiers

    @property
    def label(self) -> str:
        """'hostages held', 'hostages held (dead)', 'truce (first phase)'."""
        base = f"{self.figure} {self.aspect}".strip()
        return f"{base} ({', '.join(self.qualifiers)})" if self.qualifiers else base

    def as_dict(self) -> dict:
        """The key as report columns: story, series, figure, aspect, qualifiers."""
        return {"story": self.story or None, "series": self.label, "figure": self.figure,
                "aspect": self.aspect or None, "qualifiers": list(self.qualifiers)}


@dataclass
class Point:
    """A series on one date: the best estimate, the voices behind it and those against it."""

    date: str
    value: Optional[float]
    low: Optional[float]
    high: Optional[float]
    hedge: str
    voices: list[str]
    items: list = field(default_factory=list, repr=False)
    against: list[str] = field(default_factory=list)
    level: Optional[float] = None
    claims: list = field(default_factory=list, repr=False)

    @property
    def sources(self) -> list[str]:
        """The outlets (normalized) that reported on this date, sorted."""
        return sorted({it[SOURCE] for it in self.items})

    @cached_property
    def documents(self) -> set:
        """The distinct documents behind this point."""
        return {it[DOC] for it in self.items}

    @property
    def claim_ids(self) -> list:
        """The stored ids of this date's claims."""
        return [it[ID] for it in self.items]


@dataclass
class Series:
    """One series: its key, unit and per-date points (and, when loaded with them, its claims)."""

    key: SeriesKey
    points: list[Point]
    unit: str = ""
    claims: list = field(default_factory=list, repr=False)

    @property
    def headline(self) -> bool:
        """True for the headline series (no splitting qualifier)."""
        return self.key.headline

    def sparkline(self) -> str:
        """The per-date levels as a line of block characters."""
        return sparkline([p.level for p in self.points if p.level is not None])


class _Keys:
    """Caches that turn a row's story, figure and qualifier text into its series key fields."""

    def __init__(self, rules: SeriesRules):
        self.rules, self.quals, self.outlets, self.attrs = rules, {}, {}, {}

    def qualifiers(self, story, figure, raw, text) -> tuple[str, ...]:
        key = (story, figure, raw if isinstance(raw, str) or raw is None else tuple(raw))
        found = self.quals.get(key)
        if found is None:
            listed = raw if isinstance(raw, (list, tuple)) else (json.loads(raw) if raw and raw != "[]" else [])
            found = self.quals[key] = tuple(sorted({" ".join(q.lower().split()) for q in listed
                                                    if self.rules.splits(q, story, figure)}))
        # the words of the claim mark a part only when no qualifier does already ("30 of them", dead)
        extra = self.rules.text_qualifiers(text, story, figure) if text and not found else ()
        if extra:
            found = tuple(sorted(set(found) | {q for q in extra if self.rules.splits(q, story, figure)}))
        return found

    def outlet(self, source) -> str:
        got = self.outlets.get(source)
        if got is None:
            got = self.outlets[source] = self.rules.outlet(source)
        return got

    def voice(self, attribution, outlet) -> str:
        if not attribution:
            return outlet
        got = self.attrs.get(attribution)
        if got is None:
            text = " ".join(attribution.split())
            got = self.attrs[attribution] = text[4:] if text.lower().startswith("the ") else text
        return got


def check_aspect(aspect: Optional[str]) -> None:
    """Raise UnknownChoiceError (exit 2) for an aspect that is not one of the model's."""
    if aspect and aspect not in ASPECTS:
        raise UnknownChoiceError("aspect", aspect, ASPECTS)


def build_series(rows: Iterable[Sequence], rules: Optional[SeriesRules] = None, *, source: Optional[str] = None,
                 subsets: bool = True, tolerance: Optional[float] = None) -> list[Series]:
    """Series from rows in tracker.timeline.rows.ROW_COLUMNS order: headline first, then its subsets."""
    rules = rules or load_rules()
    tol = rules.tolerance if tolerance is None else tolerance
    keys = _Keys(rules)
    wanted = source.casefold() if source else None
    spaces = rules.wire_min_words - 1
    search = rules.text_prefilter.search  # a superset of the words that make a claim a part
    seen_text: dict[str, bool] = {}  # wire copies and repeated phrasings: one search per distinct text

    def _maybe_part(text: str) -> bool:
        got = seen_text.get(text)
        if got is None:
            if len(seen_text) > 200_000:
                seen_text.clear()
            got = seen_text[text] = search(text) is not None
        return got

    skeys: dict[tuple, tuple] = {}
    voices: dict = {}
    groups: dict[tuple, dict[str, list]] = {}
    units: dict[tuple, dict] = {}
    # The hot loop of every timeline: a million rows pass here, so lookups are cached and inlined.
    for cid, did, story, figure, aspect, quals, date, hedge, value, low, high, attr, src, text, unit in rows:
        if not date:
            continue
        if hedge == "exact" and value is not None:
            lo = hi = value
        else:
            lo, hi = interval(hedge, value, low, high)
            if lo is None:
                continue
        vo = voices.get((attr, src))
        if vo is None:
            outlet = keys.outlet(src)
            vo = voices[(attr, src)] = (keys.voice(attr, outlet), outlet)
        if wanted and wanted != vo[1].casefold() and wanted != (src or "").casefold():
            continue
        skey = skeys.get((story, figure, aspect, quals))
        if skey is None:
            q = keys.qualifiers(story, figure, quals, None)
            skey = skeys[(story, figure, aspect, quals)] = (story or "", figure, aspect or "", q)
        if not skey[3] and text and _maybe_part(text):
            q = keys.qualifiers(story, figure, quals, text)
            if q:
                skey = (story or "", figure, aspect or "", q)
        if skey[3] and not subsets:
            continue
        item = (lo, hi, hedge, vo[0], vo[1], value, cid, hash(text) if text and text.count(" ") >= spaces else None,
                did)
        dates = groups.get(skey)
        if dates is None:
            dates = groups[skey] = {}
            units[skey] = {}
        got = dates.get(date)
        if got is None:
            dates[date] = [item]
        else:
            got.append(item)
        u = units[skey]
        u[unit] = u.get(unit, 0) + 1
    out = []
    for skey in sorted(groups):
        dates = groups.pop(skey)
        points = []
        for date in sorted(dates):
            items = dates[date]
            if len(items) == 1:
                it = items[0]
                e = best_estimate(items, tol) if it[2] != "exact" else None
                if e is None:
                    points.append(Point(date, it[0], it[0], it[0], "exact", [it[3]], items, [], it[0]))
                    continue
            else:
                e = best_estimate(items, tol)
            points.append(Point(date, e.value, e.low, e.high, e.hedge, e.voices, e.items, e.against, e.level))
        unit_counts = units[skey]
        out.append(Series(SeriesKey(*skey), points, max(unit_counts, key=unit_counts.get) if unit_counts else ""))
    out.sort(key=lambda s: (s.key.story, s.key.figure, s.key.aspect, bool(s.key.qualifiers), s.key.qualifiers))
    return out


def claim_row(c: Claim, i: int = 0) -> tuple:
    """A pydantic claim as a row in ROW_COLUMNS order, with `i` as its id (for claims not read from a store)."""
    return (i, getattr(c, "document_id", None) or c.doc, getattr(c, "story", None), c.figure, c.aspect,
            tuple(c.qualifiers), c.date, c.hedge, c.value, c.low, c.high, c.attribution,
            getattr(c, "source", None) or c.doc or "?", c.text, c.unit)


def group_series(claims: Iterable[Claim], rules: Optional[SeriesRules] = None, **kw) -> list[Series]:
    """Claims (pydantic) split into series with their best estimates; each point keeps its claims."""
    claims = list(claims)
    series = build_series((claim_row(c, i) for i, c in enumerate(claims)), rules, **kw)
    attach_claims(series, dict(enumerate(claims)))
    return series


def attach_claims(series: Sequence[Series], by_id: dict) -> None:
    """Fill each point's and series' `claims` from a map of claim id to claim."""
    for s in series:
        for p in s.points:
            p.claims = [by_id[i] for i in p.claim_ids if i in by_id]
        s.claims = [c for p in s.points for c in p.claims]


def load_series(engine, figure: Optional[str], *, story: Optional[str] = None, aspect: Optional[str] = None,
                since: Optional[str] = None, until: Optional[str] = None, source: Optional[str] = None,
                subsets: bool = True, claims: bool = True, rules: Optional[SeriesRules] = None) -> list[Series]:
    """The series of `figure` (all figures when None) from the store, headline first, subsets under it.

    With `claims`, every point and series carries its StoredClaim objects (each with its `id`
    where the model has one); without, only counts and ids (what reports at scale need).
    """
    from tracker.timeline.rows import iter_claim_rows

    check_aspect(aspect)
    rows = iter_claim_rows(engine, figure, story=story, aspect=aspect, since=since, until=until)
    if not claims:
        return build_series(rows, rules, source=source, subsets=subsets)
    rows = list(rows)
    series = build_series(rows, rules, source=source, subsets=subsets)
    attach_claims(series, stored_claims(engine, rows))
    return series


def stored_claims(engine, rows: Sequence[Sequence]) -> dict:
    """StoredClaim objects for rows (ROW_COLUMNS order), by claim id, with their document's name and address."""
    from tracker.models import StoredClaim
    from tracker.timeline.rows import document_info

    docs = document_info(engine, {r[1] for r in rows})
    has_id, has_story = "id" in StoredClaim.model_fields, "story" in StoredClaim.model_fields
    out = {}
    for cid, did, story, figure, aspect, quals, date, hedge, value, low, high, attr, src, text, unit in rows:
        doc, url, title = docs.get(did, ("", None, None))
        data = dict(doc=doc, figure=figure, aspect=aspect, value=value, low=low, high=high, hedge=hedge, unit=unit,
                    text=text, start=0, end=0, attribution=attr, date=date, source=src, url=url, title=title,
                    document_id=did, qualifiers=json.loads(quals) if quals else [])
        if has_id:
            data["id"] = cid
        if has_story:
            data["story"] = story
        out[cid] = StoredClaim.model_validate(data)
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


def describe_point(p: Point) -> str:
    """An estimate as a reader writes it: '137', '~120', '≥230', '≤180', '97–101'."""
    mark = {"approx": "~", "at_least": "≥", "vague": "≥", "at_most": "≤"}.get(p.hedge, "")
    if p.hedge == "range":
        return f"{fmt_number(p.low)}–{fmt_number(p.high)}"
    return f"{mark}{fmt_number(p.value if p.value is not None else p.low)}"


def point_range(point: Point) -> str:
    """The estimate on a date with its support: '137 (2 voices)', '≥230'."""
    n = len(point.voices)
    text = describe_point(point)
    return f"{text} ({n} voices)" if n > 1 else text


def whole(x: Optional[float]):
    """A float that is a whole number as an int, for output."""
    return int(x) if x is not None and float(x).is_integer() else x


def voice(claim: Claim, rules: Optional[SeriesRules] = None) -> str:
    """Who says it: the attribution where there is one, else the outlet (normalized)."""
    keys = _Keys(rules or load_rules())
    return keys.voice(claim.attribution, keys.outlet(getattr(claim, "source", None) or claim.doc or "?"))


def series_key(claim: Claim, rules: Optional[SeriesRules] = None) -> SeriesKey:
    """The series `claim` belongs to."""
    story = getattr(claim, "story", None)
    q = _Keys(rules or load_rules()).qualifiers(story, claim.figure, list(claim.qualifiers), claim.text)
    return SeriesKey(story or "", claim.figure, claim.aspect or "", q)


def best_value(claim: Claim) -> Optional[float]:
    """The single number a claim is displayed with: its value, else its lower bound, else its upper one."""
    for v in (claim.value, claim.low, claim.high):
        if v is not None:
            return float(v)
    return None
