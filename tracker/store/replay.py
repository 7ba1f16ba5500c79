"""Replaying people's decisions onto the claim rows: how a decision finds its claim again.

A decision (tracker.store.decisions) is keyed by the document's identity (URL, else name), the
quoted span, which occurrence of it in the body, and its old start as a hint. `apply_decisions`
runs in the transaction that writes a document's claims, so a new version of a page, a
re-extraction or new metadata get the same corrections.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Optional

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker.store.engine import session
from tracker.store.tables import ClaimRecord, Decision, Document

#: The CLAIMS.md fields a fix may change (plus the story the claim belongs to).
FIX_FIELDS = ("figure", "aspect", "value", "low", "high", "hedge", "unit", "qualifiers", "attribution", "story")
#: The fields of an added claim that its decision does not give.
ADD_DEFAULTS = {"aspect": None, "value": None, "low": None, "high": None, "hedge": "exact", "unit": "item",
                "qualifiers": [], "attribution": None, "story": None}
DECISION = Decision.__table__
CLAIM = ClaimRecord.__table__
DOCUMENT = Document.__table__


def document_key(document) -> str:
    """A document's identity across versions and re-ingests: its URL, else its name."""
    return document.url or document.doc


def positions(body: str, text: str) -> list[int]:
    """Every offset where `text` starts in `body` (overlapping ones too)."""
    out, at = [], body.find(text) if text else -1
    while at >= 0:
        out.append(at)
        at = body.find(text, at + 1)
    return out


def occurrence_at(body: str, text: str, start: int) -> int:
    """Which occurrence of `text` in `body` (from 0) the one at or after `start` is."""
    return sum(1 for p in positions(body, text) if p < start)


def locate_text(body: str, text: str, occurrence: int, start_hint: int) -> Optional[int]:
    """Where the quoted `text` of a decision stands in `body` now, or None when it is gone."""
    found = positions(body, text)
    if not found:
        return None
    if 0 <= occurrence < len(found):
        return found[occurrence]
    return min(found, key=lambda p: abs(p - start_hint))


# --- applying decisions to the claim rows -------------------------------------------------------

def claim_fields(row) -> dict:
    """The fixable fields of a claim row, qualifiers as a list."""
    out = {name: getattr(row, name) for name in FIX_FIELDS}
    out["qualifiers"] = json.loads(out["qualifiers"] or "[]")
    return out


def _row_values(fields: dict) -> dict:
    out = dict(fields)
    if "qualifiers" in out:
        out["qualifiers"] = json.dumps(out["qualifiers"] or [], ensure_ascii=False)
    return out


def current_document(s: Session, key: str):
    """The current version of the document whose identity is `key` (its URL, else its name), or None."""
    # Two indexed lookups: an OR of the two would scan the table (and its bodies).
    for where in ((DOCUMENT.c.url == key,), (DOCUMENT.c.doc == key, DOCUMENT.c.url.is_(None))):
        doc = s.execute(select(DOCUMENT).where(*where, DOCUMENT.c.current == True)  # noqa: E712
                        .order_by(DOCUMENT.c.id.desc()).limit(1)).first()
        if doc is not None:
            return doc
    return None


def decision_document(s: Session, doc_key: str, doc_hash: Optional[str]):
    """The current document a decision is about: by its identity (URL, else name), else — the same
    articles stored from other paths, in another database — by the content it was made on."""
    doc = current_document(s, doc_key)
    if doc is None and doc_hash:
        same = s.execute(select(DOCUMENT).where(DOCUMENT.c.content_hash == doc_hash)).first()
        if same is not None:
            doc = current_document(s, document_key(same))
    return doc


def reset_claims(s: Session, document_id: int, current: bool = True) -> None:
    """The extracted claims of a document as the extractor gave them (fixes undone, none rejected)."""
    rows = s.execute(select(CLAIM.c.id, CLAIM.c.original).where(
        CLAIM.c.document_id == document_id, or_(CLAIM.c.status != "extracted", CLAIM.c.original.is_not(None)),
        CLAIM.c.add_uid.is_(None))).all()
    for row in rows:
        values: dict[str, Any] = {"status": "extracted", "original": None, "current": current}
        if row.original:
            values.update(_row_values(json.loads(row.original)))
        s.execute(update(CLAIM).where(CLAIM.c.id == row.id).values(**values))


def _pick_claim(rows: list, at: int, length: int, figure: Optional[str]):
    """The extracted claim whose span overlaps [at, at+length): the same span, the same figure, the most overlap."""
    best, best_rank = None, None
    for row in rows:
        overlap = min(row.end, at + length) - max(row.start, at)
        if overlap <= 0 and not (length == 0 and row.start == at):
            continue
        rank = ((row.start, row.end) == (at, at + length), row.figure == figure, overlap, -abs(row.start - at))
        if best_rank is None or rank > best_rank:
            best, best_rank = row, rank
    return best


