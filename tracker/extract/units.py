"""What follows a number: a currency, a percent sign, a duration word, an age."""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from tracker.extract.compiled import Compiled
from tracker.extract.numbers import Quantity, parse_number
from tracker.extract.text import Token


def with_unit(toks: list[Token], q: Quantity, lex: Compiled, currency: Optional[str]) -> Quantity:
    """Attach what follows the number: a duration word, a percent sign, a currency."""
    j = q.j
    if currency is None and j < len(toks) and toks[j].low in lex.money_after:
        currency, j = lex.money_after[toks[j].low], j + 1
    elif currency is None and j < len(toks) and toks[j].start == toks[j - 1].end \
            and not toks[j].text.isalpha() and lex.money.match_at(toks, j):
        currency, j = lex.money.match_at(toks, j)[1], j + 1       # "15€"
    if currency:
        return replace(q, j=j, kind="money", unit=currency)
    minor = lex.minor_money.get(toks[j].low) if j < len(toks) and q.value is not None else None
    if minor and (len(toks[j].low) > 1 or toks[j].start == toks[j - 1].end):
        # "85 pence", "9 cents", "85p": the hundredth of a currency, in that currency (0.85 GBP).
        scale = lambda v: None if v is None else round(v / 100, 6)  # noqa: E731
        return replace(q, j=j + 1, kind="money", unit=minor, value=scale(q.value),
                       low=scale(q.low), high=scale(q.high))
    pct = lex.percent.match_at(toks, j)
    if pct:
        return replace(q, j=pct[0], kind="percent", unit="percent")
    if j < len(toks) and toks[j].low == "pc" and toks[j].start == toks[j - 1].end:
        return replace(q, j=j + 1, kind="percent", unit="percent")   # "3.2pc", not "50 PCs"
    dur = _duration(toks, j, lex)
    if dur:
        days, j, word = dur
        # "a 19-year-old", "aged 3 years old": an age, not a duration.
        if j < len(toks) and toks[j].low in ("-", "old") and (toks[j].low == "old" or (
                j + 1 < len(toks) and toks[j + 1].low == "old")):
            return replace(q, j=j, kind="age")
        scale = lambda v: None if v is None else float(f"{v * days:.6g}")  # noqa: E731
        q = replace(q, j=j, kind="duration", unit="day", value=scale(q.value),
                    low=scale(q.low), high=scale(q.high), raw=q.value, raw_unit=word)
        return _compound(toks, q, days, lex)
    return q


def _duration(toks: list[Token], j: int, lex: Compiled) -> Optional[tuple[float, int, str]]:
    """Days per unit and the end index when a duration word follows at `j` ('-week', ' days',
    ' more days')."""
    k = j + 1 if j < len(toks) and toks[j].low in ("-", "more", "further", "additional", "extra") else j
    if k < len(toks) and toks[k].low in lex.durations:
        end = k + 1
        # "a week-long truce": the length stays, "-long" is only its form.
        if end + 1 < len(toks) and toks[end].low == "-" and toks[end + 1].low == "long":
            end += 2
        return lex.durations[toks[k].low], end, toks[k].lemma
    return None


def _compound(toks: list[Token], q: Quantity, days: float, lex: Compiled) -> Quantity:
    """'four years and 3 months', '2 hours 5 minutes', '3 years, 2 months and 14 days': smaller
    units after the first add to the length (1,550 days)."""
    k = q.j
    while k < len(toks) and toks[k].low in ("and", ","):
        k += 1
    if q.hedge != "exact" or k >= len(toks) or k - q.j > 2:
        return q
    nxt = toks[k]
    hit = parse_number(toks, k, lex) if nxt.is_digit or nxt.low in lex.number_words else None
    if hit is None or nxt.low in ("a", "an"):
        return q
    more = _duration(toks, hit[1], lex) if hit[1] < len(toks) and toks[hit[1]].low != "-" else None
    if more is None or more[0] >= days:
        return q
    total = float(f"{(q.value or 0) + hit[0] * more[0]:.6g}")
    return _compound(toks, replace(q, j=more[1], value=total, raw=total, raw_unit="day"), more[0], lex)
