"""Alembic's entry point: migrations run on the connection tracker hands over (see tracker.store.migrations)."""

from alembic import context
from sqlmodel import SQLModel

import tracker.store.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # the `alembic` command line, outside tracker: open the configured URL
    from tracker.store.engine import make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url"), create=False)
    connection = engine.connect()

context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
