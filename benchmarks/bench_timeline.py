"""Timeline benchmark: `report --series` and `changes` on a large synthetic store (time and peak memory).

    python benchmarks/bench_timeline.py                          # 1,000,000 claims (as bench_store.py), SQLite
    python benchmarks/bench_timeline.py --claims 20000 --docs 2000
    python benchmarks/bench_timeline.py --keep /tmp/bench-1m.db  # build once, reuse on the next run

Each command runs in a fresh process (start-up included); its peak resident memory is read from
the kernel's accounting of that child (wait4). Targets (issue 9): `report --series` of all 1M
claims ≤ 5 s and ≤ 600 MB; `changes hostages` ≤ 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import synthetic  # noqa: E402  (the same synthetic store as the store benchmark)

from tracker import store  # noqa: E402
from tracker.store import bulk  # noqa: E402

TARGETS = {"report --series": (5.0, 600.0), "changes hostages": (1.5, None)}


def run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of `tracker ARGS` in a fresh process, output discarded."""
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "tracker", *args], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"tracker {' '.join(args)} exited {proc.returncode}")
    return seconds, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    """Build (or reuse) the store, then print each command's median time and peak memory."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--keep", type=Path, help="SQLite file to build once and reuse")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    tmp = tempfile.TemporaryDirectory(prefix="bench-timeline-")
    path = args.keep or Path(tmp.name) / "bench.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        engine = store.make_engine(url)
        stats = bulk.bulk_load(engine, synthetic(args.docs, args.claims))
        print(f"built {stats.claims:,} claims over {stats.documents:,} documents in {stats.seconds:.1f} s")
        engine.dispose()
    commands = {"report --series": ["report", "--series", "--out", "-", "--format", "csv"],
                "changes hostages": ["changes", "hostages", "--format", "jsonl"],
                "disputes hostages": ["disputes", "hostages", "--format", "jsonl"],
                "plot hostages": ["plot", "hostages", "--out", str(Path(tmp.name) / "p.png")]}
    for label, cmd in commands.items():
        runs = [run([*cmd, "--db", url]) for _ in range(args.repeat)]
        secs = statistics.median(r[0] for r in runs)
        mb = max(r[1] for r in runs)
        target = TARGETS.get(label)
        verdict = ""
        if target:
            ok = secs <= target[0] and (target[1] is None or mb <= target[1])
            verdict = f" target≤{target[0]}s" + (f"/{target[1]:.0f}MB" if target[1] else "") + (
                " ok" if ok else " MISSED") + f" ratio={secs / target[0]:.2f}"
        print(f"cli[tracker {label}] seconds={secs:.2f} peak_rss_mb={mb:.0f}{verdict}")
    tmp.cleanup()


if __name__ == "__main__":
    main()
