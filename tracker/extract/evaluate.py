"""Score the extractor against gold claims, exactly as CLAIMS.md "How extraction is scored" says.

Per document, gold and predicted claims pair greedily on (figure, number): a gold claim with a
value pairs with a prediction of the same value (or a prediction without value holding it as a
bound); a vague gold claim pairs with a vague prediction; a gold claim without value pairs on
any shared bound. Among candidates, the one with the same aspect wins, then the nearest span.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from tracker.errors import InputError

_STOP = {"the", "a", "an", "of", "to", "in", "on", "for", "and", "its", "his", "her", "their"}


@dataclass
class Score:
    """Counts behind precision, recall, F1 and the accuracies on paired claims."""

    gold: int = 0
    pred: int = 0
    paired: int = 0
    aspect: int = 0
    hedge: int = 0
    attribution: int = 0

    def add(self, other: "Score") -> None:
        """Add `other`'s counts to these."""
        for k in ("gold", "pred", "paired", "aspect", "hedge", "attribution"):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def metrics(self) -> dict:
        """P, R, F1 and accuracies, rounded to 3 places like the reference scorer."""
        p = self.paired / self.pred if self.pred else 0.0
        r = self.paired / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        acc = lambda n: round(n / self.paired, 3) if self.paired else 0.0  # noqa: E731
        return {"gold": self.gold, "pred": self.pred, "paired": self.paired,
                "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                "aspect_acc": acc(self.aspect), "hedge_acc": acc(self.hedge),
                "attribution_acc": acc(self.attribution)}


@dataclass
class Evaluation:
    """The overall score, one per figure, and the gold claims missed and predictions extra."""

    docs: int
    overall: Score
    by_figure: dict[str, Score]
    misses: list[dict] = field(default_factory=list)
    extras: list[dict] = field(default_factory=list)
    mismatches: list[tuple[dict, dict]] = field(default_factory=list)


def _num(x) -> Optional[float]:
    try:
        return None if x is None else round(float(x), 3)
    except (TypeError, ValueError):
        return None


def _keys(c: dict) -> set:
    return {v for v in (_num(c.get(f)) for f in ("value", "low", "high")) if v is not None}


def _vague(c: dict) -> bool:
    return c.get("hedge") == "vague"


def _words(s) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", (s or "").lower()) if w not in _STOP]


def same_attribution(g: dict, p: dict) -> bool:
    """Whether two claimants agree: both none, the same head noun, or one's words within the other's."""
    ga, pa = g.get("attribution"), p.get("attribution")
    if not ga and not pa:
        return True
    if not ga or not pa:
        return False
    gw, pw = _words(ga), _words(pa)
    if not gw or not pw:
        return gw == pw
    return gw[-1] == pw[-1] or set(gw) <= set(pw) or set(pw) <= set(gw)


def pair(gold: list[dict], pred: list[dict]) -> tuple[list[tuple[dict, dict]], set[int]]:
    """Greedy pairing within one document (see the module docstring); returns pairs, used preds."""
    pairs, used = [], set()
    for g in gold:
        best = None
        for j, p in enumerate(pred):
            if j in used or p.get("figure") != g.get("figure"):
                continue
            if _vague(g) or g.get("value") is None:
                ok = (_vague(g) and _vague(p)) or bool(_keys(g) & _keys(p))
            else:
                gv = _num(g["value"])
                ok = _num(p.get("value")) == gv or (gv in _keys(p) and p.get("value") is None)
            if ok:
                rank = (p.get("aspect") == g.get("aspect"),
                        -abs((p.get("start") or 0) - (g.get("start") or 0)))
                if best is None or rank > best[0]:
                    best = (rank, j)
        if best is not None:
            used.add(best[1])
            pairs.append((g, pred[best[1]]))
    return pairs, used


def read_claims(path: str | Path) -> list[dict]:
    """Claims from a JSONL file or a folder of them; `doc` reduced to its file name."""
    path = Path(path)
    files = sorted(p for p in path.iterdir() if p.suffix == ".jsonl") if path.is_dir() else [path]
    out = []
    for f in files:
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                c = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{f}:{n}: not JSON: {exc}") from exc
            c["doc"] = os.path.basename(str(c.get("doc", "")))
            out.append(c)
    return out


def score(gold: list[dict], pred: list[dict], figures: Optional[Iterable[str]] = None) -> Evaluation:
    """Score predicted claims against gold ones (only documents in the gold count)."""
    figs = set(figures) if figures else {g["figure"] for g in gold}
    docs = {g["doc"] for g in gold}
    G, P = defaultdict(list), defaultdict(list)
    for g in gold:
        if g["figure"] in figs:
            G[g["doc"]].append(g)
    for p in pred:
        if p.get("doc") in docs and p.get("figure") in figs:
            P[p["doc"]].append(p)
    ev = Evaluation(len(docs), Score(), defaultdict(Score))
    for d in sorted(docs):
        pairs, used = pair(G[d], P[d])
        for c in G[d]:
            ev.by_figure[c["figure"]].gold += 1
        for c in P[d]:
            ev.by_figure[c["figure"]].pred += 1
        for g, p in pairs:
            s = ev.by_figure[g["figure"]]
            s.paired += 1
            s.aspect += g.get("aspect") == p.get("aspect")
            s.hedge += g.get("hedge") == p.get("hedge")
            s.attribution += same_attribution(g, p)
            if (g.get("aspect"), g.get("hedge")) != (p.get("aspect"), p.get("hedge")) \
                    or not same_attribution(g, p):
                ev.mismatches.append((g, p))
        paired = {id(g) for g, _ in pairs}
        ev.misses += [g for g in G[d] if id(g) not in paired]
        ev.extras += [p for j, p in enumerate(P[d]) if j not in used]
    for s in ev.by_figure.values():
        ev.overall.add(s)
    ev.by_figure = dict(sorted(ev.by_figure.items()))
    return ev


