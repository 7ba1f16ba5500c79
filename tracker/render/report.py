"""Reports: claims or series written as spreadsheet-safe CSV, read back, and compared.

A claim report has one row per claim (every CLAIMS.md field plus source, url, title); a series
report one row per series and date. Both compare the same way: rows are reduced to series
points keyed by (series, date), then paired.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence

from pydantic import ValidationError

from tracker.errors import ReportError
from tracker.models import CLAIM_FIELDS, EXTRA_FIELDS, StoredClaim
from tracker.render.formats import csv_cell, to_csv
from tracker.timeline.series import Series, fmt_number, group_series, whole

CLAIM_COLUMNS = CLAIM_FIELDS + EXTRA_FIELDS + ("source", "url", "title", "id", "status")
SERIES_COLUMNS = ("story", "series", "figure", "aspect", "qualifiers", "unit", "date", "hedge", "value", "low", "high",
                  "voices", "claims", "against", "sources")
TABLE_COLUMNS = {"claims": ("date", "figure", "aspect", "value", "hedge", "attribution", "source", "text"),
                 "series": ("story", "series", "date", "hedge", "value", "low", "high", "voices", "claims")}
COMPARE_COLUMNS = ("status", "series", "date", "old", "new", "delta", "percent", "old_sources", "new_sources")
COMPARE_TABLE_COLUMNS = ("status", "series", "date", "old → new", "delta", "sources")
STATUS_ORDER = ("changed", "new", "gone", "unchanged")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def claim_rows(claims: Iterable[StoredClaim]) -> list[dict]:
    """One row per claim: the CLAIMS.md fields plus source, url and title."""
    return [c.as_output() for c in claims]


def series_rows(series_list: Iterable[Series]) -> Iterator[dict]:
    """One row per series and date: the best estimate (hedge, value, low, high; null when unbounded),
    the voices behind it, the number of claims, the voices against it and the outlets."""
    for s in series_list:
        key = s.key.as_dict()
        for p in s.points:
            yield {**key, "unit": s.unit, "date": p.date, "hedge": p.hedge, "value": whole(p.value),
                   "low": whole(p.low), "high": whole(p.high), "voices": p.voices, "claims": len(p.items),
                   "against": p.against, "sources": p.sources}


def report_path(kind: str, figures: Sequence[str] = (), since: Optional[str] = None, until: Optional[str] = None,
                folder: Path | str = "reports", now: Optional[dt.datetime] = None, suffix: str = "csv") -> Path:
    """Where a report goes by default: reports/<kind>_<figures|all>[_since_until]_<UTC time>.csv."""
    now = now or dt.datetime.now(dt.timezone.utc)
    parts = [kind, "-".join(figures) if figures else "all"]
    if since or until:
        parts.append(f"{since or 'start'}--{until or 'now'}")
    parts.append(now.strftime("%Y-%m-%dT%H%M"))
    return Path(folder) / f"{'_'.join(parts)}.{suffix}"


def write_text(path: Path | str, text: str) -> Path:
    """Write `text` to `path` as UTF-8 with the line ends given (CRLF for CSV), making folders."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    return path


def write_csv(path: Path | str, rows: Iterable[dict], columns: Sequence[str]) -> Path:
    """Write rows as an RFC 4180, spreadsheet-safe CSV report."""
    return write_text(path, to_csv(rows, columns))


def _uncell(text: str) -> str:
    # undo output.csv_cell: the apostrophe it put before a formula-like cell
    return text[1:] if text[:1] == "'" and text[1:2] in _FORMULA_START else text


def _num(text: str, where: str) -> Optional[float]:
    if text == "":
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        raise ReportError(f"{where}: {text!r} is not a number") from None


def _list(text: str) -> list[str]:
    return [p for p in text.split("; ") if p] if text else []


