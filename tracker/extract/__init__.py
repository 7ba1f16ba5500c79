"""The extractor: text in, CLAIMS.md claims out."""

from __future__ import annotations

from typing import Optional

from tracker.extract.lexicon import Lexicon, load_lexicon, resolve_lexicon
from tracker.extract.pipeline import run
from tracker.models import Claim

__all__ = ["extract", "load_lexicon", "Lexicon"]


def extract(text: str, *, date: Optional[str] = None, source: Optional[str] = None,
            lexicon=None, doc: str = "", all_quantities: bool = False) -> list[Claim]:
    """Every numeric claim about a lexicon figure in `text` (with `all_quantities`, every quantity).

    `text` is a document body (front matter already removed): every claim's `start`/`end` index
    it. `source` is the publication; it is never a claimant ("(Source: AA)" is a credit).
    """
    lex = resolve_lexicon(lexicon).compiled()
    return run(text, lex, date=date, doc=doc, all_quantities=all_quantities)
