"""The only module that imports quantulum3: units of measure for `extract(all_quantities=True)`.

quantulum3 is slow to load and logs and warns on its own, so it is imported on first use, and
only sentences that hold a digit ever reach it. Its known misses are corrected here:
"two dozen" comes back as 2 dozen (we give 24 items), a date "March 25, 2024" must give the two
numbers 25 and 2024, a range "700-800" comes back as 750 +/- 50 (we give its bounds), and
"48.8C" comes back in coulombs (we give degrees Celsius), "20 minutes" in minutes of arc,
"minus 12" as 12, "third" as 1/3, "a pint" as one pint, "9:30" and "50/50" as numbers.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

# Units quantulum3 names that are only multipliers of a count.
_COUNT_UNITS = {"dozen": 12.0, "gross": 144.0, "baker's dozen": 13.0, "score": 20.0}
_DATE_PAIR = re.compile(r"(\d{1,2}),\s*(\d{4})$")
# "48.8C" is read as coulombs: a capital C right after a number is a temperature in news.
_CELSIUS = re.compile(r"\d\s?°?C\.?$")
_FAHRENHEIT = re.compile(r"\d\s?°?F\.?$")
# "5G", "4K": a digit glued to G or K names a technology, not gauss or kelvin.
_TECH = re.compile(r"^\d+[GK]$")
# "nearly a mile": a hedge makes one unit named by its article a measure ("a pint of milk" is not).
_HEDGED = re.compile(r"\b(?:nearly|almost|about|around|roughly|approximately|over|under|more than|"
                     r"less than|up to|just|some)\s+$", re.I)
# "minus 12 degrees Celsius": quantulum3 reads 12.
_MINUS = re.compile(r"\bminus\s+$", re.I)
# A capitalised word read as a unit is a name ("12 Abbey Road"); units so written are few.
_NAME_UNIT = re.compile(r"\d\s*(?!Celsius|Fahrenheit|Kelvin)[A-Z][a-z]{3,}\b")
# "9:30", "50/50", "24/7": clock times, odds, dates; only a proper fraction ("2 1/2") is a number.
_SLASHED = re.compile(r"\d+[:/]\d+")


@dataclass(frozen=True, slots=True)
class Measure:
    """A quantity quantulum3 found: span in the text, value, bounds and unit name."""

    start: int
    end: int
    value: float
    unit: str
    entity: str = ""
    low: Optional[float] = None
    high: Optional[float] = None


# "from 40 to 30 mph": quantulum3 drops a falling range whole; read it as two numbers (the
# same length of text, so offsets hold).
_DOWN_TO = re.compile(r"(?<![-−\d.,])(\d[\d,]*(?:\.\d+)?)(\s+)to(\s+)(\d[\d,]*(?:\.\d+)?)")


def _split_down(m: re.Match) -> str:
    try:
        falls = float(m.group(1).replace(",", "")) > float(m.group(4).replace(",", ""))
    except ValueError:
        return m.group()
    return f"{m.group(1)}{m.group(2)}; {m.group(3)}{m.group(4)}" if falls else m.group()


@lru_cache(maxsize=1)
def _parse():
    """quantulum3's parse function, imported once and quietly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import parser
    logging.getLogger("quantulum3").setLevel(logging.ERROR)
    return parser.parse


def _misread_word(surface: str, unit: str) -> bool:
    """Whether a long word after the number was read as a string of unit symbols ("October 7
    massacre": unk second second acre) rather than as the unit it names ("7 kilometres")."""
    word = re.sub(r"^(?:[\d\s,.\-–/+]+|an?\s+)", "", surface, flags=re.I)
    if not (word.isalpha() and len(word) >= 5):
        return False
    w, name = word.lower(), unit.lower()
    return not (w in name or any(part.startswith(w[:3]) for part in name.split()))


def _corrected(q, text: str, offset: int) -> list[Measure]:
    start, end = q.span
    unit, entity = q.unit.name, getattr(q.unit.entity, "name", "")
    value = float(q.value)
    surface = text[start:end]
    if unit in _COUNT_UNITS:
        # "two dozen" -> 24 items, "a dozen" -> 12.
        return [Measure(start + offset, end + offset, value * _COUNT_UNITS[unit], "item", "count")]
    date = _DATE_PAIR.search(surface)
    if date and unit == "dimensionless":
        a, b = date.span(1), date.span(2)
        return [Measure(start + a[0] + offset, start + a[1] + offset, float(date.group(1)), unit, entity),
                Measure(start + b[0] + offset, start + b[1] + offset, float(date.group(2)), unit, entity)]
    if unit == "coulomb" and _CELSIUS.search(surface):
        unit, entity = "degree Celsius", "temperature"
    if unit == "farad" and _FAHRENHEIT.search(surface):
        unit, entity = "degree Fahrenheit", "temperature"
    if _TECH.search(surface):
        return []                                     # "5G network", "4K screens": names
    if unit in ("minute of arc", "second of arc") and unit.split()[0] in surface.lower():
        unit, entity = unit.split()[0], "time"        # "20 minutes" is a time in news
    if not any(c.isdigit() for c in surface) and unit not in _COUNT_UNITS and (
            entity in ("dimensionless", "") or (re.match(r"(?i)an?\b", surface)
                                                and not _HEDGED.search(text, 0, start))):
        # "third", "her fourth", "a pint", "a tuna": an ordinal or an article, read as a number.
        # Numbers in words are ours to read (numbers.py); only a worded measure stays.
        return []
    if _NAME_UNIT.search(surface) or _misread_word(surface, unit):
        return []                                     # "12 Abbey Road" is no attobarn-bit-exayear
    around = text[max(0, start - 3):end + 3]
    for m in _SLASHED.finditer(around):
        a, b = (int(x) for x in re.split(r"[:/]", m.group()))
        if ":" in m.group() or not 0 < a < b:
            return []
    minus = _MINUS.search(text[:start])
    if minus:
        start, value = minus.start(), -value
    low = high = None
    if q.uncertainty:
        low, high = value - float(q.uncertainty), value + float(q.uncertainty)
    return [Measure(start + offset, end + offset, value, unit, entity, low, high)]


def measures(text: str, offset: int = 0) -> list[Measure]:
    """The quantities quantulum3 finds in `text` (offsets shifted by `offset`), corrected.

    A text quantulum3 cannot read gives no measures rather than an error: extraction of the
    lexicon's figures must not fail because the unit parser did.
    """
    if not any(c.isdigit() for c in text):
        return []
    try:
        found = _parse()(_DOWN_TO.sub(_split_down, text))
    except Exception:  # noqa: BLE001 - a third-party parser on untrusted text; see docstring
        return []
    out: list[Measure] = []
    for q in found:
        if getattr(q, "span", None) and q.value is not None:
            out.extend(_corrected(q, text, offset))
    return out
