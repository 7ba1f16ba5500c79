"""Stored claims streamed as plain tuples for the timelines (no pydantic object per claim).

A minimal reader of its own until `tracker.store.queries.iter_claim_rows` (the perf branch) is
merged; it reads through the DB-API cursor in batches, so memory stays flat and a million rows
cost what SQLite costs to read them.
"""

from __future__ import annotations

from typing import Iterator, Optional

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from tracker.store.tables import ClaimRecord

#: the columns of a row, in order
ROW_COLUMNS = ("id", "document_id", "story", "figure", "aspect", "qualifiers", "date", "hedge", "value", "low",
               "high", "attribution", "source", "text", "unit")
_COLUMNS = tuple(getattr(ClaimRecord, c) for c in ROW_COLUMNS)


def claim_rows_statement(figure: Optional[str] = None, *, story: Optional[str] = None,
                         aspect: Optional[str] = None, since: Optional[str] = None, until: Optional[str] = None,
                         ordered: bool = False, ids=None):
    """The SELECT of current claims narrowed by figure, story, aspect, dates (and claim ids)."""
    stmt = select(*_COLUMNS).where(ClaimRecord.current == True)  # noqa: E712
    if ids is not None:
        stmt = stmt.where(ClaimRecord.id.in_(list(ids)))
    if figure:
        stmt = stmt.where(ClaimRecord.figure == figure)
    if story:
        stmt = stmt.where(func.lower(ClaimRecord.story) == story.lower())
    if aspect:
        stmt = stmt.where(ClaimRecord.aspect == aspect)
    if since:
        stmt = stmt.where(ClaimRecord.date >= since)
    if until:
        stmt = stmt.where(ClaimRecord.date <= until)
    if ordered:
        stmt = stmt.order_by(ClaimRecord.date, ClaimRecord.document_id, ClaimRecord.start)
    return stmt


def iter_claim_rows(engine: Engine, figure: Optional[str] = None, *, batch: int = 10_000, **filters) -> Iterator[tuple]:
    """Current claims as tuples in ROW_COLUMNS order, read in batches (filters: story, aspect, since, until)."""
    stmt = claim_rows_statement(figure, **filters)
    compiled = stmt.compile(dialect=engine.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.params
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        # PostgreSQL: a server-side cursor, so the rows stream instead of arriving all at once
        cursor = driver.cursor(name="tracker_claim_rows") if engine.dialect.name == "postgresql" else driver.cursor()
        try:
            cursor.execute(str(compiled), params)
            while rows := cursor.fetchmany(batch):
                yield from rows
        finally:
            cursor.close()


def distinct_values(engine: Engine, column: str, figure: Optional[str] = None) -> list[str]:
    """The distinct non-null values of a claim column (e.g. the aspects stored for a figure)."""
    col = getattr(ClaimRecord, column)
    stmt = select(col).distinct().where(col.is_not(None))
    if figure:
        stmt = stmt.where(ClaimRecord.figure == figure)
    with engine.connect() as conn:
        return sorted(conn.execute(stmt).scalars())


def document_info(engine: Engine, ids) -> dict:
    """(doc, url, title) of the documents with these ids."""
    from tracker.store.tables import Document

    ids = [i for i in ids if isinstance(i, int)]
    out = {}
    with engine.connect() as conn:
        for start in range(0, len(ids), 500):
            stmt = select(Document.id, Document.doc, Document.url, Document.title).where(
                Document.id.in_(ids[start:start + 500]))
            out.update({r[0]: tuple(r[1:]) for r in conn.execute(stmt)})
    return out
