"""The `tracker` command: parse options, call one library function, print. No logic lives here.

One module per group of commands, each registering on the app of `options`:
`ingest` (ingest, extract, evaluate, demo), `timeline` (figures, figure, changes, disputes,
report, compare, plot), `documents` (sources, show, forget), `stories` (stories), `claims` (claim, review,
decisions, doc), `db` (db upgrade), `follow` (feed, fetch, watch, reextract), `serve` (the web view).
"""

from __future__ import annotations

import signal

from tracker.cli import claims, db, demo, documents, follow, ingest, serve, stories, timeline  # noqa: F401  (each registers its commands)
from tracker.cli.options import app

__all__ = ["app", "main"]


def _raise_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """Entry point of the `tracker` console script."""
    # `kill` (SIGTERM) stops an ingest as Ctrl-C does: the document being stored is rolled back.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    app()


if __name__ == "__main__":
    main()
