"""The `tracker stories` command: each stored story with its parties, documents, claims and dates.

Registered on the app of tracker.cli (which imports this module). As there: parse options,
call the library, print; data on stdout, messages on stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

from tracker import store
from tracker.cli.options import (DbOption, Format, FormatOption, GazetteerOption, app, emit, fail,
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
) -> None:
    """Each story (the negotiation documents are about) with its parties, documents, claims and
    first and last date. Every query command narrows to one with --story.

    Example: tracker stories
    """
    try:
        rows = list_stories(store.make_engine(db), gazetteer_paths(gazetteer))
    except TrackerError as exc:
        fail(exc)
    emit(render(rows, fmt, STORY_COLUMNS, title=f"{len(rows)} stories"))
