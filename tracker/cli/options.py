"""What every command shares: the app, the consoles, options declared once, and how errors print."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape

from tracker.errors import TrackerError

app = typer.Typer(
    help="Track the numbers reported in negotiations (hostages, prisoners, truces, strikes) across "
         "news articles and time.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=False)
err = Console(stderr=True, soft_wrap=True)


class Format(str, Enum):
    """How a command prints its rows: a table for people, csv/json/jsonl for programs."""

    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"

    def __str__(self) -> str:
        return self.value


DbOption = typer.Option(None, "--db", help="SQLAlchemy URL of the database (default: $TRACKER_DB or sqlite:///tracker.db).")
LexiconOption = typer.Option(None, "--lexicon", help="A TOML lexicon file adding or extending figures (repeatable).")
FormatOption = typer.Option(Format.table, "--format", "-f", help="How to print the rows.")
SinceOption = typer.Option(None, help="Only claims on or after this date (YYYY-MM-DD).")
UntilOption = typer.Option(None, help="Only claims on or before this date (YYYY-MM-DD).")
StoryOption = typer.Option(None, "--story", help="Only this story, e.g. israel-hamas (`tracker stories` lists them).")
SetStoryOption = typer.Option(None, "--story", help="The story of documents whose front matter names none "
                                                   "(default: read from the actors their text names).")
GazetteerOption = typer.Option(None, "--gazetteer", help="A TOML gazetteer adding actors or stories (repeatable).")
ByOption = typer.Option(None, "--by", help="Who decides (default: your login name).")
TABLE_LATEST = 1000  # a terminal table longer than this is read by nobody; exports get everything


def fail(exc: TrackerError) -> None:
    """Print `exc` as one line on stderr and exit with its code."""
    err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, markup=True)
    raise typer.Exit(exc.exit_code)


def emit(rendered) -> None:
    """Write rendered output (text, or a rich renderable) to stdout."""
    if isinstance(rendered, str):
        sys.stdout.write(rendered)
    else:
        out.print(rendered)


def lexicon_paths(paths: Optional[List[Path]]):
    """The --lexicon files as the library takes them (None for the built-in lexicon)."""
    return tuple(str(p) for p in paths) if paths else None


def gazetteer_paths(paths: Optional[List[Path]]):
    """The --gazetteer files as the library takes them (None for the built-in gazetteer)."""
    return tuple(str(p) for p in paths) if paths else None
