"""Ingest across processes: a pool reads and extracts, this process writes the results in batches.

Extraction is CPU-bound pure Python, so it runs in worker processes; the database is written
from one place, a batch of documents per transaction, each document together with its claims.
At most a few chunks of files are in flight, so memory stays flat however large the folder.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Union

from sqlalchemy.engine import Engine

from tracker import ingest as ingest_mod
from tracker.sources.dates import normalize_date
from tracker.store.documents import is_stored
from tracker.ingest import IngestInterrupted, IngestSummary, Outcome
from tracker.models import Claim
from tracker.store.tables import Document
from tracker.sources.readers import STDIN
from tracker.store import make_engine, store_documents

#: (input name, document or None, its claims, why it was skipped or "unchanged" when already stored)
Extracted = ingest_mod.Prepared


@lru_cache(maxsize=4)
def _engine(url: str) -> Engine:
    # One engine per worker process, to skip content already stored before extracting it.
    return make_engine(url, create=False)


def extract_file(path: Path, source: Optional[str] = None, date: Optional[str] = None,
                 lexicon=None, db_url: Optional[str] = None, story: Optional[str] = None,
                 gazetteer=None) -> list[Extracted]:
    """Read one file and extract the claims of each document in it; bad input becomes a reason.

    With `db_url`, a document whose content is already stored there is not extracted again.
    """
    check = (lambda h: is_stored(_engine(db_url), h)) if db_url else None
    return list(ingest_mod.prepared(path, source=source, date=date, lexicon=lexicon, already_stored=check,
                                    story=story, gazetteer=gazetteer))


def _extract_chunk(paths: list[Path], source, date, lexicon, db_url, story=None,
                   gazetteer=None) -> list[tuple[str, list[Extracted]]]:
    return [(str(path), extract_file(path, source, date, lexicon, db_url, story, gazetteer)) for path in paths]


def _chunks(items: Iterable[Path], size: int) -> Iterator[list[Path]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _pool(workers: int) -> ProcessPoolExecutor:
    # fork starts workers with tracker and its lexicon already imported; spawn would re-import them.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method))


def _shared_url(engine: Engine) -> Optional[str]:
    # Another process can open the same database only by URL, and never an in-memory one.
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None
    return url.render_as_string(hide_password=False)


def ingest(
    engine: Engine,
    paths: Iterable[Union[str, Path]],
    *,
    workers: int = 1,
    source: Optional[str] = None,
    date: Optional[str] = None,
    lexicon=None,
    on_outcome: Optional[Callable[[Outcome], None]] = None,
    on_file: Optional[Callable[[str], None]] = None,
    batch_size: int = 64,
    chunk_size: int = 8,
    story: Optional[str] = None,
    gazetteer=None,
    reextract: bool = False,
) -> IngestSummary:
    """Like `tracker.ingest.ingest`, with extraction in `workers` processes (1, stdin or `reextract`: this process)."""
    paths = list(paths)
    if workers <= 1 or reextract or any(str(p) == STDIN for p in paths):
        return ingest_mod.ingest(engine, paths, source=source, date=date, lexicon=lexicon,
                                 on_outcome=on_outcome, on_file=on_file, story=story, gazetteer=gazetteer,
                                 reextract=reextract)
    date = normalize_date(date, "--date")
    db_url = _shared_url(engine)
    own_files = ingest_mod.database_files(engine)
    summary = IngestSummary()
    pending: list[tuple[str, Document, list[Claim]]] = []

    def record(outcome: Outcome) -> None:
        summary.outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    def flush() -> None:
        results = store_documents(engine, [(doc, claims) for _, doc, claims in pending]) if pending else []
        for (name, _, _), result in zip(pending, results):
            record(Outcome(name, result.status, result.claims))
        pending.clear()

    def take(future: Future) -> None:
        for path, rows in future.result():
            for name, document, claims, reason in rows:
                if document is not None:
                    pending.append((name, document, claims))
                else:
                    record(ingest_mod.not_stored(name, reason))
            if len(pending) >= batch_size:
                flush()
            if on_file:
                on_file(path)

    files = (f for f in ingest_mod.iter_files(paths) if f.resolve() not in own_files)
    in_flight: deque[Future] = deque()
    pool = _pool(workers)
    try:
        for chunk in _chunks(files, chunk_size):
            in_flight.append(pool.submit(_extract_chunk, chunk, source, date, lexicon, db_url, story, gazetteer))
            if len(in_flight) >= workers * 3:
                take(in_flight.popleft())
        while in_flight:
            take(in_flight.popleft())
        flush()
    except KeyboardInterrupt as exc:
        pool.shutdown(wait=False, cancel_futures=True)
        summary.interrupted = True
        raise IngestInterrupted(summary) from exc
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return summary
