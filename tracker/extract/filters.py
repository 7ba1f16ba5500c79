"""What is not a claim: dates, years, times, ages, ordinals, names with numbers, odds, phones."""

from __future__ import annotations

import re
from typing import Optional

from tracker.extract.compiled import Compiled
from tracker.extract.numbers import Quantity
from tracker.extract.text import Token

# A photo caption or credit line: "File: ... (AP Photo/Name)", "(Kobi Gideon/GPO)".
_CREDIT = re.compile(r"\((?:[^()/\n]{1,80}/){1,3}[^()/\n]{1,80}\)\s*$")
_CAPTION_START = re.compile(r"^\s*(?:File\b|Photo\b|Image\b|Picture\b|Credit\b|Caption\b)\s*[:–—-]", re.I)
# Phone numbers: 9 or more digits in groups joined by spaces, dots, dashes or brackets.
_PHONE = re.compile(r"\+?\(?\d{1,4}\)?(?:[ .\-]\(?\d{2,4}\)?){2,5}")


# A credit closing a caption without brackets: "... on strike. REUTERS/Rebecca Cook",
# "... in Rafah. AFP via Getty Images", "Photograph: Jane Doe/Getty".
_CREDIT_END = re.compile(r"(?:[.!?]\s+|^)(?:[A-Z]{2,}[A-Za-z]*(?: [A-Z][A-Za-z]+)?/[A-Z][\w.' -]{1,60}"
                         r"|(?:[A-Z][\w.'-]+ )*(?:via )?Getty Images|(?:Photo|Photograph|Picture)(?:graph)?"
                         r"(?: by)?:? [^\n]{1,80})\s*$")


def is_caption(line: str) -> bool:
    """Whether a paragraph is page furniture: a photo caption or a credit line."""
    return bool(_CAPTION_START.match(line) or _CREDIT.search(line) or _CREDIT_END.search(line))


def phone_spans(text: str) -> list[tuple[int, int]]:
    """Spans of `text` that read as phone numbers (at least 9 digits in separated groups)."""
    return [m.span() for m in _PHONE.finditer(text)
            if sum(c.isdigit() for c in m.group()) >= 9 and not re.fullmatch(r"[\d,.]+", m.group())]


def _is_year(toks: list[Token], q: Quantity, lex: Compiled) -> bool:
    tok = toks[q.i]
    if not (tok.is_digit and len(tok.text) == 4 and 1800 <= (q.value or 0) <= 2100):
        return False
    prev = toks[q.i - 1].low if q.i else ""
    nxt = toks[q.j].low if q.j < len(toks) else ""
    # "2000 prisoners" is a count; "in 2023", "October 7, 2023", "2023 Hamas attack" are years.
    if prev in lex.year_before or prev in lex.months or prev == ",":
        return True
    noun = lex.nouns.match_at(toks, q.j)
    # "the 2023 deal", "the 2014 truce": a length or a pact is dated, not counted.
    if noun and (isinstance(noun[1], frozenset) or (noun[1] and lex.unit_of(noun[1]) not in ("person", "item"))):
        return True
    return noun is None or nxt in lex.months


def _is_date(toks: list[Token], q: Quantity, lex: Compiled) -> bool:
    if q.worded or q.kind != "count" or (q.value or 0) > 31:
        return False
    prev = toks[q.i - 1] if q.i else None
    prev2 = toks[q.i - 2] if q.i > 1 else None
    nxt = toks[q.j] if q.j < len(toks) else None
    if prev and prev.low in lex.months and prev.is_title:
        return True
    if prev and prev.low == "." and prev2 and prev2.low in lex.months:
        return True                                   # "Oct. 7"
    # "7 October", not "those 26 may still be alive": a month is written with a capital.
    if nxt and nxt.low in lex.months and nxt.is_title:
        return True
    # "strikes on 13, 14, 16 and 17 December": a list of days that ends in a month.
    k = q.j
    while k + 1 < len(toks) and toks[k].low in (",", "and", "or", "&", "-", "–") \
            and toks[k + 1].is_digit and len(toks[k + 1].text) <= 2:
        k += 2
        if k < len(toks) and toks[k].low in lex.months and toks[k].is_title:
            return True
    return False


