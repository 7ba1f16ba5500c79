"""The database: an engine from a URL, documents stored with their claims, and the queries."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterable, Iterator, Literal, Optional, Sequence

from pydantic import TypeAdapter
from sqlalchemy import event, func
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine, select

from tracker.models import Claim, ClaimRecord, Document, StoredClaim

DEFAULT_URL = "sqlite:///tracker.db"

StoreStatus = Literal["new", "unchanged", "updated"]


def database_url(url: Optional[str] = None) -> str:
    """The URL to use: the one given, else $TRACKER_DB, else ./tracker.db."""
    return url or os.environ.get("TRACKER_DB") or DEFAULT_URL


def _tune_sqlite(dbapi_conn, _record) -> None:
    # WAL lets a reader (a `tracker figure`) run while an ingest writes; the busy timeout makes a
    # second writer wait for the lock instead of failing at once.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    try:
        cur.execute("PRAGMA journal_mode=WAL")
    except Exception:  # an in-memory database has no WAL; nothing to tune
        pass
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: Optional[str] = None, *, create: bool = True) -> Engine:
    """An engine for `url` (any SQLAlchemy URL; see `database_url`), schema created or upgraded on first use."""
    url = database_url(url)
    kwargs: dict = {}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _tune_sqlite)
    if create:
        init_db(engine)
    return engine


def init_db(engine: Engine) -> None:
    """Create the schema, or upgrade it to this tracker's newest revision (Alembic migrations)."""
    from tracker.migrations import ensure_schema

    ensure_schema(engine)


@contextmanager
def session(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(engine, expire_on_commit=False) as s:
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise


def content_hash(body: str) -> str:
    """The identity of a document's content: SHA-256 of its whitespace-normalized text."""
    norm = re.sub(r"\s+", " ", body).strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


@dataclass
class StoreResult:
    """What storing one document did."""

    status: StoreStatus
    document: Document
    claims: int


def store_document(engine: Engine, document: Document, claims: Sequence[Claim]) -> StoreResult:
    """Store `document` and its `claims` in one transaction; the same content is stored once.

    A document whose URL is already stored with other content is a new version: the older
    versions stop being current, so their claims leave the timelines. Safe under concurrent
    ingests: the content hash is unique and inserted with ON CONFLICT DO NOTHING.
    """
    (result,) = store_documents(engine, [(document, claims)])
    return result


def store_documents(engine: Engine, items: Iterable[tuple[Document, Sequence[Claim]]]) -> list[StoreResult]:
    """Store several documents with their claims in one transaction (a batch of `store_document`)."""
    from tracker.bulk import write_document

    with session(engine) as s:
        return [write_document(s, document, claims) for document, claims in items]


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
) -> list[StoredClaim]:
    """Stored claims (of `figure`, when given) in date order, each with its document's metadata.

    With `latest`, only the last `latest` claims (still returned in date order): the index is read
    backwards and stops early, so a screenful of a 200,000-claim timeline costs milliseconds.
    """
    # Plain columns and one batch validation: ORM objects and per-row models cost ~10x more at scale.
    stmt = _filtered(select(*_CLAIM_COLUMNS, Document.doc, Document.url, Document.title).join(
        Document, ClaimRecord.document_id == Document.id), figure, aspect=aspect, since=since, until=until,
        source=source, include_superseded=include_superseded)
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
    "qualifiers", "date", "source", "document_id"))
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
              until: Optional[str] = None, source: Optional[str] = None, include_superseded: bool = False):
    """`stmt` narrowed to the claims a timeline shows: a figure, aspect, date span and outlet."""
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
    if not include_superseded:
        stmt = stmt.where(ClaimRecord.current == True)  # noqa: E712
    return stmt


def count_claims(engine: Engine, figure: Optional[str] = None, **filters) -> int:
    """How many claims `query_claims` would return for the same figure and filters (without `latest`)."""
    stmt = _filtered(select(func.count()).select_from(ClaimRecord), figure, **filters)
    with engine.connect() as conn:
        return conn.execute(stmt).scalar_one()


def figure_summaries(engine: Engine) -> list[FigureSummary]:
    """Each stored figure with its number of claims, first and last date and latest claim."""
    stmt = (select(ClaimRecord.figure, func.count(), func.min(ClaimRecord.date), func.max(ClaimRecord.date))
            .where(ClaimRecord.current == True)  # noqa: E712
            .group_by(ClaimRecord.figure).order_by(ClaimRecord.figure))
    with Session(engine) as s:
        groups = s.exec(stmt).all()
    out = []
    for figure, count, first, last in groups:
        latest = query_claims(engine, figure, latest=1) if last else []
        out.append(FigureSummary(figure, count, first, last, latest[-1] if latest else None))
    return out


def count_documents(engine: Engine) -> int:
    """How many documents are stored."""
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(Document)).one()


def meta_json(meta: dict) -> str:
    """Metadata as JSON text, anything not JSON-native written as a string."""
    return json.dumps(meta, ensure_ascii=False, default=str, sort_keys=True)


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
