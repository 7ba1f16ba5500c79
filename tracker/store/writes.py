"""Writing documents with their claims: one transaction each, the same content stored once.

Every write keeps the store's promise: a document and its claims are committed in the same
transaction, and a content hash already stored is skipped (ON CONFLICT DO NOTHING), so several
ingest processes may write the same database at once and each document is stored exactly once.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Iterable, Literal, Optional, Sequence

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker.models import Claim
from tracker.sources.urls import normalize_url
from tracker.store.replay import apply_decisions, reset_claims
from tracker.store.engine import session
from tracker.store.tables import ClaimRecord, Document

StoreStatus = Literal["new", "unchanged", "updated"]
DOCUMENT_TABLE = Document.__table__
CLAIM_TABLE = ClaimRecord.__table__
DOCUMENT_COLUMNS = tuple(c.name for c in DOCUMENT_TABLE.columns if c.name != "id")
CLAIM_COLUMNS = tuple(c.name for c in CLAIM_TABLE.columns if c.name != "id")


def content_hash(body: str) -> str:
    """The identity of a document's content: SHA-256 of its whitespace-normalized text."""
    norm = re.sub(r"\s+", " ", body).strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


@dataclass
class StoreResult:
    """What storing one document did."""

    status: StoreStatus
    document: Document
    claims: int


def store_document(engine: Engine, document: Document, claims: Sequence[Claim], *,
                   replace: bool = False) -> StoreResult:
    """Store `document` and its `claims` in one transaction; the same content is stored once.

    A document whose URL is already stored with other content is a new version: the older
    versions stop being current, so their claims leave the timelines. Safe under concurrent
    ingests: the content hash is unique and inserted with ON CONFLICT DO NOTHING.
    With `replace`, content stored already gets these claims instead of its old ones (a
    re-extraction after the extractor or a lexicon changed): "updated" when they differ.
    """
    (result,) = store_documents(engine, [(document, claims)], replace=replace)
    return result


def store_documents(engine: Engine, items: Iterable[tuple[Document, Sequence[Claim]]], *,
                    replace: bool = False) -> list[StoreResult]:
    """Store several documents with their claims in one transaction (a batch of `store_document`)."""
    with session(engine) as s:
        return [write_document(s, document, claims, replace=replace) for document, claims in items]



def meta_json(meta: dict) -> str:
    """Metadata as JSON text, anything not JSON-native written as a string."""
    return json.dumps(meta, ensure_ascii=False, default=str, sort_keys=True)


def insert_ignoring_duplicates(dialect_name: str):
    """An INSERT into `document` that does nothing when the content hash is already stored."""
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif dialect_name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:
        return None
    return dialect_insert(DOCUMENT_TABLE).on_conflict_do_nothing(index_elements=["content_hash"])


def document_values(document: Document) -> dict:
    """The column values of a document row (without its id)."""
    return {name: getattr(document, name) for name in DOCUMENT_COLUMNS}


def claim_values(claim: Claim, document_id: Optional[int], source: Optional[str]) -> dict:
    """The column values of the row storing `claim` under document `document_id`."""
    return {
        "document_id": document_id, "figure": claim.figure, "aspect": claim.aspect, "value": claim.value,
        "low": claim.low, "high": claim.high, "hedge": claim.hedge, "unit": claim.unit, "text": claim.text,
        "start": claim.start, "end": claim.end, "attribution": claim.attribution,
        "qualifiers": json.dumps(claim.qualifiers, ensure_ascii=False), "date": claim.date,
        "source": source, "current": True, "story": getattr(claim, "story", None),
        "confidence": getattr(claim, "confidence", None), "status": "extracted", "original": None,
        "add_uid": None,
    }


def _insert_document(s: Session, values: dict) -> Optional[int]:
    stmt = insert_ignoring_duplicates(s.get_bind().dialect.name)
    if stmt is not None:
        return s.execute(stmt.values(**values).returning(DOCUMENT_TABLE.c.id)).scalar()
    from sqlalchemy.exc import IntegrityError

    try:
        with s.begin_nested():
            return s.execute(insert(DOCUMENT_TABLE).values(**values).returning(DOCUMENT_TABLE.c.id)).scalar()
    except IntegrityError:
        return None


