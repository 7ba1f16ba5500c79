"""Quantities in a sentence: numbers with their ranges, ratios, shares, signs and vague words."""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from tracker.extract.compiled import Compiled
from tracker.extract.numbers import Quantity, parse_number
from tracker.extract.text import Token
from tracker.extract.units import with_unit

_RANGE_JOIN = {"to", "-", "–", "—"}
_PAST = {"rose", "fell", "grew", "shrank", "sank", "slid", "cut", "went", "risen", "fallen",
         "grown", "shrunk", "gone", "up", "down", "lost", "shed"}


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
    vague = _vague(toks, i, lex)
    if vague is not None:
        return vague
    frac = _fraction(toks, i, lex) if tok.low == "half" or toks[i].low in lex.number_words else None
    if frac is not None:
        return frac
    currency = None
    start = i
    money = lex.money.match_at(toks, i)
    if money and not tok.is_digit and money[0] + 1 < len(toks) and toks[money[0]].low == "-" \
            and toks[money[0]].start == toks[money[0] - 1].end == toks[money[0] + 1].start - 1:
        money = (money[0] + 1, money[1])              # "$-99.99"
    if money and not tok.is_digit and money[0] < len(toks) and toks[money[0]].is_digit:
        currency, i = money[1], money[0]
    if not (toks[i].is_digit or toks[i].low in lex.number_words):
        return None
    sign = _sign(toks, i)
    if sign and start == i:
        start -= 1
    if toks[i].low in ("a", "an") and i + 1 < len(toks) and toks[i + 1].low in lex.durations:
        # "a week of talks", "for a day": one unit, kept only where a figure is named.
        q = Quantity(start, i + 1, 1.0, worded=True, indefinite=True)
        return with_unit(toks, q, lex, None)
    between = start > 0 and toks[start - 1].low == "between"
    hit = parse_number(toks, i, lex)
    if hit is None:
        return None
    value, j, worded = hit
    value = -value if sign else value
    q = Quantity(start, j, value, worded=worded)
    ratio = _ratio_end(toks, j)
    if ratio and value > 1:
        return Quantity(start, ratio, value, kind="ratio", worded=worded)
    share = _ratio_share(toks, q, lex) if not sign and not currency else None
    if share is not None:
        return share
    rng = _range_end(toks, j, lex, between)
    # "fell 0.3% to 4.1%", "rose $2 to $41": a change told in the past, then the level it
    # reached; "could rise 5% to 7%" is a range.
    prev = toks[start - 1].low if start else ""
    changed = prev == "by" or (prev in lex.change_verbs and (prev.endswith("ed") or prev in _PAST))
    if rng is not None and start > 0 and toks[j].low == "to" and (
            toks[start - 1].low == "by" or (toks[start - 1].low == "from" and any(
                t.low in lex.change_verbs for t in toks[max(0, start - 6):start - 1]))
            or (changed and currency and not toks[j + 1].is_digit)):
        rng = None                                    # "climbed from 1.1 million to 1.4 million",
        #                                               "fell $1.50 to $78.20": a change, a level
    pct = lex.percent.match_at(toks, j)
    if rng is None and pct and not (changed and toks[pct[0]].low == "to" if pct[0] < len(toks) else False):
        # "between 12.5% and 16%", "5% to 7%": the same unit written on both bounds (not
        # "by 0.2 percentage points to 4.1%", a change and a level, nor "fell 2% to 3%").
        rng = _range_end(toks, pct[0], lex, between)
        after = lex.percent.match_at(toks, rng[1]) if rng else None
        if rng is not None and (after is None or [t.low for t in toks[j:pct[0]]]
                                != [t.low for t in toks[rng[1]:after[0]]]):
            rng = None
    if rng is not None and toks[j].low == "or" and not value < rng[0] <= 2 * value:
        rng = None                                    # "five or six" is a range, "1 or 10" no
    if rng is not None and toks[j].low == "-" and len(toks[i].text) == 4 and 1800 <= value <= 2100 \
            and len(toks[j + 1].text) == 2 and toks[j].start == toks[i].end:
        return Quantity(start, rng[1], None, kind="skip")   # "2013-14": a span of years
    if rng is not None and rng[0] <= value <= 30 and toks[j].low == "-" and not worded \
            and float(value).is_integer() and toks[j + 1].is_digit:
        return Quantity(start, rng[1], None, kind="skip")   # "won 3-1", "a 1-1 draw": a score
    if rng is not None and rng[0] > value:
        high, j2 = rng
        # "1 to 2 million": the scale of the upper bound applies to the lower one too.
        if high >= 1000 * value and toks[j2 - 1].low in lex.scales:
            value *= lex.scales[toks[j2 - 1].low]
        q = replace(q, j=j2, value=(value + high) / 2, low=value, high=high, hedge="range")
    elif between:
        return None
    return with_unit(toks, q, lex, currency)


