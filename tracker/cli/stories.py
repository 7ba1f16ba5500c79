"""The `tracker stories` command: each stored story with its parties, documents, claims and dates.

Registered on the app of tracker.cli (which imports this module). As there: parse options,
call the library, print; data on stdout, messages on stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from tracker import store
from tracker.ingest.stories import assign_stories
from tracker.cli.options import (DbOption, Format, FormatOption, GazetteerOption, app, emit, err, fail,
                                 gazetteer_paths)
from tracker.errors import TrackerError
from tracker.render.formats import render
from tracker.timeline.stories import list_stories

STORY_COLUMNS = ("story", "parties", "documents", "claims", "first", "last")


@app.command()
def stories(
    fmt: Format = FormatOption,
    db: Optional[str] = DbOption,
    gazetteer: Optional[List[Path]] = GazetteerOption,
    assign: bool = typer.Option(False, "--assign", help="First read the story of stored documents that have none "
                                                          "(a database from before stories, say)."),
    every: bool = typer.Option(False, "--all", help="With --assign: read every stored document's story again "
                                                    "(after extending the gazetteer); stories users gave stay."),
) -> None:
    """Each story (the negotiation documents are about) with its parties, documents, claims and
    first and last date. Every query command narrows to one with --story.

    Example: tracker stories --assign --gazetteer my-actors.toml
    """
    try:
        engine = store.make_engine(db)
        if assign:
            n = assign_stories(engine, gazetteer_paths(gazetteer), only_missing=not every)
            err.print(f"{n} documents got a new story", highlight=False, markup=False)
        rows = list_stories(engine, gazetteer_paths(gazetteer))
    except TrackerError as exc:
        fail(exc)
    emit(render(rows, fmt, STORY_COLUMNS, title=f"{len(rows)} stories"))
