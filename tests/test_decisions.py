"""Correct the record: decisions on claims hold through re-ingests, new versions of a page and
re-extractions, every timeline follows them, and they travel between databases.

The articles are the tests' own, in tests/decisions/: three outlets on the same talks
(herald.txt has a URL; herald-v2.txt is a later version of that page), and lexicon.toml, a
user lexicon that makes "a scant 60 hostages" one claim where the built-in one reads "60 hostages".
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tracker import store
from tracker.cli import app
from tracker.store import decisions

HERE = Path(__file__).parent / "decisions"


def run(runner, *args, code=0):
    res = runner.invoke(app, [str(a) for a in args])
    assert res.exit_code == code, (args, res.stdout, res.stderr)
    return res


def claims_of(runner, db, figure) -> list[dict]:
    return json.loads(run(runner, "figure", figure, "--format", "json", "--db", db).stdout)


def one(claims, text) -> dict:
    (found,) = [c for c in claims if text in c["text"]]
    return found


@pytest.fixture
def articles(tmp_path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("herald.txt", "courier.txt", "gazette.txt"):
        shutil.copy(HERE / name, folder / name)
    later = tmp_path / "later"
    later.mkdir()
    shutil.copy(HERE / "herald-v2.txt", later / "herald.txt")
    return tmp_path


def test_decisions_hold_through_reingest_new_version_and_reextraction(runner, db_url, articles, tmp_path):
    db = db_url
    run(runner, "ingest", articles / "articles", "--db", db)
    hostages, prisoners = claims_of(runner, db, "hostages"), claims_of(runner, db, "prisoners")
    assert all(isinstance(c["id"], int) and c["status"] == "extracted" for c in hostages + prisoners)
    # Before any decision the Courier's 60 disputes the Herald's 120 on 2025-02-10.
    before = json.loads(run(runner, "disputes", "hostages", "--format", "json", "--db", db).stdout)
    assert any({(60, "exact"), (120, "approx")} == {(d["value_a"], d["hedge_a"]), (d["value_b"], d["hedge_b"])}
               for d in before)

    union = one(hostages, "60 hostages")
    delegations = one(prisoners, "the 2")
    herald = one(hostages, "120 hostages")
    courier_prisoners = one(prisoners, "300 prisoners")
    gazette = one(hostages, "115 hostages")
    run(runner, "claim", "reject", union["id"], "--why", "the union counts its own families only", "--by", "ed",
        "--db", db)
    run(runner, "claim", "reject", delegations["id"], "--why", "delegations, not prisoners", "--db", db)
    run(runner, "claim", "fix", herald["id"], "--value", "125", "--why", "the briefing said 125", "--db", db)
    run(runner, "claim", "fix", courier_prisoners["id"], "--attribution", "A union of families",
        "--qualifier", "first exchange", "--db", db)
    run(runner, "claim", "confirm", gazette["id"], "--db", db)
    added = run(runner, "claim", "add", "gazette.txt", "--text", "Nine of those still held", "--figure", "hostages",
                "--aspect", "held", "--value", "9", "--qualifier", "women", "--why", "the extractor missed it",
                "--db", db)
    added_id = int(added.stdout.strip())

    def check(db, *, herald_date="2025-02-10"):
        hostages, prisoners = claims_of(runner, db, "hostages"), claims_of(runner, db, "prisoners")
        assert not [c for c in hostages if "60 hostages" in c["text"]]
        assert not [c for c in prisoners if c["text"] == "the 2"]
        fixed = one(hostages, "120 hostages")
        assert (fixed["value"], fixed["status"], fixed["date"]) == (125, "fixed", herald_date)
        assert fixed["decision"][0]["why"] == "the briefing said 125"
        union_prisoners = one(prisoners, "300 prisoners")
        assert (union_prisoners["attribution"], union_prisoners["qualifiers"], union_prisoners["status"]) == (
            "A union of families", ["first exchange"], "fixed")
        assert one(hostages, "115 hostages")["status"] == "confirmed"
        women = one(hostages, "Nine of those")
        assert (women["value"], women["qualifiers"], women["status"], women["aspect"]) == (9, ["women"], "added", "held")
        # disputes, changes and the series report use the corrected claims
        assert json.loads(run(runner, "disputes", "hostages", "--format", "json", "--db", db).stdout) == []
        steps = json.loads(run(runner, "changes", "hostages", "--aspect", "held", "--kind", "step", "--format", "json",
                               "--db", db).stdout)
        assert [(s["from_value"], s["to_value"]) for s in steps if s["series"] == "hostages held"] == [(125, 115)]
        series = run(runner, "report", "--series", "--figure", "hostages", "--out", "-", "--db", db).stdout
        assert "hostages held (women)" in series and ",60," not in series
        return hostages

    first = check(db)
    table = run(runner, "figure", "hostages", "--db", db).stdout
    assert "✎" in table and "✓" in table and "added" in table  # cells wrap at 80 columns
    shown = run(runner, "show", "courier.txt", "--db", db).stdout
    assert "rejected" in shown and "(1 rejected)" in shown
    ids = sorted(c["id"] for c in first)

    # 1. the same files again: nothing changes, ids included
    run(runner, "ingest", articles / "articles", "--db", db)
    assert sorted(c["id"] for c in check(db)) == ids

    # 2. a new version of the Herald's page (same URL, edited text, a day later)
    res = run(runner, "ingest", articles / "later", "--db", db)
    assert "1 updated" in res.stderr
    check(db, herald_date="2025-02-11")

    # 3. after a lexicon change that turns "60 hostages" into "a scant 60 hostages"
    res = run(runner, "ingest", articles / "articles", "--reextract", "--lexicon", HERE / "lexicon.toml", "--db", db)
    assert "1 updated" in res.stderr, res.stderr
    show = json.loads(run(runner, "show", "courier.txt", "--format", "json", "--db", db).stdout)
    scant = one(show, "a scant 60 hostages")
    assert (scant["status"], scant["hedge"]) == ("rejected", "at_most")
    check(db, herald_date="2025-02-11")

    # the rejected "the 2" is not in the new version of the page: an orphan, listed, not dropped
    orphans = json.loads(run(runner, "review", "--orphans", "--format", "json", "--db", db).stdout)
    assert [(o["kind"], o["text"], o["reason"]) for o in orphans] == [
        ("reject", "the 2", "the quoted text is not in the current version")]

    # 4. export, then import into a fresh database of the same articles: the same series
    exported = tmp_path / "corrections.jsonl"
    run(runner, "decisions", "export", exported, "--db", db)
    lines = exported.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6 and all(json.loads(line)["uid"] for line in lines)
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    elsewhere = tmp_path / "newsroom-copy"  # the same articles, stored from other paths
    shutil.copytree(articles / "articles", elsewhere)
    run(runner, "ingest", elsewhere, "--lexicon", HERE / "lexicon.toml", "--db", fresh)
    run(runner, "ingest", articles / "later", "--db", fresh)
    res = run(runner, "decisions", "import", exported, "--db", fresh)
    assert res.stderr.startswith("6 imported")
    res = run(runner, "decisions", "import", exported, "--db", fresh)  # idempotent
    assert res.stderr.startswith("0 imported, 6 unchanged")
    check(fresh, herald_date="2025-02-11")
    report_a, report_b = tmp_path / "a.csv", tmp_path / "b.csv"
    run(runner, "report", "--series", "--out", report_a, "--db", db)
    run(runner, "report", "--series", "--out", report_b, "--db", fresh)
    run(runner, "compare", report_a, report_b, code=0)
    # an export of the imported decisions is the same file, line for line
    again = tmp_path / "again.jsonl"
    run(runner, "decisions", "export", again, "--db", fresh)
    assert again.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")

    # 5. undo: the added claim goes, the fixed one gets its extracted value back
    run(runner, "claim", "undo", added_id, "--db", db)
    herald_now = one(claims_of(runner, db, "hostages"), "120 hostages")
    run(runner, "claim", "undo", herald_now["id"], "--db", db)
    hostages = claims_of(runner, db, "hostages")
    assert not [c for c in hostages if "Nine of those" in c["text"]]
    assert (one(hostages, "120 hostages")["value"], one(hostages, "120 hostages")["status"]) == (120, "extracted")

    # forgetting the new version makes the old one current again: the orphaned rejection applies again
    run(runner, "forget", articles / "later" / "herald.txt", "--db", db)
    assert not [c for c in claims_of(runner, db, "prisoners") if c["text"] == "the 2"]
    assert json.loads(run(runner, "review", "--orphans", "--format", "json", "--db", db).stdout) == []


def test_add_refuses_text_not_in_the_document(runner, db_url, articles):
    run(runner, "ingest", articles / "articles", "--db", db_url)
    res = run(runner, "claim", "add", "gazette.txt", "--text", "as many as 800 prisoners", "--figure", "prisoners",
              "--db", db_url, code=1)
    assert "is not in the text of" in res.stderr and "gazette.txt" in res.stderr
    assert "Traceback" not in res.stderr
    res = run(runner, "claim", "fix", 9999, "--value", "3", "--db", db_url, code=1)
    assert "no stored claim 9999" in res.stderr
    claim = claims_of(runner, db_url, "prisoners")[0]
    res = run(runner, "claim", "fix", claim["id"], "--hedge", "roughly", "--db", db_url, code=1)
    assert "hedge" in res.stderr
    res = run(runner, "claim", "reject", claim["id"], "--why", " ", "--db", db_url, code=1)
    assert "reason" in res.stderr


def test_import_reports_conflicts_and_keeps_this_databases_decision(runner, articles, tmp_path):
    one_db, other_db = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'other.db'}"
    for db in (one_db, other_db):
        run(runner, "ingest", articles / "articles", "--db", db)
    mine = one(claims_of(runner, one_db, "prisoners"), "700 prisoners")
    theirs = one(claims_of(runner, other_db, "prisoners"), "700 prisoners")
    run(runner, "claim", "fix", mine["id"], "--value", "750", "--db", one_db)
    run(runner, "claim", "reject", theirs["id"], "--why", "a draft, not a deal", "--db", other_db)
    shared = tmp_path / "theirs.csv"
    run(runner, "decisions", "export", shared, "--db", other_db)
    res = run(runner, "decisions", "import", shared, "--db", one_db, code=1)
    assert "conflicts with the fix" in res.stderr and "0 imported" in res.stderr
    assert one(claims_of(runner, one_db, "prisoners"), "700 prisoners")["value"] == 750
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind": "smash"}\nnot json\n', encoding="utf-8")
    res = run(runner, "decisions", "import", bad, "--db", one_db, code=1)
    assert f"{bad}:1: kind must be" in res.stderr and f"{bad}:2: not JSON" in res.stderr


def test_doc_set_moves_a_documents_claims(runner, db_url, articles):
    run(runner, "ingest", articles / "articles", "--db", db_url)
    res = run(runner, "ingest", articles / "articles" / "gazette.txt", "--date", "2025-03-01", "--db", db_url)
    assert "1 unchanged" in res.stderr  # ingest never rewrites a stored document ...
    run(runner, "doc", "set", "gazette.txt", "--date", "March 1, 2025", "--source", "Gazette Online",
        "--story", "talks", "--db", db_url)  # ... doc set does
    gazette = [c for c in claims_of(runner, db_url, "hostages") if c["doc"].endswith("gazette.txt")]
    assert gazette and {(c["date"], c["source"]) for c in gazette} == {("2025-03-01", "Gazette Online")}
    sources = json.loads(run(runner, "sources", "--format", "json", "--db", db_url).stdout)
    (row,) = [r for r in sources if r["doc"].endswith("gazette.txt")]
    assert (row["date"], row["source"], row["date_inferred"]) == ("2025-03-01", "Gazette Online", False)
    res = run(runner, "doc", "set", "gazette.txt", "--db", db_url, code=1)
    assert "nothing to set" in res.stderr
    from sqlalchemy import select

    from tracker.store.tables import ClaimRecord, Document

    engine = store.make_engine(db_url)
    with engine.connect() as conn:
        doc_story = conn.execute(select(Document.story).where(Document.doc.like("%gazette.txt"))).scalar_one()
        claim_stories = set(conn.execute(select(ClaimRecord.story).join(Document).where(
            Document.doc.like("%gazette.txt"))).scalars())
    engine.dispose()
    assert doc_story == "talks" and claim_stories == {"talks"}


def test_review_queue_puts_disputed_claims_first(db_url, articles):
    from tracker.ingest import ingest
    from tracker.timeline.review import review_queue

    engine = store.make_engine(db_url)
    ingest(engine, [articles / "articles"])
    queue = review_queue(engine, figure="hostages")
    assert {q["text"] for q in queue[:2]} == {"in the region of 120 hostages", "60 hostages"}
    assert all(q["reason"].startswith("dispute") for q in queue[:2])
    top = queue[0]
    assert top["sentence"][top["highlight_start"]:top["highlight_end"]] == top["text"]
    decisions.confirm(engine, top["id"])
    assert top["id"] not in {q["id"] for q in review_queue(engine, figure="hostages")}
    assert len(review_queue(engine, limit=2)) == 2
    engine.dispose()


def test_an_orphan_is_dismissed_by_undoing_its_decision(runner, articles, tmp_path):
    db = f"sqlite:///{tmp_path / 'orphans.db'}"
    run(runner, "ingest", articles / "articles" / "herald.txt", "--db", db)
    wrong = one(claims_of(runner, db, "prisoners"), "the 2")
    run(runner, "claim", "reject", wrong["id"], "--why", "delegations", "--db", db)
    run(runner, "ingest", articles / "later", "--db", db)
    (orphan,) = json.loads(run(runner, "review", "--orphans", "--format", "json", "--db", db).stdout)
    assert (orphan["text"], orphan["why"]) == ("the 2", "delegations")
    table = run(runner, "review", "--orphans", "--db", db).stdout
    assert "1 orphaned decisions" in table
    run(runner, "decisions", "undo", orphan["uid"], "--db", db)
    assert json.loads(run(runner, "review", "--orphans", "--format", "json", "--db", db).stdout) == []
    res = run(runner, "decisions", "undo", orphan["uid"], "--db", db, code=1)
    assert "undone already" in res.stderr
    # the undone decision stays in the record (and in an export), marked
    exported = tmp_path / "all.csv"
    run(runner, "decisions", "export", exported, "--db", db)
    data = exported.read_bytes()
    assert data.count(b"\r\n") == 2 and b"delegations" in data


def test_an_added_claim_follows_the_page_through_versions_without_duplicates(engine, articles):
    from tracker.ingest import ingest
    from tracker.store.documents import forget_document

    ingest(engine, [articles / "articles" / "herald.txt"])
    new_id = decisions.add(engine, "herald.txt", text="families of the captives", fields={"figure": "hostages"},
                           why="a vague mention, kept for the count of families")
    decisions.fix(engine, new_id, {"qualifiers": ["families"]})

    def added():
        return [c for c in store.query_claims(engine, "hostages") if c.status in ("added", "fixed")
                and c.text == "families of the captives"]

    (before,) = added()
    ingest(engine, [articles / "later" / "herald.txt"])  # the new version quotes the same words
    (after,) = added()
    assert after.id != before.id and after.date == "2025-02-11" and after.qualifiers == ["families"]
    forget_document(engine, str(after.document_id))  # the old version is current again
    (again,) = added()
    assert (again.id, again.date, again.qualifiers) == (before.id, "2025-02-10", ["families"])
    assert decisions.orphans(engine) == []


def test_review_without_a_terminal_prints_the_queue(runner, articles, tmp_path):
    db = f"sqlite:///{tmp_path / 'queue.db'}"
    run(runner, "ingest", articles / "articles", "--db", db)
    lines = run(runner, "review", "--figure", "hostages", "--format", "jsonl", "--db", db).stdout.splitlines()
    queue = [json.loads(line) for line in lines]
    assert [q["text"] for q in queue[:2]] and all(q["reason"].startswith("dispute") for q in queue[:2])
    assert all(q["text"] in q["sentence"] and isinstance(q["id"], int) for q in queue)
    assert {q["reason"] for q in queue[2:]} == {"unconfirmed"}
    table = run(runner, "review", "--figure", "hostages", "--limit", "1", "--db", db).stdout
    assert "1 claims to review" in table
    csv_text = run(runner, "review", "--format", "csv", "--db", db).stdout
    assert csv_text.startswith("id,reason,score,")
