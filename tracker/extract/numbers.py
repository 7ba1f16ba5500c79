"""Numbers in a token list: digits, number words, ranges, vague quantities, durations, money."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Optional

from tracker.extract.compiled import Compiled
from tracker.extract.text import VULGAR, Token

_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
# Scale words written onto the digits ("2.5bn", "5m") count only when glued or after a currency.
_GLUED_SCALES = {"m", "mn", "bn", "b", "k", "tn", "t"}
_RANGE_JOIN = {"to", "-", "–", "—"}


@dataclass(slots=True)
class Quantity:
    """A number found in a sentence, with token span [i, j) and what kind of number it is."""

    i: int
    j: int
    value: Optional[float]
    kind: str = "count"          # count | duration | percent | money | ratio | age | skip
    hedge: str = "exact"
    low: Optional[float] = None
    high: Optional[float] = None
    unit: str = ""
    worded: bool = False         # written in words ("eight"), not digits
    indefinite: bool = False     # "a week", "a day": a duration only where a figure lasts
    raw: Optional[float] = None  # a duration as written ("six weeks" -> 6) with its unit word
    raw_unit: str = ""


def parse_digits(text: str) -> Optional[float]:
    """The value of a digit token, or None when it is not a plain number ('12:01', '50/50').

    >>> parse_digits("1,200"), parse_digits("5.63"), parse_digits("12:01")
    (1200.0, 5.63, None)
    """
    if text in VULGAR:
        return VULGAR[text]
    if not _DIGITS.fullmatch(text):
        return None
    return float(text.replace(",", ""))


def _word_number(toks: list[Token], i: int, lex: Compiled) -> Optional[tuple[float, int]]:
    """A number written in words starting at `i`: 'forty-one', 'a hundred and two', 'two dozen',
    'three million, two hundred and forty', 'two thirds'."""
    words, scales, n = lex.number_words, lex.scales, len(toks)
    total, current, last, j = 0.0, 0.0, None, i
    while j < n:
        t = toks[j].low
        nxt = toks[j + 1].low if j + 1 < n else ""
        if t in ("a", "an") and last is None:
            if nxt not in ("hundred", "thousand", "million", "billion", "dozen"):
                return None
            current, last = 1.0, "unit"
        elif t in words and t not in ("a", "an", "dozen") and last in (None, "scale", "tens"):
            v = words[t]
            if last == "tens" and v >= 10:
                break
            current = current + v if last else v
            last = "tens" if v >= 20 and v % 10 == 0 else "unit"
            if last == "tens" and nxt == "-" and j + 2 < n and toks[j + 2].low in words \
                    and words[toks[j + 2].low] < 10:
                current += words[toks[j + 2].low]      # "forty-one"
                j, last = j + 2, "unit"
        elif t == "hundred" and last in ("unit", "tens"):
            current, last = current * 100, "scale"
        elif t in ("thousand", "million", "billion", "trillion") and last in ("unit", "tens", "scale") \
                and current:
            total, current, last = total + current * scales[t], 0.0, "scale"
        elif t == "dozen" and last in ("unit", "tens"):
            current, last = current * 12, "scale"     # "two dozen" is 24, not 2
        elif t in ("and", "&", ",") and last == "scale" and nxt in words and nxt not in ("a", "an"):
            pass                                       # "a hundred and two", "million, two"
        elif t in lex.fractions and last in ("unit", "tens") and total == 0:
            return current / lex.fractions[t], j + 1   # "two thirds", "one sixth"
        elif t == "-" and last == "unit" and nxt in lex.fractions and toks[j].start == toks[j - 1].end:
            pass                                       # "one-half"
        else:
            break
        j += 1
    if last is None:
        return None
    return total + current, j


def parse_number(toks: list[Token], i: int, lex: Compiled) -> Optional[tuple[float, int, bool]]:
    """(value, end index, written in words) of a number starting at token `i`, or None."""
    tok = toks[i]
    if tok.is_digit:
        value = parse_digits(tok.text)
        if value is None:
            return None
        j = i + 1
        if j < len(toks):
            nxt = toks[j]
            glued = nxt.start == tok.end
            if nxt.low in lex.scales and (glued or nxt.low not in _GLUED_SCALES):
                value *= lex.scales[nxt.low]
                j += 1
        return value, j, False
    hit = _word_number(toks, i, lex)
    if hit is None:
        return None
    value, j = hit
    # "four and a half years"
    if j + 2 < len(toks) and [t.low for t in toks[j:j + 3]] == ["and", "a", "half"]:
        value, j = value + 0.5, j + 3
    return value, j, True


def _range_end(toks: list[Token], j: int, lex: Compiled, between: bool) -> Optional[tuple[float, int]]:
    """The upper number of a range whose joiner starts at `j` ('to 800', '-800', 'and 40')."""
    if j + 1 >= len(toks):
        return None
    join = toks[j].low
    if not (join in _RANGE_JOIN or (between and join == "and")):
        return None
    if join == "-" and toks[j].start != toks[j - 1].end:
        return None
    hit = parse_number(toks, j + 1, lex) if (toks[j + 1].is_digit or toks[j + 1].low in lex.number_words) else None
    if hit is None:
        return None
    return hit[0], hit[1]


def _ratio_end(toks: list[Token], j: int) -> Optional[int]:
    """The end of 'to one' / '-to-one' after a number: exchange terms ('three to one')."""
    words = [t.low for t in toks[j:j + 4]]
    if words[:2] in (["to", "one"], ["to", "1"]):
        return j + 2
    if words == ["-", "to", "-", "one"] or words == ["-", "to", "-", "1"]:
        return j + 4
    return None


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


def scan(toks: list[Token], lex: Compiled) -> list[Quantity]:
    """Every quantity in a sentence's tokens, left to right, not overlapping."""
    out: list[Quantity] = []
    i, n = 0, len(toks)
    while i < n:
        q = _quantity_at(toks, i, lex)
        if q is None:
            i += 1
            continue
        out.append(q)
        i = max(q.j, i + 1)
    return out


