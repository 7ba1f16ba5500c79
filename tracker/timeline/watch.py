"""Watching: a fetch round on a schedule, and what moved in it.

A round polls every followed feed and page (`ingest.follow.poll_feeds`) and reports, as one dict
per change:
- `estimate`: a headline series has a new best estimate (its latest date or value changed);
- `value_changed`: a page fetched again says another number for a series (old → new, with the
  sentence quoted from each version);
- `dispute`: two voices now disagree on a series and date where they did not before.
The changes of the last round are stored, for `tracker changes --since-fetch`.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

from sqlalchemy.engine import Engine

from tracker.ingest.follow import FetchRound, VersionChange, poll_feeds
from tracker.models import Claim
from tracker.sources.fetch import Fetcher
from tracker.store.documents import document_claims
from tracker.store.pages import last_round, save_round
from tracker.store.queries import stored_figures
from tracker.store.tables import Document
from tracker.timeline.changes import describe_value
from tracker.timeline.disputes import disputes
from tracker.timeline.series import best_value, fmt_number, load_series, series_key

CHANGE_COLUMNS = ("kind", "series", "date", "old", "new", "url", "old_quote", "new_quote", "sources")


@dataclass
class Snapshot:
    """The headline estimates (per series label) and the disputes, at one moment."""

    estimates: dict[str, dict] = field(default_factory=dict)
    disputes: dict[tuple, dict] = field(default_factory=dict)


def snapshot(engine: Engine) -> Snapshot:
    """The latest best estimate of every headline series, and every dispute, as stored now.

    The one place watching reads the timeline's series (`load_series`, headline series only for
    the estimates; every series for the disputes).
    """
    snap = Snapshot()
    for figure in stored_figures(engine):
        series_list = load_series(engine, figure)
        for series in series_list:
            if not series.headline or not series.points:
                continue
            point = series.points[-1]
            label = f"{series.key.story} {series.key.label}" if series.key.story else series.key.label
            snap.estimates[label] = {
                "series": label, "date": point.date, "value": point.value, "low": point.low,
                "high": point.high, "sources": point.sources}
        for d in disputes(series_list):
            row = d.as_row()
            key = (row["story"], row["series"], row["period"], row["voice_a"], row["value_a"], row["voice_b"],
                   row["value_b"])
            snap.disputes[key] = row
    return snap


def _estimate_text(e: dict) -> str:
    value = fmt_number(e["value"])
    if e["low"] != e["high"]:
        value += f" ({fmt_number(e['low'])}–{fmt_number(e['high'])})"
    return f"{value} on {e['date']}"


def estimate_changes(before: Snapshot, after: Snapshot) -> list[dict]:
    """A headline series whose latest estimate (date or value) moved, or that appeared."""
    out = []
    for label, new in sorted(after.estimates.items()):
        old = before.estimates.get(label)
        if old is not None and (old["date"], old["value"], old["low"], old["high"]) == \
                (new["date"], new["value"], new["low"], new["high"]):
            continue
        out.append({"kind": "estimate", "series": label, "date": new["date"],
                    "old": _estimate_text(old) if old else None, "new": _estimate_text(new),
                    "sources": new["sources"]})
    return out


def dispute_changes(before: Snapshot, after: Snapshot) -> list[dict]:
    """The disputes that were not there before."""
    out = []
    for key in sorted(set(after.disputes) - set(before.disputes)):
        row = after.disputes[key]
        out.append({"kind": "dispute", "series": row["series"], "date": row["period"],
                    "old": f"{row['value_a']} ({row['voice_a']})", "new": f"{row['value_b']} ({row['voice_b']})",
                    "old_quote": row["text_a"], "new_quote": row["text_b"],
                    "sources": sorted({row["source_a"] or "", row["source_b"] or ""} - {""})})
    return out


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+|\n+")


def sentence_of(body: str, claim: Claim) -> str:
    """The sentence of `body` holding the claim's span (the span itself when it cannot be placed)."""
    if not (0 <= claim.start < claim.end <= len(body)):
        return claim.text
    start = 0
    for m in _SENTENCE_END.finditer(body, 0, claim.start):
        start = m.end()
    m = _SENTENCE_END.search(body, claim.end)
    end = m.start() if m else len(body)
    sentence = " ".join(body[start:end].split())
    return sentence if len(sentence) <= 400 else claim.text


def version_changes(engine: Engine, versions: Sequence[VersionChange]) -> list[dict]:
    """For each page that became a new version: every series whose number changed (old → new, both quoted).

    Within a series the claims of both versions are paired in text order, after those with the
    same value on both sides are set aside; a number only in one version is added or removed.
    """
    from sqlmodel import Session

    out = []
    for change in versions:
        with Session(engine) as s:
            old_doc, new_doc = s.get(Document, change.old_document_id), s.get(Document, change.new_document_id)
        if old_doc is None or new_doc is None:
            continue
        old_by, new_by = _by_series(document_claims(engine, old_doc)), _by_series(document_claims(engine, new_doc))
        for key in sorted(set(old_by) | set(new_by)):
            olds, news = list(old_by.get(key, [])), list(new_by.get(key, []))
            for c in list(olds):
                same = next((n for n in news if best_value(n) == best_value(c) and n.hedge == c.hedge), None)
                if same is not None:
                    olds.remove(c)
                    news.remove(same)
            for i in range(max(len(olds), len(news))):
                o = olds[i] if i < len(olds) else None
                n = news[i] if i < len(news) else None
                out.append({
                    "kind": "value_changed", "series": key.label, "date": new_doc.date, "url": change.url,
                    "title": new_doc.title, "version": new_doc.version,
                    "old": describe_value(o) if o else None, "new": describe_value(n) if n else None,
                    "old_quote": sentence_of(old_doc.body, o) if o else None,
                    "new_quote": sentence_of(new_doc.body, n) if n else None,
                    "sources": [new_doc.source] if new_doc.source else []})
    return out


