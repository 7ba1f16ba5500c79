"""A figure's series as chart data: best estimate with its interval, and the claims as points.

The series are always the timeline library's own (`load_series`, or `group_series` over the
stored claims), every claim a point. The chart stays bounded: when more than WINDOW claims match,
it shows the latest dates that hold at most WINDOW of them (found by reading the timeline index
from its newest end), and the page says which stretch it shows; the date filters move it.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from typing import Optional

from tracker import store
from tracker.store import overview
from tracker.timeline.changes import describe_value
from tracker.timeline.series import best_value, fmt_number, group_series, voice

#: At most this many claims are drawn one by one; more, and the chart shows the latest dates holding this many.
WINDOW = 1000


@dataclass
class Filters:
    """What a timeline page narrows to; every field comes from the query string."""

    story: Optional[str] = None
    aspect: Optional[str] = None
    source: Optional[str] = None
    since: Optional[str] = None
    until: Optional[str] = None

    def store_filters(self) -> dict:
        """The filters `store.query_claims` takes (all but the story)."""
        return {"aspect": self.aspect, "since": self.since, "until": self.until, "source": self.source}


@dataclass
class ChartSeries:
    """One series ready for the page: its label and whether it is the headline, estimates and points."""

    label: str
    headline: bool
    aspect: Optional[str] = None
    claims: int = 0
    estimate: dict = field(default_factory=lambda: {"x": [], "y": [], "low": [], "high": [], "hover": []})
    points: dict = field(default_factory=lambda: {"x": [], "y": [], "hover": [], "href": []})

    def as_json(self) -> dict:
        """The series as the chart script reads it."""
        # Plotly reads names and hover texts as a little HTML: both go escaped.
        return {"label": self.label, "name": html.escape(self.label), "headline": self.headline,
                "estimate": self.estimate, "points": self.points}


@dataclass
class Chart:
    """A figure's chart: its series, how many claims match (None: more than it shows, not counted), and
    from which date it shows them (None: all)."""

    series: list[ChartSeries]
    total: Optional[int]
    window_since: Optional[str]
    shown_points: int
    window: int = WINDOW

    def as_json(self) -> list[dict]:
        """Every series as the chart script reads it."""
        return [s.as_json() for s in self.series]


def series_of(engine, figure: str, filters: Filters, subsets: bool) -> list:
    """A figure's series under the filters: `tracker.timeline.series.load_series` when it exists, else
    `group_series` over the stored claims (those of the story, when one is asked for)."""
    try:
        from tracker.timeline.series import load_series
    except ImportError:
        load_series = None
    if load_series is not None:
        return load_series(engine, figure, story=filters.story if filters.story != overview.ALL_STORIES else None,
                           subsets=subsets, **filters.store_filters())
    claims = store.query_claims(engine, figure, **filters.store_filters())
    if filters.story and filters.story != overview.ALL_STORIES:
        claims = [c for c in claims if getattr(c, "story", None) == filters.story]
    return group_series(claims)


def is_headline(series) -> bool:
    """Whether a series counts the whole (no qualifier that splits it)."""
    flag = getattr(series, "headline", None)
    return (not series.key.qualifiers) if flag is None else bool(flag)


def series_claims(series) -> list:
    """The claims of a series (kept on the series, or on each of its points)."""
    return list(getattr(series, "claims", None) or [c for p in series.points for c in getattr(p, "claims", [])])


def claim_href(claim, ids: dict) -> Optional[str]:
    """The document page of a claim, anchored on the claim."""
    doc_id = getattr(claim, "document_id", None)
    if doc_id is None:
        return None
    cid = getattr(claim, "id", None) or ids.get((doc_id, claim.start, claim.end, claim.figure))
    return f"/documents/{doc_id}#claim-{cid}" if cid else f"/documents/{doc_id}"


def claim_hover(claim) -> str:
    """The hover label of a claim: value with hedge, voice, outlet, date and the quote (HTML-escaped)."""
    e = html.escape
    source = getattr(claim, "source", None) or "no outlet"
    lines = [f"<b>{e(describe_value(claim))}</b> ({e(claim.hedge.replace('_', ' '))})",
             f"voice: {e(voice(claim))}", f"outlet: {e(source)}", f"date: {e(claim.date or 'undated')}",
             f"“{e(_short(claim.text))}”"]
    return "<br>".join(lines)


def _short(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _bound(x) -> Optional[float]:
    return None if x is None else float(x)


def _exact_series(series, ids: dict) -> ChartSeries:
    out = ChartSeries(series.key.label, is_headline(series), series.key.aspect or None)
    claims = series_claims(series)
    out.claims = len(claims)
    for p in series.points:
        voices = list(getattr(p, "voices", []) or [])
        hedge = getattr(p, "hedge", None)
        out.estimate["x"].append(p.date)
        out.estimate["y"].append(float(p.value) if p.value is not None else None)
        out.estimate["low"].append(_bound(p.low))
        out.estimate["high"].append(_bound(p.high))
        span = f"{fmt_number(p.low) if p.low is not None else '…'}–{fmt_number(p.high) if p.high is not None else '…'}"
        out.estimate["hover"].append(
            f"<b>estimate {html.escape(fmt_number(p.value))}</b>{' (' + html.escape(hedge) + ')' if hedge else ''}"
            f"<br>interval {html.escape(span)}<br>{html.escape(p.date)} · {len(voices)} voice{'s' if len(voices) != 1 else ''}")
    for c in claims:
        y = best_value(c)
        if c.date is None or y is None:
            continue
        out.points["x"].append(c.date)
        out.points["y"].append(y)
        out.points["hover"].append(claim_hover(c))
        out.points["href"].append(claim_href(c, ids))
    return out


def window_since(engine, figure: str, filters: Filters, limit: Optional[int] = None) -> Optional[str]:
    """The first date of the latest dates holding at most `limit` matching claims, or None when all fit.

    Two index reads from the newest end (the date of the latest claim, and of the claim just past
    the limit), so the cost does not grow with the figure. A latest date alone holding more than
    `limit` claims is shown whole.
    """
    limit = WINDOW if limit is None else limit
    past = overview.nth_latest_date(engine, figure, limit + 1, story=filters.story, **filters.store_filters())
    if past is None:
        return None
    latest = overview.nth_latest_date(engine, figure, 1, story=filters.story, **filters.store_filters())
    return latest if latest == past else (dt.date.fromisoformat(past) + dt.timedelta(days=1)).isoformat()


def figure_chart(engine, figure: str, filters: Filters, *, subsets: bool = False) -> Chart:
    """The chart of `figure` under `filters`: every matching claim, or those of the latest dates holding WINDOW."""
    since = window_since(engine, figure, filters)
    shown = Filters(**{**filters.__dict__, "since": since}) if since else filters
    found = [s for s in series_of(engine, figure, shown, subsets) if subsets or is_headline(s)]
    claims = [c for s in found for c in series_claims(s)]
    ids = {} if all(getattr(c, "id", None) for c in claims) else overview.claim_ids(
        engine, {c.document_id for c in claims if getattr(c, "document_id", None) is not None}, figure)
    series = [_exact_series(s, ids) for s in found]
    if since is None:
        total: Optional[int] = len(claims)
    elif not filters.story or filters.story == overview.ALL_STORIES:  # counted from the index alone
        total = overview.count_figure_claims(engine, figure, **filters.store_filters())
    else:
        total = None  # counting one story's claims would read every claim of the figure
    return Chart(series, total, since, sum(len(s.points["x"]) for s in series), WINDOW)
