"""Following the news: pages fetched by URL, feeds polled, edits caught, all against a server of the tests' own.

Every request any Fetcher makes goes through a transport that lets through only 127.0.0.1 (a
name it does not know fails as DNS would, without leaving the machine), and is logged; each
test asserts nothing else was asked for.
"""

from __future__ import annotations

import gzip
import json
import socket
import time
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select
from pytest_httpserver import HTTPServer
from werkzeug import Response as WResponse

from tracker import store
from tracker.cli import app
from tracker.ingest import ingest
from tracker.ingest.follow import follow, ingest_urls, poll_feeds, reextract
from tracker.sources import fetch as fetch_mod
from tracker.sources.fetch import FetchError, FetchPolicy, Fetcher
from tracker.sources.urls import normalize_url
from tracker.store.documents import document_claims, list_documents
from tracker.store.pages import Page
from tracker.timeline.watch import parse_interval, watch_round

PAGES = Path(__file__).parent / "pages" / "follow"
ARTICLE = PAGES / "article.html"
FAST = dict(connect_timeout=1.0, read_timeout=0.4, total_timeout=3.0, backoff=0.05, per_host_interval=0.0,
            attempts=3, max_bytes=200_000, max_wait=5.0, trust_env=False)
FAST_TOML = """
[client]
connect_timeout = 1.0
read_timeout = 0.4
total_timeout = 3.0
max_bytes = 200000
trust_env = false
[retry]
backoff = 0.05
max_wait = 5.0
[politeness]
per_host_interval = 0.0
"""


class LocalOnly(httpx.HTTPTransport):
    """A transport that reaches 127.0.0.1 only: any other host fails as an unknown name (like DNS)."""

    def __init__(self, log: list):
        super().__init__()
        self.log = log

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.log.append((time.monotonic(), request.url.host, str(request.url), dict(request.headers)))
        if request.url.host != "127.0.0.1":
            raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)
        return super().handle_request(request)


@pytest.fixture
def wire(monkeypatch):
    """Every request of every Fetcher (library or CLI) goes through LocalOnly; the list is its log."""
    log: list = []
    monkeypatch.setattr(fetch_mod, "default_transport", lambda: LocalOnly(log))
    yield log
    assert {host for _, host, _, _ in log} <= {"127.0.0.1", "news.invalid"}


@pytest.fixture
def server():
    """The tests' HTTP server on 127.0.0.1 (a thread per request, so a slow page holds up no other),
    with a robots.txt allowing all but /private."""
    httpserver = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    httpserver.start()
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private\n", content_type="text/plain")
    yield httpserver
    httpserver.clear()
    httpserver.stop()


@pytest.fixture
def fast_config(tmp_path, monkeypatch):
    """Short timeouts and backoffs for CLI runs ($TRACKER_FETCH_CONFIG)."""
    path = tmp_path / "fetch.toml"
    path.write_text(FAST_TOML)
    monkeypatch.setenv("TRACKER_FETCH_CONFIG", str(path))
    return path


def fetcher(**overrides) -> Fetcher:
    return Fetcher(FetchPolicy.from_config(**{**FAST, **overrides}))


def article(hostages: int = 240) -> str:
    return ARTICLE.read_text(encoding="utf-8").replace("240 hostages", f"{hostages} hostages")


def serve_page(server, path: str, html: str, **headers) -> str:
    server.expect_request(path).respond_with_data(html, content_type="text/html; charset=utf-8", headers=headers)
    return server.url_for(path)


def claim_rows(claims) -> list[tuple]:
    return sorted((c.figure, c.aspect, c.value, c.low, c.high, c.hedge, c.text, c.start, c.end, c.attribution,
                   c.date) for c in claims)


