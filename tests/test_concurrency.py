"""Parallel and concurrent ingest: every document stored exactly once, with all its claims."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from tracker import ingest, store
from tracker.ingest import parallel

SENTENCE = "Negotiators said {n} hostages remain in Gaza after the latest round of talks in Doha."


def _articles(folder: Path, numbers) -> None:
    folder.mkdir()
    for n in numbers:
        (folder / f"a{n:03d}.txt").write_text(
            f"---\nsource: Wire\ndate: 2024-01-{n % 28 + 1:02d}\n---\n{SENTENCE.format(n=n)}\n", encoding="utf-8")


def _claims_by_document(engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT d.content_hash, COUNT(c.id) FROM document d LEFT JOIN claim c ON c.document_id = d.id "
            "GROUP BY d.content_hash")).all()
    return dict(rows)


def test_workers_store_the_same_claims_as_a_single_process(db_url, seeds, tmp_path):
    """`--workers 2` stores the seeds with exactly the claims a plain ingest stores."""
    serial = store.make_engine(f"sqlite:///{tmp_path / 'serial.db'}")
    ingest.ingest(serial, [seeds])
    engine = store.make_engine(db_url)
    summary = parallel.ingest(engine, [seeds], workers=2, batch_size=2, chunk_size=1)
    again = parallel.ingest(engine, [seeds], workers=2)
    key = lambda c: (c.doc, c.start, c.figure, c.value, c.hedge, c.date, c.source)  # noqa: E731
    assert sorted(map(key, store.query_claims(engine))) == sorted(map(key, store.query_claims(serial)))
    n = len(list(ingest.iter_files([seeds])))
    assert summary.count("new") == n and again.count("unchanged") == n
    engine.dispose()


def test_four_concurrent_ingests_of_overlapping_folders_store_each_document_once(db_url, tmp_path):
    """Four `tracker ingest` processes at once over overlapping folders leave one copy of each article."""
    numbers = range(1, 25)
    folders = [tmp_path / name for name in "abcd"]
    for folder, part in zip(folders, (numbers[:14], numbers[8:], numbers[::2], numbers[::3])):
        _articles(folder, part)
    store.make_engine(db_url).dispose()  # the schema exists; each process still checks it
    procs = [subprocess.Popen([sys.executable, "-m", "tracker", "ingest", str(folder), "--db", db_url, "-q",
                               *(["--workers", "2"] if i % 2 else [])],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i, folder in enumerate(folders)]
    results = [p.communicate(timeout=300) + (p.returncode,) for p in procs]
    assert all(code == 0 for _, _, code in results), results
    engine = store.make_engine(db_url)
    per_document = _claims_by_document(engine)
    assert len(per_document) == len(numbers) == store.count_documents(engine)
    assert set(per_document.values()) == {1}
    new = sum(int(err.rsplit(" new", 1)[0].split()[-1]) for _, err, _ in results)
    assert new == len(numbers)
    engine.dispose()


def test_four_concurrent_ingests_on_a_new_database_agree_on_the_schema(db_url, tmp_path):
    """Processes that all find the database empty migrate it once between them and all succeed."""
    _articles(tmp_path / "x", range(1, 5))
    procs = [subprocess.Popen([sys.executable, "-m", "tracker", "ingest", str(tmp_path / "x"), "--db", db_url, "-q"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [p.communicate(timeout=300) + (p.returncode,) for p in procs]
    assert all(code == 0 for _, _, code in results), results
    engine = store.make_engine(db_url)
    assert store.count_documents(engine) == 4
    engine.dispose()


def test_sqlite_readers_and_an_ingest_do_not_block_each_other(tmp_path):
    """In WAL mode a timeline query runs during an open write, and a write commits during an open read."""
    url = f"sqlite:///{tmp_path / 'wal.db'}"
    writer, reader = store.make_engine(url), store.make_engine(url)
    _articles(tmp_path / "x", [1])
    ingest.ingest(writer, [tmp_path / "x"])
    with writer.begin() as conn:  # a write transaction holds the lock, uncommitted
        conn.exec_driver_sql("UPDATE document SET title = 'pending'")
        assert len(store.query_claims(reader, "hostages")) == 1
    with reader.connect() as conn:  # a read transaction stays open on its snapshot
        conn.exec_driver_sql("BEGIN")
        conn.exec_driver_sql("SELECT COUNT(*) FROM claim").all()
        _articles(tmp_path / "y", [2])
        assert ingest.ingest(writer, [tmp_path / "y"]).count("new") == 1
        conn.exec_driver_sql("COMMIT")
    assert len(store.query_claims(reader, "hostages")) == 2
    writer.dispose()
    reader.dispose()
