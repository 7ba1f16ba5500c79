"""The review queue page and the claim decisions (confirm, reject, fix, undo) as signed POSTs.

The queue is `tracker.timeline.review.review_queue` and each decision a call to
`tracker.store.decisions`, the functions `tracker review` and `tracker claim` call. Both are
imported when used: a build without them shows the page as unavailable (501).
"""

from __future__ import annotations

from typing import Optional

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from tracker.store import documents
from tracker.timeline.changes import describe_value
from tracker.web.responses import PageError, download, handles_errors, page

ACTIONS = ("confirm", "reject", "fix", "undo")
#: The fields a fix may change, and which of them are numbers.
FIX_FIELDS = ("figure", "aspect", "value", "low", "high", "hedge", "unit", "attribution")
NUMBER_FIELDS = ("value", "low", "high")
REVIEW_LIMIT = 200


def _decisions():
    try:
        from tracker.store import decisions
        from tracker.timeline.review import review_queue
    except ImportError:
        raise PageError(501, "reviewing needs tracker.store.decisions and tracker.timeline.review, "
                             "which this build of tracker does not have") from None
    return decisions, review_queue


@handles_errors
def review_page(request: Request) -> Response:
    """The claims waiting for a person's check, each with confirm / reject / fix (unless read-only)."""
    _, review_queue = _decisions()
    q = request.query_params
    story, figure = q.get("story") or None, q.get("figure") or None
    try:
        limit = int(q.get("limit") or REVIEW_LIMIT)
    except ValueError:
        raise PageError(400, f"limit must be a whole number, not {q.get('limit')!r}") from None
    engine = request.app.state.engine
    rows = review_queue(engine, story=story, figure=figure, limit=limit)
    columns = tuple(dict.fromkeys(k for r in rows for k in r))
    got = download(request, rows, columns or ("id",), "review")
    return got or page(request, "review.html", rows=[shown(engine, r) for r in rows], story=story, figure=figure,
                       limit=limit, fix_fields=FIX_FIELDS)


def shown(engine, row: dict) -> dict:
    """A queue row for the page: its value as a reader writes it, its sentence cut around the claim,
    and the document it links to."""
    sentence = row.get("sentence") or row.get("text") or ""
    start, end = row.get("highlight_start"), row.get("highlight_end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(sentence)):
        start = end = 0
    doc_id = row.get("document_id")
    if doc_id is None and row.get("doc"):
        try:
            doc_id = documents.find_document(engine, row["doc"]).id
        except documents.DocumentNotFound:
            doc_id = None
    return {**row, "value_text": describe_value(row), "document_id": doc_id,
            "before": sentence[:start], "marked": sentence[start:end], "after": sentence[end:]}


def _number(name: str, text: str) -> float:
    try:
        return float(text.replace(",", "").strip())
    except ValueError:
        raise PageError(400, f"{name} must be a number, not {text!r}") from None


def fix_changes(form) -> dict:
    """The fields a fix form changes: the non-empty ones, numbers as numbers."""
    changes = {}
    for name in FIX_FIELDS:
        text = field(form, name)
        if text:
            changes[name] = _number(name, text) if name in NUMBER_FIELDS else text
    if not changes:
        raise PageError(400, "a fix needs at least one field to change")
    return changes


def _next_url(form) -> str:
    """Where to go after the decision: a path on this site only (never another host)."""
    target = field(form, "next")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/review"


@handles_errors
async def decide(request: Request) -> Response:
    """Apply one decision to claim `claim_id`; the form must carry this server's token."""
    form = await request.form()
    return await run_in_threadpool(_apply, request, form)


def field(form, name: str) -> str:
    """A form field as text ('' when missing, or when a file was sent in its place)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _apply(request: Request, form) -> Response:
    if not request.app.state.csrf.valid(field(form, "csrf")):
        raise PageError(403, "the form's token is missing or expired: reload the page and try again")
    action = request.path_params["action"]
    if action not in ACTIONS:
        raise PageError(404, f"no action {action!r}; one of {', '.join(ACTIONS)}")
    decisions, _ = _decisions()
    engine, claim_id = request.app.state.engine, request.path_params["claim_id"]
    why: Optional[str] = field(form, "why") or None
    by = field(form, "by") or "web"
    if action == "reject":
        if not why:
            raise PageError(400, "say why the claim is rejected")
        decisions.reject(engine, claim_id, why=why, by=by)
    elif action == "confirm":
        decisions.confirm(engine, claim_id, why=why, by=by)
    elif action == "fix":
        decisions.fix(engine, claim_id, fix_changes(form), why=why, by=by)
    else:
        decisions.undo(engine, claim_id, by=by)
    return RedirectResponse(_next_url(form), status_code=303)


REVIEW_ROUTES = [
    Route("/review", review_page),
    Route("/claims/{claim_id:int}/{action}", decide, methods=["POST"]),
]