def _vague(toks: list[Token], i: int, lex: Compiled) -> Optional[Quantity]:
    """'dozens', 'several hundred' (floor 200), 'hundreds of millions of dollars': a vague quantity."""
    vague = lex.vague.match_at(toks, i)
    if not vague or toks[i].is_digit:
        return None
    j, floor = vague
    n = len(toks)
    # "Scores of residents": the word alone is a noun ("test scores").
    if toks[i].low in lex.vague_need_of and (j >= n or toks[j].low != "of"):
        return None
    # "several hundred", "a few dozen": as vague as "hundreds", "dozens", with their floor.
    if j < n and toks[j].low in ("dozen", "hundred", "thousand", "million", "billion"):
        plural = lex.vague.match_at([replace(toks[j], low=toks[j].low + "s")], 0)
        floor, j = (plural[1] if plural else floor), j + 1
    # "several days" is no claim: a vague duration says nothing measurable.
    if j < n and toks[j].low in lex.durations:
        return Quantity(i, j + 1, None, kind="skip")
    if j + 1 < n and toks[j].low == "of" and toks[j + 1].low in lex.money_after:
        return Quantity(i, j + 2, None, hedge="vague", low=float(floor), kind="money",
                        unit=lex.money_after[toks[j + 1].low])   # "millions of dollars"
    return Quantity(i, j, None, hedge="vague", low=float(floor))


def _fraction(toks: list[Token], i: int, lex: Compiled) -> Optional[Quantity]:
    """'a third', 'two-thirds', 'half of': a share, in percent (33.3); 'half a million',
    'a quarter of a percentage point', 'half an hour': that part of the scale or unit.

    A singular fraction word before a noun is an ordinal ("a third term"), bare "quarter" or
    "third" is a period or a rank ("the third quarter"), so neither is read.
    """
    n, t = len(toks), toks[i].low
    if t == "half":
        prev = toks[i - 1] if i else None
        if prev is not None and (prev.low in lex.not_before_half or prev.end == toks[i].start):
            return None                               # "the first half", "second-half"
        num, k = 1.0, i
    elif t in ("a", "an", "one") or (t in lex.number_words and lex.number_words[t] < 10):
        num, k = (1.0 if t in ("a", "an") else lex.number_words[t]), i + 1
        if k < n and toks[k].low == "-" and toks[k].start == toks[k - 1].end:
            k += 1                                    # "two-thirds"
    else:
        return None
    if k >= n or toks[k].low not in lex.fractions:
        return None
    word, j = toks[k].low, k + 1
    plural = word.endswith("s")
    if plural != (num > 1) or (j < n and toks[j].low == "-" and toks[j].start == toks[k].end):
        return None                                   # "a half-hour", "one thirds"
    share = num / lex.fractions[word]
    m = j + 1 if j < n and toks[j].low == "of" else j
    if m + 1 < n and toks[m].low in ("a", "an"):
        nxt = toks[m + 1].low
        if nxt in lex.scales and len(nxt) > 2:        # "half a million", "a quarter of a billion"
            return Quantity(i, m + 2, share * lex.scales[nxt], worded=True)
        if lex.percent.match_at(toks, m + 1):         # "a quarter of a percentage point"
            return Quantity(i, lex.percent.match_at(toks, m + 1)[0], share, kind="percent",
                            unit="percent", worded=True)
        if nxt in lex.durations:                      # "half an hour"
            return with_unit(toks, Quantity(i, m + 1, share, worded=True), lex, None)
        if toks[m + 1].text.isalpha():                # "a third of a mile": 0.333 mile
            return Quantity(i, m + 1, round(share, 3), worded=True)
    if not plural and j < n and toks[j].low in lex.general.get("duration_dates", ()):
        return None                                   # "up 3% from a quarter earlier"
    if not plural and t != "half" and j < n and toks[j].text.isalpha() \
            and toks[j].low not in lex.no_noun_after:
        return None                                   # "a third country": an ordinal
    if t == "half" and j < n and toks[j].text.isalpha() and toks[j].low not in lex.no_noun_after \
            and toks[j].low not in lex.of_determiners:
        return None                                   # "half price", "half marathon"
    return Quantity(i, j, round(100 * share, 1), kind="percent", unit="percent", worded=True)


