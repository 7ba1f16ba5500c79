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
    # A date object (from YAML front matter) is written as its ISO string.
    iso = date.isoformat() if hasattr(date, "isoformat") else (str(date) if date is not None else None)
    return run(text, lex, date=iso, doc=str(doc), all_quantities=all_quantities)
