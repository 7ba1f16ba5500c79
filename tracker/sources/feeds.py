"""Feeds of news: RSS and Atom (feedparser) and news sitemaps (lxml), read into entries with a link and a date.

A feed that is not XML, or not a feed, is one InputError naming it; an entry without a link is
reported alone (as an InputError among the entries) and the others are read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional, Union
from urllib.parse import urljoin

from tracker.errors import InputError
from tracker.sources.dates import normalize_date
from tracker.sources.urls import is_url, normalize_url

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


@dataclass
class FeedEntry:
    """One article a feed lists: its link (normalized), title and publication time (UTC ISO), if given."""

    link: str
    title: Optional[str] = None
    published: Optional[str] = None  # ISO 8601 date-time in UTC


@dataclass
class Feed:
    """What one feed lists: `kind` rss, atom or sitemap; `sitemaps` for a sitemap index."""

    url: str
    kind: str
    title: Optional[str]
    entries: list[Union[FeedEntry, InputError]]
    sitemaps: list[str]


def parse_feed(body: bytes, url: str) -> Feed:
    """The entries of an RSS or Atom feed, a news sitemap or a sitemap index, from its bytes."""
    head = body.lstrip()[:512].lower()
    if not head.startswith(b"<"):
        raise InputError(f"{url}: not a feed (not XML)")
    if b"<urlset" in body[:4096].lower() or b"<sitemapindex" in body[:4096].lower():
        return _parse_sitemap(body, url)
    return _parse_syndication(body, url)


def _iso(struct) -> Optional[str]:
    if not struct:
        return None
    return datetime(*struct[:6], tzinfo=timezone.utc).isoformat(timespec="seconds")


def _parse_syndication(body: bytes, url: str) -> Feed:
    import feedparser

    parsed = feedparser.parse(body)
    version = parsed.get("version") or ""
    if not version:
        problem = getattr(parsed.get("bozo_exception"), "getMessage", lambda: None)() or "not RSS or Atom"
        raise InputError(f"{url}: not a feed ({_short(problem)})")
    kind = "atom" if version.startswith("atom") else "rss"
    entries: list[Union[FeedEntry, InputError]] = []
    for number, entry in enumerate(parsed.entries, start=1):
        title = (entry.get("title") or "").strip() or None
        link = entry.get("link") or next((l.get("href") for l in entry.get("links", []) if l.get("href")), None)
        if not link and is_url(str(entry.get("id") or "")):
            link = entry.get("id")  # an RSS guid that is a permalink
        if not link:
            entries.append(InputError(f"{url}: entry {number}{f' ({title!r})' if title else ''} has no link"))
            continue
        link = urljoin(url, link.strip())
        if not is_url(link):
            entries.append(InputError(f"{url}: entry {number} links to something not http(s): {link}"))
            continue
        published = _iso(entry.get("published_parsed") or entry.get("updated_parsed"))
        entries.append(FeedEntry(normalize_url(link), title, published))
    return Feed(url, kind, (parsed.feed.get("title") or None), entries, [])


def _parse_sitemap(body: bytes, url: str) -> Feed:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{url}: not a feed (not well-formed XML: {_short(str(exc))})") from None
    name = etree.QName(root).localname
    ns = {"s": SITEMAP_NS, "n": NEWS_NS}
    if name == "sitemapindex":
        locs = [normalize_url(t.strip()) for t in root.xpath("s:sitemap/s:loc/text()", namespaces=ns)]
        return Feed(url, "sitemap", None, [], [u for u in locs if u and is_url(u)])
    entries: list[Union[FeedEntry, InputError]] = []
    for number, node in enumerate(root.xpath("s:url", namespaces=ns), start=1):
        loc = "".join(node.xpath("s:loc/text()", namespaces=ns)).strip()
        title = "".join(node.xpath("n:news/n:title/text()", namespaces=ns)).strip() or None
        if not loc or not is_url(loc):
            entries.append(InputError(f"{url}: entry {number}{f' ({title!r})' if title else ''} has no link"))
            continue
        when = "".join(node.xpath("n:news/n:publication_date/text()", namespaces=ns)).strip() \
            or "".join(node.xpath("s:lastmod/text()", namespaces=ns)).strip()
        entries.append(FeedEntry(normalize_url(loc), title, _sitemap_time(when)))
    return Feed(url, "sitemap", None, entries, [])


def _sitemap_time(text: str) -> Optional[str]:
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            day = normalize_date(text, "sitemap")
        except InputError:
            return None
        return f"{day}T00:00:00+00:00" if day else None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).isoformat(timespec="seconds")


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
