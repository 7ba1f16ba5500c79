"""Files and folders in, stored documents with their claims out; bad input is skipped, never half-stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from sqlalchemy.engine import Engine

from tracker.errors import InputError
from tracker.extract import extract
from tracker.frontmatter import split_front_matter
from tracker.models import Claim, Document
from tracker.store import content_hash, meta_json, store_document

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
KNOWN_META = ("source", "date", "url", "title", "author")


@dataclass
class DocumentInput:
    """A document as read from a file or record, before it is stored."""

    name: str
    body: str
    meta: dict = field(default_factory=dict)


@dataclass
class Outcome:
    """What happened to one input: new, unchanged, updated or skipped (with the reason)."""

    name: str
    status: str
    claims: int = 0
    reason: str = ""


@dataclass
class IngestSummary:
    """The outcomes of one ingest run."""

    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        """How many inputs ended with `status`."""
        return sum(o.status == status for o in self.outcomes)

    @property
    def skipped(self) -> list[Outcome]:
        """The inputs that were not stored, with why."""
        return [o for o in self.outcomes if o.status == "skipped"]

    def line(self) -> str:
        """One line: N new, N unchanged, N updated, N skipped."""
        return ", ".join(f"{self.count(s)} {s}" for s in ("new", "unchanged", "updated", "skipped"))


def decode_bytes(raw: bytes, name: str) -> str:
    """Text from file bytes: UTF-8 first, then the common legacy encodings; binary is refused."""
    if not raw.strip():
        raise InputError(f"{name}: empty file")
    if b"\x00" in raw[:8192]:
        raise InputError(f"{name}: binary file, not text")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{name}: not valid UTF-8 or Windows-1252 text")


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Every file named, and every file below each folder named (recursively, sorted, hidden skipped)."""
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts):
                    yield f
        else:
            yield p


def read_text_document(path: Path) -> DocumentInput:
    """A text or markdown file with an optional front-matter block."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    text = decode_bytes(raw, str(path))
    meta, body = split_front_matter(text, str(path))
    if not body.strip():
        raise InputError(f"{path}: no text after the front matter")
    return DocumentInput(name=str(path), body=body, meta=meta)


def read_documents(path: Path) -> list[DocumentInput]:
    """The documents one file holds."""
    return [read_text_document(path)]


def normalize_date(value, name: str = "<input>") -> Optional[str]:
    """An ISO date (YYYY-MM-DD) from a date, datetime or written date; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc)
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    from dateutil import parser as dateparser

    text = str(value).strip()
    try:
        parsed = dateparser.isoparse(text)
    except ValueError:
        try:
            parsed = dateparser.parse(text, dayfirst="/" in text)
        except (ValueError, OverflowError) as exc:
            raise InputError(f"{name}: unparsable date {text!r}") from exc
    return normalize_date(parsed, name)


def to_document(item: DocumentInput, *, source: Optional[str] = None, date: Optional[str] = None) -> Document:
    """A Document row for `item`; `source` and `date` fill what its own metadata lacks."""
    meta = dict(item.meta)
    doc_date = normalize_date(meta.get("date"), item.name) or normalize_date(date, "--date")
    return Document(
        content_hash=content_hash(item.body),
        doc=item.name,
        source=str(meta.get("source") or source or "") or None,
        url=meta.get("url") or None,
        title=meta.get("title") or None,
        author=meta.get("author") or None,
        date=doc_date,
        meta=meta_json({k: v for k, v in meta.items() if k not in KNOWN_META}),
        body=item.body,
    )


def claims_for(document: Document, lexicon=None) -> list[Claim]:
    """The claims of a document, dated by it."""
    return extract(document.body, date=document.date, source=document.source, doc=document.doc, lexicon=lexicon)


def ingest(
    engine: Engine,
    paths: Iterable[str | Path],
    *,
    source: Optional[str] = None,
    date: Optional[str] = None,
    lexicon=None,
    on_outcome: Optional[Callable[[Outcome], None]] = None,
) -> IngestSummary:
    """Read, extract and store every document under `paths`, one transaction per document."""
    summary = IngestSummary()

    def record(outcome: Outcome) -> None:
        summary.outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    for path in iter_files(paths):
        try:
            items = read_documents(path)
        except InputError as exc:
            record(Outcome(str(path), "skipped", reason=str(exc)))
            continue
        for item in items:
            try:
                document = to_document(item, source=source, date=date)
                claims = claims_for(document, lexicon)
            except InputError as exc:
                record(Outcome(item.name, "skipped", reason=str(exc)))
                continue
            result = store_document(engine, document, claims)
            record(Outcome(item.name, result.status, result.claims))
    return summary


def seeds_dir() -> Path:
    """The sample articles shipped with tracker: ./seeds if present, else the project's own."""
    here = Path("seeds")
    if here.is_dir():
        return here
    return Path(__file__).resolve().parent.parent / "seeds"