def evaluate(gold_path: str | Path, corpus_dir: str | Path, lexicon=None,
             figures: Optional[Iterable[str]] = None) -> Evaluation:
    """Extract from each corpus document the gold names (by file name) and score the result."""
    from tracker.extract import extract
    from tracker.sources.dates import document_date
    from tracker.sources.readers import read_documents

    gold = read_claims(gold_path)
    pred: list[dict] = []
    for name in sorted({g["doc"] for g in gold}):
        path = Path(corpus_dir) / name
        if not path.is_file():
            raise InputError(f"{path}: gold names this document but the corpus has no such file")
        # Read as ingest reads it (formats, encodings, dates), so the score is the product's.
        for item in read_documents(path):
            date, _ = document_date(item)
            source = item.meta.get("source")
            claims = extract(item.body, date=date, source=str(source) if source else None, doc=name, lexicon=lexicon)
            pred += [{**c.as_record(), "doc": name} for c in claims]
    return score(gold, pred, figures)


def format_evaluation(ev: Evaluation, show_errors: bool = False) -> list[str]:
    """The evaluation as text lines: overall, a row per figure, then misses and extras."""
    m = ev.overall.metrics()
    lines = [f"docs={ev.docs} " + " ".join(f"{k}={v}" for k, v in m.items())]
    lines.append(f"{'figure':<15}{'gold':>5}{'pred':>5}{'P':>7}{'R':>7}{'F1':>7}"
                 f"{'aspect':>8}{'hedge':>7}{'attrib':>8}")
    for fig, s in ev.by_figure.items():
        x = s.metrics()
        lines.append(f"{fig:<15}{x['gold']:>5}{x['pred']:>5}{x['precision']:>7}{x['recall']:>7}"
                     f"{x['f1']:>7}{x['aspect_acc']:>8}{x['hedge_acc']:>7}{x['attribution_acc']:>8}")
    if show_errors:
        for g in ev.misses:
            lines.append(f"MISS  {g['doc']}: {g['figure']} {g.get('value', g.get('low'))} «{g.get('text')}»")
        for p in ev.extras:
            lines.append(f"EXTRA {p['doc']}: {p.get('figure')} {p.get('value')} «{p.get('text')}»")
        for g, p in ev.mismatches:
            lines.append(f"DIFF  {g['doc']}: {g['figure']} «{g.get('text')}» gold "
                         f"{g.get('aspect')}/{g.get('hedge')}/{g.get('attribution')} got "
                         f"{p.get('aspect')}/{p.get('hedge')}/{p.get('attribution')}")
    return lines


@dataclass
class QuantityEvaluation:
    """How `extract --all` reads general sentences: pairs by value, misses and extras."""

    sentences: int
    score: Score
    misses: list[tuple[str, dict]] = field(default_factory=list)
    extras: list[tuple[str, dict]] = field(default_factory=list)


def evaluate_quantities(path: str | Path, lexicon=None) -> QuantityEvaluation:
    """Score `extract(all_quantities=True)` on a JSONL of {"text", "quantities": [...]} sentences.

    A gold quantity pairs with an unpaired prediction sharing one of its numbers (value, low or
    high, to 3 places), as the figure scoring pairs a claim; figures and units are not compared.
    """
    from tracker.extract import extract

    ev = QuantityEvaluation(0, Score())
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text, gold = item["text"], item.get("quantities", [])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{n}: not a sentence record with 'text' and 'quantities' ({exc})") from exc
        pred = [c.as_record() for c in extract(text, lexicon=lexicon, all_quantities=True)]
        used: set[int] = set()
        for g in gold:
            j = next((j for j, p in enumerate(pred) if j not in used and _keys(g) & _keys(p)), None)
            if j is None:
                ev.misses.append((text, g))
            else:
                used.add(j)
        ev.extras += [(text, p) for j, p in enumerate(pred) if j not in used]
        ev.sentences += 1
        ev.score.gold += len(gold)
        ev.score.pred += len(pred)
        ev.score.paired += len(used)
    return ev


def format_quantity_evaluation(ev: QuantityEvaluation, show_errors: bool = False) -> list[str]:
    """The quantity evaluation as text lines: overall P/R/F1, then misses and extras."""
    m = ev.score.metrics()
    lines = [f"sentences={ev.sentences} " + " ".join(
        f"{k}={m[k]}" for k in ("gold", "pred", "paired", "precision", "recall", "f1"))]
    if show_errors:
        lines += [f"MISS  {g.get('text') or g.get('value')}  «{t}»" for t, g in ev.misses]
        lines += [f"EXTRA {p['text']} = {p['value'] if p['value'] is not None else p['low']} {p['unit']}  «{t}»"
                  for t, p in ev.extras]
    return lines
