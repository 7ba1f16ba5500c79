"""Reading the store: claims in timeline order, counts and per-figure summaries."""

from __future__ import annotations

import gc
import json
from dataclasses import dataclass
from typing import Optional

from pydantic import TypeAdapter
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tracker.models import StoredClaim
from tracker.store.tables import ClaimRecord, Document


def query_claims(
    engine: Engine,
    figure: Optional[str] = None,
    *,
    aspect: Optional[str] = None,
    since: Optional[str] = None,
    until: Optional[str] = None,
    source: Optional[str] = None,
    include_superseded: bool = False,
    latest: Optional[int] = None,
    story: Optional[str] = None,
) -> list[StoredClaim]:
    """Stored claims (of `figure`, when given) in date order, each with its document's metadata.

    With `latest`, only the last `latest` claims (still returned in date order): the index is read
    backwards and stops early, so a screenful of a 200,000-claim timeline costs milliseconds.
    """
    # Plain columns and one batch validation: ORM objects and per-row models cost ~10x more at scale.
    stmt = _filtered(select(*_CLAIM_COLUMNS, Document.doc, Document.url, Document.title).join(
        Document, ClaimRecord.document_id == Document.id), figure, aspect=aspect, since=since, until=until,
        source=source, include_superseded=include_superseded, story=story)
    order = (ClaimRecord.date, ClaimRecord.document_id, ClaimRecord.start)
    if latest:
        stmt = stmt.order_by(*(c.desc() for c in order)).limit(latest)
    else:
        stmt = stmt.order_by(*order)
    # Tens of thousands of new objects set off the cyclic GC again and again (none of them is
    # garbage): pausing it halves the time of a large timeline.
    paused = gc.isenabled()
    gc.disable()
    try:
        with engine.connect() as conn:
            rows = conn.execute(stmt).all()
        if latest:
            rows.reverse()
        if story and not rows:
            require_story(engine, story)
        keys = [c.key for c in _CLAIM_COLUMNS] + ["doc", "url", "title"]
        records = [dict(zip(keys, row)) for row in rows]
        for record in records:
            q = record["qualifiers"]
            record["qualifiers"] = [] if not q or q == "[]" else json.loads(q)
        return _STORED_CLAIMS.validate_python(records)
    finally:
        if paused:
            gc.enable()


_CLAIM_COLUMNS = tuple(getattr(ClaimRecord, name) for name in (
    "figure", "aspect", "value", "low", "high", "hedge", "unit", "text", "start", "end", "attribution",
    "qualifiers", "date", "source", "document_id", "id", "status",
    # columns of fields other parts add to the claim model, read once the model has them
    *(name for name in ("story", "confidence") if name in StoredClaim.model_fields)))
_STORED_CLAIMS = TypeAdapter(list[StoredClaim])


@dataclass
class FigureSummary:
    """One figure's count of claims, first and last date, and latest value."""

    figure: str
    claims: int
    first: Optional[str]
    last: Optional[str]
    latest: Optional[StoredClaim]


def _filtered(stmt, figure: Optional[str] = None, *, aspect: Optional[str] = None, since: Optional[str] = None,
              until: Optional[str] = None, source: Optional[str] = None, include_superseded: bool = False,
              story: Optional[str] = None):
    """`stmt` narrowed to the claims a timeline shows: a figure, aspect, date span, outlet and story."""
    if figure:
        stmt = stmt.where(ClaimRecord.figure == figure)
    if aspect:
        stmt = stmt.where(ClaimRecord.aspect == aspect)
    if since:
        stmt = stmt.where(ClaimRecord.date >= since)
    if until:
        stmt = stmt.where(ClaimRecord.date <= until)
    if source:
        stmt = stmt.where(func.lower(ClaimRecord.source) == source.lower())
    if story:
        stmt = stmt.where(ClaimRecord.story == story)
    if not include_superseded:
        stmt = stmt.where(ClaimRecord.current == True)  # noqa: E712  (a rejected claim is not current either)
    else:
        stmt = stmt.where(ClaimRecord.status != "rejected")
    return stmt


def stored_stories(engine: Engine) -> list[str]:
    """The story keys of stored documents and claims, sorted."""
    with engine.connect() as conn:
        docs = conn.execute(select(Document.story).where(Document.story.is_not(None)).distinct()).scalars().all()
        claims = conn.execute(select(ClaimRecord.story).where(ClaimRecord.story.is_not(None)).distinct()).scalars().all()
    return sorted(set(docs) | set(claims))


def require_story(engine: Engine, story: str) -> None:
    """Raise UnknownStoryError (listing the stored ones) unless `story` is a stored story."""
    from tracker.errors import UnknownStoryError

    known = stored_stories(engine)
    if story not in known:
        raise UnknownStoryError(story, known)


def count_claims(engine: Engine, figure: Optional[str] = None, **filters) -> int:
    """How many claims `query_claims` would return for the same figure and filters (without `latest`)."""
    stmt = _filtered(select(func.count()).select_from(ClaimRecord), figure, **filters)
    with engine.connect() as conn:
        return conn.execute(stmt).scalar_one()


def figure_summaries(engine: Engine, *, story: Optional[str] = None) -> list[FigureSummary]:
    """Each stored figure (of `story`, when given) with its number of claims, first and last date and latest claim."""
    if story:
        require_story(engine, story)
    stmt = _filtered(select(ClaimRecord.figure, func.count(), func.min(ClaimRecord.date), func.max(ClaimRecord.date)),
                     story=story).group_by(ClaimRecord.figure).order_by(ClaimRecord.figure)
    with Session(engine) as s:
        groups = s.exec(stmt).all()
    out = []
    for figure, count, first, last in groups:
        latest = query_claims(engine, figure, latest=1, story=story) if last else []
        out.append(FigureSummary(figure, count, first, last, latest[-1] if latest else None))
    return out


def count_documents(engine: Engine) -> int:
    """How many documents are stored."""
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(Document)).one()


def stored_figures(engine: Engine) -> list[str]:
    """The figure keys that have stored claims."""
    with Session(engine) as s:
        return sorted(s.exec(select(ClaimRecord.figure).distinct()).all())


def _has_figure(engine: Engine, name: str) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(ClaimRecord.id).where(ClaimRecord.figure == name).limit(1)).first() is not None


def figure_claims(engine: Engine, name: str, *, lexicon=None, **filters) -> list[StoredClaim]:
    """The claims of figure `name` in date order; an unknown name raises UnknownFigureError."""
    from tracker.errors import UnknownFigureError
    from tracker.extract.lexicon import resolve_lexicon

    names = set(resolve_lexicon(lexicon).figure_names())
    if name not in names and not _has_figure(engine, name):  # the DISTINCT scan only for the error message
        raise UnknownFigureError(name, sorted(names | set(stored_figures(engine))))
    return query_claims(engine, name, **filters)
