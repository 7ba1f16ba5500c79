"""Stored documents: look one up, list them with their claim counts, show one, forget one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from sqlalchemy import func, or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, delete, select

from tracker.errors import TrackerError
from tracker.models import Claim, StoredClaim
from tracker.store.pages import forget_pages
from tracker.store.queries import require_story
from tracker.store.replay import apply_decisions, reset_claims
from tracker.store.tables import ClaimRecord, Document


class DocumentNotFound(TrackerError):
    """A DOC argument that names no stored document, or several."""


def is_stored(engine: Engine, content_hash: str) -> bool:
    """Whether a document with this content hash is stored."""
    with Session(engine) as s:
        return s.exec(select(Document.id).where(Document.content_hash == content_hash)).first() is not None


def stored_documents(engine: Engine) -> Iterator[Document]:
    """Every stored document (every version), in the order stored, read one at a time."""
    with Session(engine) as s:
        ids = list(s.exec(select(Document.id).order_by(Document.id)).all())
    for doc_id in ids:
        with Session(engine) as s:
            document = s.get(Document, doc_id)
            if document is not None:
                s.expunge(document)
                yield document


@dataclass
class DocumentRow:
    """One stored document as `tracker sources` lists it."""

    id: int
    doc: str
    source: Optional[str]
    date: Optional[str]
    date_inferred: bool
    title: Optional[str]
    url: Optional[str]
    version: int
    current: bool
    claims: int
    story: Optional[str] = None

    def as_dict(self) -> dict:
        """The row's fields as a plain dict."""
        return dict(self.__dict__)


def list_documents(engine: Engine, *, undated: bool = False, source: Optional[str] = None,
                   story: Optional[str] = None) -> list[DocumentRow]:
    """Every stored document with its number of claims, by outlet then date; `undated`: only those
    with no date; `story`: only those of that story (an unknown one raises UnknownStoryError)."""
    counts = (select(ClaimRecord.document_id, func.count().label("n")).where(ClaimRecord.status != "rejected")
              .group_by(ClaimRecord.document_id).subquery())
    stmt = select(Document, func.coalesce(counts.c.n, 0)).outerjoin(counts, counts.c.document_id == Document.id)
    if undated:
        stmt = stmt.where(Document.date.is_(None))
    if source:
        stmt = stmt.where(func.lower(Document.source) == source.lower())
    if story:
        require_story(engine, story)
        stmt = stmt.where(Document.story == story)
    stmt = stmt.order_by(func.coalesce(Document.source, ""), Document.date, Document.doc, Document.version)
    with Session(engine) as s:
        rows = s.exec(stmt).all()
    return [DocumentRow(d.id, d.doc, d.source, d.date, d.date_inferred, d.title, d.url, d.version, d.current, n,
                        d.story) for d, n in rows]


@dataclass
class OutletRow:
    """One outlet with its number of documents and claims and its first and last date."""

    source: Optional[str]
    documents: int
    claims: int
    first: Optional[str]
    last: Optional[str]

    def as_dict(self) -> dict:
        """The row's fields as a plain dict."""
        return dict(self.__dict__)


def list_outlets(engine: Engine) -> list[OutletRow]:
    """Every outlet (None for documents that name none) with its document and claim counts."""
    by_outlet: dict[Optional[str], OutletRow] = {}
    for row in list_documents(engine):
        out = by_outlet.setdefault(row.source, OutletRow(row.source, 0, 0, None, None))
        out.documents += 1
        out.claims += row.claims
        if row.date:
            out.first = min(filter(None, (out.first, row.date)))
            out.last = max(filter(None, (out.last, row.date)))
    return sorted(by_outlet.values(), key=lambda o: (o.source is None, (o.source or "").lower()))


def find_document(engine: Engine, ref: str) -> Document:
    """The document `ref` names: its name (path or record id, the current version first), its id, or a unique file name."""
    with Session(engine) as s:
        by_name = s.exec(select(Document).where(Document.doc == ref)
                         .order_by(Document.current.desc(), Document.version.desc(), Document.id.desc())).first()
        if by_name is not None:
            return by_name
        if ref.isdigit():
            by_id = s.get(Document, int(ref))
            if by_id is not None:
                return by_id
        base = Path(ref).name
        candidates = [d for d in s.exec(select(Document).where(Document.doc.like(f"%{base}"))).all()
                      if Path(d.doc).name == base or d.doc.endswith(ref)]
    names = sorted({d.doc for d in candidates})
    if len(names) == 1:
        return max(candidates, key=lambda d: (d.current, d.version, d.id))
    if names:
        raise DocumentNotFound(f"{ref!r} matches several documents: {', '.join(names[:10])}")
    raise DocumentNotFound(f"no stored document {ref!r}; `tracker sources` lists them")


