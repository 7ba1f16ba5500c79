"""The `tracker` command: parse options, call one library function, print. No logic lives here."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from tracker import ingest as ingest_mod
from tracker import parallel, store
from tracker.errors import TrackerError
from tracker.models import CLAIM_FIELDS
from tracker.output import render
from tracker import timeline
from tracker.series import group_series
from tracker.timeline import describe_value

app = typer.Typer(
    help="Track the numbers reported in negotiations (hostages, prisoners, truces, strikes) across "
         "news articles and time.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=False)
err = Console(stderr=True, soft_wrap=True)

DbOption = typer.Option(None, "--db", help="SQLAlchemy URL of the database (default: $TRACKER_DB or sqlite:///tracker.db).")
LexiconOption = typer.Option(None, "--lexicon", help="A TOML lexicon file adding or extending figures (repeatable).")
OUTPUT_COLUMNS = CLAIM_FIELDS + ("source", "url", "title")
TABLE_LATEST = 1000  # a terminal table longer than this is read by nobody; exports get everything
TIMELINE_COLUMNS = ("date", "value", "hedge", "aspect", "attribution", "source", "text")


def _fail(exc: TrackerError) -> None:
    err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, markup=True)
    raise typer.Exit(exc.exit_code)


def _emit(rendered) -> None:
    if isinstance(rendered, str):
        sys.stdout.write(rendered)
    else:
        out.print(rendered)


def _lexicon(paths: Optional[List[Path]]):
    return tuple(str(p) for p in paths) if paths else None


@app.command()
def ingest(
    paths: List[Path] = typer.Argument(..., help="Files or folders (read recursively); - reads stdin. "
                                                  "Text/markdown, HTML pages, JSON and JSONL."),
    source: Optional[str] = typer.Option(None, help="Outlet to use where a document names none."),
    date: Optional[str] = typer.Option(None, help="Date to use where a document gives none (before any inferred from its text)."),
    db: Optional[str] = DbOption,
    lexicon: Optional[List[Path]] = LexiconOption,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only problems and the summary; no progress bar."),
    workers: int = typer.Option(1, "--workers", "-w", min=1,
                                help="Extract in this many processes; writes go in batches, each document whole."),
) -> None:
    """Read articles, extract their claims and store both. Re-running stores nothing twice.

    Example: tracker ingest articles/ --source Reuters --workers 2
    """
    try:
        engine = store.make_engine(db)
        total = ingest_mod.count_files(paths)
        with _progress(total, quiet) as progress:
            task = progress.add_task("ingest", total=total)

            def show(o: ingest_mod.Outcome) -> None:
                if o.status == "skipped":
                    progress.console.print(f"skipped {o.reason}", highlight=False, markup=False)
                elif not quiet and progress.disable:
                    note = " (already stored)" if o.status == "unchanged" else f": {o.claims} claims"
                    err.print(f"{o.status} {o.name}{note}", highlight=False, markup=False)

            summary = parallel.ingest(engine, paths, workers=workers, source=source, date=date,
                                      lexicon=_lexicon(lexicon), on_outcome=show,
                                      on_file=lambda _: progress.advance(task))
    except KeyboardInterrupt as exc:
        done = exc.summary.line() if isinstance(exc, ingest_mod.IngestInterrupted) else "nothing stored"
        err.print(f"interrupted: {done}; every stored document is complete — "
                  "run the same command again to store the rest", highlight=False)
        raise typer.Exit(130)
    except TrackerError as exc:
        _fail(exc)
    err.print(summary.line(), highlight=False)
    if summary.skipped:
        raise typer.Exit(1)


def _progress(total: int, quiet: bool) -> Progress:
    # A bar only pays off past a handful of files and on a terminal; below that, or into a log,
    # each file gets its own line.
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=err, transient=True, disable=quiet or total <= 5 or not err.is_terminal)


def _raise_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


@app.command()
def extract(
    paths: List[Path] = typer.Argument(..., help="Files or folders to read; - reads stdin (every format ingest reads)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, jsonl, json or csv."),
    lexicon: Optional[List[Path]] = LexiconOption,
    all_quantities: bool = typer.Option(False, "--all", help="Also emit quantities outside the lexicon's figures."),
) -> None:
    """Print the claims in files without storing them (no database).

    Example: tracker extract seeds/ --format jsonl
    """
    try:
        result = ingest_mod.extract_paths(
            paths, lexicon=_lexicon(lexicon), all_quantities=all_quantities,
            on_skip=lambda reason: err.print(f"skipped {reason}", highlight=False, markup=False))
    except TrackerError as exc:
        _fail(exc)
    rows = [c.as_record() for c in result.claims]
    table_rows = [{**r, "value": describe_value(r)} for r in rows] if fmt == "table" else rows
    _emit(render(table_rows, fmt, CLAIM_FIELDS,
                 ("doc", "figure", "value", "hedge", "aspect", "unit", "attribution", "text")))
    if result.skipped:
        raise typer.Exit(1)


@app.command()
def figure(
    name: str = typer.Argument(..., help="A figure key, e.g. hostages, prisoners, truce."),
    aspect: Optional[str] = typer.Option(None, help="Only this aspect: held, taken, released, proposed."),
    since: Optional[str] = typer.Option(None, help="Only claims on or after this date (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, help="Only claims on or before this date (YYYY-MM-DD)."),
    source: Optional[str] = typer.Option(None, help="Only claims from this outlet."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv, json or jsonl."),
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
        claims = store.figure_claims(engine, name, lexicon=_lexicon(lexicon), latest=latest or None, **filters)
        total = store.count_claims(engine, name, **filters) if latest and len(claims) == latest else len(claims)
    except TrackerError as exc:
        _fail(exc)
    if fmt == "table":
        shown = f" (the latest {len(claims):,} shown; --latest 0 shows all)" if total > len(claims) else ""
        _emit(f"{name}: {total:,} claims{shown}\n")
        for s in group_series(claims):
            _emit(render(timeline.series_table_rows(s), fmt, timeline.SERIES_TABLE_COLUMNS,
                         title=timeline.series_title(s)))
    else:
        _emit(render(timeline.with_series(claims), fmt, OUTPUT_COLUMNS + ("series",)))


@app.command()
def figures(
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv, json or jsonl."),
    db: Optional[str] = DbOption,
) -> None:
    """Each stored figure with its number of claims, first and last date and latest value.

    Example: tracker figures
    """
    try:
        summaries = store.figure_summaries(store.make_engine(db))
    except TrackerError as exc:
        _fail(exc)
    rows = [{"figure": s.figure, "claims": s.claims, "first": s.first, "last": s.last,
             "latest": describe_value(s.latest) if s.latest else None,
             "latest_source": s.latest.source if s.latest else None} for s in summaries]
    _emit(render(rows, fmt, ("figure", "claims", "first", "last", "latest", "latest_source"), title="figures"))


@app.command()
def evaluate(
    gold: Optional[Path] = typer.Argument(None, help="A gold JSONL file or a folder of them."),
    corpus: Optional[Path] = typer.Argument(None, help="The folder holding the documents the gold names."),
    quantities: Optional[Path] = typer.Option(
        None, "--quantities", help="Instead: score `extract --all` on a JSONL of general sentences "
                                   "({\"text\", \"quantities\": [...]}) by value."),
    show_errors: bool = typer.Option(False, "--show-errors", help="List misses, false claims and field mismatches."),
    figures_: Optional[str] = typer.Option(None, "--figures", help="Comma-separated figure keys to score."),
    as_json: bool = typer.Option(False, "--json", help="Print the overall scores as one JSON object."),
    lexicon: Optional[List[Path]] = LexiconOption,
) -> None:
    """Score the extractor against hand-annotated claims: precision, recall, F1, field accuracies.

    Example: tracker evaluate ../shared/gold ../shared/corpus --show-errors
    """
    from tracker import evaluate as evaluation

    try:
        if quantities is not None:
            qev = evaluation.evaluate_quantities(quantities, lexicon=_lexicon(lexicon))
            metrics, lines = qev.score.metrics(), evaluation.format_quantity_evaluation(qev, show_errors)
        elif gold is not None and corpus is not None:
            ev = evaluation.evaluate(gold, corpus, lexicon=_lexicon(lexicon),
                                     figures=figures_.split(",") if figures_ else None)
            metrics, lines = ev.overall.metrics(), evaluation.format_evaluation(ev, show_errors)
        else:
            raise typer.BadParameter("give GOLD and CORPUS, or --quantities SENTENCES.jsonl")
    except TrackerError as exc:
        _fail(exc)
    sys.stdout.write(json.dumps(metrics) + "\n" if as_json else "\n".join(lines) + "\n")


@app.command()
def demo(db: Optional[str] = DbOption) -> None:
    """Ingest the sample articles in seeds/ and show the figures and two timelines.

    Example: tracker demo
    """
    seeds = ingest_mod.seeds_dir()
    err.print(f"ingesting {seeds} …", highlight=False)
    ingest(paths=[seeds], source=None, date=None, db=db, lexicon=None, quiet=True, workers=1)
    figures(fmt="table", db=db)
    for name in ingest_mod.DEMO_FIGURES:
        figure(name=name, aspect=None, since=None, until=None, source=None, fmt="table", latest=None, db=db,
               lexicon=None)


from tracker import cli_timeline  # noqa: E402,F401  (registers changes, disputes, report, compare, plot)
from tracker import cli_documents  # noqa: E402,F401  (registers sources, show, forget)
from tracker import cli_db  # noqa: E402,F401  (registers db upgrade)


def main() -> None:
    """Entry point of the `tracker` console script."""
    # `kill` (SIGTERM) stops an ingest as Ctrl-C does: the document being stored is rolled back.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    app()


if __name__ == "__main__":
    main()
