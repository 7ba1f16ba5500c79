"""The words around a number: its hedge, the aspect of the people it counts, its qualifiers."""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from tracker.extract.compiled import Compiled
from tracker.extract.numbers import Quantity
from tracker.extract.text import Token

# When two aspect cues stand equally near, the one that says more about the deal wins.
_ASPECT_RANK = {"released": 0, "proposed": 1, "taken": 2, "held": 3}
_ASPECT_REACH = 14
# Cues inside ", seized during ...," or "who had been held ..." right after the noun tell of
# the people's past, not of this claim: they count as standing this much further away.
_ASIDE_PENALTY = 12
_MODAL_REACH = 15
_STATE_PENALTY = 8


def hedge(toks: list[Token], q: Quantity, lex: Compiled) -> Quantity:
    """`q` with the hedge words before it applied and its span widened to them."""
    if q.hedge in ("vague", "range"):
        return q
    hit = lex.hedges.match_before(toks, q.i)
    if hit:
        start, kind = hit
        # "gone up to 224": a level reached, not "as many as".
        if toks[q.i - 1].low == "to" and start > 0 and toks[start - 1].lemma in lex.level_verbs:
            return q
        if toks[start].low == "over" and start > 0 and toks[start - 1].low in lex.particle_verbs:
            return q
        # "withdraw from southern Lebanon over 60 days": over a length after a verb or its
        # object means during; "a strike of over six weeks", "lasted over a month" bound it.
        if toks[start].low == "over" and q.kind == "duration" and start > 0 \
                and toks[start - 1].text.isalpha() and toks[start - 1].low not in lex.over_bounds \
                and not lex.lasted.match_before(toks, start):
            return q
        if kind == "at_least":
            return replace(q, i=start, hedge=kind, low=q.value)
        if kind == "at_most":
            return replace(q, i=start, hedge=kind, high=q.value)
        return replace(q, i=start, hedge=kind)
    return q


def hedge_after(toks: list[Token], q: Quantity, end: int) -> tuple[Quantity, int]:
    """`q` hedged by 'or more' / 'or so' after its noun phrase ending at `end`, and the new end."""
    if q.hedge != "exact":
        return q, end
    tail = [t.low for t in toks[end:end + 2]]
    if tail == ["or", "more"]:
        return replace(q, hedge="at_least", low=q.value), end + 2
    if tail == ["or", "so"]:
        return replace(q, hedge="approx"), end + 2
    return q, end


def _modal_before(toks: list[Token], i: int, lex: Compiled) -> bool:
    """Whether a modal ('would', 'to', 'are to') comes before token `i` in its clause."""
    for k in range(i, max(-1, i - _MODAL_REACH), -1):
        if toks[k].low in lex.clause_breaks:
            return False
        hit = lex.modals.match_at(toks, k) if k < i else None
        # "to" and "be" make a promise only right before the verb ("to be freed", not "from
        # November 24 to December 1 saw 117 released"); "would", "will" reach further.
        if hit and (hit[0] == i or (hit[0] <= i and toks[k].low not in ("to", "be"))):
            # "will have been freed" looks back on a release: no promise.
            return not (hit[0] < len(toks) and toks[hit[0]].low == "have")

    return False


def _aside_end(toks: list[Token], j: int) -> int:
    """The end of an aside right after a noun phrase (', seized in ...,' or 'who had ...')."""
    if j >= len(toks):
        return j
    if toks[j].low == ",":
        for k in range(j + 1, min(j + 14, len(toks))):
            if toks[k].low in (",", ";", ".", "—"):
                return k
        return j
    # "... who had been held ...", and the same without "who": "Americans jailed in Iran were".
    participle = (toks[j].low.endswith("ed") and j + 1 < len(toks)
                  and toks[j + 1].low in ("in", "by", "since", "during", "from", "at", "on"))
    if toks[j].low in ("who", "whom", "which", "that") or participle:
        for k in range(j + 1, min(j + 16, len(toks))):
            if toks[k].low in ("were", "was", "are", "is", "will", "would", ",", ";", "."):
                # Without "who", only a main verb after it shows the participle was an aside:
                # "Of the 251 hostages seized in the attack, 58 ..." tells of the seizure.
                return k if not participle or toks[k].text.isalpha() else j
    return j


