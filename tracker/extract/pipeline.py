"""The extraction pipeline: sentences -> quantities -> filters -> figure -> hedge, aspect, claimant.

Each stage is a small pure function in its own module (amounts with numbers and units,
filters, figures, lengths, resolve, context, attribution); this one only runs them in order over
a document's sentences.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from functools import lru_cache
from typing import Optional

from tracker.extract import context, figures, general, lengths, resolve
from tracker.extract.amounts import scan
from tracker.extract.compiled import Compiled
from tracker.extract.document import Document, Said
from tracker.extract.filters import is_caption, noise, phone_spans
from tracker.extract.numbers import Quantity
from tracker.extract.text import VULGAR, Token, sentences, window
from tracker.models import Claim


@lru_cache(maxsize=16)
def _candidate_re(words: frozenset[str]) -> re.Pattern:
    """A cheap test that a sentence may hold a number: a digit or a number word."""
    alts = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(rf"\d|[{''.join(VULGAR)}]|\b(?:{alts})\b", re.I)


def run(body: str, lex: Compiled, *, date=None, doc="", all_quantities=False) -> list[Claim]:
    """Every claim in `body` (see `tracker.extract.extract`)."""
    d = Document(body, lex, sentences(body, lex.abbreviations))
    is_candidate = _candidate_re(frozenset(lex.number_starts)).search
    lines = body.split("\n")
    captions: dict[int, bool] = {}
    out: list[Claim] = []
    for n, sent in enumerate(d.sents):
        text = body[sent.start:sent.end]
        # Most sentences hold no number: one regex search keeps them from every other stage.
        if not is_candidate(text):
            continue
        if sent.paragraph not in captions:
            captions[sent.paragraph] = is_caption(lines[sent.paragraph])
        if captions[sent.paragraph]:
            continue
        toks = d.tokens(n)
        phones = [(a + sent.start, b + sent.start) for a, b in phone_spans(text)]
        phone_starts = [a for a, _ in phones]
        skipped: list[tuple[int, int]] = list(phones)
        named: list[tuple[int, int]] = []
        here: list[Claim] = []
        for q in scan(toks, lex):
            span = (toks[q.i].start, toks[q.j - 1].end)
            k = bisect_right(phone_starts, span[0]) - 1
            why = noise(toks, q, lex)
            if (k >= 0 and span[0] < phones[k][1]) or why:
                skipped.append(span)
                if why == "event":
                    named.append(span)            # "400-metre hurdles": no measure either
                continue
            if _in_claimant(d.frames(n, toks), toks, q, lex):
                continue                          # left to --all's general measures
            made = _ratio_claims(d, n, toks, q) if q.kind == "ratio" else \
                [c for c in [_claim(d, n, toks, q, all_quantities)] if c]
            if not made:
                skipped.append(span)
            for claim in made:
                claim.doc, claim.date = doc, date
                d.said.append(Said(n, claim.figure, claim.value, claim.unit, claim.end,
                                   claim.hedge, claim.low, claim.high, claim.aspect))
                here.append(claim)
        if all_quantities:
            here = general.merge(body, here, general.units(text, sent.start), lex.units, skipped,
                                 doc, date, named, lex)
        out.extend(here)
    return out


def _referred_aspect(d: Document, n: int, toks: list[Token], q: Quantity, counted, figure: str) -> Optional[str]:
    """'The 33 would be drawn from a list', '20 of those 33': a number that points back to a
    claim keeps that claim's aspect where its own clause names none."""
    value = counted.ref_value if counted.ref_value is not None else \
        q.value if counted.bare and figures.back_reference(toks, q, d.lex) else None
    if value is None:
        return None
    for s in reversed(d.said[-60:]):
        if n - s.sentence > 20:
            break
        if s.figure == figure and s.value == value:
            return s.aspect
    return None


_RELATIVE = frozenset({"which", "who", "that", "whose"})


def _in_claimant(frames, toks: list[Token], q: Quantity, lex: Compiled) -> bool:
    """'Two people familiar with the talks said', 'according to two officials': a number in a
    claimant counts sources."""
    for f in frames:
        if f.start <= q.i and q.j <= f.pos:
            # "The union, which represents 7,400 dockworkers, said": a count in a relative
            # clause of the claimant that names a figure's noun is a claim, not a source count.
            if any(toks[k].low in _RELATIVE for k in range(f.start, q.i)):
                hit = lex.nouns.match_at(toks, q.j) if q.j < len(toks) else None
                if hit and isinstance(hit[1], str):
                    continue
            return True
        intro = lex.report_intro.match_at(toks, f.pos) if f.start == f.pos else None
        if intro and q.i == intro[0]:
            return True
    return False


