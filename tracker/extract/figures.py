"""Counted noun -> figure: what a number counts, from its noun, the clause's cues, or the text before."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Optional

from tracker.extract.compiled import Compiled
from tracker.extract.numbers import Quantity, parse_number
from tracker.extract.text import Hits, Token, window

# Words that may stand between a number and its noun ("20 living Israeli captives").
_SKIP_MAX = 5
# Units that a figure of each unit may be measured in.
COMPATIBLE = {"count": ("person", "item"), "duration": ("day",), "percent": ("percent", "person"),
               "money": ("currency",)}
# How far (tokens) a clause cue may stand from the number it names, by kind of number.
_CUE_REACH = {"count": 16, "duration": 14, "percent": 12, "money": 40}
_HINT_DISTANCE = 4
_NOUN_CUE_PENALTY = 6


@dataclass(slots=True)
class Counted:
    """The noun phrase a number counts: its figure (None if unknown) and where the phrase ends."""

    figure: Optional[str]
    noun: Optional[str]
    end: int
    generic: bool = False      # a people noun whose figure the clause decides ("1,200 people")
    bare: bool = False         # no noun: "another 253", "the 40", "240 were seized"
    anaphor: bool = False      # "of them", "per hostage": the figure of a number just named
    hint: Optional[str] = None
    ref_value: Optional[float] = None   # "100 of those 700": the number it is a part of
    shared: frozenset = frozenset()     # "60-day agreement": figures a shared noun may name


def counted_noun(toks: list[Token], q: Quantity, lex: Compiled) -> Counted:
    """The noun after quantity `q`, skipping modifiers ('700 security prisoners', '40 of the hostages')."""
    j, n = q.j, len(toks)
    # "42 days when ...": only "four-day truce" or "days of talks" give a duration its noun.
    if q.kind == "duration" and not (toks[j - 2].low == "-" or (j < n and toks[j].low == "of")):
        return Counted(None, None, j, bare=True)
    # "dozens of hostages", "a week of talks", "four days of paused fighting".
    if j + 1 < n and toks[j].low == "of" and (q.hedge == "vague" or q.kind == "duration") \
            and toks[j + 1].low not in lex.of_determiners:
        j += 1
    # "40 of Israel's hostages", "two of New York City's hospitals": a possessive determiner.
    possessive = None
    for m in range(j + 1, min(n, j + 5)):
        if toks[m].low.endswith("'s"):
            possessive = m
            break
        if not toks[m].is_title:
            break
    if j < n and toks[j].low == "of" and j + 1 < n and (toks[j + 1].low in lex.of_determiners
                                                         or possessive is not None):
        if toks[j + 1].low == "them":
            return Counted(None, None, j + 2, anaphor=True)   # "250 of them"
        if toks[j + 1].low in ("whom", "which"):
            return Counted(None, None, q.j, anaphor=True)     # "nine of whom Israel says"
        k = possessive + 1 if possessive is not None else j + 2
        hedged = lex.hedges.match_at(toks, k)
        if hedged:
            k = hedged[0]                             # "33 of the nearly 100 hostages"
        ref = None
        if k < n and (toks[k].is_digit or toks[k].low in lex.number_words):
            hit = parse_number(toks, k, lex)          # "two of the five prisoners"
            if hit:
                ref, k = hit[0], hit[1]
        inner = noun_from(toks, k, lex)
        if inner is not None:
            return inner
        if ref is not None:
            return Counted(None, None, k, bare=True, ref_value=ref)   # "100 of those 700"
        cue = lex.cues.match_at(toks, k)              # "15 of those abducted"
        if cue:
            figs = [f for f in cue[1] if lex.unit_of(f) in ("person", "item")]
            return Counted(figs[0] if len(figs) == 1 else None, None, cue[0], generic=len(figs) != 1)
    if j < n and toks[j].low == "per" or (j + 1 < n and toks[j].low == "for"
                                           and toks[j + 1].low in ("each", "every")):
        return Counted(None, None, j, anaphor=True)   # "30 per civilian hostage", "50 for each soldier"
    found = noun_from(toks, j, lex)
    # "40% under the deal", "$6 billion unfrozen": only a lexicon noun is a percent's own noun;
    # a count's or a length's noun outside the lexicon ("the 15-month war") says it is no figure.
    # "three days of work" measures the strike its clause names: only "N-day <noun>" binds.
    own = q.kind == "count" or (q.kind == "duration" and toks[q.j - 2].low == "-")
    outside = found is not None and found.figure is None and not found.generic and not found.shared
    if found is not None and (found.figure or found.shared or own) and not (outside and _collective(toks, q, lex)):
        return found
    if _collective(toks, q, lex):
        return Counted(None, toks[q.i - 2].lemma, q.j, generic=True)   # "the crew of 25"
    return Counted(None, None, j, bare=True)


def _collective(toks: list[Token], q: Quantity, lex: Compiled) -> bool:
    """Whether a count stands after 'crew of', 'a group of' (people, with no noun after it)."""
    return q.kind == "count" and q.i > 1 and toks[q.i - 1].low == "of" \
        and toks[q.i - 2].lemma in lex.collectives


def noun_from(toks: list[Token], j: int, lex: Compiled) -> Optional[Counted]:
    """A counted noun at or a few modifiers after `j`; None when a verb or the end comes first.

    Capitalised words that lead to no noun make a name ("at 10 Downing Street"): that is a
    noun outside the lexicon, so the number counts nothing tracked.
    """
    found = _noun_scan(toks, j, lex)
    if isinstance(found, int):
        return Counted(None, toks[found].lemma, found + 1)
    return found


def _noun_scan(toks: list[Token], j: int, lex: Compiled) -> "Counted | int | None":
    hint, title = None, None
    for k in range(j, min(j + _SKIP_MAX, len(toks))):
        noun = lex.nouns.match_at(toks, k)
        if noun:
            start, (end, figure) = k, noun
            # "Palestinian prisoners", "Thai nationals": the last noun of a compound is its head.
            while end < len(toks) and figure is None:
                more = lex.nouns.match_at(toks, end)
                if not more:
                    if _foreign_head(toks, start, end, lex):
                        return Counted(None, toks[end].lemma, end + 1)   # "One Israeli official"
                    break
                h = lex.hints.match_at(toks, start)
                hint = hint or (h[1] if h else None)
                start, (end, figure) = end, more
            h = lex.hints.match_at(toks, start)
            if isinstance(figure, frozenset):
                return Counted(None, toks[start].lemma, end, shared=figure)
            return Counted(figure, " ".join(t.lemma for t in toks[start:end]), end,
                           generic=figure is None, hint=hint or (h[1] if h else None))
        tok = toks[k]
        if tok.low in lex.exact_people:
            return Counted(None, tok.low, k + 1, generic=True, hint=hint)
        h = lex.hints.match_at(toks, k)
        if h:
            hint = hint or h[1]
        if tok.low == "-" and tok.start == toks[k - 1].end:
            continue                                  # "US-Israeli", "four-day"
        if tok.low.endswith("'s") and k + 1 < len(toks) and toks[k + 1].text.isalpha():
            continue                                  # "two of the city's largest hospitals"
        if tok.low in lex.no_noun_after or tok.low in lex.report_verbs:
            return title
        qual = lex.qualifiers.match_at(toks, k)
        if qual and qual[0] - k > 1:
            return title                              # "150 serving life terms": no noun follows
        if tok.is_title and title is None and _demonym(toks, k):
            return Counted(None, tok.lemma, k + 1, generic=True, hint=hint)   # "17 Filipinos"
        if tok.is_title and not h and title is None and not qual:
            title = k
        if tok.is_title or h or qual or tok.low in lex.change_words or tok.low in lex.modifiers:
            continue
        cue = lex.cues.match_at(toks, k)
        if cue:
            if cue[0] < len(toks) and lex.nouns.match_at(toks, cue[0]):
                hint = hint or min(cue[1])            # "five jailed Americans"
                continue
            return None                               # "12,000 killed": the cue names it
        if k + 1 < len(toks) and lex.nouns.match_at(toks, k + 1) and tok.text.isalpha():
            continue                                  # "75,000 health workers": a noun modifier
        # "150 serving life terms", "40 held in Gaza": a participle is no head noun.
        if tok.low.endswith(("ing", "ed")) and len(tok.low) > 4:
            return title
        return Counted(None, tok.lemma, k + 1) if tok.text.isalpha() else title
    return title


# Plural endings of nationality nouns: "Belarusians", "Filipinos", "Pakistanis", "Chinese".
_DEMONYM_ENDS = ("ians", "ans", "inos", "anis", "is", "ese")


def _demonym(toks: list[Token], k: int) -> bool:
    """Whether a capitalised word is a plural nationality noun ('two Belarusians convicted')
    and not the first word of a name ('three Americans' yes, 'three Americas Cup boats' no)."""
    tok = toks[k]
    if not tok.low.endswith(_DEMONYM_ENDS) or not tok.text.isalpha() or len(tok.low) < 5:
        return False
    return k + 1 >= len(toks) or not toks[k + 1].is_title


def _foreign_head(toks: list[Token], start: int, end: int, lex: Compiled) -> bool:
    """Whether a nationality ('Israeli') is only the modifier of a noun outside the lexicon."""
    if not toks[start].is_title or end >= len(toks) or toks[start].low.endswith("s"):
        return False
    nxt = toks[end]
    return (nxt.text.isalpha() and nxt.text.islower() and nxt.low not in lex.no_noun_after
            and not nxt.low.endswith("ed") and lex.cues.match_at(toks, end) is None
            and lex.aspects.match_at(toks, end) is None and nxt.low not in lex.report_verbs)


def compatible(kind: str, figure: str, lex: Compiled) -> bool:
    """Whether a number of `kind` (count, duration, percent, money) can measure `figure`."""
    if kind == "percent" and lex.unit_of(figure) == "person":
        return figure in lex.shares                   # "85 per cent of the population displaced"
    return lex.unit_of(figure) in COMPATIBLE.get(kind, ())


def cue_figure(toks: list[Token], q: Quantity, lex: Compiled, skip_end: int = 0,
               hint: Optional[str] = None, reach: Optional[float] = None,
               verbs_only: bool = False, hits: Optional[Hits] = None,
               breaks: Optional[list[int]] = None) -> Optional[str]:
    """The figure named by the clause cue nearest to the number (a noun's own hint counts as one
    a few tokens away; another figure's noun counts as further away than a verb).

    With `verbs_only`, a lone figure noun is no cue: "thousands rallied for the hostages" counts
    protesters, while "240 were seized as hostages" still has its verb.
    """
    wide = reach is not None
    reach = reach or _CUE_REACH.get(q.kind, 12)
    lo, hi = window(toks, q.i, max(q.j, skip_end)) if wide else _clause(toks, q, lex, breaks)
    best: Optional[tuple[float, str]] = (_HINT_DISTANCE, hint) if hint and compatible(q.kind, hint, lex) else None
    for s, e, figs in (hits.within(lo, hi) if hits is not None else lex.cues.scan(toks, lo, hi)):
        if q.i <= s < q.j:
            continue
        if verbs_only and e - s == 1 and lex.nouns.match_at(toks, s):
            continue
        if s < skip_end and s >= q.j:
            dist = 0.0                                # "212 wounded soldiers": inside the phrase
        else:
            # A tie goes to the cue after the number: "around 250 were taken hostage".
            dist = q.i - e + 0.5 if e <= q.i else s - max(q.j, skip_end)
        # "... 10 freed hostages": a noun another number counts is a weaker cue than a verb,
        # and none at all in the clause pass ("freed 13 hostages, and the leader has 3 children").
        if lex.nouns.match_at(toks, s) and any(t.is_digit or t.low in lex.number_words
                                               for t in toks[max(0, s - 3):s]):
            if not wide:
                continue
            dist += _NOUN_CUE_PENALTY
        fits = sorted(f for f in figs if compatible(q.kind, f, lex))
        # A percent names a count of people only where the clause says so ("85 per cent ... displaced").
        if q.kind == "percent" and any(lex.unit_of(f) == "percent" for f in fits):
            fits = [f for f in fits if lex.unit_of(f) == "percent"]
        if fits and dist <= reach and (best is None or dist < best[0]):
            best = (dist, fits[0])
    return best[1] if best else None


def clause_breaks(toks: list[Token], lex: Compiled) -> list[int]:
    """The indices of the tokens that end a clause, left to right (see `_clause`)."""
    return [k for k in range(len(toks)) if _breaks(toks, k, lex)]


def _clause(toks: list[Token], q: Quantity, lex: Compiled,
            breaks: Optional[list[int]] = None) -> tuple[int, int]:
    """Token bounds of the clause around `q`: 'Inflation hits 9% - and pay rises lag' keeps the
    pay out of the inflation's clause."""
    first, last = window(toks, q.i, q.j)
    if breaks is not None:
        k = bisect_left(breaks, q.i)
        lo = breaks[k - 1] + 1 if k else 0
        k = bisect_left(breaks, q.j)
        hi = breaks[k] if k < len(breaks) else len(toks)
        return max(lo, first), min(hi, last)
    lo = q.i
    while lo > first and not _breaks(toks, lo - 1, lex):
        lo -= 1
    hi = q.j
    while hi < last and not _breaks(toks, hi, lex):
        hi += 1
    return lo, hi


def _breaks(toks: list[Token], k: int, lex: Compiled) -> bool:
    low = toks[k].low
    if low == "-":                                   # a spaced dash, not "four-day"
        return k > 0 and toks[k - 1].end < toks[k].start
    return low in lex.clause_breaks or low in (":", "–")


def back_reference(toks: list[Token], q: Quantity, lex: Compiled) -> bool:
    """Whether the words before a bare number make it refer back ('the 40', 'another 253')."""
    return q.i > 0 and toks[q.i - 1].low in lex.refer_back


def bare_allowed(toks: list[Token], q: Quantity, counted: Counted, lex: Compiled) -> bool:
    """Whether a number without a noun may still be a claim ('240 were seized', 'the 40')."""
    if not counted.bare or q.kind != "count":
        return True
    if back_reference(toks, q, lex) or q.hedge != "exact" or lex.subset.match_before(toks, q.i):
        return True                                   # "among them 250 serving life sentences"
    nxt = toks[q.j].low if q.j < len(toks) else "."
    if nxt in ("more", "further", "additional", "others"):
        return True                                   # "free two more for humanitarian reasons"
    if nxt in lex.predicates:
        return True                                   # "left 16 dead", "12,000 killed"
    if q.worded and _passive_predicate(toks, q.j, lex):
        return True                                   # "Seven were released at dawn"
    if q.worded and nxt in _REMAIN and q.i == 0:
        return True                                   # "Seventy-six remain in Gaza"
    return not q.worded and nxt in lex.no_noun_after


_REMAIN = frozenset({"remain", "remained", "remains", "remaining"})

_AUXILIARIES = ("were", "was", "are", "is", "have", "has", "had", "been", "be", "being", "later",
                "also", "all", "then", "reportedly", "still", "since")


def _passive_predicate(toks: list[Token], j: int, lex: Compiled) -> bool:
    """Whether auxiliaries and then a predicate ('were released', 'have been killed') follow `j`."""
    if j >= len(toks) or toks[j].low not in ("were", "was", "are", "is", "have", "has", "had"):
        return False
    k = j
    while k < len(toks) and k - j < 4 and toks[k].low in _AUXILIARIES:
        k += 1
    return k < len(toks) and (toks[k].low in lex.predicates or lex.aspects.match_at(toks, k) is not None)
