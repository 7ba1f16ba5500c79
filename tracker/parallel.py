"""Ingest across processes: a pool reads and extracts, this process writes the results in batches.

Extraction is CPU-bound pure Python, so it runs in worker processes; the database is written
from one place, a batch of documents per transaction, each document together with its claims.
At most a few chunks of files are in flight, so memory stays flat however large the folder.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from sqlalchemy.engine import Engine

from tracker import ingest as ingest_mod
from tracker.errors import InputError
from tracker.ingest import IngestSummary, Outcome
from tracker.models import Claim, Document
from tracker.store import store_documents

#: (input name, document or None when skipped, its claims, why it was skipped)
Extracted = tuple[str, Optional[Document], list[Claim], str]


def extract_file(path: Path, source: Optional[str] = None, date: Optional[str] = None,
                 lexicon=None) -> list[Extracted]:
    """Read one file and extract the claims of each document in it; bad input becomes a reason."""
    try:
        items = ingest_mod.read_documents(path)
    except InputError as exc:
        return [(str(path), None, [], str(exc))]
    out: list[Extracted] = []
    for item in items:
        try:
            document = ingest_mod.to_document(item, source=source, date=date)
            out.append((item.name, document, ingest_mod.claims_for(document, lexicon), ""))
        except InputError as exc:
            out.append((item.name, None, [], str(exc)))
    return out


def _extract_chunk(paths: list[Path], source, date, lexicon) -> list[Extracted]:
    return [row for path in paths for row in extract_file(path, source, date, lexicon)]


def _chunks(items: Iterable[Path], size: int) -> Iterator[list[Path]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _pool(workers: int) -> ProcessPoolExecutor:
    # fork starts workers with tracker and its lexicon already imported; spawn would re-import them.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method))


def ingest(
    engine: Engine,
    paths: Iterable[str | Path],
    *,
    workers: int = 1,
    source: Optional[str] = None,
    date: Optional[str] = None,
    lexicon=None,
    on_outcome: Optional[Callable[[Outcome], None]] = None,
    batch_size: int = 64,
    chunk_size: int = 8,
) -> IngestSummary:
    """Like `tracker.ingest.ingest`, with extraction in `workers` processes (1: in this process)."""
    if workers <= 1:
        return ingest_mod.ingest(engine, paths, source=source, date=date, lexicon=lexicon, on_outcome=on_outcome)
    summary = IngestSummary()
    pending: list[tuple[str, Document, list[Claim]]] = []

    def record(outcome: Outcome) -> None:
        summary.outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    def flush() -> None:
        results = store_documents(engine, [(doc, claims) for _, doc, claims in pending])
        for (name, _, _), result in zip(pending, results):
            record(Outcome(name, result.status, result.claims))
        pending.clear()

    def take(future: Future) -> None:
        for name, document, claims, reason in future.result():
            if document is None:
                record(Outcome(name, "skipped", reason=reason))
                continue
            pending.append((name, document, claims))
            if len(pending) >= batch_size:
                flush()

    in_flight: deque[Future] = deque()
    with _pool(workers) as pool:
        for chunk in _chunks(ingest_mod.iter_files(paths), chunk_size):
            in_flight.append(pool.submit(_extract_chunk, chunk, source, date, lexicon))
            if len(in_flight) >= workers * 3:
                take(in_flight.popleft())
        while in_flight:
            take(in_flight.popleft())
    flush()
    return summary


def default_workers() -> int:
    """The number of CPUs this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
