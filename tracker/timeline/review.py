"""The review queue: the claims that most need a person's eye, first.

Claims nobody has decided on yet (status `extracted`), ranked by why they are doubtful: a claim
in a dispute (two voices apart on the same day), an outlier in its series (its value more than
`OUTLIER_SHARE` away from the median of the series' other claims within `OUTLIER_DAYS` days), a
low-confidence extraction (the extractor's `confidence` below `LOW_CONFIDENCE`; None is
unknown, not low), and then every other unconfirmed claim. Each comes with its sentence.
"""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Optional

from sqlalchemy import select
from sqlalchemy.engine import Engine

from tracker.extract.text import sentences
from tracker.store import query_claims
from tracker.store.tables import Document
from tracker.timeline.changes import describe_value
from tracker.timeline.disputes import disputes
from tracker.timeline.estimates import ID
from tracker.timeline.series import best_value, group_series, series_key

OUTLIER_SHARE = 0.5
OUTLIER_DAYS = 14
LOW_CONFIDENCE = 0.6
#: How much each reason weighs in the order of the queue.
WEIGHTS = {"dispute": 3.0, "outlier": 2.0, "low confidence": 1.0}


def _days(a: str, b: str) -> int:
    return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days)


def _outliers(claims) -> dict[int, str]:
    by_series: dict = {}
    for c in claims:
        by_series.setdefault(series_key(c), []).append(c)
    out: dict[int, str] = {}
    for key, members in by_series.items():
        valued = [(c, best_value(c)) for c in members if c.date and c.hedge != "vague" and best_value(c) is not None]
        for c, v in valued:
            near = [w for other, w in valued if other is not c and _days(other.date, c.date) <= OUTLIER_DAYS]
            if len(near) < 2:
                continue
            med = statistics.median(near)
            if med and abs(v - med) / abs(med) > OUTLIER_SHARE:
                out[c.id] = (f"outlier: {describe_value(c)} where the other claims of {key.label} within "
                             f"{OUTLIER_DAYS} days give a median of {med:g}")
    return out


def _disputed(claims: list) -> dict[int, str]:
    # group_series numbers the claims by their place in `claims`: that number is a dispute side's ID.
    out: dict[int, str] = {}
    for d in disputes(group_series(claims)):
        row = d.as_table_row(dict(enumerate(claims)))
        for mine, other in ((d.a, row["another says"]), (d.b, row["one says"])):
            out.setdefault(claims[mine[ID]].id, f"dispute: against {other} for {d.key.label} on {d.period}")
    return out


def _sentence(body: str, start: int, end: int) -> tuple[str, int, int]:
    for sent in sentences(body):
        if sent.start <= start < sent.end:
            return body[sent.start:sent.end], start - sent.start, min(end, sent.end) - sent.start
    return body[start:end], 0, end - start


def review_queue(engine: Engine, *, story: Optional[str] = None, figure: Optional[str] = None,
                 limit: Optional[int] = None) -> list[dict]:
    """Undecided claims, most doubtful first: each claim's output fields (with `id`) plus `reason`,
    `score`, `sentence` and the claim's place in it (`highlight_start`, `highlight_end`)."""
    claims = query_claims(engine, figure, story=story)
    reasons: dict[int, list[tuple[str, float]]] = {}
    for cid, why in _disputed(claims).items():
        reasons.setdefault(cid, []).append((why, WEIGHTS["dispute"]))
    for cid, why in _outliers(claims).items():
        reasons.setdefault(cid, []).append((why, WEIGHTS["outlier"]))
    for c in claims:
        conf = getattr(c, "confidence", None)
        if conf is not None and conf < LOW_CONFIDENCE:
            reasons.setdefault(c.id, []).append(
                (f"low confidence {conf:.2f}", WEIGHTS["low confidence"] + (LOW_CONFIDENCE - conf)))
    queue = []
    for c in claims:
        if c.status != "extracted":
            continue
        mine = reasons.get(c.id, [])
        score = sum(w for _, w in mine)
        queue.append((-score, c.date or "", c.id, c, "; ".join(r for r, _ in mine) or "unconfirmed", score))
    queue.sort(key=lambda q: (q[0], q[1], q[2]))
    if limit:
        queue = queue[:limit]
    bodies = _bodies(engine, {q[3].document_id for q in queue})
    out = []
    for _, _, _, c, reason, score in queue:
        sentence, hs, he = _sentence(bodies.get(c.document_id, ""), c.start, c.end)
        out.append({**c.as_output(), "reason": reason, "score": round(score, 2), "sentence": sentence,
                    "highlight_start": hs, "highlight_end": he})
    return out


def _bodies(engine: Engine, ids: set) -> dict[int, str]:
    ids = sorted(i for i in ids if i is not None)
    out = {}
    with engine.connect() as conn:
        for n in range(0, len(ids), 500):
            out.update(conn.execute(select(Document.id, Document.body).where(Document.id.in_(ids[n:n + 500]))).all())
    return out


#: The columns of a queue printed as csv or a table.
QUEUE_COLUMNS = ("id", "reason", "score", "doc", "figure", "aspect", "value", "low", "high", "hedge", "unit", "text",
                 "start", "end", "attribution", "qualifiers", "date", "source", "url", "title", "status", "sentence")
QUEUE_TABLE_COLUMNS = ("id", "figure", "value", "date", "source", "reason", "text")
