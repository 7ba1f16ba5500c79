"""The `tracker` commands that read articles: ingest, extract, evaluate, demo."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from tracker import ingest as ingest_mod
from tracker import store
from tracker.cli.options import (DbOption, FormatOption, Format, GazetteerOption, LexiconOption, SetStoryOption,
                                 app, emit, err, fail, gazetteer_paths, lexicon_paths)
from tracker.errors import TrackerError
from tracker.ingest import IngestSummary, parallel
from tracker.ingest.follow import ingest_urls, read_urls_file
from tracker.sources.urls import is_url
from tracker.models import CLAIM_FIELDS, EXTRA_FIELDS
from tracker.render.formats import render
from tracker.timeline.changes import describe_value


@app.command()
def ingest(
    paths: Optional[List[str]] = typer.Argument(None, help="Files or folders (read recursively); - reads stdin; "
                                                            "http(s) URLs are fetched. "
                                                            "Text/markdown, HTML pages, JSON and JSONL."),
    urls: Optional[Path] = typer.Option(None, "--urls", help="A file of URLs to fetch, one a line (# comments)."),
    source: Optional[str] = typer.Option(None, help="Outlet to use where a document names none."),
    date: Optional[str] = typer.Option(None, help="Date to use where a document gives none (before any inferred from its text)."),
    db: Optional[str] = DbOption,
    lexicon: Optional[List[Path]] = LexiconOption,
    story: Optional[str] = SetStoryOption,
    gazetteer: Optional[List[Path]] = GazetteerOption,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only problems and the summary; no progress bar."),
    workers: int = typer.Option(1, "--workers", "-w", min=1,
                                help="Extract in this many processes; writes go in batches, each document whole."),
    reextract: bool = typer.Option(False, "--reextract",
                                   help="Extract stored documents again (after the extractor or your lexicon "
                                        "changed) and replace their claims; decisions on them hold."),
) -> None:
    """Read articles, extract their claims and store both. Re-running stores nothing twice.

    Example: tracker ingest articles/ --source Reuters --workers 2
    Example: tracker ingest https://example.org/live --urls more-pages.txt
    """
    try:
        named = [str(p) for p in paths or []]
        pages = [p for p in named if is_url(p)] + (read_urls_file(str(urls)) if urls else [])
        paths = [p for p in named if not is_url(p)]
        if not paths and not pages:
            raise typer.BadParameter("give files, folders, - or URLs to ingest (or --urls FILE)")
        engine = store.make_engine(db)
        total = ingest_mod.count_files(paths) + len(pages)
        with _progress(total, quiet) as progress:
            task = progress.add_task("ingest", total=total)

            def show(o: ingest_mod.Outcome) -> None:
                if o.status == "skipped":
                    progress.console.print(f"skipped {o.reason}", highlight=False, markup=False)
                elif not quiet and progress.disable:
                    note = " (already stored)" if o.status == "unchanged" else f": {o.claims} claims"
                    err.print(f"{o.status} {o.name}{note}", highlight=False, markup=False)

            summary = parallel.ingest(engine, paths, workers=workers, source=source, date=date,
                                      lexicon=lexicon_paths(lexicon), on_outcome=show, story=story, reextract=reextract,
                                      gazetteer=gazetteer_paths(gazetteer),
                                      on_file=lambda _: progress.advance(task)) if paths else IngestSummary()
            if pages:
                def show_page(o: ingest_mod.Outcome) -> None:
                    show(o)
                    progress.advance(task)

                try:
                    summary.outcomes += ingest_urls(engine, pages, source=source, date=date,
                                                    lexicon=lexicon_paths(lexicon), story=story,
                                                    gazetteer=gazetteer_paths(gazetteer), on_outcome=show_page).outcomes
                except ingest_mod.IngestInterrupted as exc:
                    exc.summary.outcomes[:0] = summary.outcomes
                    raise
    except KeyboardInterrupt as exc:
        done = exc.summary.line() if isinstance(exc, ingest_mod.IngestInterrupted) else "nothing stored"
        err.print(f"interrupted: {done}; every stored document is complete — "
                  "run the same command again to store the rest", highlight=False)
        raise typer.Exit(130)
    except TrackerError as exc:
        fail(exc)
    err.print(summary.line(), highlight=False)
    if summary.skipped:
        raise typer.Exit(1)


def _progress(total: int, quiet: bool) -> Progress:
    # A bar only pays off past a handful of files and on a terminal; below that, or into a log,
    # each file gets its own line.
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=err, transient=True, disable=quiet or total <= 5 or not err.is_terminal)


@app.command()
def extract(
    paths: List[Path] = typer.Argument(..., help="Files or folders to read; - reads stdin (every format ingest reads)."),
    fmt: Format = FormatOption,
    lexicon: Optional[List[Path]] = LexiconOption,
    all_quantities: bool = typer.Option(False, "--all", help="Also emit quantities outside the lexicon's figures."),
    story: Optional[str] = SetStoryOption,
    gazetteer: Optional[List[Path]] = GazetteerOption,
) -> None:
    """Print the claims in files without storing them (no database).

    Example: tracker extract seeds/ --format jsonl
    """
    try:
        result = ingest_mod.extract_paths(
            paths, lexicon=lexicon_paths(lexicon), all_quantities=all_quantities, story=story,
            gazetteer=gazetteer_paths(gazetteer),
            on_skip=lambda reason: err.print(f"skipped {reason}", highlight=False, markup=False))
    except TrackerError as exc:
        fail(exc)
    rows = [c.as_record() for c in result.claims]
    table_rows = [{**r, "value": describe_value(r)} for r in rows] if fmt == "table" else rows
    emit(render(table_rows, fmt, CLAIM_FIELDS + EXTRA_FIELDS,
                 ("doc", "figure", "value", "hedge", "aspect", "unit", "attribution", "story", "text")))
    if result.skipped:
        raise typer.Exit(1)


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
    stories: Optional[Path] = typer.Option(
        None, "--stories", help="Instead: score the stories assigned to the CORPUS documents against a "
                                "'doc<TAB>story' file (pairwise P/R/F1); with GOLD CORPUS, also the stories "
                                "of the hostages and prisoners claims."),
    gazetteer: Optional[List[Path]] = GazetteerOption,
) -> None:
    """Score the extractor against hand-annotated claims: precision, recall, F1, field accuracies.

    Example: tracker evaluate ../shared/gold ../shared/corpus --show-errors
    """
    from tracker.extract import evaluate as evaluation
    from tracker.extract import evaluate_stories as story_evaluation

    try:
        if stories is not None:
            if gold is None:
                raise typer.BadParameter("give the CORPUS folder (or GOLD CORPUS) with --stories")
            sev = story_evaluation.evaluate_stories(stories, corpus or gold, gold if corpus else None,
                                              lexicon=lexicon_paths(lexicon), gazetteer=gazetteer_paths(gazetteer))
            metrics, lines = sev.metrics(), story_evaluation.format_story_evaluation(sev, show_errors)
        elif quantities is not None:
            qev = evaluation.evaluate_quantities(quantities, lexicon=lexicon_paths(lexicon))
            metrics, lines = qev.score.metrics(), evaluation.format_quantity_evaluation(qev, show_errors)
        elif gold is not None and corpus is not None:
            ev = evaluation.evaluate(gold, corpus, lexicon=lexicon_paths(lexicon),
                                     figures=figures_.split(",") if figures_ else None)
            metrics, lines = ev.overall.metrics(), evaluation.format_evaluation(ev, show_errors)
        else:
            raise typer.BadParameter("give GOLD and CORPUS, or --quantities SENTENCES.jsonl")
    except TrackerError as exc:
        fail(exc)
    sys.stdout.write(json.dumps(metrics) + "\n" if as_json else "\n".join(lines) + "\n")
