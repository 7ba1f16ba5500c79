"""Precision, recall and F1 of `extract(all_quantities=True)` by value.

usage: python benchmarks/all_quantities.py [SENTENCES.jsonl] [-v] [--raw]

A gold quantity pairs with one predicted quantity when they share a number among value, low
and high (relative tolerance 1e-3); each predicted quantity pairs once. Without a file it
reads quantulum3's own test sentences (shipped in the installed package), leaving out four-
digit years, which CLAIMS.md says are not quantities, with durations in days and worded
fractions in percent as we write them (--raw: as quantulum3 writes them). A JSONL file has one sentence a line:
{"text": ..., "quantities": [{"value", "low", "high", "unit", "text"}]}. With -v every miss
and extra is printed.
"""

from __future__ import annotations

import json
import math
import re
import sys
from importlib import resources

from tracker.extract import extract

_YEARISH = re.compile(r"^(1[89]\d\d|20\d\d)$")


def _numbers(q: dict) -> list[float]:
    return [float(q[k]) for k in ("value", "low", "high") if q.get(k) is not None]


def _shares(a: list[float], b: list[float]) -> bool:
    return any(math.isclose(x, y, rel_tol=1e-3, abs_tol=1e-9) for x in a for y in b)


# Our conventions (CLAIMS.md): every duration in days, a fraction in words a share in percent.
_DAYS = {"year": 365, "month": 30, "week": 7, "day": 1, "hour": 1 / 24, "minute": 1 / 1440,
         "second": 1 / 86400}


def _ours(r: dict) -> dict:
    value, unit = float(r["value"]), r["unit"]
    if unit in _DAYS:
        return {"value": value * _DAYS[unit], "unit": "day", "text": r["surface"]}
    if unit == "dimensionless" and not any(c.isdigit() for c in r["surface"]) and not value.is_integer():
        return {"value": round(100 * value, 1), "unit": "percent", "text": r["surface"]}
    return {"value": value, "unit": unit, "text": r["surface"]}


def quantulum3_items(raw: bool = False) -> list[dict]:
    """quantulum3's test sentences in the JSONL shape, years left out, values in our conventions
    (`raw`: as quantulum3 writes them)."""
    path = resources.files("quantulum3") / "_lang" / "en_US" / "tests" / "quantities.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return [{"text": d["req"],
             "quantities": [{"value": r["value"], "unit": r["unit"], "text": r["surface"]}
                            if raw else _ours(r)
                            for r in d["res"] if not _YEARISH.match(r["surface"].strip())]}
            for d in data]


def score(items: list[dict]) -> tuple[float, float, float, list[str]]:
    """(precision, recall, F1, lines naming each miss and extra) of --all on `items`."""
    tp = n_pred = n_gold = 0
    notes = []
    for item in items:
        pred = [c.model_dump() for c in extract(item["text"], all_quantities=True)]
        used: set[int] = set()
        for g in item["quantities"]:
            hit = next((j for j, p in enumerate(pred)
                        if j not in used and _shares(_numbers(g), _numbers(p))), None)
            if hit is None:
                notes.append(f"MISS  {g.get('text')!r} ({g.get('value')} {g.get('unit')}) "
                             f"in {item['text']!r}")
            else:
                used.add(hit)
                tp += 1
        for j, p in enumerate(pred):
            if j not in used:
                notes.append(f"EXTRA {p['text']!r} ({p['value']} {p['unit']}) in {item['text']!r}")
        n_gold += len(item["quantities"])
        n_pred += len(pred)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0, notes


def main(argv: list[str]) -> None:
    files = [a for a in argv if not a.startswith("-")]
    items = ([json.loads(line) for line in open(files[0], encoding="utf-8") if line.strip()]
             if files else quantulum3_items(raw="--raw" in argv))
    p, r, f, notes = score(items)
    print(f"P={p:.3f} R={r:.3f} F1={f:.3f} sentences={len(items)}")
    if "-v" in argv:
        print("\n".join(notes))


if __name__ == "__main__":
    main(sys.argv[1:])
