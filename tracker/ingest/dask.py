"""Extraction across machines with Dask: `tracker.extract` as the map function, a database as the sink.

The recipe (README, "At scale"): start or join a Dask cluster, point every worker at the same
PostgreSQL database, and map the files over the cluster::

    from dask.distributed import Client
    from tracker.ingest.dask import ingest_on_cluster

    with Client("tcp://scheduler:8786") as client:          # or Client(LocalCluster(n_workers=2))
        totals = ingest_on_cluster(client, ["articles/"], "postgresql+psycopg://tracker@db/tracker")

Each partition of files is read and extracted on a worker, which then writes its documents
straight to the database in one transaction (each document with its claims); the content hash
with ON CONFLICT DO NOTHING makes re-runs and overlapping inputs store every document once. The
files must be readable at the same paths on every worker (a shared or synced folder). Dask is
an optional dependency (`pip install 'dask[distributed]'`); this module imports it lazily.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from sqlalchemy.engine import Engine

from tracker.ingest import iter_files
from tracker.ingest.parallel import extract_file
from tracker.store import make_engine, store_documents


@lru_cache(maxsize=4)
def _engine(url: str) -> Engine:
    # One engine (and connection pool) per worker process and database, reused by every task.
    return make_engine(url)


def extract_and_store(paths: list[str], db_url: str, source: Optional[str] = None, date: Optional[str] = None,
                      lexicon=None) -> dict[str, int]:
    """The task a worker runs on one partition: extract its files, store the documents; counts by status."""
    counts = {"new": 0, "unchanged": 0, "updated": 0, "skipped": 0, "claims": 0}
    pending = []
    for path in paths:
        for _name, document, claims, _reason in extract_file(Path(path), source, date, lexicon):
            if document is None:
                counts["skipped"] += 1
            else:
                pending.append((document, claims))
    for result in store_documents(_engine(db_url), pending) if pending else []:
        counts[result.status] += 1
        counts["claims"] += result.claims
    return counts


def ingest_on_cluster(client, paths: Iterable[str | Path], db_url: str, *, files_per_task: int = 16,
                      source: Optional[str] = None, date: Optional[str] = None, lexicon=None) -> dict[str, int]:
    """Ingest every file under `paths` on the Dask cluster behind `client` into `db_url`; summed counts."""
    import dask.bag as db

    files = [str(p) for p in iter_files(paths)]
    if not files:
        return {"new": 0, "unchanged": 0, "updated": 0, "skipped": 0, "claims": 0}
    make_engine(db_url).dispose()  # create or upgrade the schema once, before the workers start writing
    npartitions = max(1, -(-len(files) // files_per_task))
    bag = db.from_sequence(files, npartitions=npartitions).map_partitions(
        lambda part: [extract_and_store(list(part), db_url, source, date, lexicon)])
    totals: dict[str, int] = {}
    for counts in client.compute(bag).result():
        for key, n in counts.items():
            totals[key] = totals.get(key, 0) + n
    return totals
