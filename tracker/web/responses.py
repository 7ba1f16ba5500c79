"""What every page handler shares: the template response, errors as pages, filters, downloads."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from typing import Optional
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from tracker.errors import TrackerError, UnknownFigureError
from tracker.store.documents import DocumentNotFound
from tracker.render.formats import render
from tracker.web.charts import Filters

DOWNLOAD_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json",
                  "jsonl": "application/x-ndjson"}


class PageError(Exception):
    """A request the page cannot answer: its HTTP status and a sentence for the reader."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def page(request: Request, template: str, status: int = 200, **context) -> Response:
    """`template` rendered with `context`, the app's mode and (when writes are allowed) a form token."""
    state = request.app.state
    context.update(request=request, read_only=state.read_only,
                   csrf_token=None if state.read_only else state.csrf.token(), query=_query_link(request))
    return state.templates.TemplateResponse(request, template, context, status_code=status)


def _query_link(request: Request):
    def link(**changes) -> str:
        """This page's URL with some query parameters changed (None removes one)."""
        params = {**request.query_params, **changes}
        return request.url.path + ("?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})
                                   if any(v not in (None, "") for v in params.values()) else "")
    return link


def handles_errors(handler):
    """Run a page handler (a plain function runs in a worker thread, so database reads never hold up
    the server's event loop) and turn PageError and TrackerError into an error page."""
    @functools.wraps(handler)
    async def wrapped(request: Request) -> Response:
        try:
            if inspect.iscoroutinefunction(handler):
                return await handler(request)
            return await run_in_threadpool(handler, request)
        except PageError as exc:
            return page(request, "error.html", exc.status, message=exc.message)
        except TrackerError as exc:
            missing = isinstance(exc, (UnknownFigureError, DocumentNotFound))
            return page(request, "error.html", 404 if missing else 400, message=str(exc))
    return wrapped


def _date(request: Request, name: str) -> Optional[str]:
    value = request.query_params.get(name) or None
    if value is not None:
        try:
            value = dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise PageError(400, f"{name} must be a date written YYYY-MM-DD, not {value!r}") from None
    return value


def filters_of(request: Request, story: Optional[str] = None) -> Filters:
    """The timeline filters in the query string (story, aspect, source, since, until)."""
    q = request.query_params
    return Filters(story=story or q.get("story") or None, aspect=q.get("aspect") or None,
                   source=q.get("source") or None, since=_date(request, "since"), until=_date(request, "until"))


def download(request: Request, rows: list[dict], columns, name: str) -> Optional[Response]:
    """The rows as the CLI prints them in ?format=csv|json|jsonl, or None when no format is asked for."""
    fmt = request.query_params.get("format")
    if not fmt:
        return None
    if fmt not in DOWNLOAD_TYPES:
        raise PageError(400, f"format must be csv, json or jsonl, not {fmt!r}")
    safe = "".join(ch for ch in name if ch.isalnum() or ch in "-_") or "rows"
    return Response(render(rows, fmt, columns), media_type=DOWNLOAD_TYPES[fmt],
                    headers={"content-disposition": f'attachment; filename="{safe}.{fmt}"'})
