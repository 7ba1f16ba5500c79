"""Files, folders and stdin in, stored documents with their claims out; bad input is skipped, never half-stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator, Optional, Union

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from tracker.sources.dates import document_date, normalize_date
from tracker.sources.urls import normalize_url
from tracker.store.documents import is_stored
from tracker.errors import InputError
from tracker.extract import extract_with_story
from tracker.models import Claim
from tracker.store.tables import Document
from tracker.sources.readers import (  # noqa: F401  (re-exported: the ingest API of earlier versions)
    DocumentInput, decode_bytes, iter_documents, iter_files, read_documents, read_path,
)
from tracker.store import content_hash, meta_json, store_document

KNOWN_META = ("source", "date", "url", "title", "author", "story")
STATUSES = ("new", "unchanged", "updated", "skipped")


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
    interrupted: bool = False

    def count(self, status: str) -> int:
        """How many inputs ended with `status`."""
        return sum(o.status == status for o in self.outcomes)

    @property
    def skipped(self) -> list[Outcome]:
        """The inputs that were not stored, with why."""
        return [o for o in self.outcomes if o.status == "skipped"]

    def line(self) -> str:
        """One line: N new, N unchanged, N updated, N skipped."""
        return ", ".join(f"{self.count(s)} {s}" for s in STATUSES)


class IngestInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) during an ingest; `summary` holds what was done, every stored document whole."""

    def __init__(self, summary: IngestSummary):
        super().__init__("ingest interrupted")
        self.summary = summary


def to_document(item: DocumentInput, *, source: Optional[str] = None, date: Optional[str] = None,
                story: Optional[str] = None) -> Document:
    """A Document row for `item`; `source`, `date` and `story` fill what its own metadata lacks
    (the story is otherwise read from its text when its claims are extracted)."""
    meta = dict(item.meta)
    doc_date, inferred = document_date(item, date)
    # A story the user gave stays in the metadata too, so `stories --assign --all` keeps it.
    given = str(meta.get("story") or story or "").strip() or None
    return Document(
        content_hash=content_hash(item.body),
        doc=item.name,
        source=str(meta.get("source") or source or "") or None,
        url=normalize_url(str(meta["url"])) if meta.get("url") else None,
        title=str(meta["title"]) if meta.get("title") else None,
        author=str(meta["author"]) if meta.get("author") else None,
        date=doc_date,
        date_inferred=inferred,
        story=given,
        meta=meta_json({**{k: v for k, v in meta.items() if k not in KNOWN_META},
                        **({"story": given} if given else {})}),
        body=item.body,
    )


def claims_for(document: Document, lexicon=None, *, all_quantities: bool = False, gazetteer=None) -> list[Claim]:
    """The claims of a document, dated by it, each with its story; the document gets its story
    (the one it was given, else the one read from its text)."""
    document.story, claims = extract_with_story(
        document.body, date=document.date, source=document.source, doc=document.doc, lexicon=lexicon,
        all_quantities=all_quantities, title=document.title, story=document.story, gazetteer=gazetteer)
    return claims


#: The reason `prepared` gives for a document whose content is stored already.
ALREADY_STORED = "unchanged"
#: (name, document or None, its claims, why it is not stored: "" when it is to be stored)
Prepared = tuple[str, Optional[Document], list[Claim], str]


def prepared(path: Union[str, Path], *, source: Optional[str] = None, date: Optional[str] = None, lexicon=None,
             stdin: Optional[BinaryIO] = None, story: Optional[str] = None, gazetteer=None,
             already_stored: Optional[Callable[[str], bool]] = None) -> Iterator[Prepared]:
    """Each document of one input, read and extracted, ready to store; bad input gives its reason.

    With `already_stored` (a check of the content hash), stored content is not extracted again.
    """
    for item in read_path(path, stdin=stdin):
        if isinstance(item, InputError):
            yield str(path), None, [], str(item)
            continue
        try:
            document = to_document(item, source=source, date=date, story=story)
        except InputError as exc:
            yield item.name, None, [], str(exc)
            continue
        if already_stored and already_stored(document.content_hash):
            yield item.name, None, [], ALREADY_STORED
            continue
        yield item.name, document, claims_for(document, lexicon, gazetteer=gazetteer), ""


