"""The store: an engine from a URL, tables, writes (one transaction a document), queries, migrations."""

from tracker.store import pages  # noqa: F401  (its tables belong to the schema)
from tracker.store.engine import DEFAULT_URL, database_url, init_db, make_engine, session
from tracker.store.queries import (FigureSummary, count_claims, count_documents, figure_claims, figure_summaries,
                                   query_claims, require_story, stored_figures, stored_stories)
from tracker.store.writes import StoreResult, content_hash, meta_json, store_document, store_documents

__all__ = [
    "DEFAULT_URL", "database_url", "init_db", "make_engine", "session", "FigureSummary", "count_claims",
    "count_documents", "figure_claims", "figure_summaries", "query_claims", "stored_figures", "stored_stories", "require_story", "StoreResult",
    "content_hash", "meta_json", "store_document", "store_documents",
]
