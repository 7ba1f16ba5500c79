"""Fetched pages, followed feeds and the changes the last watch round found.

A page is stored as fetched — status, validators (ETag, Last-Modified), content type, charset —
with its body zlib-compressed and hashed, beside the document read from it, so it can be read
again with a newer extractor without fetching and a later fetch can be compared with it.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Optional, Sequence

from sqlalchemy import Column, LargeBinary, Text, delete, func, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel

from tracker.errors import TrackerError
from tracker.models import Claim
from tracker.store.engine import session
from tracker.store.tables import Document, utcnow
from tracker.store.writes import StoreResult, write_document


class Page(SQLModel, table=True):
    """One fetched response of a URL whose content differs from the one fetched before it."""

    __tablename__ = "page"

    id: Optional[int] = Field(default=None, primary_key=True)
    url: str = Field(index=True, description="the URL as requested, normalized")
    document_id: Optional[int] = Field(default=None, foreign_key="document.id", index=True)
    fetched_at: datetime = Field(default_factory=utcnow)
    checked_at: datetime = Field(default_factory=utcnow, description="when a fetch last found it unchanged")
    status: int = 200
    etag: Optional[str] = None
    last_modified: Optional[str] = None
    content_type: Optional[str] = None
    encoding: Optional[str] = None
    content_hash: str = Field(index=True, max_length=64, description="SHA-256 of the body as received")
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False), description="zlib-compressed")


class Feed(SQLModel, table=True):
    """A feed (RSS, Atom or news sitemap) that `tracker fetch` polls."""

    __tablename__ = "feed"

    id: Optional[int] = Field(default=None, primary_key=True)
    url: str = Field(index=True, unique=True)
    story: Optional[str] = None
    kind: Optional[str] = None
    title: Optional[str] = None
    added_at: datetime = Field(default_factory=utcnow)
    polled_at: Optional[datetime] = None
    etag: Optional[str] = None
    last_modified: Optional[str] = None

    def as_row(self) -> dict:
        """The feed as `tracker feed list` prints it (times in UTC to the minute)."""
        def when(t: Optional[datetime]) -> Optional[str]:
            return t.strftime("%Y-%m-%d %H:%M") if t else None
        return {"url": self.url, "kind": self.kind, "story": self.story, "title": self.title,
                "added": when(self.added_at), "polled": when(self.polled_at)}


class FetchChange(SQLModel, table=True):
    """A change a watch round reported (kept for `tracker changes --since-fetch`)."""

    __tablename__ = "fetch_change"

    id: Optional[int] = Field(default=None, primary_key=True)
    round: int = Field(index=True)
    at: datetime = Field(default_factory=utcnow)
    kind: str
    data: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))


class FeedError(TrackerError):
    """A feed command on a feed that is not followed (or already is)."""


def body_hash(body: bytes) -> str:
    """The identity of a response body: SHA-256 of its bytes."""
    return hashlib.sha256(body).hexdigest()


def compress(body: bytes) -> bytes:
    return zlib.compress(body, 6)


def page_body(page: Page) -> bytes:
    """The body of a stored page, decompressed."""
    return zlib.decompress(page.body)


@dataclass
class FetchedPage:
    """A response to store: what `Page` keeps, before compression."""

    url: str
    body: bytes
    status: int = 200
    etag: Optional[str] = None
    last_modified: Optional[str] = None
    content_type: Optional[str] = None
    encoding: Optional[str] = None

    @property
    def content_hash(self) -> str:
        return body_hash(self.body)


def latest_page(engine: Engine, url: str) -> Optional[Page]:
    """The newest stored fetch of `url` whose document is still stored, or None."""
    with Session(engine) as s:
        return s.execute(select(Page).where(Page.url == url, Page.document_id.is_not(None))
                      .order_by(Page.id.desc())).scalars().first()


def current_document(engine: Engine, url: str) -> Optional[Document]:
    """The current stored version of the page at `url`, or None."""
    with Session(engine) as s:
        return s.execute(select(Document).where(Document.url == url, Document.current == True)  # noqa: E712
                      .order_by(Document.version.desc())).scalars().first()


def touch_page(engine: Engine, page_id: int, fetched: Optional[FetchedPage] = None) -> None:
    """Record that a fetch found the stored page unchanged (newer validators and body, when given)."""
    values: dict = {"checked_at": utcnow()}
    if fetched is not None:
        values.update(etag=fetched.etag, last_modified=fetched.last_modified, status=fetched.status,
                      content_type=fetched.content_type, encoding=fetched.encoding,
                      content_hash=fetched.content_hash, body=compress(fetched.body))
    with session(engine) as s:
        s.execute(update(Page).where(Page.id == page_id).values(**values))


def store_page(engine: Engine, fetched: FetchedPage, document: Document, claims: Sequence[Claim]) -> StoreResult:
    """Store a fetched page with the document read from it and its claims, in one transaction.

    The document is written through the store's write path (new, unchanged or a new version of
    its URL); the page row points at it, or at the stored document of the same text.
    """
    with session(engine) as s:
        result = write_document(s, document, claims)
        s.add(Page(url=fetched.url, document_id=result.document.id, status=fetched.status, etag=fetched.etag,
                   last_modified=fetched.last_modified, content_type=fetched.content_type,
                   encoding=fetched.encoding, content_hash=fetched.content_hash, body=compress(fetched.body)))
    return result


def pages_by_document(engine: Engine) -> dict[int, Page]:
    """The newest stored page of each document read from a fetched page."""
    with Session(engine) as s:
        rows = s.execute(select(Page).where(Page.document_id.is_not(None)).order_by(Page.id)).scalars().all()
    return {p.document_id: p for p in rows}


def forget_pages(s: Session, document_id: int) -> None:
    """Remove the pages read into a document (in the caller's transaction)."""
    s.execute(delete(Page).where(Page.document_id == document_id))


# -- feeds --------------------------------------------------------------------------------------

def add_feed(engine: Engine, url: str, *, story: Optional[str] = None) -> Feed:
    """Follow a feed; following one already followed changes its story."""
    with session(engine) as s:
        feed = s.execute(select(Feed).where(Feed.url == url)).scalars().first()
        if feed is None:
            feed = Feed(url=url, story=story)
        elif story is not None:
            feed.story = story
        s.add(feed)
        s.flush()
        s.refresh(feed)
        return feed


def list_feeds(engine: Engine) -> list[Feed]:
    """The followed feeds, in the order they were added."""
    with Session(engine) as s:
        return list(s.execute(select(Feed).order_by(Feed.id)).scalars().all())


def remove_feed(engine: Engine, url: str) -> None:
    """Stop following a feed (its pages stay stored)."""
    with session(engine) as s:
        gone = s.execute(delete(Feed).where(Feed.url == url)).rowcount
    if not gone:
        raise FeedError(f"{url}: not a followed feed; `tracker feed list` lists them")


def mark_polled(engine: Engine, feed_id: int, *, kind: Optional[str] = None, title: Optional[str] = None,
                etag: Optional[str] = None, last_modified: Optional[str] = None) -> None:
    """Record a poll of a feed: when, what it is, and its validators for the next conditional request."""
    values: dict = {"polled_at": utcnow(), "etag": etag, "last_modified": last_modified}
    if kind:
        values["kind"] = kind
    if title:
        values["title"] = title
    with session(engine) as s:
        s.execute(update(Feed).where(Feed.id == feed_id).values(**values))


# -- changes of watch rounds ----------------------------------------------------------------------

def save_round(engine: Engine, changes: Sequence[dict]) -> int:
    """Store the changes of one watch round (even none); returns the round's number."""
    with session(engine) as s:
        last = s.execute(select(func.max(FetchChange.round))).scalar() or 0
        number = last + 1
        rows = changes or [{"kind": "round"}]  # an empty round is remembered too: "nothing since"
        for change in rows:
            s.add(FetchChange(round=number, kind=str(change.get("kind", "")),
                              data=json.dumps(change, ensure_ascii=False, default=str, sort_keys=True)))
    return number


def last_round(engine: Engine) -> tuple[Optional[int], list[dict]]:
    """The number and the changes of the newest watch round (None, [] when there was none)."""
    with Session(engine) as s:
        number = s.execute(select(func.max(FetchChange.round))).scalar()
        if number is None:
            return None, []
        rows = s.execute(select(FetchChange).where(FetchChange.round == number).order_by(FetchChange.id)).scalars().all()
    return number, [json.loads(r.data) for r in rows if r.kind != "round"]
