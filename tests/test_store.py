"""The store: documents kept once, claims queried by figure, date and outlet."""

from __future__ import annotations

import pytest

from tracker import store
from tracker.errors import UnknownFigureError
from tracker.models import Claim
from tracker.store.tables import Document


def _doc(body: str, **kw) -> Document:
    return Document(content_hash=store.content_hash(body), body=body, doc=kw.pop("doc", "d.txt"), **kw)


def _claim(figure: str, value: float, date: str, **kw) -> Claim:
    return Claim(figure=figure, value=value, date=date, text=str(value), start=0, end=1, unit="person", **kw)


def test_same_content_is_stored_once(engine):
    """Storing a document twice keeps one copy and says the second was unchanged."""
    first = store.store_document(engine, _doc("Some 130 hostages remain."), [_claim("hostages", 130, "2024-03-26")])
    again = store.store_document(engine, _doc("Some  130 hostages\nremain."), [_claim("hostages", 130, "2024-03-26")])
    assert (first.status, again.status) == ("new", "unchanged")
    assert store.count_documents(engine) == 1
    assert len(store.query_claims(engine, "hostages")) == 1


def test_claims_come_back_in_date_order_with_document_metadata(engine):
    """A figure's claims are ordered by date and carry source, url and title."""
    store.store_document(engine, _doc("b", date="2024-03-26", source="B", url="u2", title="T2"),
                         [_claim("prisoners", 800, "2024-03-26")])
    store.store_document(engine, _doc("a", date="2023-11-22", source="A", url="u1", title="T1"),
                         [_claim("prisoners", 150, "2023-11-22")])
    got = store.query_claims(engine, "prisoners")
    assert [(c.date, c.value, c.source, c.url, c.title) for c in got] == [
        ("2023-11-22", 150, "A", "u1", "T1"), ("2024-03-26", 800, "B", "u2", "T2")]


def test_filters_by_aspect_dates_and_source(engine):
    """--aspect, --since, --until and --source narrow the timeline."""
    store.store_document(engine, _doc("x", date="2024-01-01", source="Reuters"), [
        _claim("hostages", 10, "2024-01-01", aspect="released"), _claim("hostages", 130, "2024-01-01", aspect="held")])
    store.store_document(engine, _doc("y", date="2024-06-01", source="AP"), [
        _claim("hostages", 120, "2024-06-01", aspect="held")])
    values = lambda **kw: [c.value for c in store.query_claims(engine, "hostages", **kw)]  # noqa: E731
    assert values(aspect="held") == [130, 120]
    assert values(since="2024-02-01") == [120]
    assert values(until="2024-02-01") == [10, 130]
    assert values(source="reuters") == [10, 130]


def test_a_new_version_of_a_url_replaces_the_old_claims(engine):
    """A changed page at the same URL is a new version; only its claims stay in the timeline."""
    store.store_document(engine, _doc("v1", url="http://x/a", date="2024-01-01"), [_claim("hostages", 130, "2024-01-01")])
    res = store.store_document(engine, _doc("v2", url="http://x/a", date="2024-01-01"), [_claim("hostages", 129, "2024-01-01")])
    assert res.status == "updated" and res.document.version == 2
    assert [c.value for c in store.query_claims(engine, "hostages")] == [129]


def test_unknown_figure_names_the_known_ones(engine):
    """Asking for a figure nobody tracks fails with the list of figures that exist."""
    with pytest.raises(UnknownFigureError) as exc:
        store.figure_claims(engine, "hostagez")
    assert "hostages" in str(exc.value) and "prisoners" in str(exc.value)


def test_figure_summaries_give_counts_and_latest(engine):
    """`tracker figures` data: count, first and last date, latest claim per figure."""
    store.store_document(engine, _doc("a", date="2023-11-22"), [_claim("hostages", 240, "2023-11-22")])
    store.store_document(engine, _doc("b", date="2025-01-20"), [_claim("hostages", 94, "2025-01-20")])
    (summary,) = store.figure_summaries(engine)
    assert (summary.figure, summary.claims, summary.first, summary.last, summary.latest.value) == (
        "hostages", 2, "2023-11-22", "2025-01-20", 94)


def test_database_url_prefers_argument_then_environment(monkeypatch):
    """--db wins over $TRACKER_DB, which wins over ./tracker.db."""
    monkeypatch.setenv("TRACKER_DB", "sqlite:///env.db")
    assert store.database_url("sqlite:///arg.db") == "sqlite:///arg.db"
    assert store.database_url() == "sqlite:///env.db"
    monkeypatch.delenv("TRACKER_DB")
    assert store.database_url() == "sqlite:///tracker.db"
