"""URLs as one page is known by: normalized before any URL is compared or stored.

`https://Example.org:443/a/?utm_source=x&b=2&a=1#top` and `https://example.org/a?a=1&b=2` are the
same page: scheme and host are lower-cased, a default port is dropped, the fragment is dropped,
tracking parameters (the list is data, in fetch.toml) are removed, the remaining query parameters
are sorted, and a trailing slash on a path other than `/` is dropped.
"""

from __future__ import annotations

import re
from typing import Optional
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from tracker.sources.config import fetch_config

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


def is_url(text: str) -> bool:
    """Whether `text` is an http(s) URL rather than a path."""
    return bool(re.match(r"^https?://[^/\s]", text.strip(), re.I))


def _tracking(name: str, patterns: tuple[str, ...]) -> bool:
    n = name.lower()
    return any(n.startswith(p[:-1]) if p.endswith("*") else n == p for p in patterns)


def normalize_url(url: Optional[str]) -> Optional[str]:
    """The normalized form of `url` (see the module); anything not http(s) is returned stripped."""
    if url is None:
        return None
    url = url.strip()
    if not is_url(url):
        return url
    config = fetch_config()["urls"]
    patterns = tuple(p.lower() for p in config.get("tracking_parameters", []))
    default_ports = config.get("default_ports", {})
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port is None or default_ports.get(scheme) == port else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=~-._%") or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k, patterns)]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query), doseq=True), ""))


def host_of(url: str) -> str:
    """The host (with a non-default port) a URL names: the key of per-host limits and robots.txt."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def site_name(url: str) -> str:
    """A site's name from its URL when the page names none: the host without `www.`."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host
