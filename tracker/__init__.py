"""tracker: pull numeric claims out of negotiation news and follow how each figure moves."""

from tracker.extract import extract
from tracker.extract.lexicon import Lexicon, load_lexicon
from tracker.models import Claim

__all__ = ["extract", "Claim", "Lexicon", "load_lexicon"]
__version__ = "0.1.0"
