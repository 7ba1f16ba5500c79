"""The extractor: text in, CLAIMS.md claims out."""

from __future__ import annotations

from typing import Optional

from tracker.extract.lexicon import Lexicon, load_lexicon, resolve_lexicon
from tracker.models import Claim

__all__ = ["extract", "load_lexicon", "Lexicon"]


def extract(text: str, *, date: Optional[str] = None, source: Optional[str] = None,
            lexicon=None, doc: str = "", all_quantities: bool = False) -> list[Claim]:
    """Every numeric claim about a lexicon figure in `text` (with `all_quantities`, every quantity)."""
    raise NotImplementedError  # the pipeline lands with issue 3's first commit
