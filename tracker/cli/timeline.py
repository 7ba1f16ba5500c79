"""The `tracker` commands about how figures move: changes, disputes, report, compare, plot.

Registered on the app of tracker.cli (which imports this module). As there: parse options,
call the library, print; data on stdout, messages on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from tracker.render import report as report_mod
from tracker import store
from tracker.timeline import changes as timeline
from tracker.cli.options import (TABLE_LATEST, DbOption, Format, FormatOption, LexiconOption, SinceOption,
                                 StoryOption, UntilOption, app, emit, err, fail, lexicon_paths)
from tracker.models import CLAIM_FIELDS, EXTRA_FIELDS
from tracker.store import decisions
from tracker.errors import ReportError, TrackerError
from tracker.render.formats import render
from tracker.render.plot import plot_series
from tracker.timeline import disputes as disputes_mod
from tracker.timeline.series import describe_point, group_series


def _tolerance(value: Optional[str]) -> Optional[float]:
    if value is None:
        return None
    try:
        return timeline.parse_tolerance(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


FigureArgument = typer.Argument(None, help="A figure key (hostages, prisoners, truce, …); all figures when left out.")


SourceOption = typer.Option(None, "--source", help="Only claims from this outlet (any spelling or case).")
AspectOption = typer.Option(None, help="Only this aspect: held, taken, released, proposed.")


def _series(db, name, since=None, until=None, source=None, aspect=None, story=None, subsets=True, claims=False):
    return report_mod.store_series(store.make_engine(db), [name] if name else [], story=story, aspect=aspect,
                                   since=since, until=until, source=source, subsets=subsets, claims=claims)


@app.command()
def changes(
    name: Optional[str] = FigureArgument,
    aspect: Optional[str] = AspectOption,
    kind: Optional[List[str]] = typer.Option(
        None, "--kind", help=f"Only these kinds: {', '.join(timeline.CHANGE_KINDS)} (repeatable)."
    ),
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    source: Optional[str] = SourceOption,
    story: Optional[str] = StoryOption,
    fmt: Format = FormatOption,
    db: Optional[str] = DbOption,
    since_fetch: bool = typer.Option(False, "--since-fetch",
                                     help="Instead: what the last `tracker watch` round found that moved."),
) -> None:
    """How each series moved: first and latest best estimate, every step between dates (delta,
    sources), a voice revising its own figure of a cumulative count downward, and values carried
    forward unchanged.

    Example: tracker changes hostages --aspect held --story israel-hamas
    """
    if since_fetch:
        from tracker.cli.follow import show_last_round

        return show_last_round(db, fmt)
    try:
        if kind:
            timeline.changes([], kinds=kind)  # an unknown kind is an error before any reading
        found = timeline.changes(_series(db, name, since, until, source, aspect, story), kinds=kind)
    except TrackerError as exc:
        fail(exc)
    rows = [c.as_row() for c in found]
    if fmt == "table":
        rows = [timeline.change_table_row(r) for r in rows]
    emit(render(rows, fmt, timeline.CHANGE_COLUMNS, timeline.CHANGE_TABLE_COLUMNS,
                 title=f"changes: {name or 'all figures'}"))


@app.command()
def disputes(
    name: Optional[str] = FigureArgument,
    tolerance: Optional[str] = typer.Option(
        None, callback=_tolerance, help="How far apart two intervals may lie, as a share or percent (default 10%)."
    ),
    period: str = typer.Option("day", help="day: same date; week: same ISO week."),
    aspect: Optional[str] = AspectOption,
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    source: Optional[str] = SourceOption,
    story: Optional[str] = StoryOption,
    fmt: Format = FormatOption,
    db: Optional[str] = DbOption,
) -> None:
    """Contradictions: two voices (an attribution, else the outlet; a wire story is one voice) whose
    claims for one story and series on one day (or week) cannot both be true: their intervals lie
    apart by more than the tolerance. Bounds that can both be true are no dispute.

    Example: tracker disputes prisoners --story israel-hamas --tolerance 10%
    """
    try:
        found = disputes_mod.disputes(_series(db, name, since, until, source, aspect, story), tolerance=tolerance,
                                      period=period)
        claims = report_mod.claims_by_id(store.make_engine(db), [i for d in found for i in d.ids])
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    except TrackerError as exc:
        fail(exc)
    err.print(f"{len(found)} disputes", highlight=False, soft_wrap=True)
    emit(render([d.as_table_row(claims) if fmt == "table" else d.as_row(claims) for d in found], fmt,
                disputes_mod.DISPUTE_COLUMNS, disputes_mod.DISPUTE_TABLE_COLUMNS,
                title=f"disputes: {name or 'all figures'}"))


@app.command()
def report(
    figure: Optional[List[str]] = typer.Option(None, "--figure", help="Only this figure (repeatable)."),
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    series: bool = typer.Option(False, "--series", help="One row per series and date (the best estimate) instead of one per claim."),
    story: Optional[str] = StoryOption,
    source: Optional[str] = SourceOption,
    out_path: Optional[Path] = typer.Option(
        None, "--out", help="File to write, '-' for stdout (default: reports/<what>_<when>.csv)."
    ),
    fmt: Format = typer.Option(
        Format.csv, "--format", "-f", help="csv, json or jsonl (the file's format), or table (print, no file)."
    ),
    db: Optional[str] = DbOption,
) -> None:
    """Write the claims (or --series: the series per date) as a spreadsheet-safe CSV report.

    Example: tracker report --figure hostages --since 2024-01-01
    """
    try:
        if series:
            found = report_mod.store_series(store.make_engine(db), figure or [], story=story, since=since,
                                            until=until, source=source)
            rows, columns = report_mod.series_rows(found), report_mod.SERIES_COLUMNS
        else:
            claims = report_mod.gather_claims(store.make_engine(db), figure or [], since, until, source, story=story)
            rows, columns = report_mod.claim_rows(claims), report_mod.CLAIM_COLUMNS
    except TrackerError as exc:
        fail(exc)
    if fmt == "table":  # a look at the report in the terminal; no file
        rows = list(rows)
        emit(render(rows, fmt, columns, report_mod.TABLE_COLUMNS["series" if series else "claims"],
                    title=f"{len(rows)} rows"))
        return
    kind = fmt.value if fmt in ("json", "jsonl") else "csv"
    if str(out_path) == "-":
        report_mod.write_rows(sys.stdout, rows, kind, columns)
        return
    path = out_path or report_mod.report_path(
        "series" if series else "claims", figure or [], since, until, suffix=kind
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        n = report_mod.write_rows(fh, rows, kind, columns)
    err.print(f"wrote {n} rows to {path}", highlight=False, markup=False, soft_wrap=True)
    print(path)


@app.command()
def compare(
    files: Optional[List[Path]] = typer.Argument(None, help="Two reports: the older, then the newer."),
    source: Optional[List[str]] = typer.Option(
        None, "--source", help="Compare two outlets from the database instead (give twice)."
    ),
    tolerance: Optional[str] = typer.Option(
        None, callback=_tolerance, help="Values closer than this share or percent are unchanged (default 0)."
    ),
    figure: Optional[List[str]] = typer.Option(None, "--figure", help="Only this figure (repeatable)."),
    show_all: bool = typer.Option(False, "--all", help="The table lists unchanged rows too (csv/json always do)."),
    story: Optional[str] = typer.Option(None, "--story", help="With --source: only this story's claims."),
    fmt: Format = FormatOption,
    db: Optional[str] = DbOption,
) -> None:
    """What changed between two reports (claim or --series reports): series and dates new, gone,
    changed (old → new, delta, percent) and unchanged. Exit 0 when equal, 1 when different, 2 on bad
    input. With --source X --source Y, the latest value each of two outlets reported for each series.

    Example: tracker compare reports/before.csv reports/after.csv
    """
    try:
        if source and not files and len(source) == 2:
            claims = report_mod.gather_claims(store.make_engine(db), figure or [], story=story)
            result = report_mod.compare_sources(claims, source[0], source[1], tolerance=tolerance or 0.0)
        elif files and len(files) == 2 and not source:
            result = report_mod.compare_reports(files[0], files[1], tolerance=tolerance or 0.0, figures=figure or [])
        else:
            raise ReportError("give two report files, or --source twice (two outlets), not both")
    except TrackerError as exc:
        fail(exc)
    rows = result.table_rows(show_all) if fmt == "table" else result.rows
    emit(render(rows, fmt, report_mod.COMPARE_COLUMNS, report_mod.COMPARE_TABLE_COLUMNS, title=result.summary()))
    err.print(result.summary(), highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(0 if result.equal else 1)


@app.command()
def plot(
    name: str = typer.Argument(..., help="A figure key, e.g. hostages."),
    out_path: Optional[Path] = typer.Option(
        None, "--out", help="PNG, SVG or PDF file (default: reports/plot_<figure>_<when>.png)."
    ),
    story: Optional[str] = StoryOption,
    aspect: Optional[str] = AspectOption,
    subsets: bool = typer.Option(False, "--subsets", help="Draw the subset series under the headline ones."),
    source: Optional[str] = SourceOption,
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    limit: int = typer.Option(6, help="At most this many series (headline first, then those with the most dates)."),
    db: Optional[str] = DbOption,
) -> None:
    """Draw the headline series of one story and figure over time: each claim as the interval it
    allows (coloured by voice, at most 8 colours), a band through the best estimate per date.

    Example: tracker plot hostages --story israel-hamas --aspect held --out docs/hostages.png
    """
    try:
        found = _series(db, name, since, until, source, aspect, story, subsets=subsets)
        stories = sorted({s.key.story for s in found})
        if not story and len(stories) > 1:  # one story by default: the one with the most claims
            counts = {st: sum(len(p.items) for s in found if s.key.story == st for p in s.points) for st in stories}
            story = max(stories, key=lambda st: (counts[st], st))
            found = [s for s in found if s.key.story == story]
        shown = story or (stories[0] if stories else "") or "all documents"
        path = out_path or report_mod.report_path(
            "plot", [f"{name}-{aspect}" if aspect else name], since, until, suffix="png"
        )
        path = plot_series(found, path, title=f"{shown} · {name}{f' {aspect}' if aspect else ''}", limit=limit)
    except TrackerError as exc:
        fail(exc)
    err.print(f"drew {min(len(found), limit)} series to {path}", highlight=False, markup=False, soft_wrap=True)
    print(path)


OUTPUT_COLUMNS = CLAIM_FIELDS + EXTRA_FIELDS + ("source", "url", "title", "id", "status")


@app.command()
def figure(
    name: str = typer.Argument(..., help="A figure key, e.g. hostages, prisoners, truce."),
    aspect: Optional[str] = typer.Option(None, help="Only this aspect: held, taken, released, proposed."),
    since: Optional[str] = typer.Option(None, help="Only claims on or after this date (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, help="Only claims on or before this date (YYYY-MM-DD)."),
    source: Optional[str] = typer.Option(None, help="Only claims from this outlet."),
    story: Optional[str] = StoryOption,
    fmt: Format = FormatOption,
    latest: Optional[int] = typer.Option(
        None, "--latest", min=0,
        help=f"Only the latest N claims (the table shows the latest {TABLE_LATEST} unless told; 0 = all)."),
    db: Optional[str] = DbOption,
    lexicon: Optional[List[Path]] = LexiconOption,
) -> None:
    """The timeline of one figure: every stored claim in date order.

    Example: tracker figure prisoners --since 2024-01-01
    """
    if latest is None and fmt == "table":
        latest = TABLE_LATEST
    filters = dict(aspect=aspect, since=since, until=until, source=source, story=story)
    try:
        engine = store.make_engine(db)
        claims = store.figure_claims(engine, name, lexicon=lexicon_paths(lexicon), latest=latest or None, **filters)
        total = store.count_claims(engine, name, **filters) if latest and len(claims) == latest else len(claims)
    except TrackerError as exc:
        fail(exc)
    if fmt == "table":
        shown = f" (the latest {len(claims):,} shown; --latest 0 shows all)" if total > len(claims) else ""
        emit(f"{name}: {total:,} claims{shown}\n")
        for s in group_series(claims):
            emit(render(timeline.series_table_rows(s), fmt, timeline.SERIES_TABLE_COLUMNS,
                         title=timeline.series_title(s)))
    else:
        rows = timeline.with_series(claims)
        if fmt in ("json", "jsonl"):
            rows = decisions.with_decisions(engine, rows)
        emit(render(rows, fmt, OUTPUT_COLUMNS + ("series",)))


FIGURES_COLUMNS = ("story", "series", "figure", "aspect", "qualifiers", "unit", "date", "latest", "hedge", "value",
                   "low", "high", "voices", "first", "dates", "claims")


@app.command()
def figures(
    story: Optional[str] = StoryOption,
    fmt: Format = FormatOption,
    db: Optional[str] = DbOption,
) -> None:
    """Per story, the latest best estimate of each headline series, with its unit and date.

    Example: tracker figures --story israel-hamas
    """
    try:
        found = report_mod.store_series(store.make_engine(db), story=story, subsets=False)
    except TrackerError as exc:
        fail(exc)
    rows = []
    for s in found:
        if not s.points:
            continue
        last = s.points[-1]
        rows.append({**s.key.as_dict(), "unit": s.unit, "date": last.date, "latest": describe_point(last),
                     "hedge": last.hedge, "value": last.value, "low": last.low, "high": last.high,
                     "voices": last.voices, "first": s.points[0].date, "dates": len(s.points),
                     "claims": sum(len(p.items) for p in s.points)})
    emit(render(rows, fmt, FIGURES_COLUMNS,
                ("story", "series", "latest", "unit", "date", "voices", "first", "dates"), title="figures"))