def _ratio_share(toks: list[Token], q: Quantity, lex: Compiled) -> Optional[Quantity]:
    """'one in ten', '9 out of 10': a share, in percent (10, 90)."""
    j, n = q.j, len(toks)
    if j < n and toks[j].low == "in":
        k = j + 2 if j + 1 < n and toks[j + 1].low == "every" else j + 1   # "one in every five"
    elif j + 1 < n and toks[j].low == "out" and toks[j + 1].low == "of":
        k = j + 2
    else:
        return None
    if k >= n or not (toks[k].is_digit or (toks[k].low in lex.number_words
                                          and toks[k].low not in ("a", "an"))):
        return None
    hit = parse_number(toks, k, lex)
    if hit is None or not (q.value or 0) < hit[0] <= 1000 or (toks[k].is_digit and len(toks[k].text) == 4):
        return None
    after = hit[1]
    if after < n and (toks[after].low in lex.durations or lex.percent.match_at(toks, after)
                      or toks[after].low in lex.money_after):
        return None                                   # "5 in 10 days", "3 in 10%"
    return replace(q, j=after, kind="percent", unit="percent",
                   value=round(100 * (q.value or 0) / hit[0], 1))


def _range_end(toks: list[Token], j: int, lex: Compiled, between: bool) -> Optional[tuple[float, int]]:
    """The upper number of a range whose joiner starts at `j` ('to 800', '-800', 'and 40')."""
    if j + 1 >= len(toks):
        return None
    join = toks[j].low
    if not (join in _RANGE_JOIN or (between and join == "and") or join == "or"):
        return None
    if join == "-" and toks[j].start != toks[j - 1].end:
        return None
    k = j + 1
    money = lex.money.match_at(toks, k)
    if money and not toks[k].is_digit and money[0] < len(toks) and toks[money[0]].is_digit:
        k = money[0]                                  # "between €40 million and €55 million"
    hit = parse_number(toks, k, lex) if (toks[k].is_digit or toks[k].low in lex.number_words) else None
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


def _sign(toks: list[Token], i: int) -> bool:
    """Whether the number at `i` is negative: 'minus 12', '-15' (a dash glued to the digits
    only, not '700-800')."""
    if not i or not toks[i].is_digit:
        return False
    prev = toks[i - 1]
    if prev.low == "minus":
        return not (i > 2 and toks[i - 2].low == "or" and toks[i - 3].low == "plus")  # a margin
    return (prev.low in ("-", "−") and prev.end == toks[i].start
            and (i == 1 or toks[i - 2].end < prev.start or not toks[i - 2].text[0].isalnum()))
