"""Dates: written dates normalized to ISO (UTC), and a document's date inferred from its text.

The inference rule (README, "Dates"): take the latest explicit full date written in the text
(a day, a month and a year: "March 25, 2024", "25 March 2024", "2024-03-25"; none later than
today), call it d. Each weekday the text names ("on Tuesday", "Monday night") is read as the
occurrence of that weekday nearest to d — at most three days before or after it. The document
is dated the latest of d and those days: a report is written after the last day it tells of.
Weekdays that point ahead or away ("next Friday", "until Sunday", "last Monday") and weekdays in
a sentence about the future ("will", "is expected to", "scheduled") are not counted.

A date that names an event or a starting point ("the 7 October 2023 attacks", "held since
7 October 2023") or a bound ("until", "before", "by") says the report is later, not when, so it
is not a candidate; and when the text names a year later than d's ("in 2024"), d is plainly
old news. In both cases, and when no full date is written, no date is inferred.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Iterable, Optional

from tracker.errors import InputError

if TYPE_CHECKING:
    from tracker.sources.readers import DocumentInput

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_FULL_DATES = [
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),     # March 25, 2024
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b"),  # 25 March 2024, the 25th of March, 2024
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),  # 2024-03-25
]
_WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b(?!['’])")
# "next Friday" and "until Sunday" point away from the day of writing; "last Monday" may be
# a week or more back, so none of them says when the report was written.
_AWAY = re.compile(r"\b(?:next|until|till|by|before|last|coming|following)\s+$", re.I)
_FUTURE = re.compile(r"\b(?:will|won't|shall|is expected|are expected|is due|are due|scheduled|set to)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?\n]")
# "since 7 October 2023", "the October 7, 2023 attack", "until March 1, 2024": not a day of writing
_NOT_THE_DAY = re.compile(r"\b(?:since|until|till|before|by|from|(?<!on )the)\s+$", re.I)
_YEAR_WORD = re.compile(r"(?<![\d,.])\b((?:19|20)\d\d)\b(?![\d,])")


def normalize_date(value, name: str = "<input>") -> Optional[str]:
    """An ISO date (YYYY-MM-DD, UTC) from a date, datetime or written date; None when empty.

    >>> normalize_date("March 26, 2024"), normalize_date("26/03/2024")
    ('2024-03-26', '2024-03-26')
    >>> normalize_date("2024-03-26T23:30:00-05:00")
    '2024-03-27'
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc)
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    from dateutil import parser as dateparser

    text = str(value).strip()
    try:
        parsed = dateparser.isoparse(text)
    except (ValueError, OverflowError):
        try:
            # Numeric dates with slashes are read day first (26/03/2024), the common form outside
            # the US; "03/26/2024" still parses because 26 cannot be a month.
            parsed = dateparser.parse(text, dayfirst="/" in text or "." in text)
        except (ValueError, OverflowError) as exc:
            raise InputError(f"{name}: unparsable date {text!r}") from exc
    return normalize_date(parsed, name)


def _month_number(text: str) -> int:
    return int(text) if text.isdigit() else MONTHS[text.lower()[:3]]


def explicit_dates(text: str, *, today: Optional[dt.date] = None) -> list[dt.date]:
    """Every full date (day, month, year) written in `text` as a day things happened, in order, none after `today`.

    >>> explicit_dates("On October 15, 2023 and 25 March 2024, held since 1 May 2024.")
    [datetime.date(2023, 10, 15), datetime.date(2024, 3, 25)]
    """
    today = today or dt.date.today()
    found: list[tuple[int, dt.date]] = []
    for pattern in _FULL_DATES:
        for m in pattern.finditer(text):
            if _NOT_THE_DAY.search(text[max(0, m.start() - 12):m.start()]):
                continue
            try:
                day = dt.date(int(m["year"]), _month_number(m["month"]), int(m["day"]))
            except (ValueError, KeyError):
                continue
            if day <= today:
                found.append((m.start(), day))
    return [d for _, d in sorted(found)]


def named_weekdays(text: str) -> list[int]:
    """The weekdays (0 = Monday) the text names as days things happened, in order."""
    out = []
    for m in _WEEKDAY.finditer(text):
        if _AWAY.search(text[max(0, m.start() - 20):m.start()]):
            continue
        start = max((s.end() for s in _SENTENCE_END.finditer(text, 0, m.start())), default=0)
        end_match = _SENTENCE_END.search(text, m.end())
        sentence = text[start:end_match.start() if end_match else len(text)]
        if _FUTURE.search(sentence):
            continue
        out.append(WEEKDAYS.index(m.group(1).lower()))
    return out


def nearest_weekday(reference: dt.date, weekday: int) -> dt.date:
    """The day with `weekday` nearest to `reference` (three days before it to three after).

    >>> nearest_weekday(dt.date(2024, 3, 25), 1), nearest_weekday(dt.date(2024, 3, 25), 6)
    (datetime.date(2024, 3, 26), datetime.date(2024, 3, 24))
    """
    ahead = (weekday - reference.weekday()) % 7
    return reference + dt.timedelta(days=ahead if ahead <= 3 else ahead - 7)


def infer_date(text: str, *, today: Optional[dt.date] = None) -> Optional[str]:
    """The date a reader would give a report from its text alone (rule in the module docstring).

    >>> infer_date("The vote passed Monday night. Israel on Tuesday recalled its team. (UN, March 25, 2024)")
    '2024-03-26'
    >>> infer_date("Talks resumed on Tuesday.") is None
    True
    """
    today = today or dt.date.today()
    dates = explicit_dates(text, today=today)
    if not dates:
        return None
    reference = max(dates)
    if any(reference.year < int(y) <= today.year for y in _YEAR_WORD.findall(text)):
        return None
    days: Iterable[dt.date] = (nearest_weekday(reference, w) for w in named_weekdays(text))
    return min(max([reference, *days]), today).isoformat()


def document_date(item: "DocumentInput", date: Optional[str] = None) -> tuple[Optional[str], bool]:
    """(ISO date, inferred?): the document's own date, else `date`, else one inferred from its text."""
    own = normalize_date(item.meta.get("date"), item.name)
    if own:
        return own, False
    given = normalize_date(date, "--date")
    if given:
        return given, False
    inferred = infer_date(item.body)
    return inferred, inferred is not None
