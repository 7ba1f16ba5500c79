"""Ingest: files and folders in, one stored copy each, bad files skipped with a reason."""

from __future__ import annotations

import pytest

from tracker import ingest, store
from tracker.errors import InputError


def test_seeds_ingest_once_then_report_unchanged(engine, seeds):
    """Ingesting the same folder twice stores nothing the second time."""
    first = ingest.ingest(engine, [seeds])
    second = ingest.ingest(engine, [seeds])
    n = len(list(ingest.iter_files([seeds])))
    assert first.count("new") == n and not first.skipped
    assert second.count("unchanged") == n and second.count("new") == 0
    assert store.count_documents(engine) == n


def test_front_matter_fills_source_and_date(engine, seed_article):
    """The seed's front matter gives the outlet and the date of every claim."""
    ingest.ingest(engine, [seed_article])
    claims = store.query_claims(engine, "prisoners")
    assert claims and {(c.source, c.date) for c in claims} == {("The Times of Israel", "2024-03-26")}


def test_command_line_metadata_fills_only_what_is_missing(engine, tmp_path):
    """--source/--date apply to files without front matter, not over it."""
    (tmp_path / "plain.txt").write_text("Some 120 hostages remain in Gaza.", encoding="utf-8")
    (tmp_path / "fm.txt").write_text("---\nsource: AP\ndate: 2024-05-01\n---\nSome 125 hostages remain in Gaza.\n",
                                     encoding="utf-8")
    ingest.ingest(engine, [tmp_path], source="Reuters", date="2024-06-02")
    got = {(c.value, c.source, c.date) for c in store.query_claims(engine, "hostages")}
    assert got == {(120, "Reuters", "2024-06-02"), (125, "AP", "2024-05-01")}


@pytest.mark.parametrize("content, problem", [
    (b"", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"---\nsource: [unclosed\n---\nSome 5 hostages.\n", "front matter"),
    (b"---\ndate: the day after tomorrow-ish\n---\nSome 5 hostages remain.\n", "unparsable date"),
])
def test_bad_files_are_skipped_with_a_reason_naming_the_file(engine, tmp_path, content, problem):
    """Each bad input gets one reason naming the file; good files in the same batch are stored."""
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    (tmp_path / "good.txt").write_text("Some 130 hostages remain in Gaza.", encoding="utf-8")
    summary = ingest.ingest(engine, [tmp_path])
    (skipped,) = summary.skipped
    assert str(bad) in skipped.reason and problem in skipped.reason
    assert summary.count("new") == 1 and store.count_documents(engine) == 1


def test_legacy_encoding_is_read(tmp_path):
    """A Windows-1252 file (curly quotes) is read, not refused."""
    p = tmp_path / "cp.txt"
    p.write_bytes("\u201cSome 130 hostages\u201d remain.".encode("cp1252"))
    (doc,) = ingest.read_documents(p)
    assert doc.body.startswith("\u201cSome 130")


@pytest.mark.parametrize("written, iso", [
    ("2024-03-26", "2024-03-26"), ("March 26, 2024", "2024-03-26"), ("26/03/2024", "2024-03-26"),
    ("2024-03-26T23:30:00-05:00", "2024-03-27"),
])
def test_dates_are_normalized_to_iso(written, iso):
    """Common written dates become ISO dates in UTC."""
    assert ingest.normalize_date(written) == iso


def test_unparsable_date_is_an_input_error():
    """A date nobody can read is refused, not guessed."""
    with pytest.raises(InputError, match="unparsable date"):
        ingest.normalize_date("someday", "x.txt")