def write_document(s: Session, document: Document, claims: Sequence[Claim], *, replace: bool = False) -> "StoreResult":
    """Write one document and its claims in the session's transaction; see `store.store_document`."""
    if not document.content_hash:
        document.content_hash = content_hash(document.body)
    document.url = normalize_url(document.url)  # one page, one URL: versions are found by it
    # The INSERT comes first so that on SQLite the transaction takes the write lock at once
    # (waiting on the busy timeout) instead of failing to upgrade a read snapshot later.
    new_id = _insert_document(s, document_values(document))
    if new_id is None:
        existing = s.exec(select(Document).where(Document.content_hash == document.content_hash)).first()
        if replace and existing is not None:
            stored = s.execute(select(Document).where(Document.content_hash == document.content_hash)).scalars().one()
            return rewrite_claims(s, stored, claims)
        return StoreResult("unchanged", existing, 0)
    document.id = new_id
    status = "new"
    if document.url:
        older = s.execute(select(DOCUMENT_TABLE.c.id, DOCUMENT_TABLE.c.version).where(
            DOCUMENT_TABLE.c.url == document.url, DOCUMENT_TABLE.c.current == True,  # noqa: E712
            DOCUMENT_TABLE.c.id != new_id)).all()
        if older:
            ids = [row.id for row in older]
            s.execute(update(DOCUMENT_TABLE).where(DOCUMENT_TABLE.c.id.in_(ids)).values(current=False))
            s.execute(update(CLAIM_TABLE).where(CLAIM_TABLE.c.document_id.in_(ids)).values(current=False))
            document.version = max(row.version for row in older) + 1
            s.execute(update(DOCUMENT_TABLE).where(DOCUMENT_TABLE.c.id == new_id).values(version=document.version))
            status = "updated"
    write_claims(s, document, claims)
    return StoreResult(status, document, len(claims))


def write_claims(s: Session, document: Document, claims: Sequence[Claim]) -> None:
    """Insert the claims of a stored document (current as it is), in the session's transaction.

    Every write of a document's claims goes through here: a new document, a new version, and
    `replace_claims` after re-extraction.
    """
    if claims:
        # Plain dicts: a ClaimRecord (an instrumented SQLModel) costs ~150 µs to build, 40% of an ingest.
        current = document.current if document.current is not None else True
        rows = [claim_values(c, document.id, document.source) for c in claims]
        if not current:
            for row in rows:
                row["current"] = False
        s.execute(insert(CLAIM_TABLE), rows)
    # People's decisions on this page (or file) hold for its new version too: apply them again.
    apply_decisions(s, document)


_EXTRACTED = ("figure", "aspect", "value", "low", "high", "hedge", "unit", "text", "start", "end", "attribution",
              "qualifiers", "date", "source", "story", "confidence")


def rewrite_claims(s: Session, document: Document, claims: Sequence[Claim]) -> StoreResult:
    """Give a stored document the claims of a new extraction, in the session's transaction.

    A claim found again (same span and figure) keeps its row and id; the others are deleted or
    inserted. People's decisions are applied again to the new claims (tracker.store.decisions).
    """

    reset_claims(s, document.id, document.current)
    old = {(r.start, r.end, r.figure): r for r in s.execute(select(CLAIM_TABLE).where(
        CLAIM_TABLE.c.document_id == document.id, CLAIM_TABLE.c.add_uid.is_(None))).all()}
    changed = False
    fresh = []
    for claim in claims:
        values = claim_values(claim, document.id, document.source)
        values.update(date=document.date, current=document.current, story=values["story"] or document.story)
        row = old.pop((claim.start, claim.end, claim.figure), None)
        if row is None:
            fresh.append(values)
        elif any(getattr(row, k) != values[k] for k in _EXTRACTED):
            s.execute(update(CLAIM_TABLE).where(CLAIM_TABLE.c.id == row.id).values(
                **{k: values[k] for k in _EXTRACTED}))
            changed = True
    if fresh:
        s.execute(insert(CLAIM_TABLE), fresh)
    if old:
        s.execute(delete(CLAIM_TABLE).where(CLAIM_TABLE.c.id.in_([r.id for r in old.values()])))
    apply_decisions(s, document)
    return StoreResult("updated" if changed or fresh or old else "unchanged", document, len(claims))


def replace_claims(engine: Engine, document_id: int, claims: Sequence[Claim], *,
                   body: Optional[str] = None) -> Optional[StoreResult]:
    """Replace the claims of a stored document (after re-extraction) in one transaction (`rewrite_claims`).

    With `body`, the document's text is replaced first (a page read again by a newer reader); the
    caller makes sure no other stored document has that text.
    """
    with session(engine) as s:
        document = s.get(Document, document_id)
        if document is None:
            return None
        if body is not None and body != document.body:
            document.body, document.content_hash = body, content_hash(body)
            s.add(document)
            s.flush()
        return rewrite_claims(s, document, claims)