def _death_event(toks: list[Token], end: int, lex: Compiled) -> bool:
    """'Six hostages have died in captivity', 'three were killed': the clause tells of deaths."""
    k = end
    while k < len(toks) and k - end < 3 and toks[k].low in ("have", "has", "had", "were", "was", "been"):
        k += 1
    return k < len(toks) and toks[k].low in lex.death_events


def aspect(toks: list[Token], start: int, end: int, figure: str, lex: Compiled,
           fallback: Optional[str] = None) -> Optional[str]:
    """The aspect of a people count spanning tokens [start, end): the nearest aspect cue wins;
    without one, `fallback` (the aspect of the claim it refers back to) or the figure's own."""
    default = lex.default_aspect.get(figure)
    if default is None:
        return None
    default = fallback or default
    # "one of the hostages had died" speaks of a member of the held group, not of the deaths.
    if _death_event(toks, end, lex) and not any(t.low == "of" for t in toks[start:end]):
        return None
    aside = _aside_end(toks, end)
    best: Optional[tuple[int, int, str]] = None
    for s, e, kind in lex.aspects.scan(toks, start - _ASPECT_REACH - 4, max(end, aside) + _ASPECT_REACH):
        if start <= s < end:
            continue
        dist = start - e if e <= start else s - end
        if end <= s < aside:
            dist += _ASIDE_PENALTY
        if kind == "state":
            # "All 20 hostages still alive in Gaza were returned": a state describes the people,
            # a verb tells what became of them; "20 of those 33 may still be alive" keeps the
            # aspect of the 33.
            if fallback:
                continue
            kind, dist = "held", dist + _STATE_PENALTY
        if dist > _ASPECT_REACH:
            continue
        if kind == "released" and _modal_before(toks, s, lex):
            kind = "proposed"
        rank = (dist, _ASPECT_RANK[kind])
        if best is None or rank < best[:2]:
            best = (dist, _ASPECT_RANK[kind], kind)
    return best[2] if best else default


_DEAD_REACH = 6


def qualifiers(toks: list[Token], number: int, end: int, lex: Compiled, figure: str = "") -> list[str]:
    """Restrictions written from the number to the noun: 'security', 'women', 'change' for
    'N more', 'dead' for the bodies of people a side holds or frees."""
    out: list[str] = []
    span = toks[number:end]
    for s, e, word in lex.qualifiers.scan(span):
        if s and span[s - 1].low == "-" and span[s - 1].end == span[s].start:
            continue                                  # "cost-of-living" holds no "living" people
        name = lex.canonical.get(word, word)
        # "Palestinian" as written; a capital that only opens the sentence is dropped.
        name = name[0].upper() + name[1:] if span[s].is_title and name.islower() and s else name
        if name not in out:
            out.append(name)
    # "100 inmates convicted of murder": a phrase right after the noun restricts it too.
    for table in (lex.qualifiers, lex.rates):
        after = table.match_at(toks, end)
        name = lex.canonical.get(after[1], after[1]) if after else None
        if name and (after[0] - end > 1 or table is lex.rates) and name not in out:
            out.append(name)
    if any(t.low in lex.change_words for t in span) or _additional_before(toks, number, lex):
        out.append("change")
    if lex.default_aspect.get(figure) and "dead" not in out and _death_near(toks, number, end, lex):
        out.append("dead")
    return out


def _death_near(toks: list[Token], start: int, end: int, lex: Compiled) -> bool:
    """Whether a death word stands a few tokens from [start, end) in the same clause."""
    for step, first in ((-1, start - 1), (1, end)):
        k = first
        while 0 <= k < len(toks) and abs(k - (start if step < 0 else end)) < _DEAD_REACH:
            if toks[k].low in lex.clause_breaks:
                break
            if toks[k].lemma in lex.dead_words:
                return True
            k += step
    return any(t.lemma in lex.dead_words for t in toks[start:end])


def _additional_before(toks: list[Token], start: int, lex: Compiled) -> bool:
    """'an additional 20', 'a further 13': the change word stands before the number."""
    return start > 0 and toks[start - 1].low in lex.change_words