def _is_age(toks: list[Token], q: Quantity, lex: Compiled) -> bool:
    if q.kind == "age":
        return True
    prev = toks[q.i - 1] if q.i else None
    nxt = toks[q.j] if q.j < len(toks) else None
    # "aged 17", "aged between 21 and 85"
    if lex.age_before.match_before(toks, q.i - 1 if prev and prev.low == "between" else q.i):
        return True
    # "women, children and men over 50", "minors under 19": a bound after a people noun is an age.
    hedged = lex.hedges.match_before(toks, q.i)
    if hedged and toks[hedged[0]].low in lex.age_bounds and (q.value or 0) < 120 and not q.worded \
            and hedged[0] > 0 and q.kind == "count":
        people = lex.nouns.match_before(toks, hedged[0])
        if people and people[1] is None and lex.nouns.match_at(toks, q.j) is None:
            return True
    # "He is 79", "she was 85 when": a bare number after a person and a copula.
    if prev is not None and prev.low in ("is", "was", "turned", "turns") and q.i > 1 \
            and toks[q.i - 2].low in ("he", "she", "who") and (q.value or 0) < 120 \
            and q.kind == "count" and lex.nouns.match_at(toks, q.j) is None:
        return True
    # "Ofer Kalderon, 53, and": a number set off by commas right after a name.
    return bool(prev and prev.low == "," and q.i > 1 and toks[q.i - 2].is_title
                and not q.worded and (q.value or 0) < 120 and nxt is not None
                and nxt.low in (",", ")", "and", ".") and q.kind == "count")


def _is_name(toks: list[Token], q: Quantity, lex: Compiled) -> bool:
    first = toks[q.i]
    prev = toks[q.i - 1] if q.i else None
    nxt = toks[q.j] if q.j < len(toks) else None
    # "in '48": a year written short.
    if first.is_digit and prev is not None and prev.low in ("'", "’") and prev.end == first.start:
        return True
    # Glued to letters: "G7", "4th", "F-16", "COVID-19", "1990s".
    if first.is_digit and prev is not None and prev.end == first.start and prev.text[0].isalpha():
        return True
    if first.is_digit and prev is not None and prev.low == "-" and prev.start == first.start - 1 \
            and q.i > 1 and toks[q.i - 2].end == prev.start and toks[q.i - 2].text[0].isalpha() \
            and toks[q.i - 2].is_title:
        return True
    if nxt is not None and nxt.start == toks[q.j - 1].end and (
            nxt.low in ("st", "nd", "rd", "th", "s") or nxt.text in ("G", "D")):
        return True                                   # "4th", "1990s", "5G", "3D"
    if first.is_digit and prev is not None and (
            (prev.low == "#" and prev.end == first.start)
            or (prev.low == "." and q.i > 1 and toks[q.i - 2].low in lex.name_heads)):
        return True                                   # "#2", "No. 1"
    if prev is None or q.kind not in ("count",) or first.low in ("a", "an"):
        return False
    if prev.lemma in lex.name_heads:
        return True
    # "Channel 12", "Resolution 2728": a capitalised word (not a sentence opener) names it,
    # unless a counted noun follows ("said Friday 40 hostages", "told CNN 12 hostages").
    return (prev.is_title and q.i > 1 and prev.text.isalpha() and first.is_digit
            and "," not in first.text and prev.low not in lex.months
            and lex.hedges.match_before(toks, q.i) is None and prev.low not in lex.number_words
            and lex.nouns.match_at(toks, q.j) is None)


def _is_event(toks: list[Token], q: Quantity, lex: Compiled) -> bool:
    """'the 400-metre hurdles', '200m freestyle': a race named by its distance."""
    k = q.j + 1 if q.j < len(toks) and toks[q.j].low == "-" else q.j
    return k + 1 < len(toks) and toks[k].text.isalpha() and toks[k + 1].low in lex.events


def not_tracked(toks: list[Token], q: Quantity, lex: Compiled) -> bool:
    """Whether a quantity is real but counts nothing a figure tracks: a vote share, a family."""
    return _is_vote(toks, q, lex) or _is_kin(toks, q, lex) or _is_distributive(toks, q) \
        or _is_share_of(toks, q, lex) or _is_ratio(toks, q, lex) or _is_odds(toks, q) \
        or _is_population(toks, q)


_POPULATION = frozenset({"resident", "residents", "inhabitant", "inhabitants", "population",
                         "people"})
_POSSESSIVE = frozenset({"its", "their"})


def _is_population(toks: list[Token], q: Quantity) -> bool:
    """"the strip's 2.1 million residents", "its 9 million people": a place's population, the
    whole a figure is a part of, not a count of its own."""
    if q.kind != "count" or q.i == 0 or q.j >= len(toks) or toks[q.j].low not in _POPULATION:
        return False
    prev = toks[q.i - 1]
    return prev.low in _POSSESSIVE or prev.low.endswith(("'s", "’s")) or (
        prev.low in ("'s", "’s", "'", "’"))


