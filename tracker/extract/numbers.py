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
_PAST = {"rose", "fell", "grew", "shrank", "sank", "slid", "cut", "went", "risen", "fallen",
         "grown", "shrunk", "gone", "up", "down", "lost", "shed"}


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
            if nxt.low == "-" and glued and j + 1 < len(toks) and toks[j + 1].start == nxt.end \
                    and toks[j + 1].low in ("million", "billion", "trillion"):
                j += 1                                # "a $20-million bonus"
                nxt, glued = toks[j], True
            if nxt.low in lex.scales and (glued or nxt.low not in _GLUED_SCALES):
                value *= lex.scales[nxt.low]
                j += 1
                if j < len(toks) and toks[j].low == "crore" and nxt.low == "lakh":
                    value, j = value * lex.scales["crore"], j + 1   # "2 lakh crore"
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
            return _with_unit(toks, Quantity(i, m + 1, share, worded=True), lex, None)
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
        return _with_unit(toks, q, lex, None)
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
    return _with_unit(toks, q, lex, currency)


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


def _with_unit(toks: list[Token], q: Quantity, lex: Compiled, currency: Optional[str]) -> Quantity:
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
