"""A killed or interrupted ingest leaves every stored document whole, and running it again completes the set."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tracker import ingest, store
from tracker.store import documents

ROOT = Path(__file__).resolve().parent.parent
N_FILES = 300

PARAGRAPHS = [
    "Some {a} hostages remain in Gaza, officials said on Monday.",
    "Israel would free as many as {b} prisoners in a {w}-week truce, according to the mediators.",
    "The delegation had been in Doha for {d} days before the talks paused.",
    "At least {c} people were killed in the strikes, the health ministry said.",
    "Around {e} trucks of aid entered the territory, a UN spokesperson said.",
]


def _article(i: int) -> str:
    # Numbers change with i so every file is its own content; many paragraphs make each take a while.
    values = dict(a=100 + i, b=700 + i, w=1 + i % 6, d=2 + i % 9, c=20 + i, e=50 + i)
    body = "\n\n".join(p.format(**{k: v + r for k, v in values.items()}) if "{w}" not in p
                       else p.format(**{**values, "b": values["b"] + r})
                       for r in range(8) for p in PARAGRAPHS)
    return f"---\nsource: Test Wire\ndate: 2024-03-{1 + i % 28:02d}\n---\nReport {i}.\n\n{body}\n"


def _corpus(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = []
    for i in range(N_FILES):
        path = folder / f"article-{i:04d}.md"
        path.write_text(_article(i), encoding="utf-8")
        paths.append(path)
    return paths


def _start_ingest(folder: Path, db: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen([sys.executable, "-m", "tracker", "ingest", str(folder), "--db", f"sqlite:///{db}", "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=db.parent)


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM document").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet, or locked for a moment
        return 0


def _wait_for_documents(proc: subprocess.Popen, db: Path, at_least: int) -> None:
    deadline = time.monotonic() + 120
    while _stored(db) < at_least:
        assert proc.poll() is None, f"ingest ended before it could be interrupted: {proc.communicate()}"
        assert time.monotonic() < deadline, "ingest stored nothing in 120 s"
        time.sleep(0.005)


def _claim_keys(claims) -> list[tuple]:
    return sorted((c.figure, c.value, c.low, c.high, c.hedge, c.start, c.end, c.text) for c in claims)


def _assert_every_stored_document_is_whole(engine, by_name: dict[str, Path]) -> int:
    rows = documents.list_documents(engine)
    for row in rows:
        document = documents.find_document(engine, str(row.id))
        expected = ingest.extract_paths([by_name[document.doc]]).claims
        assert _claim_keys(documents.document_claims(engine, document)) == _claim_keys(expected), document.doc
        assert row.claims == len(expected) > 0
    return len(rows)


def test_sigkill_midway_leaves_whole_documents_and_a_rerun_completes(tmp_path):
    """SIGKILL after some documents are stored: each stored one has all its claims; the rerun stores the rest."""
    paths = _corpus(tmp_path / "in")
    by_name = {str(p): p for p in paths}
    db = tmp_path / "tracker.db"
    proc = _start_ingest(tmp_path / "in", db)
    _wait_for_documents(proc, db, at_least=5)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    engine = store.make_engine(f"sqlite:///{db}")
    stored = _assert_every_stored_document_is_whole(engine, by_name)
    assert 5 <= stored < N_FILES
    assert len(store.query_claims(engine)) == sum(r.claims for r in documents.list_documents(engine))
    engine.dispose()

    rerun = _start_ingest(tmp_path / "in", db)
    _, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err
    assert f"{N_FILES - stored} new, {stored} unchanged, 0 updated, 0 skipped" in err
    engine = store.make_engine(f"sqlite:///{db}")
    assert _assert_every_stored_document_is_whole(engine, by_name) == N_FILES
    engine.dispose()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_interrupt_prints_a_clean_message_and_exits_130(tmp_path, sig):
    """Ctrl-C or a plain kill stops the ingest with one message, no traceback, exit 130, stored documents whole."""
    paths = _corpus(tmp_path / "in")
    db = tmp_path / "tracker.db"
    proc = _start_ingest(tmp_path / "in", db)
    _wait_for_documents(proc, db, at_least=3)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted:" in err and "Traceback" not in err
    engine = store.make_engine(f"sqlite:///{db}")
    assert _assert_every_stored_document_is_whole(engine, {str(p): p for p in paths}) < N_FILES
    engine.dispose()
