"""The `tracker serve` application: a Starlette app over one database, Jinja2 pages, Plotly charts.

Safe by default: every template autoescapes (an article's `<script>` shows as text); a write is
a POST carrying a token signed with a secret made when the app starts; a read-only app refuses
every write (403) and shows no forms; static files are a fixed list loaded at start, so no path
from a request reaches the file system; and the pages ask the browser to run only our own scripts.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import socket
import time
from importlib import resources
from pathlib import Path
from typing import Optional

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.templating import Jinja2Templates

from tracker import store
from tracker.errors import TrackerError

#: How long a form's token stays good (seconds): a review page left open for a working day.
TOKEN_SECONDS = 12 * 3600
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                 b"img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
                                 b"form-action 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


class Csrf:
    """Form tokens: a timestamp signed (HMAC-SHA256) with a secret that lives as long as the server."""

    def __init__(self, secret: Optional[bytes] = None):
        self.secret = secret or secrets.token_bytes(32)

    def _sign(self, stamp: str) -> str:
        return hmac.new(self.secret, stamp.encode(), hashlib.sha256).hexdigest()

    def token(self) -> str:
        """A new token for a form."""
        stamp = str(int(time.time()))
        return f"{stamp}.{self._sign(stamp)}"

    def valid(self, token: Optional[str]) -> bool:
        """Whether `token` was made by this server within TOKEN_SECONDS."""
        stamp, _, sig = (token or "").partition(".")
        if not stamp.isdigit() or not hmac.compare_digest(sig, self._sign(stamp)):
            return False
        return 0 <= time.time() - int(stamp) <= TOKEN_SECONDS


class Guard:
    """ASGI middleware: security headers on every response; in read-only mode, 403 for any write method."""

    def __init__(self, app, read_only: bool = False):
        self.app, self.read_only = app, read_only

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if self.read_only and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            body = b"this tracker server is read-only: changes are refused"
            await send({"type": "http.response.start", "status": 403,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]})
            await send({"type": "http.response.body", "body": body})
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def check_address(host: str, port: int) -> None:
    """Raise a TrackerError naming the address when this machine cannot listen on it (in use, unknown host)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        raise TrackerError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def plotly_js_path() -> Path:
    """The plotly.min.js bundled in the installed `plotly` package (served as /static/plotly.min.js)."""
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def _static_files() -> dict[str, tuple[bytes, str]]:
    folder = resources.files("tracker.web").joinpath("static")
    return {f.name: (f.read_bytes(), STATIC_TYPES[Path(f.name).suffix])
            for f in folder.iterdir() if Path(f.name).suffix in STATIC_TYPES}


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(loader=jinja2.PackageLoader("tracker.web", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return Jinja2Templates(env=env)


def create_app(db_url_or_engine=None, *, read_only: bool = False,
               allowed_hosts: Optional[list[str]] = None, secret: Optional[bytes] = None) -> Starlette:
    """The web app over the database at `db_url_or_engine` (a URL, an Engine, or None for the default).

    `read_only` hides and refuses every change; `allowed_hosts` (e.g. ["127.0.0.1", "localhost"])
    refuses requests for other host names, which stops DNS-rebinding pages from reaching a local server.
    """
    from tracker.web.routes import ROUTES

    given = db_url_or_engine
    engine = store.make_engine(given) if given is None or isinstance(given, str) else given
    middleware = [Middleware(Guard, read_only=read_only)]
    if allowed_hosts:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts))
    app = Starlette(routes=ROUTES, middleware=middleware)
    app.state.engine = engine
    app.state.read_only = read_only
    app.state.csrf = Csrf(secret)
    app.state.templates = _templates()
    app.state.static = _static_files()
    app.state.plotly_js = plotly_js_path()
    return app