def apply_decisions(s: Session, document) -> None:
    """Replay the decisions on `document`'s identity onto its current version's claim rows.

    Called in the transaction that writes the document's claims (ingest, a new version, a
    re-extraction, `doc set`) and after every decision; a document nobody decided on costs one
    indexed lookup.
    """
    key = document_key(document)
    digest = getattr(document, "content_hash", None)
    mine = or_(DECISION.c.doc_key == key, DECISION.c.doc_hash == digest) if digest else DECISION.c.doc_key == key
    decisions = s.execute(select(DECISION).where(mine).order_by(DECISION.c.at, DECISION.c.id)).all()
    if not decisions:
        return
    doc = current_document(s, key)
    active = [d for d in decisions if d.undone_at is None]
    if doc is None:
        s.execute(update(DECISION).where(mine).values(claim_id=None))
        return
    reset_claims(s, doc.id)
    rows = s.execute(select(CLAIM).where(CLAIM.c.document_id == doc.id)).all()
    extracted = [r for r in rows if r.add_uid is None]
    added_rows = {r.add_uid: r for r in rows if r.add_uid is not None}
    pristine = {r.id: claim_fields(r) for r in rows}
    effects: dict[int, dict] = {}
    added_claims: dict[str, int] = {}
    resolved: dict[int, Optional[int]] = {d.id: None for d in decisions}
    for d in active:
        if d.kind == "add":
            at = locate_text(doc.body, d.text, d.occurrence, d.start)
            if at is None:
                continue
            fields = json.loads(d.changes)
            values = {**_row_values({**ADD_DEFAULTS, **{k: v for k, v in fields.items() if k in FIX_FIELDS}}),
                      "text": d.text, "start": at, "end": at + len(d.text), "date": doc.date, "source": doc.source,
                      "document_id": doc.id, "status": "added", "original": None, "current": True,
                      "add_uid": d.uid}
            if values.get("story") is None:
                values["story"] = doc.story
            if d.uid in added_rows:
                cid = added_rows[d.uid].id
                s.execute(update(CLAIM).where(CLAIM.c.id == cid).values(**values))
            else:
                cid = s.execute(insert(CLAIM).values(**values).returning(CLAIM.c.id)).scalar()
            pristine[cid] = {k: (values[k] if k != "qualifiers" else json.loads(values[k])) for k in FIX_FIELDS}
            effects[cid] = {"fields": dict(pristine[cid]), "visible": True, "fixed": False, "confirmed": False,
                            "added": True}
            added_claims[d.uid] = cid
            resolved[d.id] = cid
            continue
        if d.target:
            cid = added_claims.get(d.target)
        else:
            at = locate_text(doc.body, d.text, d.occurrence, d.start)
            row = None if at is None else _pick_claim(extracted, at, len(d.text), d.figure)
            cid = row.id if row is not None else None
        resolved[d.id] = cid
        if cid is None:
            continue
        e = effects.setdefault(cid, {"fields": dict(pristine[cid]), "visible": True, "fixed": False,
                                     "confirmed": False, "added": False})
        if d.kind == "reject":
            e["visible"] = False
        elif d.kind == "confirm":
            e["visible"], e["confirmed"] = True, True
        elif d.kind == "fix":
            e["visible"], e["fixed"] = True, True
            e["fields"].update(json.loads(d.changes))
    for uid in set(added_rows) - set(added_claims):  # its add was undone, or its text is gone
        s.execute(delete(CLAIM).where(CLAIM.c.id == added_rows[uid].id))
    for cid, e in effects.items():
        status = ("rejected" if not e["visible"] else "added" if e["added"] else "fixed" if e["fixed"]
                  else "confirmed" if e["confirmed"] else "extracted")
        values = {"status": status, "current": bool(doc.current and e["visible"])}
        if e["fixed"]:
            values.update(_row_values(e["fields"]))
            if not e["added"]:
                values["original"] = json.dumps(pristine[cid], ensure_ascii=False)
        s.execute(update(CLAIM).where(CLAIM.c.id == cid).values(**values))
    for d in decisions:
        if d.claim_id != resolved[d.id]:
            s.execute(update(DECISION).where(DECISION.c.id == d.id).values(claim_id=resolved[d.id]))


def apply_all(engine: Engine, keys: Optional[Iterable[tuple[str, Optional[str]]]] = None) -> None:
    """Replay the decisions of every document they are about (or of `keys`: (doc_key, doc_hash) pairs)."""
    with session(engine) as s:
        if keys is None:
            keys = s.execute(select(DECISION.c.doc_key, DECISION.c.doc_hash).distinct()).all()
        done = set()
        for doc_key, doc_hash in sorted(set(tuple(k) for k in keys), key=lambda k: (k[0], k[1] or "")):
            doc = decision_document(s, doc_key, doc_hash)
            if doc is None:
                s.execute(update(DECISION).where(DECISION.c.doc_key == doc_key).values(claim_id=None))
            elif doc.id not in done:
                done.add(doc.id)
                apply_decisions(s, doc)
