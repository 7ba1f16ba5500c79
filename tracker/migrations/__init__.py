"""Schema versions: Alembic migrations shipped in the package, applied on first use of a database.

A database made by an older tracker keeps its data: `upgrade` runs the missing revisions. A
database made before migrations existed (tables, no `alembic_version`) is taken to be at the
first revision, which is exactly the schema tracker 0.1.0 created.

Several processes may open a new database at once (parallel ingests): the upgrade runs under a
lock — PostgreSQL's advisory lock, SQLite's write lock (BEGIN IMMEDIATE) — so one of them
migrates and the others find the schema up to date.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from tracker.errors import SchemaError

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["config", "head", "current", "upgrade", "ensure_schema"]

HERE = Path(__file__).resolve().parent
FIRST = "0001"
#: Any constant will do; it only has to be the same in every tracker process.
_PG_LOCK_KEY = 0x7472_6163_6B65


def config(connection: Optional[Connection] = None) -> "Config":
    """An Alembic config pointing at the shipped migrations (and at `connection`, when given)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


_REVISION = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([\w]+)['\"]?", re.M)


@lru_cache(maxsize=1)
def _revisions() -> dict[str, Optional[str]]:
    """Each shipped revision and the one it follows, read from the revision files."""
    out = {}
    for path in (HERE / "versions").glob("*.py"):
        found = dict(_REVISION.findall(path.read_text(encoding="utf-8")))
        out[found["revision"]] = found.get("down_revision")
    return out


@lru_cache(maxsize=1)
def head() -> str:
    """The newest revision shipped with this tracker: the one no other revision follows.

    Read from the revision files without importing Alembic (~100 ms), since every command
    checks it; a test checks it against Alembic's own answer.
    """
    revisions = _revisions()
    (newest,) = set(revisions) - set(revisions.values())
    return newest


def _version(conn: Connection) -> Optional[str]:
    names = set(inspect(conn).get_table_names())
    if "alembic_version" in names:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if "document" in names:
        return FIRST  # made by create_all before migrations existed
    return None


def current(engine: Engine) -> Optional[str]:
    """The revision a database is at (None for an empty database)."""
    with engine.connect() as conn:
        return _version(conn)


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    elif conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def upgrade(engine: Engine, revision: str = "head") -> tuple[Optional[str], str]:
    """Bring the schema to `revision` (default the newest); returns (from, to) revisions."""
    from alembic import command

    with engine.connect() as conn:
        _lock(conn)
        before = _version(conn)
        if before is not None and before not in _revisions():
            raise SchemaError(f"the database is at schema revision {before!r}, newer than this tracker's "
                              f"{head()!r}: upgrade tracker to use it")
        names = set(inspect(conn).get_table_names())
        cfg = config(conn)
        if before is not None and "alembic_version" not in names:
            command.stamp(cfg, before)
        command.upgrade(cfg, revision)
        after = _version(conn) or before
        conn.commit()
    return before, after


def ensure_schema(engine: Engine) -> None:
    """Create or upgrade the schema unless it is already at the newest revision (a cheap check)."""
    try:
        with engine.connect() as conn:
            at = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # no alembic_version table yet
        at = None
    if at != head():
        upgrade(engine)
