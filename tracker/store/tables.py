"""The stored rows (sqlmodel tables): documents and their claims."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import Column, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models import Claim


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Document(SQLModel, table=True):
    """A stored article: its body, metadata and the hash that makes ingest idempotent."""

    __tablename__ = "document"
    __table_args__ = (UniqueConstraint("content_hash", name="uq_document_content_hash"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    content_hash: str = Field(index=True, max_length=64)
    doc: str = Field(default="", index=True, description="the document's name: its path or record id")
    source: Optional[str] = Field(default=None, index=True)
    url: Optional[str] = Field(default=None, index=True)
    title: Optional[str] = None
    author: Optional[str] = None
    date: Optional[str] = Field(default=None, index=True)
    date_inferred: bool = False
    story: Optional[str] = Field(default=None, index=True, description="the negotiation it is about (e.g. israel-hamas)")
    version: int = 1
    current: bool = Field(default=True, index=True)
    meta: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    body: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    ingested_at: datetime = Field(default_factory=utcnow)


class ClaimRecord(SQLModel, table=True):
    """A stored claim; `source` and `date` are copied from its document so timelines need no join."""

    __tablename__ = "claim"
    __table_args__ = (
        # A figure's current claims in timeline order: the timeline query reads the index without
        # sorting, `tracker figures` counts from the index alone, and any lookup by figure uses it.
        Index("ix_claim_timeline", "figure", "current", "date", "document_id", "start"),
        Index("ix_claim_figure_aspect_date", "figure", "aspect", "date"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    figure: str
    aspect: Optional[str] = Field(default=None, index=True)
    value: Optional[float] = None
    low: Optional[float] = None
    high: Optional[float] = None
    hedge: str = "exact"
    unit: str = "item"
    text: str = ""
    start: int = 0
    end: int = 0
    attribution: Optional[str] = None
    qualifiers: str = "[]"
    date: Optional[str] = Field(default=None, index=True)
    source: Optional[str] = Field(default=None, index=True)
    current: bool = True
    story: Optional[str] = Field(default=None, index=True)
    confidence: Optional[float] = None
    #: extracted, confirmed, fixed, added or rejected: what people decided (tracker.store.decisions)
    status: str = Field(default="extracted", sa_column=Column(String, nullable=False, default="extracted",
                                                              server_default="extracted"))
    #: the extracted fields (JSON) of a claim a person fixed, so an undo can restore them
    original: Optional[str] = Field(default=None, sa_column=Column(Text, nullable=True))
    #: the uid of the decision that added it, for a claim a person added (None: the extractor's)
    add_uid: Optional[str] = Field(default=None, max_length=32)

    @classmethod
    def from_claim(cls, claim: Claim, document_id: int, source: Optional[str]) -> "ClaimRecord":
        """A row for `claim` stored under document `document_id`."""
        data = claim.model_dump(exclude={"doc", "qualifiers", "id"})
        return cls(**data, document_id=document_id, source=source,
                   qualifiers=json.dumps(claim.qualifiers, ensure_ascii=False))

    def to_claim(self, doc: str = "") -> Claim:
        """The pydantic claim this row stores."""
        return Claim(
            doc=doc, figure=self.figure, aspect=self.aspect, value=self.value, low=self.low,
            high=self.high, hedge=self.hedge, unit=self.unit, text=self.text, start=self.start,
            end=self.end, attribution=self.attribution, qualifiers=json.loads(self.qualifiers or "[]"),
            date=self.date, story=self.story, id=self.id,
        )


class Decision(SQLModel, table=True):
    """A person's decision on a claim: reject, fix, confirm or add (see tracker.store.decisions).

    Decisions are the source of truth; the claim rows carry their effect. A decision is keyed by
    what survives re-extraction and new versions of a page: the document's identity (URL, else
    its name), the quoted span and which occurrence of it in the body (start as a hint).
    """

    __tablename__ = "decision"
    __table_args__ = (UniqueConstraint("uid", name="uq_decision_uid"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    uid: str = Field(max_length=32, description="identity across databases (export/import)")
    kind: str = Field(max_length=16, description="reject, fix, confirm or add")
    by: str = ""
    at: str = Field(description="when, ISO 8601 UTC")
    why: Optional[str] = Field(default=None, sa_column=Column(Text, nullable=True))
    doc_key: str = Field(index=True, description="the document's URL, else its name")
    doc_hash: Optional[str] = Field(default=None, index=True, max_length=64,
                                    description="the content hash of the version decided on")
    figure: Optional[str] = None
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    occurrence: int = 0
    start: int = 0
    target: Optional[str] = Field(default=None, max_length=32, description="uid of the add decision it acts on")
    claim: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    changes: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    claim_id: Optional[int] = Field(default=None, index=True, description="the claim it applies to now; None: orphan")
    undone_at: Optional[str] = None
    undone_by: Optional[str] = None
