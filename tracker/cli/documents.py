"""The `tracker` commands about stored documents: sources, show, forget.

Registered on the app of tracker.cli (which imports this module). As there: parse options,
call the library, print; data on stdout, messages on stderr.
"""

from __future__ import annotations

from typing import Optional

import typer
from rich.markup import escape

from tracker import store
from tracker.store import decisions, documents
from tracker.cli.options import Format, FormatOption, DbOption, StoryOption, emit, fail, app, err, out
from tracker.errors import TrackerError
from tracker.models import CLAIM_FIELDS
from tracker.render.formats import render
from tracker.timeline.changes import describe_value


@app.command()
def sources(
    undated: bool = typer.Option(False, "--undated", help="Only documents with no date (given or inferred)."),
    outlets: bool = typer.Option(False, "--outlets", help="One row per outlet instead of per document."),
    source: Optional[str] = typer.Option(None, help="Only documents from this outlet."),
    story: Optional[str] = StoryOption,
    fmt: Format = FormatOption,
    db: Optional[str] = DbOption,
) -> None:
    """The stored documents by outlet, each with its date (~ when inferred from the text) and claim count.

    Example: tracker sources --undated
    """
    try:
        engine = store.make_engine(db)
        if outlets:
            rows = [o.as_dict() for o in documents.list_outlets(engine)]
            columns = ("source", "documents", "claims", "first", "last")
        else:
            rows = [d.as_dict() for d in documents.list_documents(engine, undated=undated, source=source, story=story)]
            columns = ("id", "source", "date", "date_inferred", "doc", "title", "url", "version", "current", "claims",
                       "story")
    except TrackerError as exc:
        fail(exc)
    if fmt == "table" and not outlets:
        table_rows = [{**r, "date": f"~{r['date']}" if r["date_inferred"] else r["date"],
                       "version": f"{r['version']}{'' if r['current'] else ' (superseded)'}"} for r in rows]
        emit(render(table_rows, fmt, columns, ("id", "date", "source", "doc", "story", "claims", "version"),
                     title=f"{len(rows)} {'undated ' if undated else ''}documents"))
    else:
        emit(render(rows, fmt, columns, title=f"{len(rows)} outlets"))


@app.command()
def show(
    doc: str = typer.Argument(..., help="The document's id (see `tracker sources`) or name (path or record id)."),
    fmt: Format = FormatOption,
    db: Optional[str] = DbOption,
) -> None:
    """Print a stored document with its claims highlighted, then its claims (each with its id and status:
    extracted, confirmed, fixed, added or rejected); csv/json/jsonl print only the claims.

    Example: tracker show seeds/000_seed_toi_2024-03-26.txt
    """
    try:
        engine = store.make_engine(db)
        document = documents.find_document(engine, doc)
        claims = documents.document_claims(engine, document, rejected=True)
        rows = [c.as_output() for c in claims]
        if fmt in ("json", "jsonl"):
            rows = decisions.with_decisions(engine, rows)
    except TrackerError as exc:
        fail(exc)
    if fmt != "table":
        emit(render(rows, fmt, CLAIM_FIELDS + ("source", "url", "title", "id", "status")))
        return
    date = f"{document.date} (inferred)" if document.date_inferred else (document.date or "undated")
    head = [f"[bold]{escape(document.title or document.doc)}[/bold]",
            escape(f"#{document.id} {document.doc} · {document.source or 'no outlet'} · {date} · "
                   f"story {document.story or 'none'} · version "
                   f"{document.version}{'' if document.current else ' (superseded)'}")]
    if document.url:
        head.append(escape(document.url))
    out.print("\n".join(head), highlight=False)
    out.print()
    out.print(documents.highlighted_body(document.body, claims))
    rows = [{**r, "value": describe_value(c)} for r, c in zip(rows, claims)]
    kept = sum(c.status != "rejected" for c in claims)
    emit(render(rows, "table", CLAIM_FIELDS, ("id", "start", "figure", "value", "aspect", "attribution", "story", "text",
                                    "status"),
                 title=f"{kept} claims" + (f" ({len(claims) - kept} rejected)" if kept < len(claims) else "")))


@app.command()
def forget(
    doc: str = typer.Argument(..., help="The document's id (see `tracker sources`) or name (path or record id)."),
    db: Optional[str] = DbOption,
) -> None:
    """Remove a stored document and its claims; an older version of its URL becomes current again.

    Example: tracker forget 12
    """
    try:
        document, n = documents.forget_document(store.make_engine(db), doc)
    except TrackerError as exc:
        fail(exc)
    err.print(f"forgot #{document.id} {document.doc} and its {n} claims", highlight=False, markup=False)