def read_report(path: Path | str) -> tuple[str, list[dict]]:
    """A report read back: its kind ('claims' or 'series') and its rows, cells as written."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ReportError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ReportError(f"{path}: is a folder, not a report") from None
    except UnicodeDecodeError:
        raise ReportError(f"{path}: not UTF-8 text, so not a tracker report") from None
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = reader.fieldnames or []
        rows = [{k: _uncell(v or "") for k, v in r.items() if k is not None} for r in reader]
    except csv.Error as exc:
        raise ReportError(f"{path}: not a readable CSV file ({exc})") from None
    for kind, columns in (("series", SERIES_COLUMNS), ("claims", CLAIM_COLUMNS)):
        if set(columns) <= set(header):
            return kind, rows
    # name what is missing from the kind the file comes closest to
    columns = max((CLAIM_COLUMNS, SERIES_COLUMNS), key=lambda cols: len(set(cols) & set(header)))
    missing = [c for c in columns if c not in header]
    kind = "claim" if columns is CLAIM_COLUMNS else "series"
    raise ReportError(f"{path}: not a tracker report; a {kind} report needs the columns "
                      f"{', '.join(missing)}")


def claims_from_rows(rows: Iterable[dict], where: str = "report") -> list[StoredClaim]:
    """Claims rebuilt from the rows of a claim report."""
    out = []
    for i, r in enumerate(rows, start=2):
        at = f"{where}, line {i}"
        try:
            out.append(StoredClaim(
                doc=r["doc"], figure=r["figure"], aspect=r["aspect"] or None, value=_num(r["value"], at),
                low=_num(r["low"], at), high=_num(r["high"], at), hedge=r["hedge"] or "exact",
                unit=r["unit"] or "item", text=r["text"], start=int(_num(r["start"], at) or 0),
                end=int(_num(r["end"], at) or 0), attribution=r["attribution"] or None,
                qualifiers=_list(r["qualifiers"]), date=r["date"] or None, source=r["source"] or None,
                url=r["url"] or None, title=r["title"] or None))
        except ValidationError as exc:
            problem = "; ".join(f"{e['loc'][0]}: {e['msg']}" for e in exc.errors())
            raise ReportError(f"{at}: {problem}") from None
    return out


@dataclass
class Point:
    """A series on one date as a report states it."""

    series: str
    figure: str
    date: str
    value: Optional[float]
    low: Optional[float]
    high: Optional[float]
    sources: list[str] = field(default_factory=list)


def report_points(path: Path | str) -> dict[tuple[str, str], Point]:
    """The (series, date) points of a claim or series report."""
    kind, rows = read_report(path)
    if kind == "claims":
        rows = list(series_rows(group_series(claims_from_rows(rows, str(path)))))
        return {(r["series"], r["date"]): Point(r["series"], r["figure"], r["date"], r["value"], r["low"],
                                                r["high"], r["sources"]) for r in rows}
    out = {}
    for i, r in enumerate(rows, start=2):
        at = f"{path}, line {i}"
        out[(r["series"], r["date"])] = Point(r["series"], r["figure"], r["date"], _num(r["value"], at),
                                              _num(r["low"], at), _num(r["high"], at), _list(r["sources"]))
    return out


def latest_points(series_list: Iterable[Series]) -> dict[tuple[str, str], Point]:
    """Each series' latest point, keyed (series, 'latest'): what an outlet last said about it."""
    out: dict = {}
    for r in series_rows(series_list):  # rows come in date order within a series
        out[(r["series"], "latest")] = Point(r["series"], r["figure"], r["date"], r["value"], r["low"], r["high"],
                                             r["sources"])
    return out


def _differs(a: Optional[float], b: Optional[float], tolerance: float) -> bool:
    if a is None or b is None:
        return a is not b
    top = max(abs(a), abs(b))
    return top > 0 and abs(a - b) / top > tolerance


def _show(p: Optional[Point], with_date: bool = False) -> Optional[str]:
    if p is None:
        return None
    text = fmt_number(p.value)
    if p.low is not None and p.high is not None and p.low != p.high:
        text += f" ({fmt_number(p.low)}–{fmt_number(p.high)})"
    return f"{text} on {p.date}" if with_date else text


