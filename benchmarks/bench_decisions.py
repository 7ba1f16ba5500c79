"""What decisions cost: making one, and replaying them when a page's new version is stored.

Builds two sets of N pages (synthetic, each with a URL and three claims), stores them, makes one
decision on every page of set A (reject, fix, confirm in turn), then stores a new version of
every page of both sets: set A's versions replay their decisions, set B's have none. Prints
the time of a decision, documents per second for both sets and their ratio, and the time of
reading every claim back with decisions applied.

    python benchmarks/bench_decisions.py [--docs 300] [--db URL]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from tracker import store
from tracker.ingest import claims_for
from tracker.store import decisions
from tracker.store.tables import Document
from tracker.store.writes import content_hash

TEMPLATE = ("Negotiators met in the capital on day {i} of the talks.\n\n"
            "Officials said some {held} hostages remain in captivity, and the mediators said a deal "
            "could free as many as {freed} prisoners.\n\n"
            "A {days}-day truce was discussed{tail}")


def page(kind: str, i: int, version: int) -> tuple[Document, list]:
    body = TEMPLATE.format(i=i, held=100 + i % 50, freed=600 + i % 300, days=3 + i % 5,
                           tail="." if version == 1 else ", an official added on the next day.")
    doc = Document(content_hash=content_hash(body), doc=f"{kind}-{i}.txt", source=f"Outlet {i % 7}",
                   url=f"https://bench.example/{kind}/{i}", date=f"2025-0{1 + version}-{1 + i % 28:02d}", body=body)
    return doc, claims_for(doc)


EXTRACTION: list[float] = []


def store_all(engine, kind: str, n: int, version: int) -> float:
    t0 = time.perf_counter()
    items = [page(kind, i, version) for i in range(n)]  # extraction timed apart
    EXTRACTION.append((time.perf_counter() - t0) / n)
    t0 = time.perf_counter()
    for doc, claims in items:
        store.store_document(engine, doc, claims)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--db", default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = store.make_engine(args.db or f"sqlite:///{Path(tmp) / 'bench.db'}")
        n = args.docs
        store_all(engine, "a", n, 1)
        store_all(engine, "b", n, 1)
        claims = [c for c in store.query_claims(engine) if c.doc.startswith("a-")]
        first = {}
        for c in claims:
            first.setdefault(c.document_id, c)
        t0 = time.perf_counter()
        for k, c in enumerate(first.values()):
            if k % 3 == 0:
                decisions.reject(engine, c.id, why="bench")
            elif k % 3 == 1:
                decisions.fix(engine, c.id, {"value": 1 + k}, why="bench")
            else:
                decisions.confirm(engine, c.id)
        per_decision = (time.perf_counter() - t0) / max(1, len(first))
        with_decisions = store_all(engine, "a", n, 2)
        without = store_all(engine, "b", n, 2)
        t0 = time.perf_counter()
        total = len(store.query_claims(engine))
        read = time.perf_counter() - t0
        orphans = len(decisions.orphans(engine))
        engine.dispose()
    print(f"{engine.url.get_backend_name()}, {n} pages a set, {len(first)} decisions")
    print(f"a decision (reject/fix/confirm, applied at once): {per_decision * 1000:.1f} ms")
    print(f"new versions, pages with decisions:    {n / with_decisions:.0f} docs/s")
    print(f"new versions, pages without decisions: {n / without:.0f} docs/s")
    print(f"ratio: a page with decisions takes {with_decisions / without:.2f}x the time to store "
          f"({(with_decisions - without) / n * 1000:.1f} ms more a page; extracting a page takes "
          f"{sum(EXTRACTION) / len(EXTRACTION) * 1000:.1f} ms)")
    print(f"reading all {total} current claims, decisions applied: {read * 1000:.0f} ms; orphans: {orphans}")


if __name__ == "__main__":
    main()