# -- URLs ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("given, normal", [
    ("HTTPS://News.Example.ORG:443/world/talks/?utm_source=rss&utm_medium=x&b=2&a=1#latest",
     "https://news.example.org/world/talks?a=1&b=2"),
    ("http://news.example.org:80/live/?fbclid=abc", "http://news.example.org/live"),
    ("https://news.example.org/a?gclid=1&id=7", "https://news.example.org/a?id=7"),
    ("http://127.0.0.1:8080/x/", "http://127.0.0.1:8080/x"),
    ("https://news.example.org/", "https://news.example.org/"),
    ("https://news.example.org", "https://news.example.org/"),
])
def test_urls_are_normalized(given, normal):
    """Case of scheme and host, default ports, trailing slash, fragment, tracking parameters, parameter order."""
    assert normalize_url(given) == normal


def test_a_saved_page_with_a_tracked_url_is_a_version_of_the_clean_one(engine, tmp_path):
    """Front-matter URLs are normalized too, so two copies of one page differing in tracking are versions."""
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("---\nurl: https://News.example.org/live/?utm_source=x\ndate: 2025-05-14\n---\n"
                 "Officials said 240 hostages are held.\n")
    b.write_text("---\nurl: https://news.example.org/live#top\ndate: 2025-05-14\n---\n"
                 "Officials said 236 hostages are held.\n")
    ingest(engine, [a, b])
    rows = list_documents(engine)
    assert {r.url for r in rows} == {"https://news.example.org/live"}
    assert sorted((r.version, r.current) for r in rows) == [(1, False), (2, True)]


# -- pages by URL ---------------------------------------------------------------------------------

def test_ingest_by_url_equals_ingest_of_the_saved_page(server, wire, tmp_path):
    """The claims, title, outlet and date of a fetched page are those of the same page saved to disk."""
    url = serve_page(server, "/world/talks", ARTICLE.read_text(encoding="utf-8"))
    fetched = store.make_engine(f"sqlite:///{tmp_path / 'fetched.db'}")
    saved = store.make_engine(f"sqlite:///{tmp_path / 'saved.db'}")
    with fetcher() as f:
        summary = ingest_urls(fetched, [url], fetcher=f)
    assert summary.line() == "1 new, 0 unchanged, 0 updated, 0 skipped"
    ingest(saved, [ARTICLE])
    (a,), (b,) = list_documents(fetched), list_documents(saved)
    assert (a.title, a.source, a.date) == (b.title, b.source, b.date) == (
        "Mediators report slow progress in Lakeside talks", "The Harbour Courier", "2025-05-14")
    assert a.url == normalize_url(url) and a.doc == a.url
    doc_a, doc_b = (store.documents.find_document(e, str(r.id)) for e, r in ((fetched, a), (saved, b)))
    assert doc_a.body == doc_b.body
    claims = document_claims(fetched, doc_a)
    assert claim_rows(claims) == claim_rows(document_claims(saved, doc_b))
    assert {(c.figure, c.value or c.high) for c in claims} >= {("hostages", 240), ("prisoners", 600)}


def test_the_raw_response_is_stored_compressed(server, wire, engine):
    """The page row keeps status, validators, type, charset and the body, zlib-compressed."""
    html = article()
    url = serve_page(server, "/p", html, ETag='"v1"', **{"Last-Modified": "Wed, 14 May 2025 09:30:00 GMT"})
    with fetcher() as f:
        ingest_urls(engine, [url], fetcher=f)
    with Session(engine) as s:
        (page,) = s.exec(select(Page)).all()
    import zlib
    assert zlib.decompress(page.body).decode("utf-8") == html
    assert len(page.body) < len(html.encode())
    assert (page.status, page.etag, page.last_modified, page.content_type, page.encoding) == (
        200, '"v1"', "Wed, 14 May 2025 09:30:00 GMT", "text/html", "utf-8")


