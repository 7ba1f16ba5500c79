"""What each page shows, gathered from the library: stories, a document's marked text, disputes, changes.

No HTTP here: functions take an engine and filters and return plain data for the templates and
the downloads, calling the same library functions as the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from tracker import store
from tracker.models import CLAIM_FIELDS
from tracker.render.report import CLAIM_COLUMNS
from tracker.store import documents as docs
from tracker.store import overview
from tracker.timeline import changes as timeline
from tracker.web.charts import Chart, Filters, series_of, figure_chart

STORY_COLUMNS = ("story", "parties", "documents", "claims", "first", "last")
#: `tracker figure NAME --format csv|json|jsonl` prints these columns.
FIGURE_COLUMNS = CLAIM_COLUMNS + ("series",)
#: Disputes and changes compare whole series; above this many claims the page asks for a figure or dates.
SERIES_LIMIT = 100_000


def list_stories(engine) -> Optional[list[dict]]:
    """The stories as `tracker stories` lists them (`tracker.timeline.stories.list_stories`), or None
    when this build has no stories (the pages then show only the story "all")."""
    try:
        from tracker.timeline.stories import list_stories as stories_of
    except ImportError:
        return None
    return stories_of(engine)


def all_story(engine, figures: Optional[list] = None) -> dict:
    """The story "all": every stored claim, whatever story it belongs to (or none)."""
    figures = overview.figure_counts(engine) if figures is None else figures
    dates = [d for f in figures for d in (f.first, f.last) if d]
    return {"story": overview.ALL_STORIES, "parties": [], "documents": store.count_documents(engine),
            "claims": sum(f.claims for f in figures), "first": min(dates, default=None),
            "last": max(dates, default=None)}


def headline_chart(engine, story: str, figures: Optional[list] = None) -> Optional[dict]:
    """The story's headline series: the headline series with most claims of its most-claimed figure."""
    figures = overview.figure_counts(engine, story) if figures is None else figures
    if not figures:
        return None
    chart = figure_chart(engine, figures[0].figure, Filters(story=story))
    best = max(chart.series, key=lambda s: s.claims, default=None)
    if best is None:
        return None
    return {"figure": figures[0].figure, "label": best.label, "name": best.as_json()["name"], "aspect": best.aspect,
            "estimate": best.estimate}


def figure_rows(engine, figure: str, filters: Filters, fmt: str) -> list[dict]:
    """The rows `tracker figure NAME --format FMT` prints for the same filters (JSON adds the decisions)."""
    claims = store.figure_claims(engine, figure, **filters.store_filters())
    if filters.story and filters.story != overview.ALL_STORIES:
        claims = [c for c in claims if getattr(c, "story", filters.story) == filters.story]
    rows = timeline.with_series(claims)
    if fmt in ("json", "jsonl"):
        try:
            from tracker.store.decisions import with_decisions
        except ImportError:  # a build without decisions: the claims as stored
            return rows
        rows = with_decisions(engine, rows)
    return rows


def known_figure(engine, figure: str) -> bool:
    """Whether `figure` is a lexicon figure or has stored claims."""
    from tracker.extract.lexicon import resolve_lexicon

    return figure in set(resolve_lexicon(None).figure_names()) or figure in store.stored_figures(engine)


def chart(engine, figure: str, filters: Filters, subsets: bool) -> Chart:
    """The figure page's chart (see tracker.web.charts)."""
    return figure_chart(engine, figure, filters, subsets=subsets)


@dataclass
class Segment:
    """A piece of a document's text: plain, or a claim (with its stored id and a description)."""

    text: str
    claim: Optional[dict] = None


def document_page(engine, doc_id: int) -> Optional[dict]:
    """A stored document with its text cut into plain and claim segments, its claims and versions."""
    try:
        document = docs.find_document(engine, str(doc_id))
    except docs.DocumentNotFound:
        return None
    if document.id != doc_id:
        return None
    claims = docs.document_claims(engine, document)
    ids = overview.claim_ids(engine, [document.id])
    rows = []
    for c in claims:
        cid = getattr(c, "id", None) or ids.get((document.id, c.start, c.end, c.figure))
        rows.append({**c.as_record(), "id": cid, "value_text": timeline.describe_value(c),
                     "status": getattr(c, "status", None)})
    body, segments, at = document.body, [], 0
    for row in sorted(rows, key=lambda r: (r["start"], r["end"])):
        if row["start"] < at or not 0 <= row["start"] < row["end"] <= len(body):
            continue  # an overlapping or out-of-range span stays plain text; the claim is still listed
        segments.append(Segment(body[at:row["start"]]))
        segments.append(Segment(body[row["start"]:row["end"]], row))
        at = row["end"]
    segments.append(Segment(body[at:]))
    return {"document": document, "segments": segments, "claims": rows,
            "versions": overview.document_versions(engine, document), "columns": CLAIM_FIELDS}


def story_series(engine, story: str, figure: Optional[str], filters: Filters) -> tuple[list, Optional[str]]:
    """Every series of the story (or of one figure in it), or none and why (too many claims at once)."""
    figures = [f for f in overview.figure_counts(engine, story) if not figure or f.figure == figure]
    total = sum(overview.count_figure_claims(engine, f.figure, story=story, **filters.store_filters())
                for f in figures)
    if total > SERIES_LIMIT:
        return [], (f"{total:,} claims match: choose a figure or a shorter date range "
                    f"(at most {SERIES_LIMIT:,} claims are compared at once)")
    return [s for f in figures for s in series_of(engine, f.figure, filters, subsets=True)], None


def dispute_rows(engine, series: list, tolerance: Optional[float], period: str) -> tuple[list[dict], list[dict]]:
    """Disputes as `tracker disputes --format csv|json` rows, and as the table's rows for the page."""
    from tracker.render.report import claims_by_id
    from tracker.timeline.disputes import disputes

    found = disputes(series, tolerance=tolerance, period=period)
    claims = claims_by_id(engine, [i for d in found for i in d.ids])
    return [d.as_row(claims) for d in found], [d.as_table_row(claims) for d in found]


def change_rows(series: list, kinds: list[str]) -> tuple[list[dict], list[dict]]:
    """Changes as `tracker changes --format csv|json` rows, and as the table's rows for the page."""
    rows = [c.as_row() for c in timeline.changes(series) if not kinds or c.kind in kinds]
    return rows, [timeline.change_table_row(r) for r in rows]
