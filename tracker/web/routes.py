"""The pages: each a GET with its filters in the query string and a ?format=csv|json|jsonl download.

Handlers read the query, call tracker.web.views (which calls the library the CLI calls), and
render a template; downloads use tracker.render.formats exactly as the CLI does.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from tracker.timeline import changes as timeline
from tracker.timeline.disputes import DISPUTE_COLUMNS
from tracker.web import views
from tracker.web.responses import PageError, download, filters_of, handles_errors, page
from tracker.web.review import REVIEW_ROUTES


@handles_errors
def stories_page(request: Request) -> Response:
    """Every story with its parties, dates and a small chart of its headline series."""
    engine = request.app.state.engine
    rows = views.list_stories(engine)
    if rows is not None and request.query_params.get("format"):
        return download(request, rows, views.STORY_COLUMNS, "stories")
    every = views.overview.figure_counts(engine)  # once, for the story "all" and its chart
    whole = views.all_story(engine, every)
    got = download(request, [whole], views.STORY_COLUMNS, "stories")
    if got:
        return got
    cards = [{**row, "chart": views.headline_chart(engine, row["story"])} for row in rows or []]
    cards.append({**whole, "chart": views.headline_chart(engine, whole["story"], every)})
    return page(request, "stories.html", stories=cards)


@handles_errors
def story_page(request: Request) -> Response:
    """A story's figures, each with its claim count and dates, and links to its disputes and changes."""
    engine = request.app.state.engine
    story = request.path_params["story"]
    stories = views.list_stories(engine) or [] if story != views.overview.ALL_STORIES else [views.all_story(engine)]
    row = next((r for r in stories if r["story"] == story), None)
    if row is None:
        raise PageError(404, f"no story {story!r}; the stories page lists them")
    figures = [f.__dict__ for f in views.overview.figure_counts(engine, story)]
    got = download(request, figures, ("figure", "claims", "first", "last"), f"{story}-figures")
    return got or page(request, "story.html", story=row, figures=figures)


@handles_errors
def figure_page(request: Request) -> Response:
    """A figure's timeline: chart (estimate, interval band, claims), filters, and its claims' download."""
    engine = request.app.state.engine
    figure = request.path_params["figure"]
    filters = filters_of(request)
    fmt = request.query_params.get("format")
    if fmt:
        return download(request, views.figure_rows(engine, figure, filters, fmt), views.FIGURE_COLUMNS, figure)
    subsets = request.query_params.get("subsets") in ("1", "on", "true")
    chart = views.chart(engine, figure, filters, subsets)
    if chart.total == 0 and not views.known_figure(engine, figure):
        raise PageError(404, f"unknown figure {figure!r}; the stories page lists the stored ones")
    return page(request, "figure.html", figure=figure, filters=filters, subsets=subsets, chart=chart,
                chart_data=chart.as_json())


@handles_errors
def document_page(request: Request) -> Response:
    """A stored document: its text with every claim marked (anchor claim-<id>), metadata, link, versions."""
    found = views.document_page(request.app.state.engine, request.path_params["doc_id"])
    if found is None:
        raise PageError(404, f"no stored document {request.path_params['doc_id']}")
    got = download(request, found["claims"], tuple(found["columns"]) + ("id",), f"document-{found['document'].id}")
    return got or page(request, "document.html", **found)


def _series_of_story(request: Request):
    engine = request.app.state.engine
    story = request.path_params["story"]
    figure = request.query_params.get("figure") or None
    filters = filters_of(request, story)
    series, problem = views.story_series(engine, story, figure, filters)
    return story, figure, filters, series, problem


@handles_errors
def disputes_page(request: Request) -> Response:
    """Two voices of the story giving values for one series and date (or week) too far apart."""
    story, figure, filters, series, problem = _series_of_story(request)
    period = request.query_params.get("period") or "day"
    if period not in ("day", "week"):
        raise PageError(400, f"period must be day or week, not {period!r}")
    raw = request.query_params.get("tolerance")
    try:
        tolerance = timeline.parse_tolerance(raw) if raw else None
    except ValueError as exc:
        raise PageError(400, str(exc)) from None
    rows, table = views.dispute_rows(request.app.state.engine, series, tolerance, period)
    got = download(request, rows, DISPUTE_COLUMNS, f"disputes-{story}")
    return got or page(request, "disputes.html", story=story, figure=figure, filters=filters, rows=table,
                       problem=problem, period=period, tolerance=raw or "")


@handles_errors
def changes_page(request: Request) -> Response:
    """How each series of the story moved: first, steps, revisions, values carried forward, latest."""
    story, figure, filters, series, problem = _series_of_story(request)
    kinds = [k for k in request.query_params.getlist("kind") if k]
    unknown = [k for k in kinds if k not in timeline.CHANGE_KINDS]
    if unknown:
        raise PageError(400, f"kind must be one of {', '.join(timeline.CHANGE_KINDS)}, not {unknown[0]!r}")
    rows, table = views.change_rows(series, kinds)
    got = download(request, rows, timeline.CHANGE_COLUMNS, f"changes-{story}")
    return got or page(request, "changes.html", story=story, figure=figure, filters=filters, rows=table,
                       problem=problem, kinds=kinds, all_kinds=timeline.CHANGE_KINDS)


async def plotly_js(request: Request) -> Response:
    """plotly.min.js from the installed plotly package: the charts need no internet."""
    return FileResponse(request.app.state.plotly_js, media_type="text/javascript",
                        headers={"cache-control": "public, max-age=86400"})


async def static_file(request: Request) -> Response:
    """One of the app's own static files, looked up by name in the list loaded at start."""
    found = request.app.state.static.get(request.path_params["name"])
    if found is None:
        return Response("not found", status_code=404, media_type="text/plain")
    body, media_type = found
    return Response(body, media_type=media_type, headers={"cache-control": "public, max-age=3600"})


async def home(request: Request) -> Response:
    """The start page is the stories page."""
    return RedirectResponse("/stories", status_code=307)


ROUTES = [
    Route("/", home),
    Route("/stories", stories_page),
    Route("/stories/{story}", story_page),
    Route("/stories/{story}/disputes", disputes_page),
    Route("/stories/{story}/changes", changes_page),
    Route("/figures/{figure}", figure_page),
    Route("/documents/{doc_id:int}", document_page),
    Route("/static/plotly.min.js", plotly_js),
    Route("/static/{name}", static_file),
    *REVIEW_ROUTES,
]
