"""Shared fixtures: a throwaway database, the CLI runner, the shipped seed articles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pgserver import PostgresServer, find_bin_dir
from tracker import store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_ARTICLE = SEEDS / "000_seed_toi_2024-03-26.txt"


BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server of the tests' own, for the whole session; skips (or fails) without binaries."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        reason = "no PostgreSQL binaries (initdb, pg_ctl) in PATH or /usr/lib/postgresql/*/bin"
        if os.environ.get("TRACKER_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"TRACKER_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    server = PostgresServer(bin_dir).start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server) -> str:
    """A fresh, empty PostgreSQL database on the session's server."""
    url = pg_server.database()
    yield url
    pg_server.drop(url)


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    """A new database: a SQLite file in the test's temporary folder, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture(params=BACKENDS)
def engine(request):
    """A new store for each test: in-memory SQLite, or a fresh PostgreSQL database."""
    url = "sqlite://" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    eng = store.make_engine(url)
    yield eng
    eng.dispose()


@pytest.fixture
def runner() -> CliRunner:
    """Runs the typer app in-process, stdout and stderr kept apart."""
    return CliRunner()


@pytest.fixture
def seeds() -> Path:
    """The folder of sample articles tracker ships with."""
    return SEEDS


@pytest.fixture
def seed_article() -> Path:
    """The user's seed article (The Times of Israel, 2024-03-26)."""
    return SEED_ARTICLE