def _by_series(claims: list[Claim]) -> dict:
    out: dict = {}
    for c in sorted(claims, key=lambda c: c.start):
        out.setdefault(series_key(c), []).append(c)
    return out


@dataclass
class WatchRound:
    """One round of watching: the fetch round and the changes it brought."""

    number: int
    fetch: FetchRound
    changes: list[dict]


def watch_round(engine: Engine, *, fetcher: Optional[Fetcher] = None, lexicon=None,
                refetch_days: Optional[float] = None,
                on_outcome=None) -> WatchRound:
    """Poll every followed feed and page once and report what moved; the changes are stored."""
    before = snapshot(engine)
    fetched = poll_feeds(engine, fetcher=fetcher, lexicon=lexicon, refetch_days=refetch_days, on_outcome=on_outcome)
    after = snapshot(engine)
    changes = (version_changes(engine, fetched.summary.versions) + estimate_changes(before, after)
               + dispute_changes(before, after))
    number = save_round(engine, changes)
    return WatchRound(number, fetched, changes)


def changes_since_fetch(engine: Engine) -> tuple[Optional[int], list[dict]]:
    """The round number and the changes the last watch round reported."""
    return last_round(engine)


def change_line(change: dict) -> str:
    """A change for people: 'hostages held: 240 → 236 (https://…) “…” → “…”'."""
    kind = change.get("kind")
    if kind == "value_changed":
        quotes = f" — was “{change.get('old_quote')}”, now “{change.get('new_quote')}”"
        return (f"changed {change['series']}: {change.get('old') or '(none)'} → {change.get('new') or '(none)'} "
                f"in {change.get('url')}{quotes}")
    if kind == "estimate":
        was = f"{change['old']} → " if change.get("old") else ""
        return f"estimate {change['series']}: {was}{change['new']}"
    if kind == "dispute":
        return f"dispute {change['series']} on {change['date']}: {change['old']} vs {change['new']}"
    return json.dumps(change, ensure_ascii=False)


def notify(command: str, changes: Sequence[dict], *, timeout: float = 60.0) -> list[str]:
    """Run `command` (a shell command) once per change with the change as one JSON line on stdin.

    Returns one line per failed run; a failing command never stops the watch.
    """
    problems = []
    for change in changes:
        line = json.dumps(change, ensure_ascii=False, default=str, sort_keys=True) + "\n"
        try:
            done = subprocess.run(command, shell=True, input=line, text=True, timeout=timeout,
                                  capture_output=True)
        except subprocess.TimeoutExpired:
            problems.append(f"--notify {command!r}: took longer than {timeout:g} s; stopped")
            continue
        except OSError as exc:
            problems.append(f"--notify {command!r}: cannot run ({exc.strerror or exc})")
            continue
        if done.returncode != 0:
            detail = (done.stderr or "").strip().splitlines()
            problems.append(f"--notify {command!r}: exit {done.returncode}" + (f" ({detail[-1]})" if detail else ""))
    return problems


_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d)?", re.I)
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """Seconds from '15m', '90s', '1h30m', '2h' or a bare number of seconds; ValueError otherwise."""
    text = text.strip().lower()
    pos, total = 0, 0.0
    for m in _INTERVAL.finditer(text):
        if m.start() != pos or (m.group(2) is None and m.end() != len(text)):
            raise ValueError(f"not a time interval: {text!r} (write e.g. 15m, 90s, 1h30m)")
        total += float(m.group(1)) * _UNIT_SECONDS[(m.group(2) or "s")]
        pos = m.end()
    if pos != len(text) or total <= 0:
        raise ValueError(f"not a time interval: {text!r} (write e.g. 15m, 90s, 1h30m)")
    return total


def watch(engine: Engine, *, every: float, once: bool = False, fetcher: Optional[Fetcher] = None, lexicon=None,
          notify_command: Optional[str] = None, on_round: Optional[Callable[[WatchRound], None]] = None,
          on_problem: Optional[Callable[[str], None]] = None, sleep: Callable[[float], None] = time.sleep,
          rounds: Optional[int] = None) -> int:
    """Run watch rounds every `every` seconds (one with `once`) until interrupted; returns the rounds run."""
    done = 0
    while True:
        started = time.monotonic()
        result = watch_round(engine, fetcher=fetcher, lexicon=lexicon)
        done += 1
        if on_round:
            on_round(result)
        if notify_command and result.changes:
            for problem in notify(notify_command, result.changes):
                if on_problem:
                    on_problem(problem)
        if once or (rounds is not None and done >= rounds):
            return done
        sleep(max(0.0, every - (time.monotonic() - started)))
