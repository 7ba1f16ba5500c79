"""Check a story's headline series against a gold timeline: is the best estimate inside what the claims allow?

    python benchmarks/eval_timeline.py eval/timeline-t                    # ingest corpus/, read timeline.tsv
    python benchmarks/eval_timeline.py eval/timeline-t --story israel-hamas --figure hostages --aspect held
    python benchmarks/eval_timeline.py --db sqlite:///tracker.db --timeline eval/timeline-t/timeline.tsv

TIMELINE.tsv has `date<TAB>low<TAB>high<TAB>note` rows (`inf` = unbounded): per date the interval
that the headline claims of that date allow together. Printed: per date the gold interval, the
best estimate and whether it lies inside; the dates with no headline estimate; and every dispute
of the story that sets a voice against itself or two compatible intervals against each other
(both must be zero). Documents without a story count as one story (the stories branch assigns them).
Targets: inside on ≥ 14 of 16 dates, ≤ 2 dates without a supporting headline claim.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from pathlib import Path

from tracker import store
from tracker.timeline.disputes import disputes
from tracker.timeline.estimates import HI, LO, VOICE, gap_share
from tracker.timeline.series import describe_point, load_series


def read_timeline(path: Path) -> list[tuple[str, float, float]]:
    """(date, low, high) rows of a gold timeline; `inf` as high is unbounded."""
    with open(path, encoding="utf-8", newline="") as fh:
        return [(r["date"], float(r["low"]), float(r["high"])) for r in csv.DictReader(fh, delimiter="\t")]


def ingest(corpus: Path, url: str) -> None:
    """Ingest a corpus folder into the database at `url` (quietly)."""
    from typer.testing import CliRunner

    from tracker.cli import app

    res = CliRunner().invoke(app, ["ingest", str(corpus), "--db", url, "-q"])
    if res.exit_code != 0:
        raise SystemExit(f"ingest of {corpus} failed: {res.output}")


def check(url: str, timeline: Path, *, story, figure: str, aspect: str, tolerance: float = 0.10) -> dict:
    """Score the headline series against the gold timeline; print one line per date and a summary."""
    engine = store.make_engine(url)
    series = load_series(engine, figure, story=story, aspect=aspect, claims=False)
    if story is None and len({s.key.story for s in series}) > 1:
        print("note: several stories stored; give --story to pick one", file=sys.stderr)
    headline = [s for s in series if s.headline and (story is None or s.key.story == story)]
    points = {p.date: p for s in headline for p in s.points}
    inside = missing = 0
    gold = read_timeline(timeline) if timeline else []
    if not gold:  # no gold timeline: show the headline series as it stands
        for date, p in sorted(points.items()):
            print(f"{date}  estimate {describe_point(p)} [{p.low}, {p.high}]  voices {', '.join(p.voices)}"
                  f"{'  against ' + ', '.join(p.against) if p.against else ''}")
    for date, lo, hi in gold:
        p = points.get(date)
        if p is None:
            missing += 1
            print(f"{date}  gold [{lo:g}, {hi:g}]  no headline estimate  MISSING")
            continue
        est_lo = p.low if p.low is not None else 0.0
        est_hi = p.high if p.high is not None else float("inf")
        ok = lo <= est_lo and est_hi <= hi
        inside += ok
        print(f"{date}  gold [{lo:g}, {hi:g}]  estimate {describe_point(p)} [{p.low}, {p.high}] "
              f"voices {', '.join(p.voices)}  {'inside' if ok else 'OUTSIDE'}")
    found = disputes(series, tolerance=tolerance)
    self_disputes = [d for d in found if d.a[VOICE].casefold() == d.b[VOICE].casefold()]
    compatible = [d for d in found if gap_share((d.a[LO], d.a[HI]), (d.b[LO], d.b[HI])) <= tolerance]
    result = {"dates": len(gold), "inside": inside, "missing": missing, "disputes": len(found),
              "disputes_within_one_voice": len(self_disputes), "disputes_between_compatible": len(compatible)}
    print(" ".join(f"{k}={v}" for k, v in result.items()))
    verdict = inside >= len(gold) - 2 and missing <= 2 and not self_disputes and not compatible
    if not gold:
        print(f"no gold timeline: {len(points)} headline dates; disputes within one voice or between compatible "
              f"intervals: {'none' if not self_disputes and not compatible else 'FOUND'}")
        return result
    print(f"target (inside ≥ {len(gold) - 2} of {len(gold)}, ≤ 2 missing, no dispute within one voice or "
          f"between compatible intervals): {'met' if verdict else 'NOT met'}")
    return result


def main(argv=None) -> None:
    """Parse arguments, ingest the corpus when given a folder, print the check."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", type=Path,
                    help="an eval folder with corpus/ and timeline.tsv, or a corpus folder (no gold timeline)")
    ap.add_argument("--db", help="use this database instead of ingesting the folder's corpus")
    ap.add_argument("--timeline", type=Path, help="the gold timeline (default FOLDER/timeline.tsv)")
    ap.add_argument("--story", default=None)
    ap.add_argument("--figure", default="hostages")
    ap.add_argument("--aspect", default="held")
    args = ap.parse_args(argv)
    timeline = args.timeline or (args.folder / "timeline.tsv" if args.folder else None)
    if timeline is not None and not timeline.exists():
        timeline = None
    if args.folder is None and not args.db:
        ap.error("give a corpus folder or --db")
    with tempfile.TemporaryDirectory(prefix="eval-timeline-") as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'tracker.db'}"
        if not args.db:
            corpus = args.folder / "corpus"
            ingest(corpus if corpus.is_dir() else args.folder, url)
        check(url, timeline, story=args.story, figure=args.figure, aspect=args.aspect)


if __name__ == "__main__":
    main()
