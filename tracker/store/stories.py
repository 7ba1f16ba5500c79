"""Stored stories: each story's documents, claims and first and last date."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlalchemy import func, select
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