_DISTRIBUTIVE = frozenset({"every", "each", "any", "no"})
_SHARE_PRONOUNS = frozenset({"them", "those", "these", "whom", "us"})
_RATIO = frozenset({"ratio", "ratios"})
_RATIO_REACH = 8
_ODDS = frozenset({"odds", "chance", "chances", "probability", "likelihood", "risk"})
_ODDS_REACH = 6


def _is_odds(toks: list[Token], q: Quantity) -> bool:
    """'cut its recession odds to 35% from 45%', 'a 60% chance of a deal': a probability, no
    rate or share of anything counted (CLAIMS.md: odds are no claim)."""
    if q.kind != "percent":
        return False
    for k in range(q.i - 1, max(-1, q.i - 1 - _ODDS_REACH), -1):
        if toks[k].low in (".", ";", ",", "?", "!"):
            break
        if toks[k].low in _ODDS:
            return True
    nxt = toks[q.j].low if q.j < len(toks) else ""
    return nxt in _ODDS                               # "a 60% chance"


def _is_distributive(toks: list[Token], q: Quantity) -> bool:
    """'every one of them has a name', 'each one': one person singled out, no count."""
    return q.value == 1 and q.worded and q.i > 0 and toks[q.i - 1].low in _DISTRIBUTIVE


def _is_share_of(toks: list[Token], q: Quantity, lex: Compiled) -> bool:
    """'a third of them thought dead', 'half of those freed': a share of a count already given,
    no count of its own (the share is written as a fraction, not a number of people)."""
    k = q.j
    return (q.kind in ("count", "percent") and q.j > q.i and toks[q.j - 1].low in lex.fractions
            and k + 1 < len(toks) and toks[k].low == "of" and toks[k + 1].low in _SHARE_PRONOUNS)


def _is_ratio(toks: list[Token], q: Quantity, lex: Compiled) -> bool:
    """'a ratio of one nurse to two patients': a staffing or other ratio, no count (an exchange
    ratio of prisoners per hostage is read by the exchange terms instead)."""
    if q.kind != "count":
        return False
    for k in range(q.i - 1, max(-1, q.i - 1 - _RATIO_REACH), -1):
        if toks[k].low in (".", ";", "?", "!"):
            return False
        if toks[k].low in _RATIO:
            hit = lex.nouns.match_at(toks, q.j) if q.j < len(toks) else None
            figure = hit[1] if hit and not isinstance(hit[1], frozenset) else None
            return figure not in (lex.exchange.get("many"), lex.exchange.get("one"))
    return False


def _is_vote(toks: list[Token], q: Quantity, lex: Compiled) -> bool:
    """'voted down by 64%', '59% of members', '71% voted in favour': a vote share, no figure."""
    if q.kind != "percent":
        return False
    k = q.i - 1
    if k > 0 and toks[k].low == "by":
        k -= 1
        while k > 0 and toks[k].low in ("down", "up", "through", "out", "a", "margin", "of"):
            k -= 1
        if toks[k].lemma in lex.vote_words:
            return True
    nxt = [t.lemma for t in toks[q.j:q.j + 3]]
    if nxt and nxt[0] in lex.vote_words:
        return True                                   # "71% voted in favour"
    return len(nxt) > 1 and nxt[0] == "of" and (nxt[1] in lex.vote_words
                                                or (len(nxt) > 2 and nxt[2] in lex.vote_words))


def _is_kin(toks: list[Token], q: Quantity, lex: Compiled) -> bool:
    """'fled with her three children': a person's family, not a count the news tracks."""
    if q.i == 0 or toks[q.i - 1].low not in ("his", "her", "my", "your", "their") or q.j >= len(toks):
        return False
    return toks[q.j].lemma in lex.kin or toks[q.j].low in lex.kin


def _is_time(toks: list[Token], q: Quantity, lex: Compiled) -> bool:
    # "12:01" never parses as a number; "8 am", "06:30 GMT" end in a time word.
    return lex.times.match_at(toks, q.j) is not None


def noise(toks: list[Token], q: Quantity, lex: Compiled) -> Optional[str]:
    """Why quantity `q` is not a claim ('year', 'date', 'age', ...), or None when it may be one."""
    # Odds ("50/50") and clock times ("12:01") never parse as numbers (numbers.parse_digits).
    if q.kind in ("skip", "age"):
        return q.kind
    if _is_time(toks, q, lex):
        return "time"
    if _is_year(toks, q, lex):
        return "year"
    if _is_date(toks, q, lex):
        return "date"
    if _is_age(toks, q, lex):
        return "age"
    if _is_name(toks, q, lex):
        return "name"
    if q.value == 2 and q.i > 1 and toks[q.i - 1].low == "the" and toks[q.i - 2].low == "between":
        return "parties"                              # "a deal between the two neighbours"

    if _is_event(toks, q, lex):
        return "event"
    return None