def not_stored(name: str, reason: str) -> Outcome:
    """The outcome of a prepared document that is not to be stored: unchanged, or skipped and why."""
    return Outcome(name, "unchanged") if reason == ALREADY_STORED else Outcome(name, "skipped", reason=reason)


def database_files(engine: Engine) -> set[Path]:
    """The files of a SQLite database (with its journal and WAL), which an ingest never reads as input."""
    name = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if not name or name == ":memory:":
        return set()
    db = Path(name).resolve()
    return {db, *(db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal"))}


def count_files(paths: Iterable[Union[str, Path]]) -> int:
    """How many files (stdin counted as one) `paths` name, folders read recursively."""
    return sum(1 for _ in iter_files(paths))


def ingest(
    engine: Engine,
    paths: Iterable[Union[str, Path]],
    *,
    source: Optional[str] = None,
    date: Optional[str] = None,
    lexicon=None,
    stdin: Optional[BinaryIO] = None,
    on_outcome: Optional[Callable[[Outcome], None]] = None,
    on_file: Optional[Callable[[str], None]] = None,
    story: Optional[str] = None,
    gazetteer=None,
    reextract: bool = False,
) -> IngestSummary:
    """Read, extract and store every document under `paths`, one transaction per document.

    Content already stored is recognised by its hash before extraction, so a re-run after an
    interruption only does the rest. Ctrl-C raises IngestInterrupted with the summary so far.
    With `reextract`, stored content is extracted again and its claims replaced (after the
    extractor or a lexicon changed); people's decisions on them are applied again.
    """
    summary = IngestSummary()
    date = normalize_date(date, "--date")  # a bad --date is one error, not one skip per document

    def record(outcome: Outcome) -> None:
        summary.outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    own_files = database_files(engine)
    try:
        for path in iter_files(paths):
            if path.resolve() in own_files:  # `tracker ingest .` beside ./tracker.db
                continue
            for name, document, claims, reason in prepared(
                    path, source=source, date=date, lexicon=lexicon, stdin=stdin, story=story, gazetteer=gazetteer,
                    already_stored=None if reextract else (lambda h: is_stored(engine, h))):
                if document is None:
                    record(not_stored(name, reason))
                    continue
                try:
                    result = (store_document(engine, document, claims, replace=True) if reextract
                              else store_document(engine, document, claims))
                except IntegrityError:  # another ingest stored the same content a moment ago
                    record(Outcome(name, "unchanged"))
                    continue
                record(Outcome(name, result.status, result.claims))
            if on_file:
                on_file(str(path))
    except KeyboardInterrupt as exc:
        summary.interrupted = True
        raise IngestInterrupted(summary) from exc
    return summary


@dataclass
class Extraction:
    """The claims read from inputs without storing them, and the inputs skipped (with why)."""

    claims: list[Claim] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def extract_paths(paths: Iterable[Union[str, Path]], *, lexicon=None, all_quantities: bool = False,
                  stdin: Optional[BinaryIO] = None, on_skip: Optional[Callable[[str], None]] = None,
                  story: Optional[str] = None, gazetteer=None) -> Extraction:
    """The claims of every document `ingest` would read under `paths`; doc is its name (path or record id)."""
    out = Extraction()
    for item in iter_documents(paths, stdin=stdin):
        try:
            if isinstance(item, InputError):
                raise item
            out.claims += claims_for(to_document(item, story=story), lexicon, all_quantities=all_quantities,
                                     gazetteer=gazetteer)
        except InputError as exc:
            out.skipped.append(str(exc))
            if on_skip:
                on_skip(str(exc))
    return out


#: The timelines `tracker demo` prints after ingesting the sample articles.
DEMO_FIGURES = ("prisoners", "hostages")


def seeds_dir() -> Path:
    """The sample articles shipped with tracker: the project's own seeds/, else ./seeds."""
    own = Path(__file__).resolve().parent.parent.parent / "seeds"
    return own if own.is_dir() else Path("seeds")
