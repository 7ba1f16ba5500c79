"""Ingest across formats: pages, JSON(L) and undated text stored with the right claims, dates and versions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker import ingest, store
from tracker.store import documents, writes
from tracker.sources.frontmatter import split_front_matter

PAGES = Path(__file__).resolve().parent / "pages"


def _numbers(claims) -> set[float]:
    return {n for c in claims for n in (c.value, c.low, c.high) if n is not None}


@pytest.mark.parametrize("page, body_claims, furniture_numbers", [
    ("ledger_semantic.html", {("hostages", 33), ("prisoners", 900), ("hostages", 128)}, {61, 250, 45, 12, 18, 25, 14}),
    ("courier_divs.html", {("workers", 3400), ("wage_increase", 9)}, {7, 600, 15, 80, 50000}),
    ("gazette_inline.htm", {("hostages", 20), ("prisoners", 240)}, {150, 110, 3}),
])
def test_news_page_claims_come_from_the_body_not_the_furniture(engine, page, body_claims, furniture_numbers):
    """The article's numbers are stored as claims; those in menus, captions, related links and footers are not."""
    summary = ingest.ingest(engine, [PAGES / page])
    assert summary.count("new") == 1
    claims = store.query_claims(engine)
    assert body_claims <= {(c.figure, c.value) for c in claims}
    assert not _numbers(claims) & furniture_numbers


def test_news_page_metadata_is_stored(engine):
    """The page's site name, URL, title and published time (in UTC) become the document's."""
    ingest.ingest(engine, [PAGES / "ledger_semantic.html"], source="ignored: the page names its outlet")
    (row,) = documents.list_documents(engine)
    assert (row.source, row.url, row.title) == (
        "The Harbor Ledger", "https://harborledger.example/world/2024/05/mediators-new-phase",
        "Mediators push new phase of prisoner swap")
    # 22:15 at UTC-4 on May 6 is May 7 in UTC
    assert (row.date, row.date_inferred) == ("2024-05-07", False)


def test_jsonl_records_are_documents_named_by_id_or_line(engine, tmp_path):
    """Each JSONL record is stored as its own document with its own metadata; a record without text is skipped."""
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in [
        {"id": "ap-1", "text": "Some 130 hostages remain in Gaza.", "source": "AP", "date": "March 26, 2024"},
        {"text": "Israel would free as many as 800 prisoners.", "source": "Reuters", "date": "2024-03-27"},
        {"id": "empty", "source": "AP"},
    ]) + "\n", encoding="utf-8")
    summary = ingest.ingest(engine, [feed])
    assert (summary.count("new"), [o.reason for o in summary.skipped]) == (
        2, [f'{feed}:3 (id empty): record has no "text"'])
    got = {(c.doc, c.figure, c.value, c.source, c.date) for c in store.query_claims(engine)}
    assert got == {("ap-1", "hostages", 130, "AP", "2024-03-26"),
                   (f"{feed}:2", "prisoners", 800, "Reuters", "2024-03-27")}


def test_json_list_is_ingested_record_by_record(engine, tmp_path):
    """A JSON list of records stores one document per record."""
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([{"id": 1, "text": "Some 130 hostages remain.", "date": "2024-03-26"},
                                {"id": 2, "text": "A 6-week truce was proposed.", "date": "2024-03-27"}]),
                    encoding="utf-8")
    assert ingest.ingest(engine, [path]).count("new") == 2
    assert {d.doc for d in documents.list_documents(engine)} == {"1", "2"}


def test_seed_without_front_matter_gets_its_date_inferred(engine, tmp_path, seed_article):
    """With its front matter stripped the seed is dated 2024-03-26 from its text, marked as inferred."""
    _, body = split_front_matter(seed_article.read_text(encoding="utf-8"))
    bare = tmp_path / "seed-bare.txt"
    bare.write_text(body, encoding="utf-8")
    ingest.ingest(engine, [bare])
    (row,) = documents.list_documents(engine)
    assert (row.date, row.date_inferred) == ("2024-03-26", True)
    assert {c.date for c in store.query_claims(engine)} == {"2024-03-26"}


def test_given_date_wins_over_an_inferred_one(engine, tmp_path):
    """--date fills a missing date before the text is consulted, and is not marked inferred."""
    (tmp_path / "a.txt").write_text("On March 4, 2024, some 130 hostages remained.", encoding="utf-8")
    ingest.ingest(engine, [tmp_path], date="2024-03-10")
    (row,) = documents.list_documents(engine)
    assert (row.date, row.date_inferred) == ("2024-03-10", False)


