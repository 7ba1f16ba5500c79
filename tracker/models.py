"""The claim as a value (pydantic) and as stored rows (sqlmodel tables)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field as PydField
from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

Hedge = Literal["exact", "approx", "at_least", "at_most", "range", "vague"]
Aspect = Literal["held", "taken", "released", "proposed"]

#: The CLAIMS.md fields, in their documented order (JSONL/CSV column order).
CLAIM_FIELDS = (
    "doc", "figure", "aspect", "value", "low", "high", "hedge", "unit",
    "text", "start", "end", "attribution", "qualifiers", "date",
)


class Claim(BaseModel):
    """One mention of a number that a text asserts about a tracked figure (see CLAIMS.md)."""

    model_config = ConfigDict(frozen=False, extra="forbid")

    doc: str = ""
    figure: str
    aspect: Optional[Aspect] = None
    value: Optional[float] = None
    low: Optional[float] = None
    high: Optional[float] = None
    hedge: Hedge = "exact"
    unit: str = "item"
    text: str
    start: int
    end: int
    attribution: Optional[str] = None
    qualifiers: list[str] = PydField(default_factory=list)
    date: Optional[str] = None

    def as_record(self) -> dict:
        """The CLAIMS.md fields as a plain dict, numbers that are whole written as ints."""
        out = self.model_dump()
        for key in ("value", "low", "high"):
            v = out[key]
            if v is not None and float(v).is_integer():
                out[key] = int(v)
        return {k: out[k] for k in CLAIM_FIELDS}


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

    @classmethod
    def from_claim(cls, claim: Claim, document_id: int, source: Optional[str]) -> "ClaimRecord":
        """A row for `claim` stored under document `document_id`."""
        data = claim.model_dump(exclude={"doc", "qualifiers"})
        return cls(**data, document_id=document_id, source=source,
                   qualifiers=json.dumps(claim.qualifiers, ensure_ascii=False))

    def to_claim(self, doc: str = "") -> Claim:
        """The pydantic claim this row stores."""
        return Claim(
            doc=doc, figure=self.figure, aspect=self.aspect, value=self.value, low=self.low,
            high=self.high, hedge=self.hedge, unit=self.unit, text=self.text, start=self.start,
            end=self.end, attribution=self.attribution, qualifiers=json.loads(self.qualifiers or "[]"),
            date=self.date,
        )


class StoredClaim(Claim):
    """A claim read back from the store, with its document's outlet, address and title."""

    source: Optional[str] = None
    url: Optional[str] = None
    title: Optional[str] = None
    document_id: Optional[int] = None

    def as_output(self) -> dict:
        """The CLAIMS.md fields plus source, url and title, for JSON and CSV output."""
        out = self.as_record()
        out.update(source=self.source, url=self.url, title=self.title)
        return out
