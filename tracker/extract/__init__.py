"""The extractor: text in, CLAIMS.md claims out.

A pipeline of small pure stages (`pipeline.run` calls them in this order):

    text.sentences        sentence spans; caption lines (filters.is_caption) are skipped
    text.tokenize         tokens with offsets, only for sentences that may hold a number
    amounts.scan          digits, words (numbers), ranges, vague words, shares; durations,
                          percents, money (units)
    filters.noise         dates, years, times, ages, ordinals, names, odds, phone numbers
    context.hedge         'some', 'at least', 'as many as' ... with their bounds
    figures.counted_noun  the noun counted, past its modifiers ('700 security prisoners')
    lengths.span_of       a length of time a claim spans; lengths.not_a_duration drops
                          'six weeks into the war'
    resolve.figure        the figure when the noun does not say: clause cues, the number
                          named before ('the 40'), the document's topic ('the agreement')
    context.aspect        held / taken / released / proposed from the nearest cue
    context.qualifiers    'alive', 'women', 'security', 'change', 'dead' ...
    Document.claimant     'X said', 'according to X', nested reports, pronouns
    general / quantities  with `all_quantities`: the rest, units read by quantulum3
    stories.assign        each claim's story, from the actors the text names (gazetteer.toml)

Every word list lives in lexicon.toml; a user lexicon extends it (`lexicon=` a path); every
actor in gazetteer.toml, which a user gazetteer extends (`gazetteer=` a path).
"""

from __future__ import annotations

from typing import Optional

from tracker.extract.lexicon import Lexicon, load_lexicon, resolve_lexicon
from tracker.extract.pipeline import run
from tracker.extract.gazetteer import Gazetteer, load_gazetteer
from tracker.extract.stories import assign
from tracker.models import Claim

__all__ = ["extract", "extract_with_story", "load_lexicon", "Lexicon", "load_gazetteer", "Gazetteer"]


def extract(text: str, *, date: Optional[str] = None, source: Optional[str] = None,
            lexicon=None, doc: str = "", all_quantities: bool = False, title: Optional[str] = None,
            story: Optional[str] = None, gazetteer=None) -> list[Claim]:
    """Every numeric claim about a lexicon figure in `text` (with `all_quantities`, every quantity).

    `text` is a document body (front matter already removed): every claim's `start`/`end` index
    it. `source` is the publication; it is never a claimant ("(Source: AA)" is a credit).
    Each claim's `story` is read from the actors `title` and `text` name (see `stories.assign`);
    a given `story` is the document's, and so every claim's but those of a sentence about
    another known story's parties.
    """
    return extract_with_story(text, date=date, source=source, lexicon=lexicon, doc=doc,
                              all_quantities=all_quantities, title=title, story=story, gazetteer=gazetteer)[1]


def extract_with_story(text: str, *, date: Optional[str] = None, source: Optional[str] = None,
                       lexicon=None, doc: str = "", all_quantities: bool = False, title: Optional[str] = None,
                       story: Optional[str] = None, gazetteer=None) -> tuple[Optional[str], list[Claim]]:
    """The document's story and its claims, as `extract` gives them."""
    lex = resolve_lexicon(lexicon).compiled()
    # A date object (from YAML front matter) is written as its ISO string.
    iso = date.isoformat() if hasattr(date, "isoformat") else (str(date) if date is not None else None)
    claims = run(text, lex, date=iso, doc=str(doc), all_quantities=all_quantities)
    story = assign(text, claims, gazetteer, title=title, story=story, abbreviations=lex.abbreviations)
    return story, claims
