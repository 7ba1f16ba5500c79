"""The `tracker` commands that correct the record: claim reject/fix/confirm/add/undo, review,
decisions export/import, doc set.

Registered on the app of tracker.cli (which imports this module). As there: parse options,
call the library (tracker.store.decisions, tracker.timeline.review), print; data on stdout,
messages on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import click
import typer
from rich.markup import escape
from rich.text import Text

from tracker import store
from tracker.cli.options import ByOption, DbOption, Format, FormatOption, app, emit, err, fail, out
from tracker.errors import TrackerError
from tracker.render.formats import render
from tracker.store import decisions, documents
from tracker.timeline import review as review_mod
from tracker.timeline.changes import describe_value

claim_app = typer.Typer(help="Correct single claims: reject, fix, confirm, add, undo.", no_args_is_help=True)
decisions_app = typer.Typer(help="Share corrections: export and import decisions.", no_args_is_help=True)
doc_app = typer.Typer(help="Correct a stored document's metadata.", no_args_is_help=True)
app.add_typer(claim_app, name="claim")
app.add_typer(decisions_app, name="decisions")
app.add_typer(doc_app, name="doc")

WhyOption = typer.Option(None, "--why", help="Why (kept with the decision).")


def _said(text: str) -> None:
    err.print(text, highlight=False, markup=False)


def _claim_line(engine, claim_id: int) -> str:
    c = decisions.stored_claim(engine, claim_id)
    return f"claim {c.id} ({c.status}): {c.figure} {describe_value(c)} “{c.text}” in {c.doc}"


@claim_app.command("reject")
def reject(
    claim_id: int = typer.Argument(..., metavar="ID", help="The claim's id (shown by figure/show/review)."),
    why: str = typer.Option(..., "--why", help="Why it is no claim of this figure."),
    by: Optional[str] = ByOption,
    db: Optional[str] = DbOption,
) -> None:
    """Reject a claim: it leaves every timeline, estimate, dispute and report, and stays rejected on re-ingest.

    Example: tracker claim reject 42 --why "a page number, not hostages"
    """
    try:
        engine = store.make_engine(db)
        decisions.reject(engine, claim_id, why=why, by=by)
        _said("rejected " + _claim_line(engine, claim_id))
    except TrackerError as exc:
        fail(exc)


@claim_app.command("confirm")
def confirm(
    claim_id: int = typer.Argument(..., metavar="ID", help="The claim's id."),
    why: Optional[str] = WhyOption,
    by: Optional[str] = ByOption,
    db: Optional[str] = DbOption,
) -> None:
    """Confirm a claim as extracted; it leaves the review queue.

    Example: tracker claim confirm 42
    """
    try:
        engine = store.make_engine(db)
        decisions.confirm(engine, claim_id, why=why, by=by)
        _said("confirmed " + _claim_line(engine, claim_id))
    except TrackerError as exc:
        fail(exc)


def _changes(figure, aspect, value, low, high, hedge, unit, qualifier, attribution, story) -> dict:
    pairs = [f"{name}={v}" for name, v in (("figure", figure), ("aspect", aspect), ("value", value), ("low", low),
                                            ("high", high), ("hedge", hedge), ("unit", unit),
                                            ("attribution", attribution), ("story", story)) if v is not None]
    changes = decisions.parse_changes(pairs)
    if qualifier is not None and qualifier:
        changes["qualifiers"] = [] if qualifier == [""] else list(qualifier)
    return changes


FigureOpt = typer.Option(None, "--figure", help="The figure (a lexicon key).")
AspectOpt = typer.Option(None, "--aspect", help="held, taken, released, proposed ('' for none).")
ValueOpt = typer.Option(None, "--value", help="The best single number ('' for none).")
LowOpt = typer.Option(None, "--low", help="Lower bound ('' for none).")
HighOpt = typer.Option(None, "--high", help="Upper bound ('' for none).")
HedgeOpt = typer.Option(None, "--hedge", help="exact, approx, at_least, at_most, range, vague.")
UnitOpt = typer.Option(None, "--unit", help="person, day, percent, item, or a currency code.")
QualifierOpt = typer.Option(None, "--qualifier", help="A qualifier (repeatable; --qualifier '' for none).")
AttributionOpt = typer.Option(None, "--attribution", help="Who asserts it ('' for the article's own voice).")
StoryOpt = typer.Option(None, "--story", help="The story (negotiation) it belongs to.")


@claim_app.command("fix")
def fix(
    claim_id: int = typer.Argument(..., metavar="ID", help="The claim's id."),
    figure: Optional[str] = FigureOpt, aspect: Optional[str] = AspectOpt, value: Optional[str] = ValueOpt,
    low: Optional[str] = LowOpt, high: Optional[str] = HighOpt, hedge: Optional[str] = HedgeOpt,
    unit: Optional[str] = UnitOpt, qualifier: Optional[List[str]] = QualifierOpt,
    attribution: Optional[str] = AttributionOpt, story: Optional[str] = StoryOpt,
    why: Optional[str] = WhyOption, by: Optional[str] = ByOption, db: Optional[str] = DbOption,
) -> None:
    """Change fields of a claim; the fix holds on every re-ingest, and `claim undo` restores the extracted values.

    Example: tracker claim fix 42 --aspect held --value 130 --hedge approx --why "remain, not released"
    """
    try:
        engine = store.make_engine(db)
        changes = _changes(figure, aspect, value, low, high, hedge, unit, qualifier, attribution, story)
        decisions.fix(engine, claim_id, changes, why=why, by=by)
        _said("fixed " + _claim_line(engine, claim_id))
    except TrackerError as exc:
        fail(exc)


@claim_app.command("add")
def add(
    doc: str = typer.Argument(..., help="The document's id or name (see `tracker sources`)."),
    text: str = typer.Option(..., "--text", help="The claim's words, exactly as in the document."),
    figure: str = typer.Option(..., "--figure", help="The figure (a lexicon key)."),
    aspect: Optional[str] = AspectOpt, value: Optional[str] = ValueOpt,
    low: Optional[str] = LowOpt, high: Optional[str] = HighOpt, hedge: Optional[str] = HedgeOpt,
    unit: Optional[str] = UnitOpt, qualifier: Optional[List[str]] = QualifierOpt,
    attribution: Optional[str] = AttributionOpt, story: Optional[str] = StoryOpt,
    occurrence: int = typer.Option(1, "--occurrence", min=1, help="Which occurrence of the text (1 = the first)."),
    why: Optional[str] = WhyOption, by: Optional[str] = ByOption, db: Optional[str] = DbOption,
) -> None:
    """Add a claim the extractor missed; refused unless the quoted text is in the document. Prints its id.

    Example: tracker claim add 12 --text "as many as 800 prisoners" --figure prisoners --value 800 --high 800 --hedge at_most
    """
    try:
        engine = store.make_engine(db)
        fields = _changes(figure, aspect, value, low, high, hedge, unit, qualifier, attribution, story)
        claim_id = decisions.add(engine, doc, text=text, fields=fields, why=why, by=by, occurrence=occurrence - 1)
        _said("added " + _claim_line(engine, claim_id))
    except TrackerError as exc:
        fail(exc)
    out.print(claim_id, highlight=False)


@claim_app.command("undo")
def undo(
    claim_id: int = typer.Argument(..., metavar="ID", help="The claim's id."),
    by: Optional[str] = ByOption,
    db: Optional[str] = DbOption,
) -> None:
    """Undo the latest decision on a claim (an added claim's add removes it).

    Example: tracker claim undo 42
    """
    try:
        engine = store.make_engine(db)
        d = decisions.undo(engine, claim_id, by=by)
    except TrackerError as exc:
        fail(exc)
    _said(f"undid the {d['kind']} by {d['by']} at {d['at']} on “{d['text']}” ({d['doc_key']})")


@decisions_app.command("export")
def export(
    path: Path = typer.Argument(..., help="The file: .jsonl (one JSON decision a line) or .csv."),
    db: Optional[str] = DbOption,
) -> None:
    """Write every decision to a file, one a line in the order made: keep it in git, import it elsewhere.

    Example: tracker decisions export corrections.jsonl
    """
    try:
        n = decisions.export_decisions(store.make_engine(db), path)
    except (TrackerError, OSError) as exc:
        fail(exc if isinstance(exc, TrackerError) else TrackerError(f"{path}: {exc.strerror or exc}"))
    _said(f"exported {n} decisions to {path}")


@decisions_app.command("import")
def import_(
    path: Path = typer.Argument(..., help="A file written by `tracker decisions export`."),
    db: Optional[str] = DbOption,
) -> None:
    """Apply exported decisions to this database; importing twice changes nothing. Conflicts are listed (exit 1).

    Example: tracker decisions import corrections.jsonl
    """
    try:
        result = decisions.import_decisions(store.make_engine(db), path)
    except TrackerError as exc:
        fail(exc)
    for line in result.errors + result.conflicts:
        _said(line)
    _said(result.line())
    if result.errors or result.conflicts:
        raise typer.Exit(1)


@decisions_app.command("undo")
def undo_uid(
    uid: str = typer.Argument(..., help="The decision's uid (from `review --orphans` or an export)."),
    by: Optional[str] = ByOption,
    db: Optional[str] = DbOption,
) -> None:
    """Undo one decision by its uid, e.g. to dismiss an orphan whose claim is gone for good.

    Example: tracker decisions undo 3f2a9c…
    """
    try:
        d = decisions.undo_decision(store.make_engine(db), uid, by=by)
    except TrackerError as exc:
        fail(exc)
    _said(f"undid the {d['kind']} by {d['by']} at {d['at']} on “{d['text']}” ({d['doc_key']})")


@doc_app.command("set")
def doc_set(
    doc: str = typer.Argument(..., help="The document's id or name (see `tracker sources`)."),
    date: Optional[str] = typer.Option(None, "--date", help="Its date (any common form)."),
    source: Optional[str] = typer.Option(None, "--source", help="Its outlet."),
    story: Optional[str] = typer.Option(None, "--story", help="The story (negotiation) it is about."),
    db: Optional[str] = DbOption,
) -> None:
    """Correct a stored document's date, outlet or story; its claims follow.

    Example: tracker doc set 12 --date 2024-03-26 --source Reuters
    """
    try:
        d = documents.set_document(store.make_engine(db), doc, date=date, source=source, story=story)
    except TrackerError as exc:
        fail(exc)
    _said(f"#{d.id} {d.doc}: date {d.date or 'none'}, source {d.source or 'none'}, story {d.story or 'none'}")


@app.command()
def review(
    story: Optional[str] = typer.Option(None, "--story", help="Only claims of this story."),
    figure: Optional[str] = typer.Option(None, "--figure", help="Only claims of this figure."),
    orphans: bool = typer.Option(False, "--orphans", help="List the decisions whose claim can no longer be found."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="At most this many claims."),
    fmt: Format = FormatOption,
    by: Optional[str] = ByOption,
    db: Optional[str] = DbOption,
) -> None:
    """The claims that most need a person's eye, first (in disputes, outliers, low confidence, unconfirmed).

    On a terminal, steps through them one by one: c confirm, r reject, f fix, s skip, q quit.
    Otherwise (or with --format csv/json/jsonl) prints the queue.

    Example: tracker review --figure hostages
    """
    try:
        engine = store.make_engine(db)
        if orphans:
            rows = decisions.orphans(engine)
            emit(render(rows, fmt, decisions.EXPORT_FIELDS + ("reason",),
                        ("kind", "by", "at", "doc_key", "text", "reason"), title=f"{len(rows)} orphaned decisions"))
            return
        queue = review_mod.review_queue(engine, story=story, figure=figure, limit=limit)
    except TrackerError as exc:
        fail(exc)
    if fmt == "table" and sys.stdin.isatty() and sys.stdout.isatty():
        _step_through(engine, queue, by)
        return
    rows = [{**r, "value": describe_value(r)} for r in queue] if fmt == "table" else queue
    emit(render(rows, fmt, review_mod.QUEUE_COLUMNS, review_mod.QUEUE_TABLE_COLUMNS,
                title=f"{len(queue)} claims to review"))


KEYS = "[c]onfirm  [r]eject  [f]ix  [s]kip  [q]uit"


def _step_through(engine, queue: list[dict], by: Optional[str]) -> None:
    done = {"confirmed": 0, "rejected": 0, "fixed": 0, "skipped": 0}
    try:
        finished = _steps(engine, queue, by, done)
    except (KeyboardInterrupt, click.exceptions.Abort):  # Ctrl-C: what was decided is stored
        _said(_summary(done) + "; interrupted")
        raise typer.Exit(130)
    except EOFError:  # Ctrl-D quits
        finished = False
    _said(_summary(done) + (("; the queue is empty" if not queue else "; end of the queue") if finished else ""))


def _steps(engine, queue: list[dict], by: Optional[str], done: dict) -> bool:
    """Step through `queue`, counting into `done`; False when the reviewer quit."""
    for n, item in enumerate(queue, start=1):
        sentence = Text(item["sentence"])
        sentence.stylize("bold black on yellow", item["highlight_start"], item["highlight_end"])
        out.print(f"\n[bold]{n}/{len(queue)}[/bold]  claim {item['id']}  {escape(item['figure'])} "
                  f"{escape(describe_value(item))} {escape(item.get('aspect') or '')}  "
                  f"{escape(item.get('source') or '')} {item.get('date') or ''}", highlight=False)
        out.print(f"[dim]why: {escape(item['reason'])}[/dim]", highlight=False)
        out.print(sentence)
        out.print(KEYS, highlight=False, markup=False)
        while True:
            key = click.getchar().lower()
            try:
                if key == "c":
                    decisions.confirm(engine, item["id"], by=by)
                    out.print("confirmed", highlight=False)
                    done["confirmed"] += 1
                elif key == "r":
                    why = click.prompt("why", default="rejected in review", show_default=False)
                    decisions.reject(engine, item["id"], why=why, by=by)
                    out.print("rejected", highlight=False)
                    done["rejected"] += 1
                elif key == "f":
                    typed = click.prompt("field=value … (e.g. value=130 aspect=held qualifier=alive)",
                                         default="", show_default=False)
                    if not typed.strip():
                        out.print("nothing changed; " + KEYS, highlight=False, markup=False)
                        continue
                    changes = decisions.parse_changes_text(typed)
                    why = click.prompt("why", default="", show_default=False) or None
                    decisions.fix(engine, item["id"], changes, why=why, by=by)
                    out.print("fixed", highlight=False)
                    done["fixed"] += 1
                elif key == "s":
                    out.print("skipped", highlight=False)
                    done["skipped"] += 1
                elif key == "q":
                    return False
                else:
                    out.print(KEYS, highlight=False, markup=False)
                    continue
            except TrackerError as exc:
                err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
                out.print(KEYS, highlight=False, markup=False)
                continue
            break
    return True


def _summary(done: dict) -> str:
    return ", ".join(f"{v} {k}" for k, v in done.items())
