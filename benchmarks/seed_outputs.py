"""Run every query command on the seeds and write each output to a folder, to compare two trees.

    python benchmarks/seed_outputs.py OUTDIR      # then: diff -r BEFORE AFTER

Each file is one command's stdout (and its exit code on the last line); the database is a
fresh SQLite file in a temporary folder, ingested from seeds/. Times in report names vary, so
reports are written to fixed paths.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMANDS = {
    "figures": ["figures"],
    "figures_json": ["figures", "--format", "json"],
    "figure_prisoners": ["figure", "prisoners"],
    "figure_hostages_json": ["figure", "hostages", "--latest", "0", "--format", "json"],
    "figure_hostages_held_csv": ["figure", "hostages", "--aspect", "held", "--format", "csv"],
    "changes": ["changes"],
    "changes_hostages_json": ["changes", "hostages", "--format", "json"],
    "disputes": ["disputes"],
    "disputes_json": ["disputes", "--format", "json"],
    "disputes_week": ["disputes", "--period", "week", "--format", "csv"],
    "report_claims": ["report", "--out", "-"],
    "report_series": ["report", "--series", "--out", "-"],
    "compare_sources": ["compare", "--source", "Sample Wire", "--source", "The Times of Israel", "--format", "json"],
    "sources": ["sources", "--format", "csv"],
    "sources_outlets": ["sources", "--outlets", "--format", "json"],
    "stories": ["stories", "--format", "csv"],
    "figure_hostages_story_json": ["figure", "hostages", "--story", "israel-hamas", "--latest", "0", "--format", "json"],
    "show_seed": ["show", "seeds/000_seed_toi_2024-03-26.txt"],
    "extract_seed": ["extract", "seeds/000_seed_toi_2024-03-26.txt", "--format", "jsonl"],
    "extract_all_seed": ["extract", "--all", "seeds/000_seed_toi_2024-03-26.txt", "--format", "csv"],
}


def run(args: list[str], env: dict) -> str:
    proc = subprocess.run([sys.executable, "-m", "tracker", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    return proc.stdout + f"\n[exit {proc.returncode}]\n"


def main(outdir: str) -> None:
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TRACKER_DB=f"sqlite:///{tmp}/seeds.db", COLUMNS="200")
        (out / "ingest.txt").write_text(run(["ingest", "seeds", "--quiet"], env))
        for name, args in COMMANDS.items():
            (out / f"{name}.txt").write_text(run(args, env))
    print(f"{len(COMMANDS) + 1} outputs in {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "seed-outputs")
