"""Reading the store for an overview: figures per story, a figure's daily ranges, claim ids, versions.

What a browsing view needs without loading every claim: counts per figure, and how far back the
latest N claims of a figure reach, come from the timeline index, whatever the figure's size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from tracker.store.queries import _filtered
from tracker.store.tables import ClaimRecord, Document

#: The story name that stands for every stored claim (used before documents carry stories).
ALL_STORIES = "all"


def _in_story(stmt, story: Optional[str]):
    if story and story != ALL_STORIES:
        stmt = stmt.where(ClaimRecord.story == story)
    return stmt


@dataclass
class FigureCount:
    """A figure's number of current claims and first and last date (within one story, or all)."""

    figure: str
    claims: int
    first: Optional[str]
    last: Optional[str]


def figure_counts(engine: Engine, story: Optional[str] = None) -> list[FigureCount]:
    """Each figure with claims (in `story`, when given), most claims first."""
    stmt = _in_story(select(ClaimRecord.figure, func.count(), func.min(ClaimRecord.date), func.max(ClaimRecord.date))
                     .where(ClaimRecord.current == True), story)  # noqa: E712
    with engine.connect() as conn:
        rows = conn.execute(stmt.group_by(ClaimRecord.figure)).all()
    return sorted((FigureCount(*r) for r in rows), key=lambda f: (-f.claims, f.figure))


def count_figure_claims(engine: Engine, figure: str, *, story: Optional[str] = None, **filters) -> int:
    """How many current claims of `figure` match the filters (aspect, since, until, source) and story."""
    stmt = _in_story(_filtered(select(func.count()).select_from(ClaimRecord), figure, **filters), story)
    with engine.connect() as conn:
        return conn.execute(stmt).scalar_one()


def nth_latest_date(engine: Engine, figure: str, n: int, *, story: Optional[str] = None, **filters) -> Optional[str]:
    """The date of the `n`th latest dated claim of `figure` under the filters, or None when fewer match.

    The timeline index is read backwards from the newest claim and stops at the `n`th.
    """
    stmt = _in_story(_filtered(select(ClaimRecord.date), figure, **filters), story).where(ClaimRecord.date.is_not(None))
    stmt = stmt.order_by(ClaimRecord.date.desc()).offset(n - 1).limit(1)
    with engine.connect() as conn:
        return conn.execute(stmt).scalar()


def claim_ids(engine: Engine, document_ids: Iterable[int], figure: Optional[str] = None
              ) -> dict[tuple[int, int, int, str], int]:
    """The stored id of each claim (of `figure`, when given) of these documents, keyed by
    (document_id, start, end, figure)."""
    ids = sorted(set(document_ids))
    out: dict[tuple[int, int, int, str], int] = {}
    with engine.connect() as conn:
        for i in range(0, len(ids), 500):
            stmt = select(ClaimRecord.id, ClaimRecord.document_id, ClaimRecord.start, ClaimRecord.end,
                          ClaimRecord.figure).where(ClaimRecord.document_id.in_(ids[i:i + 500]))
            # the figure is checked here, not in SQL: there the planner would trade the document
            # index for the figure's, and read every claim of the figure
            for cid, doc_id, start, end, fig in conn.execute(stmt):
                if figure is None or fig == figure:
                    out[(doc_id, start, end, fig)] = cid
    return out


def document_versions(engine: Engine, document: Document) -> list[dict]:
    """Every stored version of the document's URL (itself alone when it has none), oldest first:
    id, version, date, current and when it was ingested."""
    stmt = select(Document.id, Document.version, Document.date, Document.current, Document.ingested_at)
    stmt = stmt.where(Document.url == document.url) if document.url else stmt.where(Document.id == document.id)
    with engine.connect() as conn:
        rows = conn.execute(stmt.order_by(Document.version, Document.id)).all()
    return [dict(zip(("id", "version", "date", "current", "ingested_at"), r)) for r in rows]
