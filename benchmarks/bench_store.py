"""Store benchmark: bulk-load a large synthetic database, then time the timeline queries on it.

    python benchmarks/bench_store.py                       # 1,000,000 claims over 100,000 documents, SQLite
    python benchmarks/bench_store.py --claims 20000 --docs 2000
    python benchmarks/bench_store.py --db postgresql+psycopg://postgres@127.0.0.1:5432/bench

Figures follow a skewed, news-like distribution over the lexicon's 14 figures (hostages most,
tariff least); dates span 600 days from 2023-10-07; 12 outlets. Load time includes generating
the rows. RSS is sampled while loading to show that memory stays flat (the load streams).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tracker import store
from tracker.store import bulk
from tracker.cli.options import TABLE_LATEST
from tracker.store.tables import utcnow

FIGURE_WEIGHTS = {
    "hostages": 22, "prisoners": 15, "killed": 12, "truce": 10, "aid_trucks": 8, "injured": 7, "displaced": 6,
    "talks": 5, "funds": 4, "workers": 3, "strike": 3, "wage_increase": 2, "contract": 2, "tariff": 1,
}
#: Negotiations the synthetic documents belong to (a few stories, as a news database holds).
STORIES = ("israel-hamas", "russia-ukraine", "ford-uaw", "china-us", "houthis-saudi-arabia")
OUTLETS = ["Reuters", "AP", "AFP", "BBC", "Al Jazeera", "The Times of Israel", "Haaretz", "CNN", "NPR",
           "The Guardian", "Axios", "Channel 12"]
ASPECTS = [None, "held", "taken", "released", "proposed"]
HEDGES = ["exact", "exact", "exact", "approx", "at_least", "at_most", "range"]
START = dt.date(2023, 10, 7)


def rss_mb() -> float:
    """This process's resident memory now, in MB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def synthetic(docs: int, claims: int, seed: int = 7, rss_samples: list | None = None):
    """Yield (document values, claim values) pairs: `docs` documents holding `claims` claims in all."""
    rng = random.Random(seed)
    figures, weights = list(FIGURE_WEIGHTS), list(FIGURE_WEIGHTS.values())
    attributions = [None, None, "officials", "Hamas", "Channel 12"]
    now = utcnow()
    per_doc, extra = divmod(claims, docs)
    for i in range(docs):
        date = (START + dt.timedelta(days=rng.randrange(600))).isoformat()
        source = OUTLETS[i % len(OUTLETS)]
        body = f"Article {i} from {source} on {date}: negotiators discussed the figures."
        doc = {"content_hash": hashlib.sha256(f"{seed}:{i}".encode()).hexdigest(), "doc": f"synthetic/{i:07d}.txt",
               "source": source, "url": f"https://example.org/{i}", "title": f"Article {i}", "author": None,
               "date": date, "date_inferred": False, "version": 1, "current": True, "meta": "{}", "body": body,
               "ingested_at": now, "story": STORIES[i % len(STORIES)]}
        rows = []
        for j, figure in enumerate(rng.choices(figures, weights, k=per_doc + (i < extra))):
            value = float((i * 7919 + j * 104729) % 2000 + 1)
            hedge = HEDGES[(i + j) % len(HEDGES)]
            text = f"some {int(value)} {figure}"
            rows.append({"figure": figure, "aspect": ASPECTS[(i + j) % 5], "value": value,
                         "low": value if hedge == "range" else None, "high": value + 10 if hedge == "range" else None,
                         "hedge": hedge, "unit": "person", "text": text, "start": j * 80, "end": j * 80 + len(text),
                         "attribution": attributions[(i * 3 + j) % 5], "qualifiers": "[]", "date": date,
                         "source": source, "current": True, "story": doc["story"], "confidence": None,
                         "status": "extracted", "original": None, "add_uid": None})
        if rss_samples is not None and i % max(1, docs // 10) == 0:
            rss_samples.append(rss_mb())
        yield doc, rows


def timed(fn, repeat: int) -> tuple[float, object]:
    """The median wall time of `repeat` calls (ms) and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def cli_ms(args: list[str], repeat: int) -> float:
    """Median wall time (ms) of a `tracker` command in a fresh process, output discarded."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tracker", *args], stdout=subprocess.DEVNULL, check=True)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    """Build the database, print the load rate and the query times."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--db", help="SQLAlchemy URL of an empty database (default: a new SQLite file)")
    ap.add_argument("--repeat", type=int, default=5, help="timings per query (median reported)")
    ap.add_argument("--cli-repeat", type=int, default=3)
    ap.add_argument("--batch", type=int, default=2000, help="documents per transaction")
    args = ap.parse_args(argv)

    tmp = tempfile.TemporaryDirectory(prefix="bench-store-")
    url = args.db or f"sqlite:///{Path(tmp.name) / 'bench.db'}"
    engine = store.make_engine(url)
    samples: list[float] = []
    stats = bulk.bulk_load(engine, synthetic(args.docs, args.claims, rss_samples=samples), batch_size=args.batch)
    print(f"backend={engine.dialect.name} documents={stats.documents} claims={stats.claims}")
    print(f"bulk_load_seconds={stats.seconds:.2f} bulk_load_claims_per_s={stats.claims_per_second:,.0f}")
    print(f"rss_mb_during_load first={samples[0]:.0f} last={samples[-1]:.0f} max={max(samples):.0f} "
          f"samples={','.join(f'{m:.0f}' for m in samples)}")

    counts = {s.figure: s.claims for s in store.figure_summaries(engine)}
    by_size = sorted(counts, key=counts.get)
    picks = {"smallest": by_size[0], "median": by_size[len(by_size) // 2], "largest": by_size[-1]}
    for label, name in picks.items():
        ms, claims = timed(lambda: store.figure_claims(engine, name), args.repeat)
        print(f"figure_query_ms[{label}:{name}]={ms:.1f} claims={len(claims)} "
              f"only_that_figure={all(c.figure == name for c in claims)}")
        ms, claims = timed(lambda: store.figure_claims(engine, name, latest=TABLE_LATEST), args.repeat)
        ms_count, total = timed(lambda: store.count_claims(engine, name), args.repeat)
        print(f"figure_query_ms[{label}:{name} table: latest {TABLE_LATEST} of {total}]={ms + ms_count:.1f} "
              f"claims={len(claims)}")
        since = (START + dt.timedelta(days=570)).isoformat()
        ms, claims = timed(lambda: store.figure_claims(engine, name, since=since), args.repeat)
        print(f"figure_query_ms[{label}:{name} --since {since}]={ms:.1f} claims={len(claims)}")
    ms, _ = timed(lambda: store.figure_summaries(engine), args.repeat)
    print(f"figures_summary_ms={ms:.1f}")

    env_url = ["--db", url]
    median = picks["median"]
    print(f"cli_ms[tracker figure {median} --format jsonl]={cli_ms(['figure', median, '--format', 'jsonl', *env_url], args.cli_repeat):.0f}")
    print(f"cli_ms[tracker figure {median} --since ... --format jsonl]="
          f"{cli_ms(['figure', median, '--since', since, '--format', 'jsonl', *env_url], args.cli_repeat):.0f}")
    print(f"cli_ms[tracker figure {median} (table, latest {TABLE_LATEST})]="
          f"{cli_ms(['figure', median, *env_url], args.cli_repeat):.0f}")
    print(f"cli_ms[tracker --help (startup only)]={cli_ms(['--help'], args.cli_repeat):.0f}")
    from tracker.cli import app

    if any((c.name or c.callback.__name__) == "report" for c in app.registered_commands):
        report = ["report", "--series", "--out", "-", *env_url]
        print(f"cli_ms[tracker report --series --figure {median}]="
              f"{cli_ms([*report, '--figure', median], args.cli_repeat):.0f}")
        print(f"cli_ms[tracker report --series (all figures)]={cli_ms(report, 1):.0f}")
    else:
        print("cli_ms[tracker report --series]=n/a (the report command is not merged yet)")
    print(f"peak_rss_mb={__import__('resource').getrusage(__import__('resource').RUSAGE_SELF).ru_maxrss / 1024:.0f}")
    engine.dispose()
    tmp.cleanup()


if __name__ == "__main__":
    main()
