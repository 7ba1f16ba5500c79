"""Loading many documents fast: a streaming bulk loader (multi-row INSERT on SQLite, COPY on PostgreSQL)."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter
from typing import Iterable, Iterator, Optional

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from tracker.models import Claim
from tracker.store.tables import Document

from tracker.store.writes import (CLAIM_COLUMNS, CLAIM_TABLE, DOCUMENT_COLUMNS, DOCUMENT_TABLE)

BULK_SQLITE_CACHE_KIB = 16 * 1024
_CLAIM_VALUES = tuple(c for c in CLAIM_COLUMNS if c != "document_id")
_claim_getter = itemgetter(*_CLAIM_VALUES)


@dataclass
class LoadStats:
    """What a bulk load did and how fast."""

    documents: int = 0
    duplicates: int = 0
    claims: int = 0
    seconds: float = 0.0

    @property
    def claims_per_second(self) -> float:
        """Claims written per second of wall time."""
        return self.claims / self.seconds if self.seconds else 0.0


def _batches(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _load_sqlite(conn: Connection, batch: list[tuple[dict, list[dict]]], stats: LoadStats) -> None:
    cur = conn.connection.driver_connection.cursor()
    # Claims arrive in document order but are indexed by figure, date and source: random inserts
    # into those indexes thrash SQLite's default 2 MB page cache once the table is large.
    cur.execute(f"PRAGMA cache_size=-{BULK_SQLITE_CACHE_KIB}")
    doc_sql = (f"INSERT INTO document ({', '.join(DOCUMENT_COLUMNS)}) VALUES ({', '.join('?' * len(DOCUMENT_COLUMNS))}) "
               "ON CONFLICT (content_hash) DO NOTHING RETURNING id")
    claim_sql = (f"INSERT INTO claim (document_id, {', '.join(f'[{c}]' for c in _CLAIM_VALUES)}) "
                 f"VALUES ({', '.join('?' * (1 + len(_CLAIM_VALUES)))})")
    when = DOCUMENT_TABLE.c.ingested_at.type.bind_processor(conn.dialect)
    at = DOCUMENT_COLUMNS.index("ingested_at")
    rows = []
    for values, claims in batch:
        params = [values[c] for c in DOCUMENT_COLUMNS]
        params[at] = when(params[at])
        got = cur.execute(doc_sql, params).fetchone()
        if got is None:
            stats.duplicates += 1
            continue
        stats.documents += 1
        doc_id = (got[0],)
        rows.extend(doc_id + _claim_getter(claim) for claim in claims)
    cur.executemany(claim_sql, rows)
    stats.claims += len(rows)
    cur.close()


def _load_postgresql(conn: Connection, batch: list[tuple[dict, list[dict]]], stats: LoadStats) -> None:
    cur = conn.connection.driver_connection.cursor()
    when = DOCUMENT_TABLE.c.ingested_at.type.bind_processor(conn.dialect)
    at = DOCUMENT_COLUMNS.index("ingested_at")
    names = ", ".join(f'"{c}"' for c in DOCUMENT_COLUMNS)
    doc_sql = (f"INSERT INTO document ({names}) VALUES ({', '.join(['%s'] * len(DOCUMENT_COLUMNS))}) "
               "ON CONFLICT (content_hash) DO NOTHING RETURNING id")
    params = []
    for values, _ in batch:
        row = [values[c] for c in DOCUMENT_COLUMNS]
        row[at] = when(row[at]) if when else row[at]
        params.append(row)
    # One prepared statement, pipelined: a huge multi-row VALUES costs more to compile than to run.
    cur.executemany(doc_sql, params, returning=True)
    ids = []
    while True:
        got = cur.fetchone()
        ids.append(got[0] if got else None)
        if not cur.nextset():
            break
    columns = ", ".join(f'"{c}"' for c in ("document_id",) + _CLAIM_VALUES)
    with cur.copy(f"COPY claim ({columns}) FROM STDIN") as copy:
        for (_, claims), doc_id in zip(batch, ids):
            if doc_id is None:
                stats.duplicates += 1
                continue
            stats.documents += 1
            key = (doc_id,)
            for claim in claims:
                copy.write_row(key + _claim_getter(claim))
            stats.claims += len(claims)
    cur.close()


def _claims_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(CLAIM_TABLE.c.id).limit(1)).first() is None


@contextmanager
def _indexes_deferred(engine: Engine, defer: bool) -> Iterator[None]:
    """Drop the claim table's secondary indexes for the load and build them once at the end."""
    if not defer:
        yield
        return
    indexes = sorted(CLAIM_TABLE.indexes, key=lambda i: i.name)
    with engine.begin() as conn:
        for index in indexes:
            index.drop(conn, checkfirst=True)
    try:
        yield
    finally:
        with engine.begin() as conn:
            for index in indexes:
                index.create(conn, checkfirst=True)


def bulk_load(engine: Engine, items: Iterable[tuple[dict, list[dict]]], *, batch_size: int = 2000,
              defer_indexes: Optional[bool] = None) -> LoadStats:
    """Stream (document values, claim values) pairs into the store, one transaction per batch.

    Values are column dicts as made by `document_values` and `claim_values`, every column
    present (a claim's `document_id` is filled in here). Memory holds one batch at a time; documents
    whose content hash is already stored are skipped with their claims. PostgreSQL gets multi-row
    INSERTs and COPY, SQLite prepared executemany; other databases the ORM path. Into an empty
    store (or with `defer_indexes`), the claim indexes are dropped and built once at the end,
    which is several times faster than maintaining seven indexes row by row.
    """
    stats, started = LoadStats(), time.perf_counter()
    dialect = engine.dialect.name
    defer = _claims_empty(engine) if defer_indexes is None else defer_indexes
    with _indexes_deferred(engine, defer and dialect in ("sqlite", "postgresql")):
        for batch in _batches(items, batch_size):
            if dialect in ("sqlite", "postgresql"):
                with engine.begin() as conn:
                    (_load_sqlite if dialect == "sqlite" else _load_postgresql)(conn, batch, stats)
            else:
                _load_orm(engine, batch, stats)
    stats.seconds = time.perf_counter() - started
    return stats


def _load_orm(engine: Engine, batch: list[tuple[dict, list[dict]]], stats: LoadStats) -> None:
    from tracker.store import store_documents

    pairs = [(Document(**values), [Claim(**{k: v for k, v in c.items() if k in Claim.model_fields}) for c in claims])
             for values, claims in batch]
    for result in store_documents(engine, pairs):
        stats.documents += result.status != "unchanged"
        stats.duplicates += result.status == "unchanged"
        stats.claims += result.claims