def _quantity_at(toks: list[Token], i: int, lex: Compiled) -> Optional[Quantity]:
    """The quantity starting at token `i` (a vague phrase, a currency, a number), or None."""
    tok = toks[i]
    vague = lex.vague.match_at(toks, i)
    if vague and not tok.is_digit:
        j, floor = vague
        # "several hundred", "a few dozen": as vague as "hundreds", "dozens", with their floor.
        if j < len(toks) and toks[j].low in ("dozen", "hundred", "thousand", "million"):
            plural = lex.vague.match_at([replace(toks[j], low=toks[j].low + "s")], 0)
            floor, j = (plural[1] if plural else floor), j + 1
        # "several days" is no claim: a vague duration says nothing measurable.
        if j < len(toks) and toks[j].low in lex.durations:
            return Quantity(i, j + 1, None, kind="skip")
        return Quantity(i, j, None, hedge="vague", low=float(floor))
    currency = None
    start = i
    money = lex.money.match_at(toks, i)
    if money and not tok.is_digit and money[0] < len(toks) and toks[money[0]].is_digit:
        currency, i = money[1], money[0]
    if not (toks[i].is_digit or toks[i].low in lex.number_words):
        return None
    if toks[i].low in ("a", "an") and i + 1 < len(toks) and toks[i + 1].low in lex.durations:
        # "a week of talks", "for a day": one unit, kept only where a figure is named.
        q = Quantity(start, i + 1, 1.0, worded=True, indefinite=True)
        return _with_unit(toks, q, lex, None)
    between = start > 0 and toks[start - 1].low == "between"
    hit = parse_number(toks, i, lex)
    if hit is None:
        return None
    value, j, worded = hit
    q = Quantity(start, j, value, worded=worded)
    ratio = _ratio_end(toks, j)
    if ratio and value > 1:
        return Quantity(start, ratio, value, kind="ratio", worded=worded)
    rng = _range_end(toks, j, lex, between)
    pct = lex.percent.match_at(toks, j)
    if rng is None and pct:
        # "between 12.5% and 16%", "5% to 7%": the same unit written on both bounds (not
        # "by 0.2 percentage points to 4.1%", a change and a level).
        rng = _range_end(toks, pct[0], lex, between)
        after = lex.percent.match_at(toks, rng[1]) if rng else None
        if rng is not None and (after is None or [t.low for t in toks[j:pct[0]]]
                                != [t.low for t in toks[rng[1]:after[0]]]):
            rng = None
    if rng is not None and rng[0] > value:
        high, j2 = rng
        # "1 to 2 million": the scale of the upper bound applies to the lower one too.
        if high >= 1000 * value and toks[j2 - 1].low in lex.scales:
            value *= lex.scales[toks[j2 - 1].low]
        q = replace(q, j=j2, value=(value + high) / 2, low=value, high=high, hedge="range")
    elif between:
        return None
    return _with_unit(toks, q, lex, currency)


def _with_unit(toks: list[Token], q: Quantity, lex: Compiled, currency: Optional[str]) -> Quantity:
    """Attach what follows the number: a duration word, a percent sign, a currency."""
    j = q.j
    if currency is None and j < len(toks) and toks[j].low in lex.money_after:
        currency, j = lex.money_after[toks[j].low], j + 1
    if currency:
        return replace(q, j=j, kind="money", unit=currency)
    pct = lex.percent.match_at(toks, j)
    if pct:
        return replace(q, j=pct[0], kind="percent", unit="percent")
    dur = _duration(toks, j, lex)
    if dur:
        days, j, word = dur
        # "a 19-year-old", "aged 3 years old": an age, not a duration.
        if j < len(toks) and toks[j].low in ("-", "old") and (toks[j].low == "old" or (
                j + 1 < len(toks) and toks[j + 1].low == "old")):
            return replace(q, j=j, kind="age")
        scale = lambda v: None if v is None else round(v * days, 3)  # noqa: E731
        return replace(q, j=j, kind="duration", unit="day", value=scale(q.value),
                       low=scale(q.low), high=scale(q.high), raw=q.value, raw_unit=word)
    return q
