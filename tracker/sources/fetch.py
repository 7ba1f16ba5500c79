"""Fetching pages and feeds over HTTP, politely and under limits (httpx).

Every request names the tool (User-Agent `tracker/<version>`), waits its turn per host, keeps to a
small number in flight, obeys robots.txt (read once per host), follows at most a few redirects,
stops reading past a size cap, and retries 429 and 5xx answers after Retry-After (or a growing
backoff). A stored page's ETag and Last-Modified make the request conditional: an unchanged
page answers 304 and is not read again. Every failure is a FetchError: one line naming the URL
and the problem. The settings are data, in fetch.toml.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Callable, Iterable, Iterator, Optional, Union
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from tracker.errors import InputError
from tracker.sources.config import fetch_config
from tracker.sources.readers import _declared_charset, decode_bytes, looks_like_html
from tracker.sources.urls import host_of, is_url, normalize_url

PAGE, FEED = "page", "feed"


class FetchError(InputError):
    """A URL that could not be fetched: `url` and the `problem`, printed as one line."""

    def __init__(self, url: str, problem: str):
        self.url, self.problem = url, problem
        super().__init__(f"{url}: {problem}")


def user_agent(project_url: str = "") -> str:
    """`tracker/<version>`, with `(+URL)` naming the project page when one is configured."""
    from tracker import __version__

    return f"tracker/{__version__}" + (f" (+{project_url})" if project_url else "")


@dataclass
class FetchPolicy:
    """How to fetch: timeouts, size cap, redirects, retries, politeness (defaults from fetch.toml)."""

    user_agent: str
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    page_types: tuple[str, ...] = ("text/html", "application/xhtml+xml")
    feed_types: tuple[str, ...] = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")
    retry_statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504})
    attempts: int = 3
    backoff: float = 1.0
    max_wait: float = 120.0
    per_host_interval: float = 1.0
    concurrency: int = 4
    respect_robots: bool = True
    robots_agent: str = "tracker"
    #: take proxies and certificates from the environment (HTTPS_PROXY, SSL_CERT_FILE ...)
    trust_env: bool = True

    @classmethod
    def from_config(cls, **overrides) -> "FetchPolicy":
        """The policy fetch.toml (and $TRACKER_FETCH_CONFIG) describes; keyword arguments win."""
        c = fetch_config()
        client, retry, polite = c.get("client", {}), c.get("retry", {}), c.get("politeness", {})
        values = dict(
            user_agent=user_agent(client.get("project_url", "")),
            connect_timeout=float(client.get("connect_timeout", 10)),
            read_timeout=float(client.get("read_timeout", 20)),
            total_timeout=float(client.get("total_timeout", 60)),
            max_bytes=int(client.get("max_bytes", 5_000_000)),
            max_redirects=int(client.get("max_redirects", 5)),
            page_types=tuple(client.get("page_types", cls.page_types)),
            feed_types=tuple(client.get("feed_types", cls.feed_types)),
            retry_statuses=frozenset(int(s) for s in retry.get("statuses", (429, 500, 502, 503, 504))),
            attempts=int(retry.get("attempts", 3)),
            backoff=float(retry.get("backoff", 1.0)),
            max_wait=float(retry.get("max_wait", 120)),
            per_host_interval=float(polite.get("per_host_interval", 1.0)),
            concurrency=max(1, int(polite.get("concurrency", 4))),
            respect_robots=bool(polite.get("respect_robots", True)),
            trust_env=bool(client.get("trust_env", True)),
            robots_agent=str(polite.get("robots_agent", "tracker")),
        )
        values.update(overrides)
        return cls(**values)


@dataclass
class Response:
    """A fetched page or feed: where it ended up, its validators, its body (decoded from gzip)."""

    url: str
    final_url: str
    status: int
    etag: Optional[str] = None
    last_modified: Optional[str] = None
    content_type: Optional[str] = None
    encoding: Optional[str] = None
    body: bytes = b""
    #: the server answered 304 to a conditional request: the stored copy is still current
    not_modified: bool = False

    def text(self) -> str:
        """The body as text, in the charset the headers name, else the one the page declares, else UTF-8/cp1252."""
        text, self.encoding = decode_body(self.body, self.encoding, self.url)
        return text


def decode_body(body: bytes, charset: Optional[str], name: str) -> tuple[str, str]:
    """The text of a body and the encoding used: the header's charset, else what the bytes declare."""
    if charset:
        try:
            return body.decode(charset), charset
        except (UnicodeDecodeError, LookupError):
            pass  # a header that lies about the charset: read the bytes as a saved page is read
    text = decode_bytes(body, name)
    try:
        body.decode("utf-8-sig")
        used = "utf-8"
    except UnicodeDecodeError:
        used = (_declared_charset(body) or ["cp1252"])[0]
    return text, used


