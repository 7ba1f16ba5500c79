"""Following the news: fetch pages and feeds, read and extract them, store them with the raw responses.

fetch (sources.fetch) → read (sources.webpage, sources.feeds) → extract → store (store.pages),
one transaction per page. A page fetched again is compared before anything is stored: a 304 to
the stored validators, or the same bytes, or the same article text, is "unchanged"; other text
at the same URL is a new version. `reextract` reads every stored page (or document) again with
the current reader, extractor and lexicon, without fetching.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable, Optional

from sqlalchemy.engine import Engine

from tracker.errors import InputError
from tracker.ingest import IngestInterrupted, IngestSummary, Outcome, claims_for, to_document
from tracker.models import Claim
from tracker.sources.config import fetch_config
from tracker.sources.feeds import parse_feed
from tracker.sources.fetch import FEED, PAGE, FetchError, Fetcher, Request, Response, decode_body
from tracker.sources.readers import looks_like_html
from tracker.sources.urls import is_url, normalize_url, site_name
from tracker.sources.webpage import read_page
from tracker.store.documents import document_claims, is_stored, stored_documents
from tracker.store.pages import (FetchedPage, Page, add_feed, current_document, latest_page, list_feeds,
                                 mark_polled, page_body, pages_by_document, store_page, touch_page)
from tracker.store.tables import Document
from tracker.store.writes import content_hash, replace_claims


@dataclass
class VersionChange:
    """A page fetched again with other text: the document it was, and the new version stored."""

    url: str
    old_document_id: int
    new_document_id: int


@dataclass
class FollowSummary(IngestSummary):
    """An ingest of fetched pages: the outcomes, and the pages that became a new version."""

    versions: list[VersionChange] = field(default_factory=list)


@dataclass
class FeedResult:
    """One feed polled: what it is, how many entries it listed, and what came of them."""

    url: str
    kind: Optional[str] = None
    entries: int = 0
    fetched: int = 0
    summary: FollowSummary = field(default_factory=FollowSummary)
    problem: str = ""

    def line(self) -> str:
        """'URL (rss): 12 entries, 3 fetched: 2 new, 1 unchanged, 0 updated, 0 skipped'."""
        if self.problem:
            return f"{self.url}: {self.problem}"
        kind = f" ({self.kind})" if self.kind else ""
        return f"{self.url}{kind}: {self.entries} entries, {self.fetched} fetched: {self.summary.line()}"


@dataclass
class FetchRound:
    """A poll of every followed feed and page."""

    feeds: list[FeedResult] = field(default_factory=list)
    summary: FollowSummary = field(default_factory=FollowSummary)

    @property
    def problems(self) -> list[str]:
        """Every feed that could not be read and every entry not stored, one line each."""
        return [f.line() for f in self.feeds if f.problem] + [o.reason for o in self.summary.skipped]


def read_urls_file(path: str) -> list[str]:
    """The URLs listed in a file, one a line (blank lines and lines starting with # left out)."""
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text") from exc
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _outcome_for_page(engine: Engine, url: str, response: Response, latest: Optional[Page], *,
                      source: Optional[str], date: Optional[str], lexicon, story: Optional[str],
                      summary: FollowSummary, gazetteer=None) -> Outcome:
    """Store one fetched page (or note it unchanged) and say what happened to it."""
    fetched = FetchedPage(url=url, body=response.body, status=response.status, etag=response.etag,
                          last_modified=response.last_modified, content_type=response.content_type)
    if latest is not None and (response.not_modified or latest.content_hash == fetched.content_hash):
        touch_page(engine, latest.id, None if response.not_modified else fetched)
        return Outcome(url, "unchanged")
    try:
        text = response.text()
        fetched.encoding = response.encoding
        item = read_page(text, url)
    except InputError as exc:
        return Outcome(url, "skipped", reason=str(exc))
    meta = dict(item.meta)
    page_url = meta.get("url")
    if page_url and normalize_url(str(page_url)) != url:
        meta["canonical_url"] = normalize_url(str(page_url))
    if response.final_url != url:
        meta["redirected_to"] = response.final_url
    meta["url"] = url  # the page is the URL followed: its versions are found by it
    meta.setdefault("source", source or site_name(url))
    item.meta, item.name = meta, url
    try:
        document = to_document(item, source=source, date=date, story=story)
    except InputError as exc:
        return Outcome(url, "skipped", reason=str(exc))
    if latest is not None and is_stored(engine, document.content_hash):
        touch_page(engine, latest.id, fetched)  # other bytes (an advert, a timestamp), the same article
        return Outcome(url, "unchanged")
    old = current_document(engine, url)
    claims = claims_for(document, lexicon, gazetteer=gazetteer)
    result = store_page(engine, fetched, document, claims)
    if result.status == "updated" and old is not None:
        summary.versions.append(VersionChange(url, old.id, result.document.id))
    return Outcome(url, result.status, result.claims)


def with_story(claims: list[Claim], story: Optional[str]) -> list[Claim]:
    """The claims, each taking the story given where it has none (when claims carry stories)."""
    if story and "story" in Claim.model_fields:
        return [c if getattr(c, "story", None) else c.model_copy(update={"story": story}) for c in claims]
    return claims


def ingest_urls(engine: Engine, urls: Iterable[str], *, fetcher: Optional[Fetcher] = None,
                source: Optional[str] = None, date: Optional[str] = None, lexicon=None,
                story: Optional[str] = None, gazetteer=None,
                on_outcome: Optional[Callable[[Outcome], None]] = None) -> FollowSummary:
    """Fetch each URL (conditionally, when stored before), read the page and store it with its claims.

    Each URL ends new, unchanged, updated (a new version of the page) or skipped with one line
    naming the URL and the problem; the rest go on.
    """
    summary = FollowSummary()

    def record(outcome: Outcome) -> None:
        summary.outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    requests, seen = [], set()
    for raw in urls:
        if not is_url(raw):
            record(Outcome(raw, "skipped", reason=f"{raw}: not an http(s) URL"))
            continue
        url = normalize_url(raw)
        if url in seen:
            continue
        seen.add(url)
        latest = latest_page(engine, url)
        requests.append((Request(url, PAGE, latest.etag if latest else None,
                                 latest.last_modified if latest else None), latest))
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    latest_of = {req.url: latest for req, latest in requests}
    try:
        for req, result in fetcher.fetch_many(req for req, _ in requests):
            if isinstance(result, FetchError):
                record(Outcome(req.url, "skipped", reason=str(result)))
                continue
            record(_outcome_for_page(engine, req.url, result, latest_of[req.url], source=source, date=date,
                                     lexicon=lexicon, story=story, summary=summary, gazetteer=gazetteer))
    except KeyboardInterrupt as exc:
        summary.interrupted = True
        raise IngestInterrupted(summary) from exc
    finally:
        if own:
            fetcher.close()
    return summary


def follow(engine: Engine, url: str, *, story: Optional[str] = None) -> str:
    """Follow a feed (or a live page) from now on; returns its normalized URL."""
    if not is_url(url):
        raise InputError(f"{url}: not an http(s) URL")
    url = normalize_url(url)
    add_feed(engine, url, story=story)
    return url


def _recent(published: Optional[str], since: datetime) -> bool:
    if not published:
        return False
    try:
        when = datetime.fromisoformat(published)
    except ValueError:
        return False
    return when >= since


def poll_feeds(engine: Engine, *, fetcher: Optional[Fetcher] = None, lexicon=None,
               refetch_days: Optional[float] = None, now: Optional[datetime] = None,
               on_outcome: Optional[Callable[[Outcome], None]] = None) -> FetchRound:
    """Poll every followed feed: fetch the entries not stored yet and again those of the last days.

    A followed URL that answers with a web page instead of a feed is a live page: it is stored
    (a new version when its text changed) from that same response. Entries published within
    `refetch_days` (fetch.toml: feeds.refetch_days) are fetched again — conditionally — to catch
    edits made in place.
    """
    days = float(fetch_config().get("feeds", {}).get("refetch_days", 2) if refetch_days is None else refetch_days)
    since = (now or datetime.now(timezone.utc)) - timedelta(days=days)
    out = FetchRound()
    own = fetcher is None
    fetcher = fetcher or Fetcher()

    def record(outcome: Outcome) -> None:
        out.summary.outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    try:
        feeds = list_feeds(engine)
        # a followed live page is fetched once a round, as itself, even when a feed lists it too
        queued: set[str] = {f.url for f in feeds if f.kind == "page"}
        for feed in feeds:
            result = FeedResult(feed.url, feed.kind)
            out.feeds.append(result)
            # A feed is asked for whole: even when it lists nothing new, its recent entries are
            # fetched again. A live page is asked for conditionally, as any stored page.
            latest = latest_page(engine, feed.url) if feed.kind == "page" else None
            try:
                response = fetcher.fetch(feed.url, kind=FEED, etag=latest.etag if latest else None,
                                         last_modified=latest.last_modified if latest else None)
            except FetchError as exc:
                result.problem = exc.problem
                continue
            if response.not_modified or looks_like_html(response.body[:4096].decode("latin-1")):
                result.kind = "page"  # a live page, followed as such
                latest = latest_page(engine, feed.url)
                outcome = _outcome_for_page(engine, feed.url, response, latest, source=None, date=None,
                                            lexicon=lexicon, story=feed.story, summary=out.summary)
                result.entries, result.fetched = 1, 1
                result.summary.outcomes.append(outcome)
                record(outcome)
                mark_polled(engine, feed.id, kind="page", etag=response.etag,
                            last_modified=response.last_modified)
                continue
            try:
                entries, kind, title = _feed_entries(fetcher, response, feed.url)
            except InputError as exc:
                result.problem = str(exc).removeprefix(feed.url + ": ")
                continue
            result.kind = kind
            links = []
            for entry in entries:
                if isinstance(entry, InputError):
                    outcome = Outcome(feed.url, "skipped", reason=str(entry))
                    result.summary.outcomes.append(outcome)
                    record(outcome)
                    continue
                result.entries += 1
                if entry.link in queued:
                    continue
                stored = latest_page(engine, entry.link)
                if stored is None or _recent(entry.published, since):
                    links.append(entry.link)
                    queued.add(entry.link)
            result.fetched = len(links)
            sub = ingest_urls(engine, links, fetcher=fetcher, lexicon=lexicon, story=feed.story,
                              on_outcome=record)
            result.summary.outcomes += sub.outcomes
            out.summary.versions += sub.versions
            mark_polled(engine, feed.id, kind=kind, title=title, etag=response.etag,
                        last_modified=response.last_modified)
    except KeyboardInterrupt as exc:
        out.summary.interrupted = True
        raise IngestInterrupted(out.summary) from exc
    finally:
        if own:
            fetcher.close()
    return out


def _feed_entries(fetcher: Fetcher, response: Response, url: str):
    """The entries of a fetched feed; a sitemap index's sitemaps are fetched and read (one level)."""
    feed = parse_feed(response.body, url)
    entries = list(feed.entries)
    for child in feed.sitemaps:
        try:
            sub = fetcher.fetch(child, kind=FEED)
            entries += parse_feed(sub.body, child).entries
        except InputError as exc:
            entries.append(exc if isinstance(exc, InputError) else InputError(str(exc)))
    return entries, feed.kind, feed.title


@dataclass
class ReextractSummary:
    """What `reextract` did: documents read again, those whose claims changed, claims before and after."""

    documents: int = 0
    pages: int = 0
    changed: int = 0
    claims_before: int = 0
    claims_after: int = 0
    skipped: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One line for people."""
        return (f"{self.documents} documents read again ({self.pages} from stored pages), claims changed in "
                f"{self.changed}: {self.claims_before} claims before, {self.claims_after} after")


def _signature(claims: Iterable[Claim]) -> list[tuple]:
    return sorted((c.figure, c.aspect or "", c.value, c.low, c.high, c.hedge, c.start, c.end, c.attribution or "",
                   tuple(c.qualifiers)) for c in claims)


def reextract(engine: Engine, *, lexicon=None,
              on_document: Optional[Callable[[str, int, int], None]] = None) -> ReextractSummary:
    """Read every stored document again — a fetched page from its stored response — and replace its claims.

    Nothing is fetched. Each document's claims are replaced in one transaction through the store's
    claim write path; the document keeps its id, date, source and version.
    """
    out = ReextractSummary()
    pages = pages_by_document(engine)
    for document in stored_documents(engine):
        body = None
        page = pages.get(document.id)
        if page is not None:
            try:
                html, _ = decode_body(page_body(page), page.encoding, document.doc)
                body = read_page(html, document.doc).body
                out.pages += 1
            except InputError as exc:  # a reader that no longer finds the article: keep the stored text
                out.skipped.append(str(exc))
                body = None
        if body is not None and body != document.body and is_stored(engine, content_hash(body)):
            body = None  # another stored document has that text already: keep this one's
        before = document_claims(engine, document)
        reading = document if body is None else Document(
            body=body, doc=document.doc, date=document.date, source=document.source, content_hash="",
            title=document.title, story=document.story)
        claims = with_story(claims_for(reading, lexicon), document.story)
        replace_claims(engine, document.id, claims, body=body)
        out.documents += 1
        out.claims_before += len(before)
        out.claims_after += len(claims)
        if _signature(before) != _signature(claims):
            out.changed += 1
        if on_document:
            on_document(document.doc, len(before), len(claims))
    return out
