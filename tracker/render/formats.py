"""Rendering rows for people and programs: rich tables, CSV, JSON and JSONL."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Iterable, Sequence

from rich.table import Table

_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def csv_cell(value) -> str:
    """A cell safe to open in a spreadsheet: text that starts a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        value = "; ".join(map(str, value))
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def to_csv(rows: Iterable[dict], columns: Sequence[str]) -> str:
    """RFC 4180 CSV (CRLF line ends) with a header row, every cell made spreadsheet-safe."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])
    return buf.getvalue()


def to_json(rows: Iterable[dict]) -> str:
    """A JSON array, one object per row."""
    return json.dumps(list(rows), ensure_ascii=False, indent=2)


def to_jsonl(rows: Iterable[dict]) -> str:
    """One JSON object per line."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def _table_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    return str(value)


def to_table(rows: Sequence[dict], columns: Sequence[str], title: str | None = None) -> Table:
    """A rich table of `rows` showing `columns`."""
    table = Table(title=title, show_lines=False, header_style="bold")
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*(_table_cell(r.get(c)) for c in columns))
    return table


def render(rows: Sequence[dict], fmt: str, columns: Sequence[str], table_columns: Sequence[str] | None = None,
           title: str | None = None):
    """`rows` as text in `fmt` (csv, json, jsonl) or as a rich Table (table); any other format is an error."""
    if fmt == "csv":
        return to_csv(rows, columns)
    if fmt == "json":
        return to_json(rows) + "\n"
    if fmt == "jsonl":
        return to_jsonl(rows)
    if fmt == "table":
        return to_table(rows, table_columns or columns, title)
    raise ValueError(f"unknown format {fmt!r}; choose table, csv, json or jsonl")
