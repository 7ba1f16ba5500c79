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
                                 UntilOption, app, emit, err, fail, lexicon_paths)
from tracker.models import CLAIM_FIELDS
from tracker.store import decisions
from tracker.timeline.changes import describe_value
from tracker.errors import ReportError, TrackerError
from tracker.render.formats import render
from tracker.render.plot import plot_series
from tracker.timeline.series import group_series


def _tolerance(value: Optional[str]) -> Optional[float]:
    if value is None:
        return None
    try:
        return timeline.parse_tolerance(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


FigureArgument = typer.Argument(None, help="A figure key (hostages, prisoners, truce, …); all figures when left out.")


def _series(db, name, since=None, until=None, source=None, aspect=None):
    return group_series(
        report_mod.gather_claims(store.make_engine(db), [name] if name else [], since, until, source, aspect)
    )


@app.command()
def changes(
    name: Optional[str] = FigureArgument,
    aspect: Optional[str] = typer.Option(None, help="Only this aspect: held, taken, released, proposed."),
    kind: Optional[List[str]] = typer.Option(
        None, "--kind", help=f"Only these kinds: {', '.join(timeline.CHANGE_KINDS)} (repeatable)."
    ),
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    source: Optional[str] = typer.Option(None, help="Only claims from this outlet."),
    fmt: Format = FormatOption,
    db: Optional[str] = DbOption,
) -> None:
    """How each series moved: first and latest value, every change between dates (delta, sources),
    revisions of cumulative counts downward, and values carried forward unchanged.

    Example: tracker changes hostages --aspect held
    """
    try:
        found = timeline.changes(_series(db, name, since, until, source, aspect))
    except TrackerError as exc:
        fail(exc)
    rows = [c.as_row() for c in found if not kind or c.kind in kind]
    if fmt == "table":
        rows = [timeline.change_table_row(r) for r in rows]
    emit(render(rows, fmt, timeline.CHANGE_COLUMNS, timeline.CHANGE_TABLE_COLUMNS,
                 title=f"changes: {name or 'all figures'}"))


@app.command()
def disputes(
    name: Optional[str] = FigureArgument,
    tolerance: Optional[str] = typer.Option(
        None, callback=_tolerance, help="How far apart two values may be, as a share or percent (default 10%)."
    ),
    period: str = typer.Option("day", help="day: same date; week: same ISO week."),
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    fmt: Format = FormatOption,
    db: Optional[str] = DbOption,
) -> None:
    """Contradictions: two voices (outlets, or attributions within one outlet) giving values for the
    same series on the same day (or week) that differ by more than the tolerance.

    Example: tracker disputes prisoners --tolerance 10%
    """
    try:
        found = timeline.disputes(_series(db, name, since, until), tolerance=tolerance, period=period)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    except TrackerError as exc:
        fail(exc)
    err.print(f"{len(found)} disputes", highlight=False, soft_wrap=True)
    emit(
        render([d.as_table_row() if fmt == "table" else d.as_row() for d in found], fmt, timeline.DISPUTE_COLUMNS,
               timeline.DISPUTE_TABLE_COLUMNS, title=f"disputes: {name or 'all figures'}")
    )


@app.command()
def report(
    figure: Optional[List[str]] = typer.Option(None, "--figure", help="Only this figure (repeatable)."),
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    series: bool = typer.Option(False, "--series", help="One row per series and date instead of one per claim."),
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
        claims = report_mod.gather_claims(store.make_engine(db), figure or [], since, until)
    except TrackerError as exc:
        fail(exc)
    rows, columns = report_mod.build_report(claims, by_series=series)
    if fmt == "table":  # a look at the report in the terminal; no file
        emit(
            render(
                rows,
                fmt,
                columns,
                report_mod.TABLE_COLUMNS["series" if series else "claims"],
                title=f"{len(rows)} rows",
            )
        )
        return
    text = render(rows, fmt if fmt in ("json", "jsonl") else "csv", columns)
    if str(out_path) == "-":
        sys.stdout.write(text)
        return
    path = out_path or report_mod.report_path(
        "series" if series else "claims", figure or [], since, until, suffix=fmt.value if fmt in ("json", "jsonl") else "csv"
    )
    report_mod.write_text(path, text)
    err.print(f"wrote {len(rows)} rows to {path}", highlight=False, markup=False, soft_wrap=True)
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
            claims = report_mod.gather_claims(store.make_engine(db), figure or [])
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
        None, "--out", help="PNG or SVG file (default: reports/<figure>_<when>.png)."
    ),
    aspect: Optional[str] = typer.Option(None, help="Only this aspect: held, taken, released, proposed."),
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    limit: int = typer.Option(6, help="At most this many series (those with the most dates)."),
    db: Optional[str] = DbOption,
) -> None:
    """Draw each series of a figure over time: points coloured by source, hedges as arrows and bars,
    a step line through each series.

    Example: tracker plot hostages --out docs/hostages.png
    """
    try:
        found = _series(db, name, since, until, aspect=aspect)
        path = out_path or report_mod.report_path(
            "plot", [f"{name}-{aspect}" if aspect else name], since, until, suffix="png"
        )
        path = plot_series(found, path, title=name, limit=limit)
    except TrackerError as exc:
        fail(exc)
    err.print(f"drew {min(len(found), limit)} series to {path}", highlight=False, markup=False, soft_wrap=True)
    print(path)


OUTPUT_COLUMNS = CLAIM_FIELDS + ("source", "url", "title", "id", "status")


@app.command()
def figure(
    name: str = typer.Argument(..., help="A figure key, e.g. hostages, prisoners, truce."),
    aspect: Optional[str] = typer.Option(None, help="Only this aspect: held, taken, released, proposed."),
    since: Optional[str] = typer.Option(None, help="Only claims on or after this date (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, help="Only claims on or before this date (YYYY-MM-DD)."),
    source: Optional[str] = typer.Option(None, help="Only claims from this outlet."),
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
    filters = dict(aspect=aspect, since=since, until=until, source=source)
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


@app.command()
def figures(
    fmt: Format = FormatOption,
    db: Optional[str] = DbOption,
) -> None:
    """Each stored figure with its number of claims, first and last date and latest value.

    Example: tracker figures
    """
    try:
        summaries = store.figure_summaries(store.make_engine(db))
    except TrackerError as exc:
        fail(exc)
    rows = [{"figure": s.figure, "claims": s.claims, "first": s.first, "last": s.last,
             "latest": describe_value(s.latest) if s.latest else None,
             "latest_source": s.latest.source if s.latest else None} for s in summaries]
    emit(render(rows, fmt, ("figure", "claims", "first", "last", "latest", "latest_source"), title="figures"))
