"""Numbers in a token list: digits and number words ('1,200', 'forty-one', 'two dozen').

What a number counts or measures (ranges, vague words, shares) is read in `amounts`; the unit
written after it (money, percent, durations) in `units`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from tracker.extract.compiled import Compiled
from tracker.extract.text import VULGAR, Token

_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
# Scale words written onto the digits ("2.5bn", "5m") count only when glued or after a currency.
_GLUED_SCALES = {"m", "mn", "bn", "b", "k", "tn", "t"}


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
