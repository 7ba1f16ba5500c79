"""The database: an engine from a URL (schema created or upgraded on first use) and sessions."""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator, Literal, Optional

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine



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
    from tracker.store.migrations import ensure_schema

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
