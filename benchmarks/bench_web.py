"""Web benchmark: how long the figure page takes to render from the 1M-claim benchmark database.

    python benchmarks/bench_web.py                          # builds (once) or reuses the bench_store database
    python benchmarks/bench_web.py --db sqlite:////tmp/bench.db --claims 20000 --docs 2000
    python benchmarks/bench_web.py --db postgresql+psycopg://user@host/bench   # an empty database

The database is bench_store's synthetic one (same generator, same sizes), kept between runs in
the file given by --db (default: $TMPDIR/tracker-bench-web/bench.db). Each page is requested
through Starlette's TestClient, so the time is the app's own (routing, queries, templates), not
the network's. Not a timed test: it prints the figures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import synthetic  # noqa: E402  (the same synthetic database as the store benchmark)

from sqlalchemy import text  # noqa: E402

from tracker import store  # noqa: E402
from tracker.store import bulk  # noqa: E402


def page_ms(client, url: str, repeat: int) -> tuple[float, int, int]:
    """Median wall time (ms) of `repeat` GETs of `url`, its status and its size in bytes."""
    times, status, size = [], 0, 0
    for _ in range(repeat):
        t = time.perf_counter()
        res = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        status, size = res.status_code, len(res.content)
    return statistics.median(times), status, size


def main(argv: list[str] | None = None) -> None:
    """Build or reuse the benchmark database, then print the time of each page."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--db", help="SQLAlchemy URL (default: a SQLite file kept in $TMPDIR/tracker-bench-web)")
    ap.add_argument("--repeat", type=int, default=5, help="requests per page (median reported)")
    args = ap.parse_args(argv)

    if args.db:
        url = args.db
    else:
        folder = Path(tempfile.gettempdir()) / "tracker-bench-web"
        folder.mkdir(exist_ok=True)
        url = f"sqlite:///{folder / f'bench-{args.claims}-{args.docs}.db'}"
    engine = store.make_engine(url)
    if store.count_documents(engine) == 0:
        stats = bulk.bulk_load(engine, synthetic(args.docs, args.claims), batch_size=2000)
        print(f"built {url}: documents={stats.documents} claims={stats.claims} in {stats.seconds:.1f} s")
        if engine.dialect.name == "postgresql":
            # What autovacuum does soon after a bulk load: statistics for the planner, and the
            # visibility map that lets a count read the index alone.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
            print("vacuum_analyze=done")
    else:
        print(f"reused {url}")

    from starlette.testclient import TestClient

    from tracker.web import create_app

    counts = {s.figure: s.claims for s in store.figure_summaries(engine)}
    by_size = sorted(counts, key=counts.get)
    largest, smallest = by_size[-1], by_size[0]
    with TestClient(create_app(engine, read_only=True)) as client:
        client.get(f"/figures/{largest}")  # the first request loads templates and rules
        for label, name in (("largest", largest), ("smallest", smallest)):
            ms, status, size = page_ms(client, f"/figures/{name}", args.repeat)
            print(f"figure_page_ms[{label}:{name} {counts[name]} claims]={ms:.0f} status={status} bytes={size}")
        ms, status, size = page_ms(client, f"/figures/{largest}?since=2025-04-01", args.repeat)
        print(f"figure_page_ms[{largest} since=2025-04-01]={ms:.0f} status={status} bytes={size}")
        for path in ("/", "/documents/1"):
            ms, status, size = page_ms(client, path, args.repeat)
            print(f"page_ms[{path}]={ms:.0f} status={status} bytes={size}")
    engine.dispose()


if __name__ == "__main__":
    main()
