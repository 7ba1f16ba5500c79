"""extract(): the public function's contract beyond the sentence cases."""

from __future__ import annotations

import datetime

from tracker.extract import extract


def test_extract_records_doc_and_iso_date():
    """`doc` and `date` land on every claim; a date object is written as its ISO string."""
    (claim,) = extract("Hamas freed 13 hostages.", date=datetime.date(2024, 3, 26), doc="a.txt")
    assert (claim.doc, claim.date) == ("a.txt", "2024-03-26")
    (claim,) = extract("Hamas freed 13 hostages.", date="2024-03-26")
    assert claim.date == "2024-03-26"


def test_offsets_index_the_body_after_front_matter():
    """Offsets are in the body the caller passes (front matter already removed)."""
    from tracker.sources.frontmatter import split_front_matter

    meta, body = split_front_matter("---\ndate: 2024-01-02\n---\nSome 130 hostages remain.\n")
    (claim,) = extract(body, date=meta["date"])
    assert body[claim.start:claim.end] == "Some 130 hostages" and claim.date == "2024-01-02"
