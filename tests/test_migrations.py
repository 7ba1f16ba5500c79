"""Schema versions: Alembic migrations create and upgrade the database, keeping its data."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from tracker import store
from tracker.store import migrations
from tracker.cli import app


def _bare_engine(url: str) -> sa.Engine:
    return store.make_engine(url, create=False)


def test_old_database_with_data_is_upgraded_and_keeps_it(db_url):
    """A database made at the first revision, with a document and a claim, is upgraded in place."""
    engine = _bare_engine(db_url)
    migrations.upgrade(engine, migrations.FIRST)
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO document (content_hash, doc, date_inferred, version, current, meta, body, ingested_at) "
            "VALUES ('h1', 'old.txt', false, 1, true, '{}', 'Some 130 hostages.', CURRENT_TIMESTAMP)"))
        doc_id = conn.execute(sa.text("SELECT id FROM document")).scalar()
        conn.execute(sa.text(
            "INSERT INTO claim (document_id, figure, value, hedge, unit, text, start, \"end\", qualifiers, "
            "date, current) VALUES (:d, 'hostages', 130, 'approx', 'person', 'Some 130 hostages', 0, 17, "
            "'[]', '2024-03-26', true)"), {"d": doc_id})
    assert migrations.current(engine) == migrations.FIRST
    engine.dispose()
    engine = store.make_engine(db_url)
    assert migrations.current(engine) == migrations.head() != migrations.FIRST
    assert "ix_claim_aspect" in {i["name"] for i in sa.inspect(engine).get_indexes("claim")}
    (claim,) = store.query_claims(engine, "hostages")
    assert (claim.value, claim.hedge, claim.doc) == (130, "approx", "old.txt")
    engine.dispose()


def test_database_made_before_migrations_is_adopted(tmp_path):
    """Tables made by tracker 0.1.0's create_all, without alembic_version, are stamped and upgraded."""
    url = f"sqlite:///{tmp_path / 'pre.db'}"
    engine = _bare_engine(url)
    migrations.upgrade(engine, migrations.FIRST)  # the 0.1.0 schema, then forget the version as 0.1.0 did
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE alembic_version")
    assert migrations.current(engine) == migrations.FIRST
    assert migrations.upgrade(engine) == (migrations.FIRST, migrations.head())
    assert "ix_claim_aspect" in {i["name"] for i in sa.inspect(engine).get_indexes("claim")}
    engine.dispose()


def test_migrations_match_the_models(db_url):
    """The newest revision builds exactly the tables the models declare (a model change needs a migration)."""
    engine = store.make_engine(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []
    engine.dispose()


def test_db_upgrade_command_reports_the_revision(runner, db_url):
    """`tracker db upgrade` brings a database to the newest revision and says which."""
    res = runner.invoke(app, ["db", "upgrade", "--db", db_url])
    assert res.exit_code == 0, res.output
    assert migrations.head() in res.stdout


def test_head_read_from_the_files_is_alembics_head():
    """The revision files' newest revision, read without Alembic, is the head Alembic computes."""
    from alembic.script import ScriptDirectory

    assert migrations.head() == ScriptDirectory.from_config(migrations.config()).get_current_head()


def test_a_database_from_a_newer_tracker_is_refused_clearly(tmp_path):
    """A schema revision this tracker does not ship is one clear error, not an Alembic trace."""
    import pytest

    from tracker.errors import SchemaError

    url = f"sqlite:///{tmp_path / 'newer.db'}"
    store.make_engine(url).dispose()
    engine = _bare_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(SchemaError, match="newer than this tracker"):
        store.make_engine(url)
    engine.dispose()
