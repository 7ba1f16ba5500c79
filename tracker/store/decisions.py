"""Correct the record: people's decisions on claims — reject, fix, confirm, add — that survive re-ingests.

The decision rows (table `decision`, in tracker.store.tables) are the source of truth; the claim
rows carry their effect, so every query, series, estimate and report reads corrected claims
without knowing about decisions: a rejected claim stops being `current`, a fixed one has its
fields replaced (the extracted ones kept in `original`), an added one is a claim row of status
`added`.

A decision is keyed by what survives re-extraction and new versions of a page, not by the claim
row's id: the document's identity (its URL, else its name), the quoted span `text`, which
occurrence of that text in the body it was (`occurrence`, counted from 0) and its `start` as a
hint. `apply_decisions` replays a document's decisions whenever its claims are written again
(a new version of the page, a re-extraction, new metadata): the span is looked up in the current
version's text — the same occurrence where the text is there that often, else the one nearest
the old start — and the decision applies to the claim whose span overlaps it (the same span
first, then the same figure, then the largest overlap). A decision whose text or claim can no
longer be found is an orphan: `orphans` lists it, and it applies again when its claim is back.
"""

from __future__ import annotations

import csv
import getpass
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Optional, Union

from pydantic import ValidationError
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker.errors import TrackerError
from tracker.models import Claim, StoredClaim
from tracker.store.documents import find_document
from tracker.store.engine import session
from tracker.store.replay import (CLAIM, DECISION, DOCUMENT, FIX_FIELDS, claim_fields, decision_document, apply_all,
                                  apply_decisions, document_key, occurrence_at, positions)

KINDS = ("reject", "fix", "confirm", "add")
#: The columns of an exported decision, in file order.
EXPORT_FIELDS = ("uid", "at", "kind", "by", "why", "doc_key", "doc_hash", "figure", "text", "occurrence", "start", "target",
                 "claim", "changes", "undone_at", "undone_by")



class DecisionError(TrackerError):
    """A decision that cannot be made: an unknown claim, a text not in the document, a bad field."""


def login_name() -> str:
    """Who decides when `by` is not given: the login name."""
    try:
        return getpass.getuser()
    except Exception:  # no login name in this environment (a container without passwd entry)
        return "unknown"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


# --- making decisions ---------------------------------------------------------------------------

def _claim_row(s: Session, claim_id: int):
    row = s.execute(select(CLAIM, DOCUMENT.c.doc, DOCUMENT.c.url, DOCUMENT.c.body, DOCUMENT.c.content_hash,
                           DOCUMENT.c.current.label("doc_current"))
                    .join(DOCUMENT, CLAIM.c.document_id == DOCUMENT.c.id).where(CLAIM.c.id == claim_id)).first()
    if row is None:
        raise DecisionError(f"no stored claim {claim_id}; `tracker figure NAME --format json` shows claim ids")
    if not row.doc_current:
        raise DecisionError(f"claim {claim_id} belongs to a superseded version of {row.url or row.doc}; "
                            "decide on the current version's claims")
    return row


def _as_it_was(row) -> dict:
    claim = {"id": row.id, "status": row.status, "doc": row.doc, **claim_fields(row),
             "text": row.text, "start": row.start, "end": row.end, "date": row.date, "source": row.source}
    return _whole(claim)


def _whole(fields: dict) -> dict:
    """800, not 800.0, for value, low and high in a decision and its export."""
    for k in ("value", "low", "high"):
        if isinstance(fields.get(k), float) and fields[k].is_integer():
            fields[k] = int(fields[k])
    return fields


