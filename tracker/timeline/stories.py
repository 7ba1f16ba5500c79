"""The stories in the store: what `tracker stories` lists (see tracker.extract.stories for how a
document and a claim get their story)."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from tracker.extract.gazetteer import resolve_gazetteer
from tracker.store.stories import story_counts


def list_stories(engine: Engine, gazetteer=None) -> list[dict]:
    """Each stored story with its parties (named as the gazetteer names them), its number of
    documents and claims, and its first and last date; most claims first."""
    gaz = resolve_gazetteer(gazetteer)
    rows = [{"story": s.story, "parties": [gaz.display(p) for p in gaz.parties_of(s.story)],
             "documents": s.documents, "claims": s.claims, "first": s.first, "last": s.last}
            for s in story_counts(engine)]
    return sorted(rows, key=lambda r: (-r["claims"], -r["documents"], r["story"]))
