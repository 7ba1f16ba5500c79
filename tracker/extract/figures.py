"""Counted noun -> figure: what a number counts, from its noun, the clause's cues, or the text before."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from tracker.extract.compiled import Compiled
from tracker.extract.numbers import Quantity
from tracker.extract.text import Token

# Words that may stand between a number and its noun ("20 living Israeli captives").
_SKIP_MAX = 5
# Words after a number that show it has no noun of its own ("240 were seized", "150,000 who").
_BARE_NEXT = {"were", "was", "are", "is", "have", "had", "has", "who", "will", "would", "could",
              "had", "remain", "remained", "of", "in", "to", "from", "at", ",", ".", ";", ":",
              ")", "—", "–", "-", "by", "on", "out", "back", "among", "into", "with", "and",
              "per", "a", "an", "the", "for", "''", '"', "”", "as", "across", "during", "over",
              "before", "after", "since", "until", "each", "can", "may", "might", "should",
              "being", "be", "been", "did", "do", "does", "intend", "so", "but", "or", "than"}
# Words before a number that make it refer back ("the 40", "those 700", "another 253").
_BACK = {"the", "those", "these", "another", "remaining", "other", "all", "of", "group", "at",
         "to", "further", "additional"}
# Units that a figure of each unit may be measured in.
_COMPATIBLE = {"count": ("person", "item"), "duration": ("day",), "percent": ("percent", "person"),
               "money": ("currency",)}
# How far (tokens) a clause cue may stand from the number it names, by kind of number.
_CUE_REACH = {"count": 16, "duration": 10, "percent": 12, "money": 40}
_OF_DETS = {"the", "those", "these", "them", "its", "their", "his", "her", "our", "whom"}


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


def counted_noun(toks: list[Token], q: Quantity, lex: Compiled) -> Counted:
    """The noun after quantity `q`, skipping modifiers ('700 security prisoners', '40 of the hostages')."""
    j, n = q.j, len(toks)
    if j < n and toks[j].low == "of" and j + 1 < n and toks[j + 1].low in _OF_DETS:
        k = j + 2 if toks[j + 1].low != "them" else j + 1
        if toks[j + 1].low == "them":
            return Counted(None, None, j + 2, anaphor=True)
        while k < n and (toks[k].is_digit or toks[k].low in lex.number_words) and k < j + 4:
            k += 1                                     # "two of the five prisoners"
        inner = _noun_from(toks, k, lex)
        if inner is not None:
            return inner
        cue = lex.cues.match_at(toks, k)              # "15 of those abducted"
        if cue:
            figs = [f for f in cue[1] if lex.unit_of(f) in ("person", "item")]
            return Counted(figs[0] if len(figs) == 1 else None, None, cue[0], generic=len(figs) != 1)
    if j < n and toks[j].low == "per":
        return Counted(None, None, j, anaphor=True)   # "30 per civilian hostage": a rate
    found = _noun_from(toks, j, lex)
    if found is not None:
        return found
    return Counted(None, None, j, bare=True)


def _noun_from(toks: list[Token], j: int, lex: Compiled) -> Optional[Counted]:
    """A counted noun at or a few modifiers after `j`; None when a verb or the end comes first."""
    hint = None
    for k in range(j, min(j + _SKIP_MAX, len(toks))):
        noun = lex.nouns.match_at(toks, k)
        if noun:
            end, figure = noun
            # "trucks of aid", "prisoners of war": the longer noun already matched; "the
            # number of" phrases are left to the caller.
            return Counted(figure, " ".join(t.lemma for t in toks[k:end]), end,
                           generic=figure is None, hint=hint)
        tok = toks[k]
        h = lex.hints.match_at(toks, k)
        if h:
            hint = hint or h[1]
        if tok.low in _BARE_NEXT or tok.low in lex.report_verbs:
            return None
        if tok.low == "-" or tok.is_title or h or tok.low in lex.change_words \
                or lex.qualifiers.match_at(toks, k) or tok.low in lex.modifiers:
            continue
        if lex.cues.match_at(toks, k):
            return None                               # "12,000 killed": the cue names it
        return Counted(None, tok.lemma, k + 1) if tok.text.isalpha() else None
    return None


def compatible(kind: str, figure: str, lex: Compiled) -> bool:
    """Whether a number of `kind` (count, duration, percent, money) can measure `figure`."""
    return lex.unit_of(figure) in _COMPATIBLE.get(kind, ())


def cue_figure(toks: list[Token], q: Quantity, lo: int, hi: int, lex: Compiled) -> Optional[str]:
    """The figure named by the clause cue nearest to the number within tokens [lo, hi)."""
    reach = _CUE_REACH.get(q.kind, 12)
    best: Optional[tuple[int, str]] = None
    for s, e, figs in lex.cues.scan(toks[lo:hi]):
        s, e = s + lo, e + lo
        if q.i <= s < q.j:
            continue
        dist = q.i - e if e <= q.i else s - q.j
        fits = sorted(f for f in figs if compatible(q.kind, f, lex))
        # A percent names a count of people only where the clause says so ("85 per cent ... displaced").
        if q.kind == "percent" and any(lex.unit_of(f) == "percent" for f in fits):
            fits = [f for f in fits if lex.unit_of(f) == "percent"]
        if fits and dist <= reach and (best is None or dist < best[0]):
            best = (dist, fits[0])
    return best[1] if best else None


def back_reference(toks: list[Token], q: Quantity) -> bool:
    """Whether the words before a bare number make it refer back ('the 40', 'another 253')."""
    return q.i > 0 and toks[q.i - 1].low in _BACK


def bare_allowed(toks: list[Token], q: Quantity, counted: Counted) -> bool:
    """Whether a number without a noun may still be a claim ('240 were seized', 'the 40')."""
    if not counted.bare:
        return True
    if back_reference(toks, q) or q.hedge != "exact":
        return True
    nxt = toks[q.j].low if q.j < len(toks) else "."
    return not q.worded and nxt in _BARE_NEXT