@dataclass
class Comparison:
    """Every (series, date) of two reports, paired: new, gone, changed or unchanged."""

    rows: list[dict]
    old_label: str = "A"
    new_label: str = "B"
    names: dict = field(default_factory=lambda: {s: s for s in STATUS_ORDER})

    def count(self, status: str) -> int:
        """How many pairs have `status` (one of STATUS_ORDER)."""
        return sum(r["status"] == self.names[status] for r in self.rows)

    def table_rows(self, include_unchanged: bool = False) -> list[dict]:
        """The listed rows folded into COMPARE_TABLE_COLUMNS for a terminal."""
        out = []
        for r in self.listed(include_unchanged):
            move = " → ".join(x or "–" for x in (r["old"], r["new"])) if r["old"] != r["new"] else r["new"]
            delta = "" if r["delta"] is None else f"{'+' if r['delta'] > 0 else ''}{fmt_number(r['delta'])}"
            if r["percent"] is not None:
                delta += f" ({'+' if r['percent'] > 0 else ''}{r['percent']}%)"
            srcs = sorted(set(r["old_sources"]) | set(r["new_sources"]))
            out.append({"status": r["status"], "series": r["series"], "date": r["date"], "old → new": move,
                        "delta": delta, "sources": srcs})
        return out

    def listed(self, include_unchanged: bool = True) -> list[dict]:
        """The rows to show: all of them, or only the new, gone and changed ones."""
        return [r for r in self.rows if include_unchanged or r["status"] != self.names["unchanged"]]

    @property
    def equal(self) -> bool:
        """True when nothing is new, gone or changed."""
        return self.count("unchanged") == len(self.rows)

    def summary(self) -> str:
        """One line: 'no differences (N unchanged)' or 'N changed, N new, N gone, N unchanged'."""
        if self.equal:
            return (f"no differences between {self.old_label} and {self.new_label} "
                    f"({self.count('unchanged')} {self.names['unchanged']})")
        counts = ", ".join(f"{self.count(s)} {self.names[s]}" for s in STATUS_ORDER)
        return f"{counts} ({self.old_label} → {self.new_label})"


def compare_points(old: dict, new: dict, *, tolerance: float = 0.0, figures: Sequence[str] = (),
                   old_label: str = "A", new_label: str = "B", with_dates: bool = False) -> Comparison:
    """Pair two sets of (series, date) points; values apart by more than `tolerance` (a share) changed."""
    rows = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if figures and (a or b).figure not in figures:
            continue
        if a is None or b is None:
            status = "new" if a is None else "gone"
        elif any(_differs(x, y, tolerance) for x, y in ((a.value, b.value), (a.low, b.low), (a.high, b.high))):
            status = "changed"
        else:
            status = "unchanged"
        delta = b.value - a.value if a and b and a.value is not None and b.value is not None else None
        pct = round(delta / abs(a.value) * 100, 1) if delta is not None and a.value else None
        rows.append({"status": status, "series": key[0], "date": key[1], "old": _show(a, with_dates),
                     "new": _show(b, with_dates),
                     "delta": whole(delta) if status == "changed" else None,
                     "percent": pct if status == "changed" else None,
                     "old_sources": a.sources if a else [], "new_sources": b.sources if b else []})
    rows.sort(key=lambda r: (STATUS_ORDER.index(r["status"]), r["series"], r["date"]))
    return Comparison(rows, old_label, new_label)


def compare_reports(old_path: Path | str, new_path: Path | str, *, tolerance: float = 0.0,
                    figures: Sequence[str] = ()) -> Comparison:
    """Compare two report files (claim or series reports, in any mix)."""
    return compare_points(report_points(old_path), report_points(new_path), tolerance=tolerance,
                          figures=figures, old_label=str(old_path), new_label=str(new_path))