def test_a_second_fetch_of_an_unchanged_page_stores_nothing(server, wire, engine):
    """Fetched again, the same page asks conditionally (ETag, Last-Modified) and stores no document or page."""
    html = article()

    def handler(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return WResponse(status=304)
        return WResponse(html, content_type="text/html; charset=utf-8",
                         headers={"ETag": '"v1"', "Last-Modified": "Wed, 14 May 2025 09:30:00 GMT"})

    server.expect_request("/cond").respond_with_handler(handler)
    plain = serve_page(server, "/plain", html.replace("Lakeside", "Hillside"))  # no validators at all
    url = server.url_for("/cond")
    with fetcher() as f:
        first = ingest_urls(engine, [url, plain], fetcher=f)
        second = ingest_urls(engine, [url, plain], fetcher=f)
    assert first.line() == "2 new, 0 unchanged, 0 updated, 0 skipped"
    assert second.line() == "0 new, 2 unchanged, 0 updated, 0 skipped"
    conditional = [h for _, _, u, h in wire if u.endswith("/cond")]
    assert conditional[-1].get("if-none-match") == '"v1"'
    assert conditional[-1].get("if-modified-since") == "Wed, 14 May 2025 09:30:00 GMT"
    assert len(list_documents(engine)) == 2
    with Session(engine) as s:
        assert len(s.exec(select(Page)).all()) == 2


def test_an_edited_page_becomes_a_new_version(server, wire, engine):
    """The same URL with another figure is version 2; its claims replace version 1's."""
    server.expect_oneshot_request("/live").respond_with_data(article(240), content_type="text/html")
    server.expect_oneshot_request("/live").respond_with_data(article(236), content_type="text/html")
    url = server.url_for("/live")
    with fetcher() as f:
        ingest_urls(engine, [url], fetcher=f)
        summary = ingest_urls(engine, [url], fetcher=f)
    assert summary.line() == "0 new, 0 unchanged, 1 updated, 0 skipped"
    (version,) = summary.versions
    held = store.query_claims(engine, "hostages")
    assert [(c.value, c.document_id) for c in held] == [(236, version.new_document_id)]


# -- the network's failures ---------------------------------------------------------------------------

def _closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def test_every_bad_url_is_one_line_and_the_batch_goes_on(server, wire, runner, fast_config, tmp_path):
    """DNS, refused, timeout, TLS, 404, 410, a redirect loop, too many redirects, a non-HTML body, a body
    over the cap: one line each naming the URL, the good page stored, exit 1, no traceback."""
    server.expect_request("/missing").respond_with_data("no", status=404)
    server.expect_request("/gone").respond_with_data("gone", status=410)
    server.expect_request("/loop-a").respond_with_data("", status=302, headers={"Location": "/loop-b"})
    server.expect_request("/loop-b").respond_with_data("", status=301, headers={"Location": "/loop-a"})
    for i in range(8):
        server.expect_request(f"/hop{i}").respond_with_data("", status=302, headers={"Location": f"/hop{i + 1}"})
    server.expect_request("/report.pdf").respond_with_data(b"%PDF-1.4 binary", content_type="application/pdf")
    server.expect_request("/huge").respond_with_data("<html><body>" + "x" * 400_000 + "</body></html>",
                                                     content_type="text/html")
    server.expect_request("/slow").respond_with_handler(
        lambda request: (time.sleep(1.0), WResponse("<html></html>", content_type="text/html"))[1])
    good = serve_page(server, "/world/talks", article())
    port = server.port
    bad = {
        "http://news.invalid/story": "cannot resolve the host name news.invalid (DNS)",
        f"http://127.0.0.1:{_closed_port()}/story": "connection refused",
        server.url_for("/slow"): "timed out waiting for the server",
        f"https://127.0.0.1:{port}/world/talks": "TLS error",
        server.url_for("/missing"): "not found (HTTP 404)",
        server.url_for("/gone"): "gone (HTTP 410)",
        server.url_for("/loop-a"): "redirect loop",
        server.url_for("/hop0"): "more than 5 redirects",
        server.url_for("/report.pdf"): "not an HTML page (content type application/pdf)",
        server.url_for("/huge"): "body larger than the cap of 200,000 bytes",
        server.url_for("/private/memo"): "robots.txt of",
    }
    db = f"sqlite:///{tmp_path / 't.db'}"
    res = runner.invoke(app, ["ingest", *bad, good, "--db", db])
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output and res.exception is None or isinstance(res.exception, SystemExit)
    lines = [line for line in res.stderr.splitlines() if line.startswith("skipped ")]
    assert len(lines) == len(bad)
    for url, problem in bad.items():
        (line,) = [line for line in lines if line.startswith(f"skipped {normalize_url(url)}: ")]
        assert problem in line, line
    assert "1 new, 0 unchanged, 0 updated, 11 skipped" in res.stderr
    assert [r.url for r in list_documents(store.make_engine(db))] == [normalize_url(good)]
    assert not any(u.startswith(server.url_for("/private")) for _, _, u, _ in wire)


def test_robots_txt_disallow_is_obeyed_and_read_once(server, wire):
    """A disallowed path is never requested; robots.txt is asked for once per host."""
    ok = serve_page(server, "/world/a", article())
    with fetcher() as f:
        with pytest.raises(FetchError, match="robots.txt of http://127.0.0.1:.* disallows"):
            f.fetch(server.url_for("/private/b"))
        f.fetch(ok)
        f.fetch(ok)
    paths = [httpx.URL(u).path for _, _, u, _ in wire]
    assert paths.count("/robots.txt") == 1
    assert "/private/b" not in paths


def test_the_user_agent_names_the_tool(server, wire):
    url = serve_page(server, "/ua", article())
    with fetcher() as f:
        f.fetch(url)
    agents = {h.get("user-agent") for _, _, _, h in wire}
    assert len(agents) == 1 and agents.pop().startswith("tracker/")


def test_gzip_and_the_charset_of_the_headers(server, wire):
    """A gzip body is decoded; a page in windows-1255 named only by the header is read in it."""
    html = ("<html><head><title>t</title></head><body><article><p>"
            "\u05e9\u05dc\u05d5\u05dd 240 hostages are held, the ministry said.</p></article></body></html>")
    raw = gzip.compress(html.encode("cp1255"))
    server.expect_request("/he").respond_with_data(
        raw, headers={"Content-Encoding": "gzip", "Content-Type": "text/html; charset=windows-1255"})
    with fetcher() as f:
        response = f.fetch(server.url_for("/he"))
    assert response.text() == html
    assert response.encoding == "windows-1255"


def test_the_per_host_rate_limit_holds(server, wire):
    """Requests to one host are at least per_host_interval apart, even four at a time."""
    urls = [serve_page(server, f"/r{i}", article(200 + i)) for i in range(5)]
    with fetcher(per_host_interval=0.15, concurrency=4) as f:
        results = list(f.fetch_many(fetch_mod.Request(u) for u in urls))
    assert all(not isinstance(r, FetchError) for _, r in results)
    times = sorted(t for t, *_ in wire)
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(times) == 6 and min(gaps) >= 0.13, gaps  # robots.txt and five pages


def test_retries_back_off_and_honour_retry_after(server, wire):
    """503 twice then 200: retried with a growing backoff; a 429's Retry-After is waited for."""
    for _ in range(2):
        server.expect_oneshot_request("/flaky").respond_with_data("busy", status=503)
    server.expect_oneshot_request("/flaky").respond_with_data(article(), content_type="text/html")
    with fetcher(backoff=0.2) as f:
        assert f.fetch(server.url_for("/flaky")).status == 200
    times = [t for t, _, u, _ in wire if u.endswith("/flaky")]
    assert len(times) == 3
    assert 0.18 <= times[1] - times[0] < 1.5 and 0.38 <= times[2] - times[1] < 2.0

    server.expect_oneshot_request("/limited").respond_with_data("slow down", status=429, headers={"Retry-After": "1"})
    server.expect_oneshot_request("/limited").respond_with_data(article(), content_type="text/html")
    with fetcher(backoff=0.01) as f:
        assert f.fetch(server.url_for("/limited")).status == 200
    times = [t for t, _, u, _ in wire if u.endswith("/limited")]
    assert 0.95 <= times[1] - times[0] < 3


def test_a_retry_after_too_long_and_a_lasting_5xx_are_one_line(server, wire):
    server.expect_request("/later").respond_with_data("", status=429, headers={"Retry-After": "3600"})
    server.expect_request("/down").respond_with_data("", status=502)
    with fetcher() as f:
        with pytest.raises(FetchError, match=r"/later: HTTP 429; the site asks to retry after 3600 s"):
            f.fetch(server.url_for("/later"))
        with pytest.raises(FetchError, match=r"/down: bad gateway \(HTTP 502\) after 3 tries"):
            f.fetch(server.url_for("/down"))
    assert len([u for _, _, u, _ in wire if u.endswith("/down")]) == 3


# -- feeds ----------------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbour Courier world</title><link>{base}/</link>
<item><title>Talks</title><link>{base}/world/talks?utm_source=rss</link><pubDate>{recent}</pubDate></item>
<item><title>Older</title><link>{base}/world/older</link><pubDate>Mon, 03 Mar 2025 08:00:00 GMT</pubDate></item>
<item><title>A teaser without a link</title><description>soon</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Courier live</title><id>urn:courier</id>
<updated>2025-05-14T10:00:00Z</updated>
<entry><title>Live</title><id>urn:live</id><link href="/live"/><updated>{recent_iso}</updated></entry>
</feed>"""


def _feeds(server) -> tuple[str, str]:
    base = server.url_for("").rstrip("/")
    now = time.gmtime()
    recent = time.strftime("%a, %d %b %Y %H:%M:%S GMT", now)
    server.expect_request("/rss.xml").respond_with_data(RSS.format(base=base, recent=recent),
                                                        content_type="application/rss+xml")
    server.expect_request("/atom.xml").respond_with_data(
        ATOM.format(recent_iso=time.strftime("%Y-%m-%dT%H:%M:%SZ", now)), content_type="application/atom+xml")
    return server.url_for("/rss.xml"), server.url_for("/atom.xml")


def test_fetch_polls_rss_and_atom_and_refetches_only_recent_entries(server, wire, engine):
    rss, atom = _feeds(server)
    serve_page(server, "/world/talks", article(240))
    serve_page(server, "/world/older", article(180).replace("Lakeside", "Riverside"))
    serve_page(server, "/live", article(120).replace("Lakeside", "Mountain"))
    follow(engine, rss, story="lakeside-talks")
    follow(engine, atom)
    with fetcher() as f:
        first = poll_feeds(engine, fetcher=f)
        second = poll_feeds(engine, fetcher=f)
    assert first.summary.line() == "3 new, 0 unchanged, 0 updated, 1 skipped"
    assert first.problems == [f"{normalize_url(rss)}: entry 3 ('A teaser without a link') has no link"]
    assert [(r.kind, r.entries, r.fetched) for r in first.feeds] == [("rss", 2, 2), ("atom", 1, 1)]
    # the recent entries are fetched again (and found unchanged); the old one is not
    assert second.summary.line() == "0 new, 2 unchanged, 0 updated, 1 skipped"
    assert len([u for _, _, u, _ in wire if u.endswith("/world/older")]) == 1
    stories = {r.url.rsplit("/", 1)[-1]: r for r in list_documents(engine)}
    with Session(engine) as s:
        from tracker.store.tables import Document
        story_of = {d.url.rsplit("/", 1)[-1]: d.story for d in s.exec(select(Document)).all()}
    assert story_of == {"talks": "lakeside-talks", "older": "lakeside-talks", "live": None}
    assert set(stories) == {"talks", "older", "live"}


def test_a_feed_that_is_not_xml_is_one_line(server, wire, engine):
    server.expect_request("/notfeed").respond_with_data("just words, no feed", content_type="text/plain")
    server.expect_request("/brokenfeed").respond_with_data("<rss><channel><item><title>x", content_type="text/xml")
    follow(engine, server.url_for("/notfeed"))
    follow(engine, server.url_for("/brokenfeed"))
    with fetcher() as f:
        result = poll_feeds(engine, fetcher=f)
    assert result.problems[0] == f"{normalize_url(server.url_for('/notfeed'))}: not a feed (not XML)"
    assert result.problems[1].startswith(normalize_url(server.url_for("/brokenfeed")))
    assert len(result.problems) == 2


def test_a_news_sitemap_is_a_feed(server, wire, engine):
    base = server.url_for("").rstrip("/")
    sitemap = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{base}/world/talks</loc><news:news><news:publication_date>2025-05-14T09:30:00+00:00</news:publication_date>
<news:title>Talks</news:title></news:news></url></urlset>"""
    server.expect_request("/news-sitemap.xml").respond_with_data(sitemap, content_type="application/xml")
    serve_page(server, "/world/talks", article())
    follow(engine, server.url_for("/news-sitemap.xml"))
    with fetcher() as f:
        result = poll_feeds(engine, fetcher=f)
    assert [(r.kind, r.entries) for r in result.feeds] == [("sitemap", 1)]
    assert result.summary.line() == "1 new, 0 unchanged, 0 updated, 0 skipped"


# -- watch -----------------------------------------------------------------------------------------

def test_watch_once_reports_an_edited_figure_once(server, wire, runner, fast_config, tmp_path):
    """A live page edited between two rounds: round 2 reports 240 → 236 with both sentences, and
    `--notify` gets it as a JSON line; round 3 reports nothing; `changes --since-fetch` shows the last round."""
    server.expect_oneshot_request("/live").respond_with_data(article(240), content_type="text/html")
    server.expect_oneshot_request("/live").respond_with_data(article(236), content_type="text/html")
    server.expect_oneshot_request("/live").respond_with_data(article(236), content_type="text/html")
    db = f"sqlite:///{tmp_path / 'w.db'}"
    notified = tmp_path / "notified.jsonl"
    assert runner.invoke(app, ["feed", "add", server.url_for("/live"), "--db", db]).exit_code == 0
    rounds = []
    for _ in range(3):
        res = runner.invoke(app, ["watch", "--once", "--db", db, "--format", "jsonl",
                                  "--notify", f"cat >> {notified}"])
        assert res.exit_code == 0, res.output
        rounds.append([json.loads(line) for line in res.stdout.splitlines() if line.strip()])
    first, second, third = rounds
    assert [c["kind"] for c in first] == ["estimate", "estimate"]  # the page's series appear
    changed = [c for c in second if c["kind"] == "value_changed"]
    assert len(changed) == 1
    (c,) = changed
    assert (c["series"], c["old"], c["new"]) == ("hostages held", "240", "236")
    assert "240 hostages are still held" in c["old_quote"] and "236 hostages are still held" in c["new_quote"]
    assert {"kind": "estimate", "series": "hostages held"}.items() <= next(
        x for x in second if x["kind"] == "estimate").items()
    assert third == []
    lines = [json.loads(line) for line in notified.read_text().splitlines()]
    assert len(lines) == len(first) + len(second)
    assert sum(line["kind"] == "value_changed" for line in lines) == 1
    res = runner.invoke(app, ["changes", "--since-fetch", "--db", db, "--format", "json"])
    assert res.exit_code == 0 and json.loads(res.stdout) == []


def test_changes_since_fetch_shows_the_last_round(server, wire, engine):
    server.expect_oneshot_request("/live").respond_with_data(article(240), content_type="text/html")
    server.expect_oneshot_request("/live").respond_with_data(article(250), content_type="text/html")
    follow(engine, server.url_for("/live"))
    with fetcher() as f:
        watch_round(engine, fetcher=f)
        second = watch_round(engine, fetcher=f)
    from tracker.timeline.watch import changes_since_fetch
    number, changes = changes_since_fetch(engine)
    assert number == second.number == 2
    assert [(c["kind"], c.get("old"), c.get("new")) for c in changes if c["kind"] == "value_changed"] == [
        ("value_changed", "240", "250")]


def test_watch_intervals():
    assert [parse_interval(t) for t in ("15m", "90s", "1h30m", "2h", "45")] == [900, 90, 5400, 7200, 45]
    with pytest.raises(ValueError, match="not a time interval"):
        parse_interval("soon")


# -- reextract ---------------------------------------------------------------------------------------

def test_reextract_after_a_lexicon_change_updates_every_page_without_fetching(server, wire, runner, fast_config,
                                                                              tmp_path):
    db = f"sqlite:///{tmp_path / 'r.db'}"
    urls = [serve_page(server, "/a", article(240)), serve_page(server, "/b", article(236).replace("12 relief", "9 relief"))]
    assert runner.invoke(app, ["ingest", *urls, "--db", db]).exit_code == 0
    engine = store.make_engine(db)
    assert store.query_claims(engine, "aid_flights") == []
    requests_before = len(wire)
    lexicon = tmp_path / "flights.toml"
    lexicon.write_text('[figures.aid_flights]\nunit = "item"\nnouns = ["relief flight"]\n')
    res = runner.invoke(app, ["reextract", "--db", db, "--lexicon", str(lexicon)])
    assert res.exit_code == 0, res.output
    assert "2 documents read again (2 from stored pages), claims changed in 2" in res.stderr
    assert len(wire) == requests_before  # nothing fetched
    flights = store.query_claims(engine, "aid_flights")
    assert sorted((c.url, c.value) for c in flights) == sorted(zip(map(normalize_url, urls), (12, 9)))
    assert [c.value for c in store.query_claims(engine, "hostages")] != []


def test_reextract_reads_stored_text_documents_too_and_keeps_versions(engine, tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("---\nurl: https://news.example.org/x\ndate: 2025-05-14\n---\nA first convoy of 7 relief flights left.\n")
    b = tmp_path / "b.txt"
    b.write_text("---\nurl: https://news.example.org/x\ndate: 2025-05-15\n---\nA first convoy of 8 relief flights left.\n")
    ingest(engine, [a, b])
    lexicon = tmp_path / "flights.toml"
    lexicon.write_text('[figures.aid_flights]\nunit = "item"\nnouns = ["relief flight"]\n')
    summary = reextract(engine, lexicon=(str(lexicon),))
    assert (summary.documents, summary.pages, summary.changed) == (2, 0, 2)
    # only the current version's claim is in the timeline
    assert [c.value for c in store.query_claims(engine, "aid_flights")] == [8]


def test_urls_file_and_the_feed_commands(server, wire, runner, fast_config, tmp_path):
    """`ingest --urls FILE` reads one URL a line (comments and blanks left out); feeds are added,
    listed with their story and kind, and removed by any spelling of their URL."""
    db = f"sqlite:///{tmp_path / 'f.db'}"
    a, b = serve_page(server, "/a", article(240)), serve_page(server, "/b", article(230).replace("Lakeside", "Hill"))
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# followed pages\n{a}\n\n{b}?utm_campaign=x\n{a}#again\n")
    res = runner.invoke(app, ["ingest", "--urls", str(listing), "--db", db])
    assert res.exit_code == 0, res.output
    assert "2 new, 0 unchanged, 0 updated, 0 skipped" in res.stderr
    rss, _ = _feeds(server)
    assert runner.invoke(app, ["feed", "add", rss, "--story", "lakeside-talks", "--db", db]).exit_code == 0
    assert runner.invoke(app, ["fetch", "--db", db]).exit_code == 1  # the entry without a link
    rows = json.loads(runner.invoke(app, ["feed", "list", "--db", db, "--format", "json"]).stdout)
    assert [(r["url"], r["kind"], r["story"]) for r in rows] == [(normalize_url(rss), "rss", "lakeside-talks")]
    assert runner.invoke(app, ["feed", "remove", rss + "#x",
                               "--db", db]).exit_code == 0
    assert json.loads(runner.invoke(app, ["feed", "list", "--db", db, "--format", "json"]).stdout) == []
    res = runner.invoke(app, ["feed", "remove", rss, "--db", db])
    assert res.exit_code == 1 and "not a followed feed" in res.stderr


def test_reextract_keeps_the_ids_of_claims_found_again(engine, tmp_path):
    """A claim found again on the same span keeps its stored id; only new spans get new rows."""
    from tracker.store.tables import ClaimRecord

    a = tmp_path / "a.txt"
    a.write_text("---\ndate: 2025-05-14\n---\nOfficials said 240 hostages are held. A convoy of 7 relief flights left.\n")
    ingest(engine, [a])
    with Session(engine) as s:
        before = {r.text: r.id for r in s.exec(select(ClaimRecord)).all()}
    lexicon = tmp_path / "flights.toml"
    lexicon.write_text('[figures.aid_flights]\nunit = "item"\nnouns = ["relief flight"]\n')
    reextract(engine, lexicon=(str(lexicon),))
    with Session(engine) as s:
        after = {r.text: r.id for r in s.exec(select(ClaimRecord)).all()}
    assert before == {"240 hostages": before["240 hostages"]}
    assert after["240 hostages"] == before["240 hostages"] and set(after) == {"240 hostages", "7 relief flights"}


def test_a_server_dripping_bytes_is_cut_off(server, wire):
    """A page sent a few bytes at a time, never pausing long enough for the read timeout, is cut off
    at the total timeout."""
    def drip():
        yield b"<html><body><article><p>"
        for _ in range(16):
            time.sleep(0.1)
            yield b"240 hostages are held. "

    server.expect_request("/drip").respond_with_handler(
        lambda request: WResponse(drip(), content_type="text/html", direct_passthrough=True))
    started = time.monotonic()
    with fetcher(total_timeout=1.0, read_timeout=0.5) as f:
        with pytest.raises(FetchError, match=r"/drip: took longer than 1 s to send; cut off"):
            f.fetch(server.url_for("/drip"))
    assert time.monotonic() - started < 3.5


def test_watch_reports_a_new_dispute_and_a_failing_notify_is_a_warning(server, wire, engine, tmp_path):
    """A second outlet's page giving another count for the same day is a new dispute in that round;
    a --notify command that fails is reported and the round still stored."""
    from tracker.timeline.watch import notify

    serve_page(server, "/a", article(240))
    # Another voice (two claims of one voice are never a dispute): the militia's own count.
    other = article(300).replace("The Harbour Courier", "The Valley Post").replace(
        "Negotiators meeting at the lakeside resort said", "Militia commanders said")
    assert "Militia commanders said" in other
    serve_page(server, "/b", other)
    follow(engine, server.url_for("/a"))
    with fetcher() as f:
        watch_round(engine, fetcher=f)
        follow(engine, server.url_for("/b"))
        second = watch_round(engine, fetcher=f)
    (dispute,) = [c for c in second.changes if c["kind"] == "dispute"]
    assert dispute["series"] == "hostages held" and dispute["date"] == "2025-05-14"
    assert {dispute["old"].split()[0], dispute["new"].split()[0]} == {"240", "300"}
    assert sorted(dispute["sources"]) == ["The Harbour Courier", "The Valley Post"]
    problems = notify("exit 3", second.changes[:1])
    assert problems == ["--notify 'exit 3': exit 3"]
