"""The `tracker` commands that follow the news: feed add/list/remove, fetch, watch, reextract."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from tracker import store
from tracker.cli.options import DbOption, Format, FormatOption, LexiconOption, app, emit, err, fail, lexicon_paths
from tracker.errors import TrackerError
from tracker.ingest import Outcome
from tracker.ingest.follow import follow, poll_feeds, reextract as reextract_documents
from tracker.render.formats import render
from tracker.store.pages import list_feeds, remove_feed
from tracker.sources.urls import normalize_url
from tracker.timeline import watch as watching

feed_app = typer.Typer(help="The feeds (RSS, Atom, news sitemaps) and live pages `tracker fetch` polls.",
                       no_args_is_help=True)
app.add_typer(feed_app, name="feed")

FEED_COLUMNS = ("url", "kind", "story", "title", "added", "polled")


def _print_problem(o: Outcome) -> None:
    if o.status == "skipped":
        err.print(f"skipped {o.reason}", highlight=False, markup=False)


@feed_app.command("add")
def feed_add(
    url: str = typer.Argument(..., help="The feed's URL (RSS, Atom, a news sitemap) or a live page's."),
    story: Optional[str] = typer.Option(None, "--story", help="The story its articles belong to."),
    db: Optional[str] = DbOption,
) -> None:
    """Follow a feed, or a live page, from now on: `tracker fetch` and `tracker watch` poll it.

    Example: tracker feed add https://example.org/world/rss.xml --story israel-hamas
    """
    try:
        followed = follow(store.make_engine(db), url, story=story)
    except TrackerError as exc:
        fail(exc)
    err.print(f"following {followed}" + (f" (story {story})" if story else ""), highlight=False, markup=False)


@feed_app.command("list")
def feed_list(fmt: Format = FormatOption, db: Optional[str] = DbOption) -> None:
    """The followed feeds and pages: URL, kind, story, when added and last polled."""
    try:
        rows = [f.as_row() for f in list_feeds(store.make_engine(db))]
    except TrackerError as exc:
        fail(exc)
    emit(render(rows, fmt, FEED_COLUMNS, FEED_COLUMNS, title="feeds"))


@feed_app.command("remove")
def feed_remove(url: str = typer.Argument(..., help="The followed URL."), db: Optional[str] = DbOption) -> None:
    """Stop following a feed or page (what was fetched from it stays stored)."""
    try:
        remove_feed(store.make_engine(db), normalize_url(url))
    except TrackerError as exc:
        fail(exc)
    err.print(f"no longer following {normalize_url(url)}", highlight=False, markup=False)


@app.command()
def fetch(
    db: Optional[str] = DbOption,
    lexicon: Optional[List[Path]] = LexiconOption,
) -> None:
    """Poll every followed feed and page: store new entries, fetch recent ones again to catch edits.

    Prints one line per feed and a summary; exit 1 when a feed or an entry could not be read.
    Example: tracker fetch
    """
    try:
        result = poll_feeds(store.make_engine(db), lexicon=lexicon_paths(lexicon), on_outcome=_print_problem)
    except KeyboardInterrupt:
        err.print("interrupted: every stored page is complete", highlight=False)
        raise typer.Exit(130)
    except TrackerError as exc:
        fail(exc)
    if not result.feeds:
        err.print("no feeds followed: `tracker feed add URL` follows one", highlight=False)
    for feed in result.feeds:
        err.print(feed.line(), highlight=False, markup=False)
    err.print(f"{len(result.feeds)} feeds: {result.summary.line()}", highlight=False)
    if result.problems:
        raise typer.Exit(1)


def _round_printer(fmt: Format):
    def show(r: watching.WatchRound) -> None:
        for problem in r.fetch.problems:
            err.print(f"skipped {problem}", highlight=False, markup=False)
        err.print(f"round {r.number}: {r.fetch.summary.line()}; {len(r.changes)} changes",
                  highlight=False, markup=False)
        _emit_changes(r.changes, fmt)
    return show


def _emit_changes(changes: list[dict], fmt: Format) -> None:
    if fmt == "table":
        for change in changes:
            typer.echo(watching.change_line(change))
    elif changes or fmt == "json":
        emit(render(changes, fmt, watching.CHANGE_COLUMNS, watching.CHANGE_COLUMNS))


@app.command()
def watch(
    every: str = typer.Option("15m", "--every", help="Time between rounds: 90s, 15m, 1h."),
    once: bool = typer.Option(False, "--once", help="Run one round and stop."),
    notify: Optional[str] = typer.Option(None, "--notify",
                                         help="A shell command run for each change, the change as one JSON line on stdin."),
    fmt: Format = FormatOption,
    db: Optional[str] = DbOption,
    lexicon: Optional[List[Path]] = LexiconOption,
) -> None:
    """Run `fetch` on a schedule and report what moved: a new best estimate of a headline series, a
    number changed in a new version of a page (old → new, both quoted), a new dispute. Ctrl-C stops.

    Example: tracker watch --every 15m --notify 'curl -s -d @- https://hooks.example.org/tracker'
    """
    try:
        seconds = watching.parse_interval(every)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--every")
    try:
        watching.watch(store.make_engine(db), every=seconds, once=once, lexicon=lexicon_paths(lexicon),
                       notify_command=notify, on_round=_round_printer(fmt),
                       on_problem=lambda p: err.print(f"warning: {p}", highlight=False, markup=False))
    except KeyboardInterrupt:
        err.print("stopped watching", highlight=False)
        raise typer.Exit(0 if not once else 130)
    except TrackerError as exc:
        fail(exc)


def show_last_round(db: Optional[str], fmt: Format) -> None:
    """Print what the last watch round reported (for `tracker changes --since-fetch`)."""
    try:
        number, changes = watching.changes_since_fetch(store.make_engine(db))
    except TrackerError as exc:
        fail(exc)
    if number is None:
        err.print("no watch round yet: run `tracker watch --once`", highlight=False)
    else:
        err.print(f"round {number}: {len(changes)} changes", highlight=False)
    _emit_changes(changes, fmt)


@app.command()
def reextract(
    db: Optional[str] = DbOption,
    lexicon: Optional[List[Path]] = LexiconOption,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the summary."),
) -> None:
    """Read every stored document again — fetched pages from their stored responses, without fetching —
    with the current extractor and lexicon, and replace its claims.

    Example: tracker reextract --lexicon my-figures.toml
    """
    def show(doc: str, before: int, after: int) -> None:
        if not quiet and before != after:
            err.print(f"{doc}: {before} → {after} claims", highlight=False, markup=False)

    try:
        summary = reextract_documents(store.make_engine(db), lexicon=lexicon_paths(lexicon), on_document=show)
    except TrackerError as exc:
        fail(exc)
    for problem in summary.skipped:
        err.print(f"kept the stored text of {problem}", highlight=False, markup=False)
    err.print(summary.line(), highlight=False)
