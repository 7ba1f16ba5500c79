"""Stories for documents already stored: read them again from their text, with today's gazetteer.

A database filled before stories existed, or a gazetteer extended since, needs no new ingest:
`tracker stories --assign` gives every stored document without a story its story (and `--all`
reads every document again), the same way ingest does, keeping the stories users gave.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlalchemy.engine import Engine

from tracker.extract.lexicon import resolve_lexicon
from tracker.extract.gazetteer import resolve_gazetteer
from tracker.extract.stories import assign
from tracker.store.stories import set_stories, texts_for_stories


@dataclass
class _At:
    """A stored claim as story assignment sees it: where it starts, and its story."""

    start: int
    story: Optional[str] = None


def assign_stories(engine: Engine, gazetteer=None, *, only_missing: bool = True, lexicon=None) -> int:
    """Read the story of each stored document without one (every one, unless `only_missing`) and
    of its claims, and store them; a story the user gave stays. Returns how many documents changed."""
    gaz = resolve_gazetteer(gazetteer)
    abbreviations = resolve_lexicon(lexicon).compiled().abbreviations
    changed = 0
    for doc in texts_for_stories(engine, only_missing=only_missing):
        claims = {claim_id: _At(start) for claim_id, start in doc.claims}
        story = assign(doc.body, list(claims.values()), gaz, title=doc.title, story=doc.given,
                       abbreviations=abbreviations)
        set_stories(engine, doc.id, story, {claim_id: at.story for claim_id, at in claims.items()})
        changed += story != doc.story
    return changed