def compare_sources(claims: Sequence[StoredClaim], source_a: str, source_b: str, *, tolerance: float = 0.0,
                    figures: Sequence[str] = ()) -> Comparison:
    """What outlet A and outlet B last reported for each series (value and date): they agree, differ,
    or only one of them reported the series. Outlets seldom report on the same day, so each one's
    latest value stands for what it says."""
    def of(name: str) -> dict:
        return latest_points(group_series(c for c in claims if (c.source or "").lower() == name.lower()))
    cmp = compare_points(of(source_a), of(source_b), tolerance=tolerance, figures=figures,
                         old_label=source_a, new_label=source_b, with_dates=True)
    cmp.names = {"changed": "differ", "new": f"only {source_b}", "gone": f"only {source_a}", "unchanged": "agree"}
    for r in cmp.rows:
        r["status"] = cmp.names[r["status"]]
    return cmp


def gather_claims(engine, figures: Sequence[str] = (), since: Optional[str] = None,
                  until: Optional[str] = None, source: Optional[str] = None,
                  aspect: Optional[str] = None, story: Optional[str] = None) -> list[StoredClaim]:
    """The stored claims of `figures` (all figures when none; unknown names raise), in date order;
    with `story`, only that story's (an unknown story raises UnknownStoryError)."""
    from tracker import store

    if story:
        store.require_story(engine, story)
    filters = {"since": since, "until": until, "source": source, "aspect": aspect, "story": story}
    if not figures:
        return store.query_claims(engine, **filters)
    return [c for f in dict.fromkeys(figures) for c in store.figure_claims(engine, f, **filters)]


def build_report(claims: Sequence[StoredClaim], by_series: bool = False) -> tuple[list[dict], tuple[str, ...]]:
    """The rows and columns of a claim report, or with `by_series` of a series report."""
    if by_series:
        return list(series_rows(group_series(claims))), SERIES_COLUMNS
    return claim_rows(claims), CLAIM_COLUMNS


def check_figures(engine, figures: Sequence[str]) -> None:
    """Raise UnknownFigureError for a figure name neither the lexicon nor the store knows."""
    from tracker import store

    for f in dict.fromkeys(figures):
        store.figure_claims(engine, f, latest=1)


def store_series(engine, figures: Sequence[str] = (), *, story: Optional[str] = None, aspect: Optional[str] = None,
                 since: Optional[str] = None, until: Optional[str] = None, source: Optional[str] = None,
                 subsets: bool = True, claims: bool = False) -> list[Series]:
    """The series of `figures` (all figures when none; unknown names raise) streamed from the store."""
    from tracker import store
    from tracker.timeline.series import load_series

    check_figures(engine, figures)
    if story:
        store.require_story(engine, story)
    filters = dict(story=story, aspect=aspect, since=since, until=until, source=source, subsets=subsets,
                   claims=claims)
    return [s for f in (dict.fromkeys(figures) if figures else [None]) for s in load_series(engine, f, **filters)]


def claims_by_id(engine, ids: Iterable[int]) -> dict:
    """The stored claims with these ids (StoredClaim with document name and address), by id."""
    from tracker.timeline.rows import iter_claim_rows
    from tracker.timeline.series import stored_claims

    ids = sorted(set(ids))
    rows = [r for start in range(0, len(ids), 500) for r in iter_claim_rows(engine, ids=ids[start:start + 500])]
    return stored_claims(engine, rows)


def _cell(value):
    # csv_cell with fast paths for the common cells of a large report (numbers, None, plain text)
    kind = type(value)
    if value is None:
        return ""
    if kind is int or kind is float:
        return value
    if kind is str and value[:1] not in _FORMULA_START:
        return value
    return csv_cell(value)


def write_rows(fh, rows: Iterable[dict], fmt: str, columns: Sequence[str]) -> int:
    """Write rows to an open text file as they come (csv, json or jsonl); returns how many.

    A series report of a million claims has hundreds of thousands of rows: written one by one,
    they never sit in memory together.
    """
    import json

    n = 0
    if fmt == "csv":
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(columns)
        for n, row in enumerate(rows, start=1):
            writer.writerow([_cell(row.get(c)) for c in columns])
    elif fmt == "jsonl":
        for n, row in enumerate(rows, start=1):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        fh.write("[")
        for n, row in enumerate(rows, start=1):
            fh.write(("," if n > 1 else "") + "\n  " + json.dumps(row, ensure_ascii=False))
        fh.write("\n]\n")
    return n
