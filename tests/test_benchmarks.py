"""The benchmark scripts run end to end at tiny sizes (no timings are checked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


def _run(script: str, *args: str) -> list[str]:
    res = subprocess.run([sys.executable, str(BENCH / script), *args], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    return res.stdout.splitlines()


def test_bench_extract_prints_the_speedup_last():
    """bench_extract runs on a few synthetic documents and ends with the speed-up line."""
    lines = _run("bench_extract.py", "--docs", "3", "--min-seconds", "0", "--adversarial-mb", "0.002",
                 "--workers", "2", "--worker-docs", "4")
    assert any(line.startswith("adversarial[nested_between_and]") for line in lines)
    assert any(line.startswith("ingest_workers=2 documents=4") for line in lines)
    assert lines[-1].startswith("speedup_vs_quantulum3=")


def test_bench_store_loads_and_queries(db_url):
    """bench_store bulk-loads a small database and times the queries on it."""
    lines = _run("bench_store.py", "--claims", "300", "--docs", "30", "--repeat", "1", "--cli-repeat", "1",
                 "--db", db_url)
    assert any(line.endswith("documents=30 claims=300") for line in lines)
    assert any(line.startswith("figure_query_ms[largest:") and "only_that_figure=True" in line for line in lines)


def test_bench_decisions_prints_the_cost_of_replaying_decisions():
    """bench_decisions runs on a few pages: every decision finds its claim again in the new versions."""
    lines = _run("bench_decisions.py", "--docs", "6")
    assert lines[0].startswith("sqlite, 6 pages a set, 6 decisions")
    assert any(line.startswith("ratio: a page with decisions takes") for line in lines)
    assert lines[-1].endswith("orphans: 0")


def test_bench_web_builds_a_database_and_times_the_figure_page(tmp_path):
    """bench_web builds a small synthetic database, then prints the figure page's time (status 200)."""
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    lines = _run("bench_web.py", "--claims", "300", "--docs", "30", "--repeat", "1", "--db", url)
    assert lines[0].startswith(f"built {url}: documents=30 claims=300")
    assert any(line.startswith("figure_page_ms[largest:") and "status=200" in line for line in lines)
    again = _run("bench_web.py", "--claims", "300", "--docs", "30", "--repeat", "1", "--db", url)
    assert again[0] == f"reused {url}"
