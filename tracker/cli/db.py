"""The `tracker db` commands: the database schema (Alembic migrations shipped with tracker).

Registered on the app of tracker.cli (which imports this module). As there: parse options,
call the library, print; data on stdout, messages on stderr.
"""

from __future__ import annotations

from typing import Optional

import typer

from tracker import store
from tracker.store import migrations
from tracker.cli.options import DbOption, fail, app, err, out
from tracker.errors import TrackerError

db_app = typer.Typer(help="The database schema: create it or upgrade it, keeping the data.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def upgrade(
    revision: str = typer.Argument("head", help="Target revision (default: the newest)."),
    db: Optional[str] = DbOption,
) -> None:
    """Create the schema or upgrade it to the newest revision, keeping the data; prints the revision.

    Example: tracker db upgrade --db postgresql+psycopg://user@host/tracker
    """
    try:
        before, after = migrations.upgrade(store.make_engine(db, create=False), revision)
    except TrackerError as exc:
        fail(exc)
    err.print(f"schema upgraded from {before or 'empty'} to {after}" if before != after else "schema already up to date",
              highlight=False)
    out.print(after, highlight=False)