def _claim(d: Document, n: int, toks: list[Token], q: Quantity, all_quantities: bool) -> Optional[Claim]:
    """The claim quantity `q` of sentence `n` makes, or None (a general quantity in --all)."""
    lex, number = d.lex, q.i
    spanned = lengths.span_of(d, n, toks, q)
    q = context.hedge(toks, q, lex) if spanned is None else q
    q = _shared_hedge(d, n, toks, q)
    counted = figures.counted_noun(toks, q, lex)
    q, counted = resolve.multiplied(d, n, toks, q) or (q, counted)
    general_claim = all_quantities and (not q.indefinite or general.lasts(toks, q, lex)) \
        and not (q.kind == "duration" and general.dates(toks, q, lex))
    if q.kind == "duration" and lengths.not_a_duration(toks, q, d):
        # "in 24 hours", "over the next two years": no figure's length, still a quantity.
        if general_claim:
            return general.counted(d.body, toks, q, counted, lex, d.claimant(n, toks, q.i, q.j))
        return None
    figure = spanned or resolve.figure(d, n, toks, q, counted)
    if figure is None:
        if general_claim:
            return general.counted(d.body, toks, q, counted, lex, d.claimant(n, toks, q.i, q.j))
        return None
    start = q.i - 1 if q.i and toks[q.i - 1].low == "remaining" else q.i
    if start and toks[start - 1].low in lex.text_determiners:
        start -= 1                                    # "the 40", "the remaining three"
    end = max(counted.end, q.j) if not counted.bare else q.j
    if counted.bare and end < len(toks) and (toks[end].low in lex.predicates
                                             or toks[end].low in lex.change_words):
        end += 1                                      # "more than 12,000 killed", "5 more"
    q, end = context.hedge_after(toks, q, end)
    if q.kind in ("money", "percent"):
        unit = q.unit
    else:
        unit = "day" if q.kind == "duration" else lex.unit_of(figure)
    return Claim(
        figure=figure, value=q.value, low=q.low, high=q.high, hedge=q.hedge, unit=unit,
        text=d.body[toks[start].start:toks[end - 1].end], start=toks[start].start,
        end=toks[end - 1].end,
        aspect=context.aspect(toks, start, end, figure, lex, fallback=_referred_aspect(d, n, toks, q, counted, figure)),
        qualifiers=context.qualifiers(toks, number, end, lex, figure),
        attribution=d.claimant(n, toks, q.i, q.j),
    )


def _shared_hedge(d: Document, n: int, toks: list[Token], q: Quantity) -> Quantity:
    """'as many as 83 women and 10 children': a hedge spans numbers joined by 'and' or 'or'."""
    if q.hedge != "exact" or not d.said or q.i < 2:
        return q
    last = d.said[-1]
    joined = toks[q.i - 1].low in ("and", "or") and toks[q.i - 2].end == last.end
    if last.sentence != n or not joined or last.hedge not in ("approx", "at_least", "at_most"):
        return q
    return replace(q, hedge=last.hedge, low=q.value if last.low is not None else None,
                   high=q.value if last.high is not None else None)


_RATIO_BACK = 3


def _ratio_claims(d: Document, n: int, toks: list[Token], q: Quantity) -> list[Claim]:
    """'three to one', '10-to-one': N of the lexicon's `exchange.many` per one `exchange.one`,
    two claims, where the sentence speaks of either figure."""
    lex = d.lex
    many, one = lex.exchange.get("many"), lex.exchange.get("one")
    near = d.hits(n, lex.cues).within(*window(toks, q.i, q.j))
    if not many or not one:
        return []
    # "The exchange rate of three to one was set ...": the swap may be named just before.
    if not any(figs & {many, one} for _, _, figs in near) \
            and not d.recent(n, ("person",), back=_RATIO_BACK, among={many, one}):
        return []
    out = []
    for figure, i, j, value, quals in ((many, q.i, q.i + 1, q.value, [lex.exchange.get("per", "")]),
                                      (one, q.j - 1, q.j, 1.0, [])):
        out.append(Claim(figure=figure, value=value, hedge="exact", unit=lex.unit_of(figure),
                         text=d.body[toks[i].start:toks[j - 1].end], start=toks[i].start,
                         end=toks[j - 1].end, aspect=context.aspect(toks, q.i, q.j, figure, lex),
                         qualifiers=[x for x in quals if x],
                         attribution=d.claimant(n, toks, q.i, q.j)))
    return out
