"""Bulk loading: streamed batches, duplicates skipped, indexes rebuilt, claims read back intact."""

from __future__ import annotations

import sqlalchemy as sa

from tracker import store
from tracker.store import bulk, writes
from tracker.models import Claim
from tracker.store.tables import ClaimRecord, Document


def _pairs(n: int, start: int = 0):
    for i in range(start, start + n):
        body = f"Article {i}: some {i} hostages remain."
        document = Document(content_hash=store.content_hash(body), doc=f"a{i}.txt", body=body,
                            date=f"2024-01-{i % 28 + 1:02d}", source="Wire")
        claims = [Claim(figure="hostages", value=i, text=f"some {i} hostages", start=12, end=25,
                        date=document.date, qualifiers=["Israeli"] if i % 2 else [])]
        yield writes.document_values(document), [writes.claim_values(c, None, document.source) for c in claims]


def test_bulk_load_streams_batches_and_skips_what_is_stored(engine):
    """Two overlapping loads store each document once, with its claim, in small batches."""
    first = bulk.bulk_load(engine, _pairs(25), batch_size=4)
    second = bulk.bulk_load(engine, _pairs(25, start=20), batch_size=4)
    assert (first.documents, first.claims) == (25, 25)
    assert (second.documents, second.duplicates, second.claims) == (20, 5, 20)
    claims = store.query_claims(engine, "hostages")
    assert len(claims) == store.count_documents(engine) == 45
    c7 = next(c for c in claims if c.value == 7)
    assert (c7.doc, c7.source, c7.qualifiers, c7.text) == ("a7.txt", "Wire", ["Israeli"], "some 7 hostages")


def test_claim_indexes_are_back_after_a_load_into_an_empty_store(engine):
    """A first load defers the claim indexes and builds every one of them at the end."""
    bulk.bulk_load(engine, _pairs(10), batch_size=3)
    names = {i["name"] for i in sa.inspect(engine).get_indexes("claim")}
    assert {i.name for i in ClaimRecord.__table__.indexes} <= names
