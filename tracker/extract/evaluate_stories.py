"""Score story assignment: documents grouped by story (pairwise F1), and claims given their story.

Stories are scored as a grouping, so keys need not be spelled as in the gold: two documents
form a pair when they share a story. A document without a story pairs with none. With gold
claims that carry a `story` (a claim in a sentence about another story has that story), each
predicted hostages or prisoners claim counts as right when its story is the one of the gold
claim it pairs with, else the gold story of its document.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Optional

from tracker.errors import InputError
from tracker.extract.evaluate import pair, read_claims

#: The figures whose claims must come from their story's own documents.
STORY_FIGURES = ("hostages", "prisoners")


@dataclass
class StoryEvaluation:
    """Pairwise counts over documents, the claim story check, and each document's two stories."""

    docs: int = 0
    true_pairs: int = 0
    pred_pairs: int = 0
    both_pairs: int = 0
    claims: int = 0
    claims_right: int = 0
    by_story: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    assigned: list[tuple[str, str, Optional[str]]] = field(default_factory=list)
    wrong_claims: list[dict] = field(default_factory=list)

    def metrics(self) -> dict:
        """Pairwise precision, recall and F1, and the share of story claims in their right story."""
        p = self.both_pairs / self.pred_pairs if self.pred_pairs else 0.0
        r = self.both_pairs / self.true_pairs if self.true_pairs else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out = {"docs": self.docs, "pairs_gold": self.true_pairs, "pairs_pred": self.pred_pairs,
               "pairs_both": self.both_pairs, "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}
        if self.claims:
            out.update(claims=self.claims, claims_right=self.claims_right,
                       claims_share=round(self.claims_right / self.claims, 3))
        return out


def read_stories(path: str | Path) -> dict[str, str]:
    """`doc<TAB>story` lines (a header line `doc story` allowed): file name -> story."""
    out = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot read stories: {exc}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip() or (n == 1 and line.split("\t")[0] == "doc"):
            continue
        parts = line.split("\t")
        if len(parts) < 2 or not parts[1].strip():
            raise InputError(f"{path}:{n}: not a 'doc<TAB>story' line")
        out[Path(parts[0].strip()).name] = parts[1].strip()
    return out


def evaluate_stories(stories_path: str | Path, corpus_dir: str | Path, gold_path: Optional[str | Path] = None, *,
                     lexicon=None, gazetteer=None) -> StoryEvaluation:
    """Read each document `stories_path` names from `corpus_dir` as ingest would, and score the
    stories assigned (and, with `gold_path`, the stories of the hostages and prisoners claims)."""
    from tracker.extract import extract_with_story
    from tracker.sources.dates import document_date
    from tracker.sources.readers import read_documents

    gold_stories = read_stories(stories_path)
    gold_claims = defaultdict(list)
    for g in read_claims(gold_path) if gold_path else []:
        if g.get("figure") in STORY_FIGURES:
            gold_claims[g["doc"]].append(g)
    ev = StoryEvaluation()
    for name, truth in sorted(gold_stories.items()):
        path = Path(corpus_dir) / name
        if not path.is_file():
            raise InputError(f"{path}: the stories file names this document but the corpus has no such file")
        for item in read_documents(path):
            date, _ = document_date(item)
            title, given = item.meta.get("title"), item.meta.get("story")
            story, claims = extract_with_story(item.body, date=date, doc=name, lexicon=lexicon, gazetteer=gazetteer,
                                               title=str(title) if title else None,
                                               story=str(given) if given else None)
            ev.assigned.append((name, truth, story))
            if gold_path:
                _check_claims(ev, name, truth, [c.as_record() for c in claims if c.figure in STORY_FIGURES],
                              gold_claims[name])
    ev.docs = len(ev.assigned)
    for (_, ta, pa), (_, tb, pb) in combinations(ev.assigned, 2):
        same_true, same_pred = ta == tb, pa is not None and pa == pb
        ev.true_pairs += same_true
        ev.pred_pairs += same_pred
        ev.both_pairs += same_true and same_pred
    return ev


def _check_claims(ev: StoryEvaluation, name: str, truth: str, pred: list[dict], gold: list[dict]) -> None:
    pairs, _ = pair(gold, pred)
    expected = {id(p): g.get("story") or truth for g, p in pairs}
    for p in pred:
        want = expected.get(id(p), truth)
        ok = p.get("story") == want
        ev.claims += 1
        ev.claims_right += ok
        counts = ev.by_story[want]
        counts[0] += 1
        counts[1] += ok
        if not ok:
            ev.wrong_claims.append({**p, "doc": name, "want": want})


def format_story_evaluation(ev: StoryEvaluation, show_errors: bool = False) -> list[str]:
    """The story evaluation as text lines: pairwise scores, claims per story, then with
    `show_errors` every document and wrong claim."""
    m = ev.metrics()
    lines = [" ".join(f"{k}={v}" for k, v in m.items())]
    for story, (n, ok) in sorted(ev.by_story.items()):
        lines.append(f"{story:<24} {STORY_FIGURES[0]}/{STORY_FIGURES[1]} claims {ok}/{n} in their story")
    if show_errors:
        for name, truth, story in ev.assigned:
            mark = "  " if story else "? "
            lines.append(f"{mark}{name}: gold {truth} got {story}")
        for c in ev.wrong_claims:
            lines.append(f"CLAIM {c['doc']}: {c['figure']} «{c['text']}» got {c['story']} want {c['want']}")
    return lines
