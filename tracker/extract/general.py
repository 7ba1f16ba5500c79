"""Quantities outside the lexicon's figures, for `extract(all_quantities=True)` (CLI `--all`).

Our own number reader handles counts, words, ranges, money, percents and durations; quantulum3
(through `quantities`) adds units of measure ("5 metre", "4km^3", "$15.4/hour") and notations
we do not read ("2 1/2 in", "4e14 s-1"). Where quantulum3 reads one quantity across several
of our numbers, or a physical unit on one of them, its reading wins; our money, percents,
levels of a change ("fell 48% to 42%") and names ("the 400-metre hurdles") win over its.

Conventions of --all (CLAIMS.md where it speaks, a person's reading where it does not):
- vague quantities ("dozens of cars") have `low` = the lexicon floor, no value, hedge vague;
- a fraction in words is a share in percent, to one decimal ("a third" 33.3, "more than half"
  50 at_least, "one in ten" 10); of a unit or scale it is that part ("a quarter of a
  percentage point" 0.25, "half a million" 500,000, "half an hour" 0.020833 day);
- every duration is in days (CLAIMS.md), "four years and 3 months" one length (1,550);
  `general.duration_unit = "written"` in the lexicon keeps the written unit instead;
- pence and cents are hundredths of their currency ("85 pence" 0.85 GBP);
- "minus 12", "-15" are negative; "fell $1.50 to $78.20" is a change and a level, two
  quantities, "between €40 million and €55 million" one range;
- not quantities: times of day, odds, scores ("won 3-1"), ordinals, one unit named by its
  article ("a pint of milk", "$3.49 a gallon"), names and addresses with numbers.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional

from tracker.extract.compiled import Compiled
from tracker.extract.figures import Counted
from tracker.extract.numbers import Quantity
from tracker.extract.quantities import Measure, measures
from tracker.extract.text import Token, tokenize
from tracker.models import Claim

# "raised the limit from 70 to 80 mph": our reader made two levels of a quantulum3 range.
_CHANGE = re.compile(r"\b(?:rais|lower|reduc|increas|decreas|cut|rose|fell|fall|grew|grow|climb|jump|"
                     r"drop|slash|boost|lift|went|moved)\w*(?:\s+\S+){0,4}\s+from\s+$", re.I)
# A sentence with more measures than this is no prose (a table, a list): the rest stay ours.
_MEASURES_MAX = 200
_SENTENCE_MAX = 3000
_KIND_FIGURE = {"percent": "percent", "money": "money", "duration": "duration"}
# quantulum3 readings we keep over ours are physical measures: not counts, money, time, percent.
_OURS_ENTITIES = {"dimensionless", "currency", "time"}
_OURS_UNITS = {"dimensionless", "percentage"}


def _physical(m: Measure) -> bool:
    return (m.entity not in _OURS_ENTITIES and m.unit not in _OURS_UNITS
            and "percent" not in m.unit and "per cent" not in m.unit)


def units(text: str, offset: int) -> list[Measure]:
    """quantulum3's reading of a sentence (see `quantities.measures`); a 'sentence' longer than
    any prose (a table, a run-on line) is left to our own reader, as quantulum3 is slow on it."""
    return measures(text, offset) if len(text) <= _SENTENCE_MAX else []


def counted(body: str, toks: list[Token], q: Quantity, noun: Counted, lex: Compiled,
            attribution: Optional[str]) -> Optional[Claim]:
    """A claim for a number no lexicon figure takes: its counted noun's lemma is the figure.

    A vague quantity ("dozens of cars") keeps its floor as `low` and no value. A duration is
    in days as CLAIMS.md writes every duration ("20 minutes": 0.013889 day), unless the
    lexicon's `general.duration_unit` is "written" ("six weeks": 6 week).
    """
    if q.value is None and q.hedge != "vague":
        return None
    if q.worded and q.value == 1 and q.kind == "count" and (
            noun.bare or not noun.noun or (q.i and toks[q.i - 1].low in lex.general.get("pronoun_one", ()))):
        return None                                   # "one that gives hope", "that one costs"
    if q.worded and q.value == 1 and q.j + 1 < len(toks) and toks[q.j].low == "of" and any(
            t.low.endswith("est") or t.low in ("most", "best", "worst", "least")
            for t in toks[q.j + 1:q.j + 5]):
        return None                                   # "one of the best players"
    if q.kind == "duration" and q.worded and q.raw == 1 and not q.indefinite \
            and not lasts(toks, q, lex) and toks[q.j - 2].low != "-":
        return None                                   # "one day she will win": no length
    if noun.noun and not noun.bare and noun.end < len(toks) and toks[noun.end - 1].is_title \
            and toks[noun.end].is_title and toks[noun.end].text.isalpha():
        return None                                   # "10 Downing Street": an address
    noun = _head(toks, noun, lex)
    figure = noun.noun if noun.noun else _KIND_FIGURE.get(q.kind, "quantity")
    value, low, high = q.value, q.low, q.high
    unit = {"percent": "percent", "money": q.unit}.get(q.kind)
    if q.kind == "duration":
        unit = "day"
        if lex.general.get("duration_unit") == "written" and q.raw_unit != "day":
            days = q.value / q.raw if q.raw else 1.0
            value, unit = q.raw, q.raw_unit
            low, high = (None if v is None else round(v / days, 6) for v in (q.low, q.high))
    elif unit is None:
        unit = "person" if noun.generic or (noun.noun or "") in lex.general_people else "item"
    elif q.kind == "percent" and "point" in body[toks[q.i].start:toks[q.j - 1].end].lower():
        unit = "percentage point"                     # "9 percentage points", not a level
    end = noun.end if noun.noun and not noun.bare else q.j
    first = q.i - 1 if q.hedge == "range" and q.i and toks[q.i - 1].low == "between" else q.i
    start, stop = toks[first].start, toks[end - 1].end
    return Claim(figure=figure, value=value, low=low, high=high, hedge=q.hedge, unit=unit,
                 text=body[start:stop], start=start, end=stop, attribution=attribution)


def _head(toks: list[Token], noun: Counted, lex: Compiled) -> Counted:
    """'5,000 hospital beds', 'a hundred oak saplings': a singular noun before a plural one
    only modifies it; the plural is what is counted."""
    k = noun.end
    if not noun.noun or noun.bare or k >= len(toks) or noun.noun.endswith("s") \
            or toks[k - 1].low != noun.noun:
        return noun
    nxt = toks[k]
    if nxt.text.isalpha() and nxt.text.islower() and nxt.low.endswith("s") and nxt.lemma != nxt.low \
            and nxt.low not in lex.no_noun_after and nxt.low not in lex.report_verbs:
        return replace(noun, noun=nxt.lemma, end=k + 1)
    return noun


def dates(toks: list[Token], q: Quantity, lex: Compiled) -> bool:
    """Whether a length only dates an event ('two years ago', 'three days later')."""
    return q.j < len(toks) and toks[q.j].low in lex.general.get("duration_dates", ())


def lasts(toks: list[Token], q: Quantity, lex: Compiled) -> bool:
    """Whether 'a week' is a length ('to last a week', 'for a day'), not a rate ('$2 a day')."""
    return q.i > 0 and toks[q.i - 1].low in lex.general.get("duration_verbs", ())


def _from_measure(body: str, m: Measure, doc: str, date: Optional[str]) -> Claim:
    figure = (m.entity if m.entity not in ("unknown", "") else m.unit) if _physical(m) else "quantity"
    return Claim(doc=doc, date=date, figure=figure, value=m.value, low=m.low, high=m.high,
                 hedge="range" if m.low is not None else "exact", unit=m.unit,
                 text=body[m.start:m.end], start=m.start, end=m.end)


def _hedged(body: str, claim: Claim, lex: Optional[Compiled]) -> Claim:
    """A measure only quantulum3 read, with the hedge words before it ('almost a kilometre')."""
    if lex is None or claim.hedge != "exact":
        return claim
    before = tokenize(body[max(0, claim.start - 40):claim.start], max(0, claim.start - 40))
    hit = lex.hedges.match_before(before, len(before)) if before else None
    if hit is None or before[-1].end != claim.start - 1:
        return claim
    kind = hit[1]
    claim.hedge, claim.start = kind, before[hit[0]].start
    claim.low = claim.value if kind == "at_least" else None
    claim.high = claim.value if kind == "at_most" else None
    claim.text = body[claim.start:claim.end]
    return claim


def merge(body: str, claims: list[Claim], found: list[Measure], lexicon_figures,
          skipped: list[tuple[int, int]], doc: str, date: Optional[str],
          named: list[tuple[int, int]] = (), lex: Optional[Compiled] = None) -> list[Claim]:
    """A sentence's claims with quantulum3's measures merged in (see the module docstring).

    `skipped` spans are our numbers that are no quantity (years, dates, names); `named` ones
    are names even with a unit ("the 400-metre hurdles").
    """
    out = list(claims)
    for m in found[:_MEASURES_MAX]:
        if any(a < m.end and m.start < b for a, b in named):
            continue
        inside = [c for c in out if c.start < m.end and m.start < c.end]
        if any(c.figure in lexicon_figures for c in inside):
            continue                                  # a figure's claim is never overridden
        if any(a < m.end and m.start < b for a, b in skipped) and (
                not _physical(m) or 1800 <= (m.low if m.low is not None else m.value) <= 2100):
            continue                                  # a date, a year, a name: not a quantity;
            #                                           "the 2023-2024 TV season" is no teravolt
        if inside and all(c.unit == "percent" or c.unit.isupper() for c in inside):
            continue                                  # our money and percents: "£4.2m" is no metre
        if len(inside) == 1 and inside[0].end > m.end and inside[0].value == m.value * 1e6 \
                and (inside[0].text.endswith("s") or inside[0].unit == "person"):
            continue                                  # "4.2m passengers": million, not metre
        if len(inside) > 1 and not _physical(m) and (
                m.low is not None or any(c.start < m.start for c in inside)):
            continue                                  # "48% to 42%", "from 1.1 million to 1.4
            #                                           million", "13 of its 40 seats"
        if len(inside) == 2 and _physical(m) and m.low is not None \
                and sorted(c.value for c in inside) == [m.low, m.high] \
                and _CHANGE.search(body, max(0, m.start - 80), m.start):
            # "raised the limit from 70 to 80 mph": two levels, both in quantulum3's unit.
            for c in inside:
                c.figure, c.unit = _from_measure(body, m, doc, date).figure, m.unit
            continue
        if not inside or len(inside) > 1 or _physical(m):
            for c in inside:
                out.remove(c)
            claim = _from_measure(body, m, doc, date)
            if len(inside) == 1 and inside[0].value == m.value:
                # "up to 10 inches": our reading of the hedge stays with quantulum3's unit.
                old = inside[0]
                claim.hedge, claim.low, claim.high = old.hedge, old.low, old.high
                claim.start = min(claim.start, old.start)
                claim.text = body[claim.start:claim.end]
            out.append(_hedged(body, claim, lex) if not inside else claim)
    return sorted(out, key=lambda c: c.start)