def _validated(fields: dict, *, text: str, start: int, end: int) -> dict:
    """`fields` checked against the claim model (figure, hedge, aspect …); a bad value is one clear error."""
    unknown = sorted(set(fields) - set(FIX_FIELDS))
    if unknown:
        raise DecisionError(f"unknown claim field(s) {', '.join(unknown)}; fields are {', '.join(FIX_FIELDS)}")
    data = {k: v for k, v in fields.items() if k != "story"}
    if isinstance(data.get("qualifiers"), str):  # "alive, women" as typed in a form
        data["qualifiers"] = [q.strip() for q in data["qualifiers"].split(",") if q.strip()]
    try:
        claim = Claim(**{"figure": "x", **data, "text": text, "start": start, "end": end})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise DecisionError(f"bad claim field: {problems}") from None
    out = _whole({k: getattr(claim, k) for k in data})
    if "story" in fields:
        out["story"] = fields["story"] or None
    return out


def _record(s: Session, kind: str, row, *, why, by, changes: Optional[dict] = None, target=None) -> str:
    uid = uuid.uuid4().hex
    s.execute(insert(DECISION).values(
        uid=uid, kind=kind, by=by or login_name(), at=_now(), why=why, doc_key=row.url or row.doc,
        doc_hash=row.content_hash,
        figure=(json.loads(row.original)["figure"] if row.original else row.figure), text=row.text,
        occurrence=occurrence_at(row.body, row.text, row.start), start=row.start, target=target,
        claim=json.dumps(_as_it_was(row), ensure_ascii=False), changes=json.dumps(changes or {}, ensure_ascii=False),
        claim_id=row.id))
    return uid


def _target(s: Session, row) -> Optional[str]:
    """The add decision behind an added claim (decisions on it follow that claim, not a span)."""
    return row.add_uid


def _decide(engine: Engine, kind: str, claim_id: int, *, why, by, changes=None) -> int:
    with session(engine) as s:
        row = _claim_row(s, claim_id)
        _record(s, kind, row, why=why, by=by, changes=changes, target=_target(s, row))
        doc = s.execute(select(DOCUMENT).where(DOCUMENT.c.id == row.document_id)).first()
        apply_decisions(s, doc)
    return claim_id


def reject(engine: Engine, claim_id: int, *, why: str, by: Optional[str] = None) -> int:
    """Reject claim `claim_id` (not a claim of this figure, not a claim at all): it leaves every timeline."""
    if not why or not str(why).strip():
        raise DecisionError("a rejection needs a reason (--why)")
    return _decide(engine, "reject", claim_id, why=why, by=by)


def confirm(engine: Engine, claim_id: int, *, why: Optional[str] = None, by: Optional[str] = None) -> int:
    """Confirm claim `claim_id` as extracted: a person checked it; it leaves the review queue."""
    return _decide(engine, "confirm", claim_id, why=why, by=by)


def fix(engine: Engine, claim_id: int, changes: dict, *, why: Optional[str] = None, by: Optional[str] = None) -> int:
    """Change fields of claim `claim_id` (any of FIX_FIELDS); the extracted values are kept for an undo."""
    if not changes:
        raise DecisionError("a fix needs at least one field to change (--figure, --value, …)")
    with Session(engine) as s:
        row = _claim_row(s, claim_id)
    changes = _validated(dict(changes), text=row.text, start=row.start, end=row.end)
    return _decide(engine, "fix", claim_id, why=why, by=by, changes=changes)


