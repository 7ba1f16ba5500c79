"""The claim as a value (pydantic): the one list of fields every shape (table, CSV, JSON) follows.

No database library is imported here, so `import tracker.extract` stays light; the stored
rows are in `tracker.store.tables`.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field as PydField

Hedge = Literal["exact", "approx", "at_least", "at_most", "range", "vague"]
Aspect = Literal["held", "taken", "released", "proposed"]

#: The CLAIMS.md fields, in their documented order (JSONL/CSV column order).
CLAIM_FIELDS = (
    "doc", "figure", "aspect", "value", "low", "high", "hedge", "unit",
    "text", "start", "end", "attribution", "qualifiers", "date",
)
#: Fields beyond CLAIMS.md, printed after its fields in JSON and CSV.
EXTRA_FIELDS = ("story",)


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
    #: the negotiation the claim belongs to (e.g. israel-hamas); see tracker.extract.stories
    story: Optional[str] = None
    id: Optional[int] = None  # the stored claim's id (None before it is stored); printed after the CLAIMS.md fields

    def as_record(self) -> dict:
        """The CLAIMS.md fields (then EXTRA_FIELDS) as a plain dict, numbers that are whole written as ints."""
        out = self.model_dump()
        for key in ("value", "low", "high"):
            v = out[key]
            if v is not None and float(v).is_integer():
                out[key] = int(v)
        return {k: out[k] for k in CLAIM_FIELDS + EXTRA_FIELDS}


class StoredClaim(Claim):
    """A claim read back from the store, with its document's outlet, address and title."""

    source: Optional[str] = None
    url: Optional[str] = None
    title: Optional[str] = None
    document_id: Optional[int] = None
    #: extracted, confirmed, fixed or added (rejected claims are left out of every query)
    status: str = "extracted"

    def as_output(self) -> dict:
        """The CLAIMS.md fields plus source, url and title, then the claim's id and status, for JSON and CSV output."""
        out = self.as_record()
        out.update(source=self.source, url=self.url, title=self.title, id=self.id, status=self.status)
        return out