def document_claims(engine: Engine, document: Document, *, rejected: bool = False) -> list[StoredClaim]:
    """The stored claims of `document` in text order, each with its id and status (extracted,
    confirmed, fixed, added); `rejected`: also the claims people rejected (status rejected)."""
    stmt = select(ClaimRecord).where(ClaimRecord.document_id == document.id)
    if not rejected:
        stmt = stmt.where(ClaimRecord.status != "rejected")
    with Session(engine) as s:
        rows = s.exec(stmt.order_by(ClaimRecord.start, ClaimRecord.id)).all()
    return [StoredClaim(**r.to_claim(document.doc).model_dump(), source=document.source, url=document.url,
                        title=document.title, document_id=document.id, status=r.status) for r in rows]


def forget_document(engine: Engine, ref: str) -> tuple[Document, int]:
    """Remove the document `ref` names and its claims in one transaction; returns it and its claim count.

    When it was the current version of a URL, the newest remaining version becomes current again.
    """
    document = find_document(engine, ref)
    with Session(engine) as s:
        n = s.exec(select(func.count()).select_from(ClaimRecord)
                   .where(ClaimRecord.document_id == document.id)).one()
        s.exec(delete(ClaimRecord).where(ClaimRecord.document_id == document.id))
        forget_pages(s, document.id)
        s.exec(delete(Document).where(Document.id == document.id))
        if document.url and document.current:
            previous = s.exec(select(Document).where(Document.url == document.url)
                              .order_by(Document.version.desc())).first()
            if previous is not None:
                previous.current = True
                s.add(previous)
                for row in s.exec(select(ClaimRecord).where(ClaimRecord.document_id == previous.id)).all():
                    row.current = True
                    s.add(row)
        s.flush()
        apply_decisions(s, document)  # on the version current now, or made orphans when none is left
        s.commit()
    return document, n


def set_document(engine: Engine, ref: str, *, date: Optional[str] = None, source: Optional[str] = None,
                 story: Optional[str] = None) -> Document:
    """Correct a stored document's date, outlet or story; its claims' copies follow in the same transaction.

    A claim keeps a story of its own (a sentence about another negotiation) unless it had the
    document's; decisions on the document's claims are applied again.
    """
    from tracker.sources.dates import normalize_date

    document = find_document(engine, ref)
    if date is None and source is None and story is None:
        raise TrackerError("nothing to set: give --date, --source or --story")
    new_date = normalize_date(date, "--date") if date is not None else document.date
    with Session(engine) as s:
        doc = s.get(Document, document.id)
        reset_claims(s, doc.id, doc.current)
        claims = {}
        if date is not None:
            doc.date, doc.date_inferred = new_date, False
            claims["date"] = new_date
        if source is not None:
            doc.source = source.strip() or None
            claims["source"] = doc.source
        if claims:
            s.exec(update(ClaimRecord).where(ClaimRecord.document_id == doc.id).values(**claims))
        if story is not None:
            old, doc.story = doc.story, story.strip() or None
            s.exec(update(ClaimRecord).where(ClaimRecord.document_id == doc.id, or_(
                ClaimRecord.story.is_(None), ClaimRecord.story == old)).values(story=doc.story))
        s.add(doc)
        s.flush()
        apply_decisions(s, doc)
        s.commit()
        s.refresh(doc)
        s.expunge(doc)
    return doc


def highlighted_body(body: str, claims: list[Claim]):
    """The body as rich Text with each claim's span highlighted."""
    from rich.text import Text

    text = Text(body)
    for claim in claims:
        if 0 <= claim.start < claim.end <= len(body):
            text.stylize(CLAIM_STYLES.get(getattr(claim, "status", "extracted"), CLAIM_STYLES["extracted"]),
                         claim.start, claim.end)
    return text


#: How `show` and the review mark a claim by what people decided on it.
CLAIM_STYLES = {"extracted": "bold black on yellow", "confirmed": "bold black on green",
                "fixed": "bold black on cyan", "added": "bold black on magenta", "rejected": "strike dim"}