def add(engine: Engine, doc_ref: str, *, text: str, fields: dict, why: Optional[str] = None,
        by: Optional[str] = None, occurrence: Optional[int] = None) -> int:
    """Add a claim the extractor missed to document `doc_ref`, quoting its `text`; returns the new claim's id.

    Refused unless `text` is in the document's body; where it is there several times the first is
    taken (or the `occurrence`-th, from 0).
    """
    from tracker.extract.lexicon import resolve_lexicon

    document = find_document(engine, str(doc_ref))
    if not text or not text.strip():
        raise DecisionError("an added claim needs the quoted text (--text)")
    found = positions(document.body, text)
    if not found:
        raise DecisionError(f"{text!r} is not in the text of {document.doc} (#{document.id}); quote it exactly")
    occurrence = occurrence or 0
    if occurrence >= len(found):
        raise DecisionError(f"{text!r} occurs {len(found)} time(s) in {document.doc}, not {occurrence + 1}")
    if not document.current:
        raise DecisionError(f"#{document.id} is a superseded version of {document_key(document)}; add to the current one")
    fields = dict(fields)
    if not fields.get("figure"):
        raise DecisionError("an added claim needs its figure (--figure)")
    if "unit" not in fields:
        spec = resolve_lexicon(None).figures.get(fields["figure"])
        fields["unit"] = spec.unit if spec is not None else "item"
    start = found[occurrence]
    fields = _validated(fields, text=text, start=start, end=start + len(text))
    with engine.connect() as conn:
        same = conn.execute(select(CLAIM.c.id).where(
            CLAIM.c.document_id == document.id, CLAIM.c.start == start, CLAIM.c.end == start + len(text),
            CLAIM.c.figure == fields["figure"], CLAIM.c.status != "rejected")).scalar()
    if same is not None:
        raise DecisionError(f"{text!r} is claim {same} already; fix or confirm it instead")
    with session(engine) as s:
        uid = uuid.uuid4().hex
        s.execute(insert(DECISION).values(
            uid=uid, kind="add", by=by or login_name(), at=_now(), why=why, doc_key=document_key(document),
            doc_hash=document.content_hash,
            figure=fields["figure"], text=text, occurrence=occurrence, start=start, target=None, claim="{}",
            changes=json.dumps(fields, ensure_ascii=False), claim_id=None))
        doc = s.execute(select(DOCUMENT).where(DOCUMENT.c.id == document.id)).first()
        apply_decisions(s, doc)
        return s.execute(select(DECISION.c.claim_id).where(DECISION.c.uid == uid)).scalar()


def undo(engine: Engine, claim_id: int, *, by: Optional[str] = None) -> dict:
    """Undo the latest decision on claim `claim_id`; returns that decision (as exported)."""
    with session(engine) as s:
        d = s.execute(select(DECISION).where(DECISION.c.claim_id == claim_id, DECISION.c.undone_at.is_(None))
                      .order_by(DECISION.c.at.desc(), DECISION.c.id.desc()).limit(1)).first()
        if d is None:
            raise DecisionError(f"claim {claim_id} has no decision to undo")
        s.execute(update(DECISION).where(DECISION.c.id == d.id).values(undone_at=_now(), undone_by=by or login_name()))
        if d.kind == "add":  # what was decided on the added claim goes with it
            s.execute(update(DECISION).where(DECISION.c.target == d.uid, DECISION.c.undone_at.is_(None))
                      .values(undone_at=_now(), undone_by=by or login_name()))
        doc = decision_document(s, d.doc_key, d.doc_hash)
        if doc is not None:
            apply_decisions(s, doc)
        return _exported(d)


def undo_decision(engine: Engine, uid: str, *, by: Optional[str] = None) -> dict:
    """Undo one decision by its uid (as `export` and `orphans` show it): the way to dismiss an orphan."""
    with session(engine) as s:
        d = s.execute(select(DECISION).where(DECISION.c.uid == uid)).first()
        if d is None:
            raise DecisionError(f"no decision {uid!r}; `tracker review --orphans` and `tracker decisions export` show uids")
        if d.undone_at is not None:
            raise DecisionError(f"decision {uid} was undone already, by {d.undone_by} at {d.undone_at}")
        s.execute(update(DECISION).where(DECISION.c.uid == uid).values(undone_at=_now(), undone_by=by or login_name()))
        if d.kind == "add":
            s.execute(update(DECISION).where(DECISION.c.target == uid, DECISION.c.undone_at.is_(None))
                      .values(undone_at=_now(), undone_by=by or login_name()))
        doc = decision_document(s, d.doc_key, d.doc_hash)
        if doc is not None:
            apply_decisions(s, doc)
        return _exported(d)


# --- reading decisions --------------------------------------------------------------------------

def _exported(d) -> dict:
    out = {name: getattr(d, name) for name in EXPORT_FIELDS}
    out["claim"] = json.loads(d.claim or "{}")
    out["changes"] = json.loads(d.changes or "{}")
    return out


