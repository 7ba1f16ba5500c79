"""Stored stories: each story's documents, claims and dates; reading and writing stories of stored documents."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterator, Optional

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine

from tracker.store.tables import ClaimRecord, Document


@dataclass
class StoryCounts:
    """One story as stored: its current documents and claims, and the dates they span."""

    story: str
    documents: int = 0
    claims: int = 0
    first: Optional[str] = None
    last: Optional[str] = None

    def span(self, first: Optional[str], last: Optional[str]) -> None:
        """Widen the dates to take in [first, last]."""
        self.first = min(filter(None, (self.first, first)), default=None)
        self.last = max(filter(None, (self.last, last)), default=None)


def story_counts(engine: Engine) -> list[StoryCounts]:
    """Every story of a current document or claim, with its counts and dates, by story key.

    A story can have claims but no documents of its own: a sentence about other parties gives
    its claims their story inside another story's document.
    """
    docs = (select(Document.story, func.count(), func.min(Document.date), func.max(Document.date))
            .where(Document.current == True, Document.story.is_not(None))  # noqa: E712
            .group_by(Document.story))
    claims = (select(ClaimRecord.story, func.count(), func.min(ClaimRecord.date), func.max(ClaimRecord.date))
              .where(ClaimRecord.current == True, ClaimRecord.story.is_not(None))  # noqa: E712
              .group_by(ClaimRecord.story))
    out: dict[str, StoryCounts] = {}
    with engine.connect() as conn:
        for story, n, first, last in conn.execute(docs):
            row = out.setdefault(story, StoryCounts(story))
            row.documents = n
            row.span(first, last)
        for story, n, first, last in conn.execute(claims):
            row = out.setdefault(story, StoryCounts(story))
            row.claims = n
            row.span(first, last)
    return [out[k] for k in sorted(out)]


@dataclass
class StoredText:
    """What story assignment reads of a stored document: its text, title, given story and claims."""

    id: int
    body: str
    title: Optional[str]
    given: Optional[str]
    story: Optional[str]
    claims: list[tuple[int, int]]          # (claim id, start offset)


def texts_for_stories(engine: Engine, *, only_missing: bool = True) -> Iterator[StoredText]:
    """The current documents (those without a story, unless `only_missing` is false), one at a time."""
    stmt = select(Document.id).where(Document.current == True)  # noqa: E712
    if only_missing:
        stmt = stmt.where(Document.story.is_(None))
    with engine.connect() as conn:
        ids = conn.execute(stmt.order_by(Document.id)).scalars().all()
    for doc_id in ids:
        with engine.connect() as conn:
            row = conn.execute(select(Document.body, Document.title, Document.meta, Document.story)
                               .where(Document.id == doc_id)).one()
            claims = conn.execute(select(ClaimRecord.id, ClaimRecord.start)
                                  .where(ClaimRecord.document_id == doc_id)).all()
        given = json.loads(row.meta or "{}").get("story")
        yield StoredText(doc_id, row.body, row.title, str(given) if given else None, row.story,
                         [(c.id, c.start) for c in claims])


def set_stories(engine: Engine, document_id: int, story: Optional[str], claims: dict[int, Optional[str]]) -> None:
    """Write a document's story and its claims' stories in one transaction."""
    with engine.begin() as conn:
        conn.execute(update(Document).where(Document.id == document_id).values(story=story))
        for claim_id, claim_story in claims.items():
            conn.execute(update(ClaimRecord).where(ClaimRecord.id == claim_id).values(story=claim_story))