@dataclass
class Request:
    """One URL to fetch, what it is (a page or a feed) and the validators of the stored copy."""

    url: str
    kind: str = PAGE
    etag: Optional[str] = None
    last_modified: Optional[str] = None


@dataclass
class _Robots:
    parser: Optional[RobotFileParser] = None  # None: everything allowed
    read: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


class Fetcher:
    """An HTTP client for pages and feeds under a FetchPolicy; use it as a context manager.

    `log` records every request made, as (monotonic time, method, URL); `event_hooks` and
    `transport` go to httpx (tests use them to see and to confine every request).
    """

    def __init__(self, policy: Optional[FetchPolicy] = None, *, transport: Optional[httpx.BaseTransport] = None,
                 event_hooks: Optional[dict] = None, sleep: Callable[[float], None] = time.sleep):
        self.policy = policy or FetchPolicy.from_config()
        self.log: list[tuple[float, str, str]] = []
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next_turn: dict[str, float] = {}
        self._robots: dict[str, _Robots] = {}
        self._slots = threading.BoundedSemaphore(self.policy.concurrency)
        hooks = {"request": [self._record], "response": []}
        for name, fns in (event_hooks or {}).items():
            hooks.setdefault(name, []).extend(fns)
        p = self.policy
        transport = transport or default_transport()
        self.client = httpx.Client(
            headers={"User-Agent": p.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(p.read_timeout, connect=p.connect_timeout),
            follow_redirects=False, transport=transport, event_hooks=hooks, trust_env=p.trust_env)

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self.client.close()

    def _record(self, request: httpx.Request) -> None:
        with self._lock:
            self.log.append((time.monotonic(), request.method, str(request.url)))

    # -- politeness ---------------------------------------------------------------------------

    def _wait_turn(self, host: str) -> None:
        """Wait until this host may be asked again (per_host_interval after the last request)."""
        with self._lock:
            now = time.monotonic()
            turn = max(now, self._next_turn.get(host, now))
            self._next_turn[host] = turn + self.policy.per_host_interval
        if turn > now:
            self._sleep(turn - now)

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's host lets this tool fetch it (read once per host)."""
        if not self.policy.respect_robots:
            return True
        host = host_of(url)
        with self._lock:
            entry = self._robots.setdefault(host, _Robots())
        with entry.lock:  # one thread reads a host's robots.txt; the others wait for it
            if not entry.read:
                entry.parser = self._read_robots(host)
                entry.read = True
        return entry.parser is None or entry.parser.can_fetch(self.policy.robots_agent, url)

    def _read_robots(self, host: str) -> Optional[RobotFileParser]:
        # No robots.txt (404, 5xx) allows all; 401/403 forbid all, as the robots exclusion
        # standard reads them. A host that cannot be reached raises: its pages cannot be either.
        robots_url = host + "/robots.txt"
        try:
            response = self._get(robots_url, {}, 500_000)
            for _ in range(self.policy.max_redirects):
                if response[0] not in (301, 302, 303, 307, 308) or not response[1].get("location"):
                    break
                robots_url = urljoin(robots_url, response[1]["location"])
                if host_of(robots_url) != host:
                    break
                response = self._get(robots_url, {}, 500_000)
        except FetchError as exc:
            if "larger than the cap" in exc.problem:
                return None
            raise  # the host cannot be reached: the page could not be either
        status, _headers, body, _ = response
        parser = RobotFileParser(robots_url)
        if status in (401, 403):
            parser.disallow_all = True
            return parser
        if status != 200:
            return None
        parser.parse(body.decode("utf-8", errors="replace").splitlines())
        return parser

    # -- one request ---------------------------------------------------------------------------

    def _get(self, url: str, headers: dict, cap: int) -> tuple[int, httpx.Headers, bytes, Optional[str]]:
        """One GET (no redirects followed): status, headers, body (at most `cap` bytes) and charset."""
        self._wait_turn(host_of(url))
        deadline = time.monotonic() + self.policy.total_timeout
        with self._slots:
            try:
                with self.client.stream("GET", url, headers=headers) as r:
                    body = bytearray()
                    if r.status_code == 200:
                        for chunk in r.iter_bytes():
                            body += chunk
                            if len(body) > cap:
                                raise FetchError(url, f"body larger than the cap of {cap:,} bytes; not read further")
                            if time.monotonic() > deadline:
                                raise FetchError(url, f"took longer than {self.policy.total_timeout:g} s to send; "
                                                      "cut off")
                    return r.status_code, r.headers, bytes(body), r.charset_encoding
            except httpx.HTTPError as exc:
                raise FetchError(url, describe_error(exc, self.policy)) from None

    def fetch(self, url: str, *, kind: str = PAGE, etag: Optional[str] = None,
              last_modified: Optional[str] = None) -> Response:
        """GET `url` under the policy; a 304 to the validators given is a Response with not_modified."""
        original = url
        if not is_url(url):
            raise FetchError(url, "not an http(s) URL")
        url = normalize_url(url) or url
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        seen = [url]
        current = url
        attempt = 0
        while True:
            try:
                allowed = self.allowed(current)
            except FetchError as exc:
                raise FetchError(original, exc.problem) from None
            if not allowed:
                raise FetchError(original, f"robots.txt of {host_of(current)} disallows fetching {current}")
            status, resp_headers, body, charset = self._get(current, headers, self.policy.max_bytes)
            if status in (301, 302, 303, 307, 308):
                location = resp_headers.get("location")
                if not location:
                    raise FetchError(original, f"redirect ({status}) without a Location")
                target = normalize_url(urljoin(current, location)) or location
                if not is_url(target):
                    raise FetchError(original, f"redirect to something not http(s): {location}")
                if target in seen:
                    raise FetchError(original, "redirect loop: " + " → ".join(seen + [target]))
                if len(seen) > self.policy.max_redirects:
                    raise FetchError(original, f"more than {self.policy.max_redirects} redirects")
                seen.append(target)
                current = target
                continue
            if status in self.policy.retry_statuses and attempt + 1 < self.policy.attempts:
                wait = retry_after(resp_headers.get("retry-after"))
                if wait is not None and wait > self.policy.max_wait:
                    raise FetchError(original, f"HTTP {status}; the site asks to retry after {wait:g} s "
                                               f"(more than the {self.policy.max_wait:g} s tracker waits)")
                self._sleep(wait if wait is not None else self.policy.backoff * 2 ** attempt)
                attempt += 1
                continue
            if status == 304 and headers:
                return Response(url, current, status, etag, last_modified, not_modified=True)
            if status != 200:
                raise FetchError(original, describe_status(status, attempt + 1))
            content_type = (resp_headers.get("content-type") or "").split(";")[0].strip().lower() or None
            check_type(original, content_type, body, kind, self.policy)
            return Response(url, current, status, resp_headers.get("etag"), resp_headers.get("last-modified"),
                            content_type, charset, body)

    def fetch_many(self, requests: Iterable[Request]) -> Iterator[tuple[Request, Union[Response, FetchError]]]:
        """Fetch each request, at most `concurrency` at once; results in the order given.

        Requests go out a few batches at a time, so that a long list never holds more than a few
        bodies in memory.
        """
        requests = list(requests)
        if not requests:
            return
        batch = self.policy.concurrency * 4
        if len(requests) > batch:
            for start in range(0, len(requests), batch):
                yield from self.fetch_many(requests[start:start + batch])
            return

        def one(req: Request) -> Union[Response, FetchError]:
            try:
                return self.fetch(req.url, kind=req.kind, etag=req.etag, last_modified=req.last_modified)
            except FetchError as exc:
                return exc

        with ThreadPoolExecutor(max_workers=min(self.policy.concurrency, len(requests))) as pool:
            yield from zip(requests, pool.map(one, requests))


def default_transport() -> Optional[httpx.BaseTransport]:
    """The transport every Fetcher uses unless given one: httpx's own (None). Tests replace it to
    keep every request on 127.0.0.1."""
    return None


def retry_after(value: Optional[str]) -> Optional[float]:
    """Seconds to wait from a Retry-After header (seconds, or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


_STATUS = {400: "bad request", 401: "needs a login", 403: "access denied", 404: "not found", 410: "gone",
           429: "too many requests", 451: "unavailable for legal reasons", 500: "server error",
           502: "bad gateway", 503: "service unavailable", 504: "gateway timeout"}


def describe_status(status: int, attempts: int = 1) -> str:
    """'not found (HTTP 404)', with the number of tries for a retried answer."""
    what = _STATUS.get(status) or ("server error" if status >= 500 else "unexpected answer")
    tries = f" after {attempts} tries" if attempts > 1 else ""
    return f"{what} (HTTP {status}){tries}"


def check_type(url: str, content_type: Optional[str], body: bytes, kind: str, policy: FetchPolicy) -> None:
    """Refuse a body that is not what was asked for: a page must be HTML, a feed XML."""
    if not body.strip():
        raise FetchError(url, "empty body")
    accepted = policy.page_types if kind == PAGE else policy.feed_types
    if content_type and content_type in accepted:
        if kind == PAGE and not looks_like_html(body[:4096].decode("latin-1")):
            raise FetchError(url, f"not an HTML page (served as {content_type}, but the body is not HTML)")
        return
    if content_type is None and kind == PAGE and looks_like_html(body[:4096].decode("latin-1")):
        return
    if content_type is None and kind == FEED and body.lstrip()[:1] == b"<":
        return
    what = "an HTML page" if kind == PAGE else "a feed or sitemap"
    raise FetchError(url, f"not {what} (content type {content_type or 'not given'})")


def describe_error(exc: httpx.HTTPError, policy: FetchPolicy) -> str:
    """One line for a network failure: DNS, refused, timeout, TLS, a broken response."""
    causes = []
    e: Optional[BaseException] = exc
    while e is not None and len(causes) < 10:
        causes.append(e)
        e = e.__cause__ or e.__context__
    host = urlsplit(str(exc.request.url)).hostname if _has_request(exc) else None
    if isinstance(exc, httpx.ConnectTimeout):
        return f"timed out connecting (after {policy.connect_timeout:g} s)"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out waiting for the server (no data for {policy.read_timeout:g} s)"
    text = " ".join(str(c) for c in causes).lower()
    if any(isinstance(c, ssl.SSLError) for c in causes) or "ssl" in text or "certificate" in text:
        detail = next((str(c) for c in causes if isinstance(c, ssl.SSLError)), str(exc))
        return f"TLS error ({detail.strip() or 'handshake failed'})"
    if any(isinstance(c, socket.gaierror) for c in causes) or "name or service not known" in text \
            or "nodename nor servname" in text or "name resolution" in text or "getaddrinfo" in text:
        return f"cannot resolve the host name {host or ''} (DNS)".replace("  ", " ")
    if any(isinstance(c, ConnectionRefusedError) for c in causes) or "refused" in text:
        return "connection refused"
    if isinstance(exc, httpx.DecodingError):
        return "cannot decode the compressed body"
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
        return f"the server broke off the response ({exc.__class__.__name__})"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({exc})"
    return f"request failed ({exc.__class__.__name__}: {exc})"


def _has_request(exc: httpx.HTTPError) -> bool:
    try:
        exc.request
    except RuntimeError:
        return False
    return True