def list_decisions(engine: Engine, *, include_undone: bool = True) -> list[dict]:
    """Every decision in the order made (as exported, with the claim it applies to now as `claim_id`)."""
    stmt = select(DECISION).order_by(DECISION.c.at, DECISION.c.uid)
    if not include_undone:
        stmt = stmt.where(DECISION.c.undone_at.is_(None))
    with engine.connect() as conn:
        return [{**_exported(d), "claim_id": d.claim_id} for d in conn.execute(stmt).all()]


def claim_decisions(engine: Engine, claim_ids: Iterable[int]) -> dict[int, list[dict]]:
    """The active decisions on each of `claim_ids`, oldest first (for `figure` and `show` output)."""
    ids = sorted({i for i in claim_ids if i is not None})
    out: dict[int, list[dict]] = {}
    with engine.connect() as conn:
        for chunk in range(0, len(ids), 500):
            rows = conn.execute(select(DECISION).where(DECISION.c.claim_id.in_(ids[chunk:chunk + 500]),
                                                       DECISION.c.undone_at.is_(None))
                                .order_by(DECISION.c.at, DECISION.c.id)).all()
            for d in rows:
                out.setdefault(d.claim_id, []).append(
                    {"kind": d.kind, "by": d.by, "at": d.at, "why": d.why, "changes": json.loads(d.changes or "{}")})
    return out


def with_decisions(engine: Engine, rows: list[dict]) -> list[dict]:
    """Output rows (each with `id` and `status`) with `decision`: the active decisions on each
    corrected claim (kind, by, at, why, changes), None for a claim as extracted."""
    found = claim_decisions(engine, [r.get("id") for r in rows if r.get("status", "extracted") != "extracted"])
    return [{**r, "decision": found.get(r.get("id")) or None} for r in rows]


def orphans(engine: Engine) -> list[dict]:
    """Decisions whose claim can no longer be found, each with why (the document, its text or its claim is gone)."""
    out = []
    with Session(engine) as s:
        rows = s.execute(select(DECISION).where(DECISION.c.undone_at.is_(None))
                         .order_by(DECISION.c.at, DECISION.c.uid)).all()
        claimed = [d.claim_id for d in rows if d.claim_id is not None]
        live = set(s.execute(select(CLAIM.c.id).join(DOCUMENT, CLAIM.c.document_id == DOCUMENT.c.id).where(
            CLAIM.c.id.in_(claimed or [-1]), DOCUMENT.c.current == True)).scalars().all())  # noqa: E712
        for d in rows:
            if d.claim_id in live:
                continue
            doc = decision_document(s, d.doc_key, d.doc_hash)
            if doc is None:
                reason = "the document is no longer stored"
            elif d.target:
                reason = "the claim it was added as is gone"
            elif not positions(doc.body, d.text):
                reason = "the quoted text is not in the current version"
            else:
                reason = "no claim is extracted at the quoted text"
            out.append({**_exported(d), "reason": reason})
    return out


# --- sharing decisions --------------------------------------------------------------------------

def _line(d: dict) -> dict:
    return {name: d.get(name) for name in EXPORT_FIELDS}


def export_decisions(engine: Engine, path: Union[str, Path]) -> int:
    """Write every decision (undone ones too, marked) to `path`: JSONL, or CSV when it ends in .csv.

    One decision a line, in the order made (then by uid), keys in a fixed order: a file kept in
    git shows each new decision as one added line. Returns how many were written.
    """
    path = Path(path)
    rows = [_line(d) for d in list_decisions(engine)]
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        if path.suffix.lower() == ".csv":
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow(EXPORT_FIELDS)
            for r in rows:
                writer.writerow(["" if r[k] is None else json.dumps(r[k], ensure_ascii=False, sort_keys=True)
                                 if k in ("claim", "changes") else r[k] for k in EXPORT_FIELDS])
        else:
            for r in rows:
                r["claim"] = dict(sorted(r["claim"].items()))
                r["changes"] = dict(sorted(r["changes"].items()))
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return len(rows)


