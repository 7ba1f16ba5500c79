"""`tracker demo`: the sample articles ingested and their figures shown."""

from __future__ import annotations

from typing import Optional

from tracker import ingest as ingest_mod
from tracker.cli.ingest import ingest
from tracker.cli.options import DbOption, app, err
from tracker.cli.timeline import figure, figures


@app.command()
def demo(db: Optional[str] = DbOption) -> None:
    """Ingest the sample articles in seeds/ and show the figures and two timelines.

    Example: tracker demo
    """
    seeds = ingest_mod.seeds_dir()
    err.print(f"ingesting {seeds} …", highlight=False)
    ingest(paths=[seeds], urls=None, source=None, date=None, db=db, lexicon=None, quiet=True, workers=1, story=None,
           gazetteer=None)
    figures(fmt="table", db=db, story=None)
    for name in ingest_mod.DEMO_FIGURES:
        figure(name=name, aspect=None, since=None, until=None, source=None, fmt="table", latest=None, db=db,
               lexicon=None, story=None)


