"""The Dask recipe: extraction mapped over a local 2-worker cluster, PostgreSQL as the sink."""

from __future__ import annotations

import pytest

from tracker import ingest, store
from tracker.ingest.dask import ingest_on_cluster

distributed = pytest.importorskip("dask.distributed", reason="dask[distributed] is in the test extra")


@pytest.fixture(scope="module")
def client():
    """A LocalCluster of two worker processes, one thread each, no dashboard."""
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as c:
            yield c


def test_cluster_ingest_into_postgresql_matches_a_local_ingest(client, pg_url, seeds, tmp_path):
    """Seeds ingested on the cluster give the same claims as a local ingest; a second run stores nothing."""
    totals = ingest_on_cluster(client, [seeds], pg_url, files_per_task=2)
    again = ingest_on_cluster(client, [seeds], pg_url, files_per_task=2)
    local = store.make_engine(f"sqlite:///{tmp_path / 'local.db'}")
    ingest.ingest(local, [seeds])
    engine = store.make_engine(pg_url)
    key = lambda c: (c.doc, c.start, c.figure, c.value, c.hedge, c.date, c.source)  # noqa: E731
    assert sorted(map(key, store.query_claims(engine))) == sorted(map(key, store.query_claims(local)))
    n = len(list(ingest.iter_files([seeds])))
    assert (totals["new"], totals["claims"]) == (n, len(store.query_claims(local)))
    assert (again["new"], again["unchanged"]) == (0, n)
    engine.dispose()
    local.dispose()