@dataclass
class ImportResult:
    """What importing a file of decisions did."""

    imported: int = 0
    unchanged: int = 0
    undone: int = 0
    conflicts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One line: N imported, N unchanged, N undone, N conflicts, N errors."""
        return (f"{self.imported} imported, {self.unchanged} unchanged, {self.undone} undone, "
                f"{len(self.conflicts)} conflicts, {len(self.errors)} errors")


def _read_lines(path: Path, result: ImportResult) -> list[tuple[int, dict]]:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DecisionError(f"{path}: cannot read decisions ({exc})") from None
    out = []
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(raw.splitlines())
        missing = [k for k in ("uid", "kind", "doc_key", "text") if k not in (reader.fieldnames or [])]
        if missing:
            raise DecisionError(f"{path}: not a decisions file (missing columns {', '.join(missing)})")
        for n, rec in enumerate(reader, start=2):
            try:
                for k in ("claim", "changes"):
                    rec[k] = json.loads(rec[k]) if rec.get(k) else {}
            except json.JSONDecodeError as exc:
                result.errors.append(f"{path}:{n}: {k} is not JSON ({exc.msg})")
                continue
            out.append((n, {k: (v if v != "" else None) for k, v in rec.items()}))
    else:
        for n, line in enumerate(raw.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                result.errors.append(f"{path}:{n}: not JSON ({exc.msg})")
                continue
            if not isinstance(rec, dict):
                result.errors.append(f"{path}:{n}: not a JSON object")
                continue
            out.append((n, rec))
    good = []
    for n, rec in out:
        problem = None
        if rec.get("kind") not in KINDS:
            problem = f"kind must be one of {', '.join(KINDS)}, not {rec.get('kind')!r}"
        elif not rec.get("uid") or not rec.get("doc_key") or not rec.get("text") or not rec.get("at"):
            problem = "uid, at, doc_key and text are required"
        if problem:
            result.errors.append(f"{path}:{n}: {problem}")
            continue
        try:
            rec["occurrence"] = int(rec.get("occurrence") or 0)
            rec["start"] = int(rec.get("start") or 0)
        except (TypeError, ValueError):
            result.errors.append(f"{path}:{n}: occurrence and start must be whole numbers")
            continue
        good.append((n, rec))
    return good


def _effect(d) -> tuple:
    changes = d["changes"] if isinstance(d["changes"], dict) else json.loads(d["changes"] or "{}")
    return (d["kind"], json.dumps(changes, sort_keys=True))


def import_decisions(engine: Engine, path: Union[str, Path]) -> ImportResult:
    """Apply the decisions of an exported file (JSONL or CSV) to this database; running it twice changes nothing.

    A decision already here (same uid) is unchanged, or marked undone when the file says so. A
    new decision on a claim this database already decided otherwise (another reject/fix/confirm
    of the same quoted span) is a conflict: reported, not imported, this database's decision kept.
    """
    path = Path(path)
    result = ImportResult()
    lines = _read_lines(path, result)
    touched: set[tuple[str, Optional[str]]] = set()
    with session(engine) as s:
        existing = {d.uid: d for d in s.execute(select(DECISION)).all()}
        before = {}
        for d in existing.values():
            if d.undone_at is None:
                before.setdefault((d.doc_key, d.text, d.occurrence, d.target), []).append(d)
        for n, rec in lines:
            old = existing.get(rec["uid"])
            if old is not None:
                if rec.get("undone_at") and old.undone_at is None:
                    s.execute(update(DECISION).where(DECISION.c.id == old.id).values(
                        undone_at=rec["undone_at"], undone_by=rec.get("undone_by")))
                    result.undone += 1
                    touched.add((old.doc_key, old.doc_hash))
                elif _effect(rec) != _effect(old._mapping) or (old.undone_at and not rec.get("undone_at")):
                    result.conflicts.append(f"{path}:{n}: decision {rec['uid']} differs from the one stored here")
                else:
                    result.unchanged += 1
                continue
            if not rec.get("undone_at") and rec["kind"] != "add":
                rivals = before.get((rec["doc_key"], rec["text"], rec["occurrence"], rec.get("target")), [])
                if any(_effect(r._mapping) == _effect(rec) for r in rivals):
                    result.unchanged += 1
                    continue
                if rivals:
                    r = rivals[-1]
                    result.conflicts.append(
                        f"{path}:{n}: {rec['kind']} of {rec['text']!r} in {rec['doc_key']} conflicts with the "
                        f"{r.kind} by {r.by} at {r.at}; kept this database's")
                    continue
            s.execute(insert(DECISION).values(
                uid=rec["uid"], kind=rec["kind"], by=rec.get("by") or "", at=rec["at"], why=rec.get("why"),
                doc_key=rec["doc_key"], doc_hash=rec.get("doc_hash"), figure=rec.get("figure"), text=rec["text"], occurrence=rec["occurrence"],
                start=rec["start"], target=rec.get("target"),
                claim=json.dumps(rec.get("claim") or {}, ensure_ascii=False),
                changes=json.dumps(rec.get("changes") or {}, ensure_ascii=False), claim_id=None,
                undone_at=rec.get("undone_at"), undone_by=rec.get("undone_by")))
            existing[rec["uid"]] = None
            result.imported += 1
            touched.add((rec["doc_key"], rec.get("doc_hash")))
    apply_all(engine, touched)
    return result


# --- parsing changes, for the CLI and the web -------------------------------------------------

_NUMBERS = ("value", "low", "high")


def parse_changes(pairs: Iterable[str]) -> dict:
    """`field=value` texts (as typed in a review) as a changes dict: numbers for value/low/high,
    `qualifier=Q` (repeatable) or `qualifiers=a,b` for the list, an empty value for none."""
    out: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            raise DecisionError(f"{pair!r}: write field=value, e.g. value=800 or aspect=held")
        name, _, raw = pair.partition("=")
        name, raw = name.strip().lower(), raw.strip()
        if name in ("qualifier", "qualifiers"):
            out.setdefault("qualifiers", []).extend(q.strip() for q in raw.split(",") if q.strip())
            continue
        if name not in FIX_FIELDS:
            raise DecisionError(f"unknown claim field {name!r}; fields are {', '.join(FIX_FIELDS)}")
        out[name] = number_or_none(raw, name) if name in _NUMBERS else (raw or None)
    return out


def parse_changes_text(typed: str) -> dict:
    """A line of `field=value` pairs as typed in a review (quotes allowed: attribution="the army")."""
    import shlex

    try:
        return parse_changes(shlex.split(typed))
    except ValueError as exc:
        raise DecisionError(f"cannot read {typed!r}: {exc}") from None


def number_or_none(raw: Optional[str], name: str = "value") -> Optional[float]:
    """A typed number ('800', '1,200', '2.5'); '' or 'none' for none; anything else is one clear error."""
    if raw is None or raw.strip().lower() in ("", "none", "null"):
        return None
    try:
        return float(raw.replace(",", "").replace("_", ""))
    except ValueError:
        raise DecisionError(f"{name} must be a number, not {raw!r}") from None


def stored_claim(engine: Engine, claim_id: int) -> StoredClaim:
    """One stored claim by id (rejected ones too), with its document's metadata and status."""
    with engine.connect() as conn:
        row = conn.execute(select(CLAIM, DOCUMENT.c.doc, DOCUMENT.c.url, DOCUMENT.c.title)
                           .join(DOCUMENT, CLAIM.c.document_id == DOCUMENT.c.id).where(CLAIM.c.id == claim_id)).first()
    if row is None:
        raise DecisionError(f"no stored claim {claim_id}")
    data = {k: getattr(row, k) for k in ("figure", "aspect", "value", "low", "high", "hedge", "unit", "text", "start",
                                         "end", "attribution", "date", "source", "document_id", "status", "doc",
                                         "url", "title", "id")}
    data["qualifiers"] = json.loads(row.qualifiers or "[]")
    extra = {k: getattr(row, k) for k in ("story", "confidence") if k in StoredClaim.model_fields}
    return StoredClaim(**data, **extra)