def test_document_with_no_date_is_stored_undated_not_today(engine, tmp_path):
    """A text with no date anywhere is stored without one and listed as undated."""
    (tmp_path / "undated.txt").write_text("Some 130 hostages remain in Gaza.", encoding="utf-8")
    (tmp_path / "dated.txt").write_text("---\ndate: 2024-03-26\n---\nSome 125 hostages remain.", encoding="utf-8")
    ingest.ingest(engine, [tmp_path])
    (undated,) = documents.list_documents(engine, undated=True)
    assert undated.doc.endswith("undated.txt") and undated.date is None and undated.claims == 1
    assert {c.date for c in store.query_claims(engine)} == {None, "2024-03-26"}


def _page(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(f"---\nurl: https://x.example/live\nsource: X\ndate: 2024-03-26\n---\n{text}\n", encoding="utf-8")
    return path


def test_changed_version_of_a_url_replaces_the_old_claims(engine, tmp_path):
    """A new text at a stored URL is version 2; only its claims stay in timelines, the old ones are kept aside."""
    first = ingest.ingest(engine, [_page(tmp_path, "v1.txt", "Some 130 hostages remain in Gaza.")])
    second = ingest.ingest(engine, [_page(tmp_path, "v2.txt", "Some 129 hostages remain in Gaza.")])
    again = ingest.ingest(engine, [tmp_path])
    assert (first.count("new"), second.count("updated"), again.count("unchanged")) == (1, 1, 2)
    assert [c.value for c in store.query_claims(engine, "hostages")] == [129]
    assert sorted(c.value for c in store.query_claims(engine, "hostages", include_superseded=True)) == [129, 130]
    rows = sorted(documents.list_documents(engine), key=lambda r: r.version)
    assert [(r.version, r.current) for r in rows] == [(1, False), (2, True)]


def test_forgetting_the_current_version_restores_the_previous(engine, tmp_path):
    """Forget the newest version of a URL and the one before it is current again, its claims back in timelines."""
    ingest.ingest(engine, [_page(tmp_path, "v1.txt", "Some 130 hostages remain in Gaza.")])
    ingest.ingest(engine, [_page(tmp_path, "v2.txt", "Some 129 hostages remain in Gaza.")])
    document, n = documents.forget_document(engine, str(tmp_path / "v2.txt"))
    assert (document.version, n) == (2, 1)
    assert [c.value for c in store.query_claims(engine, "hostages")] == [130]
    assert store.count_documents(engine) == 1


def test_whitespace_only_changes_are_the_same_content(engine, tmp_path):
    """Re-wrapped text hashes the same, so it is unchanged, not a new document."""
    (tmp_path / "a.txt").write_text("Some 130 hostages\nremain in Gaza.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Some  130 hostages remain\n\nin Gaza.  ", encoding="utf-8")
    summary = ingest.ingest(engine, [tmp_path])
    assert (summary.count("new"), summary.count("unchanged")) == (1, 1)


def test_a_failure_while_storing_leaves_no_half_document(engine, tmp_path, monkeypatch):
    """If writing a document's claims fails, neither the document nor any claim is kept; the next run stores it."""
    (tmp_path / "a.txt").write_text("Some 130 hostages remain. As many as 800 prisoners.", encoding="utf-8")
    calls = []

    def failing(claim, document_id, source):
        calls.append(claim)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(claim, document_id, source)

    original = writes.claim_values  # the function that makes each claim's row
    monkeypatch.setattr(writes, "claim_values", failing)
    with pytest.raises(RuntimeError):
        ingest.ingest(engine, [tmp_path])
    assert store.count_documents(engine) == 0 and store.query_claims(engine) == []
    monkeypatch.undo()
    assert ingest.ingest(engine, [tmp_path]).count("new") == 1
    assert len(store.query_claims(engine)) == 2


def test_extract_paths_reads_every_format(tmp_path):
    """extract_paths gives the claims of text, pages and records, each claim's doc its document's name."""
    (tmp_path / "feed.jsonl").write_text('{"id": "r1", "text": "Some 130 hostages remain."}\n{"text": "800 prisoners"}\n',
                                         encoding="utf-8")
    (tmp_path / "page.html").write_bytes((PAGES / "gazette_inline.htm").read_bytes())
    result = ingest.extract_paths([tmp_path])
    docs = {c.doc for c in result.claims}
    assert docs == {"r1", f"{tmp_path / 'feed.jsonl'}:2", str(tmp_path / "page.html")} and not result.skipped
