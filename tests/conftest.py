"""Shared fixtures: a throwaway database, the CLI runner, the shipped seed articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker import store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_ARTICLE = SEEDS / "000_seed_toi_2024-03-26.txt"


@pytest.fixture
def engine():
    """An in-memory SQLite store, new for each test."""
    eng = store.make_engine("sqlite://")
    yield eng
    eng.dispose()


@pytest.fixture
def db_url(tmp_path) -> str:
    """A SQLite file URL in the test's temporary folder."""
    return f"sqlite:///{tmp_path / 'tracker.db'}"


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
