"""Who asserts a number: reporting frames ("X said", "according to X", "a Hamas claim that")."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Optional

from tracker.extract.compiled import Compiled
from tracker.extract.text import Token, tokenize

_NP_MAX = 8
_APPOSITION_MAX = 14
_SET_OFF = {",", "”", '"', "’"}
_PRONOUNS = {"he", "she", "it", "they", "we", "i"}
# Lowercase parts of personal names ("Ashraf al-Qudra", "Ursula von der Leyen").
_NAME_PARTICLES = {"-", "al", "el", "bin", "ibn", "de", "da", "van", "von", "der", "la", "le", "abu"}
# A frame after the number covers it only when the sentence ends soon after the verb
# ("..., the office said on Monday."), not "..., the union announced a deal with Ford; ...".
_TAIL_MAX = 8


@dataclass(frozen=True, slots=True)
class Frame:
    """A reporting frame: where its words start, where its verb stands, the claimant as written,
    and whether the sentence ends soon after it (so it may report what came before)."""

    start: int
    pos: int
    speaker: str
    final: bool = False


# "if no clashes are reported": a passive reporting verb names no claimant.
_PASSIVE = frozenset(["are", "is", "was", "were", "be", "been", "being", "get", "gets", "got"])


def _plural_possessive(toks: list[Token], k: int) -> bool:
    """The apostrophe of a plural possessive inside a name ("the Prisoners' Media Office")."""
    return toks[k].low in ("'", "’") and 0 < k < len(toks) - 1 and toks[k - 1].end == toks[k].start \
        and toks[k - 1].low.endswith("s") and toks[k - 1].is_title and toks[k + 1].is_title


def _word_ok(tok: Token, lex: Compiled) -> bool:
    """Whether a token may be part of a claimant's noun phrase."""
    # "WHO figures": an acronym is a name even when its lowercase is a stop word.
    return (tok.text[0].isalnum() and (tok.low not in lex.attr_stop or (tok.text.isupper() and len(tok.text) > 1))) \
        or tok.low in ("-", "'s", "’s", "&")


def _phrase(toks: list[Token], a: int, b: int, body: str, lex: Compiled) -> Optional[str]:
    """The text of tokens [a, b) as written, or None when it holds no content word."""
    while a < b and toks[a].low in ("-", "'s"):
        a += 1
    while b > a and toks[b - 1].low in ("-",):
        b -= 1
    a, b = _shortest(toks, a, b, lex)
    if a >= b or all(t.low in lex.attr_determiners for t in toks[a:b]):
        return None
    text = body[toks[a].start:toks[b - 1].end]
    return text[:-2] if text.endswith(("'s", "’s")) else text


def _shortest(toks: list[Token], a: int, b: int, lex: Compiled) -> tuple[int, int]:
    """The claimant inside a reporting noun phrase: 'a report by Channel 12 news' -> 'Channel 12',
    'A statement from the Health Ministry' -> 'the Health Ministry'."""
    for k in range(max(0, a - 1), min(b - 2, a + 4)):
        if toks[k].lemma not in lex.report_nouns:
            continue
        # "figures compiled by the UN", "data released by the ministry"
        via = k + 2 if toks[k + 1].low.endswith("ed") and toks[k + 1].text.islower() else k + 1
        if via < b - 1 and toks[via].low in lex.attr_via \
                and all(t.text.isalpha() for t in toks[a:k]):
            a = via + 1
            break
    # "GOMA - The M23 rebel group", "09:12 GMT - Our correspondent": a dateline or a time
    # stamp before a spaced dash is no part of the claimant.
    for k in range(b - 1, a, -1):
        if toks[k].low in ("-", "–", "—") and toks[k - 1].end < toks[k].start:
            a = k + 1
            break
    # "a diplomat briefed (on the talks)": a trailing participle is no part of the name.
    if b - a > 1 and toks[b - 1].text.islower() and toks[b - 1].low.endswith("ed"):
        b -= 1
    # "Channel 12 news", "the Kan broadcaster": a lowercase medium word is no part of the name.
    if b - a > 1 and toks[b - 1].low in lex.attr_media and not toks[b - 1].is_title:
        b -= 1
    return a, b


def _inner_preposition(toks: list[Token], k: int, lex: Compiled) -> bool:
    """'The health ministry in Gaza said', 'Analysts at Moody's said': a preposition inside the
    claimant's noun phrase (a noun stands before it)."""
    if toks[k].low == "on" and 0 < k < len(toks) - 1:
        # "the Office of the Presidential Adviser on Peace": between two capitalised words of a
        # name, not "Hamas on Sunday".
        nxt = toks[k + 1]
        return toks[k - 1].is_title and nxt.is_title and nxt.low not in lex.attr_between \
            and nxt.low not in lex.months
    return (toks[k].low in lex.attr_inner and k > 0 and toks[k - 1].text.isalpha()
            and toks[k - 1].low not in lex.attr_stop and toks[k - 1].low not in lex.report_verbs)


def _subject_before(toks: list[Token], k: int, lex: Compiled, body: str) -> Optional[tuple[int, str]]:
    """(start, text) of the noun phrase that ends before token `k` ('the Israel Defence Forces' said)."""
    j = k
    # "Hamas also claimed", "Israel had confirmed", "media on Sunday indicated".
    while j > 0 and (toks[j - 1].low in lex.attr_between
                     or (toks[j - 1].low == "on" and j < k)):
        j -= 1
    # "Reuters, quoting an official briefed on the terms, said": skip the apposition.
    if j > 0 and toks[j - 1].low == ",":
        for m in range(j - 2, max(-1, j - 2 - _APPOSITION_MAX), -1):
            if toks[m].low == ",":
                name = toks[m + 1:j - 1]
                # "Our correspondent at the crossing, Lina Haddad, says": the name is the claimant.
                if 0 < len(name) <= 6 and name[0].is_title and name[-1].is_title \
                        and all((t.is_title and t.text.isalpha()) or t.low in _NAME_PARTICLES for t in name) \
                        and m > 0 and not toks[m - 1].is_title:
                    return m + 1, body[name[0].start:name[-1].end]
                j = m
                break
        else:
            return None
    # "He put the number at 80": a data verb reports with any subject when a measure follows.
    measure = k + 2 < len(toks) and toks[k + 1].low in ("the", "its", "their", "his", "her") \
        and toks[k + 2].lemma in lex.measure_nouns
    if j > 0 and toks[j - 1].low in _PRONOUNS:
        if toks[k].low in lex.data_verbs and not measure:
            return None
        return j - 1, body[toks[j - 1].start:toks[j - 1].end]   # "people it described as"
    a = j
    # "Two people familiar with the talks said": the modifier and its object belong to the
    # claimant; "An official speaking on condition of anonymity said": the claimant ends before it.
    reach = _NP_MAX
    for m in range(j - 1, max(-1, j - _NP_MAX), -1):
        mod = lex.attr_modifiers.match_at(toks, m)
        if mod and mod[0] <= j and m > 0:
            if not mod[1]:
                j = m
            else:
                reach += j - m
            a = m
            break
    # Digits only inside a name: "Kan 11 reported", not "including 34 the military says".
    while a > 0 and j - a < reach and (not toks[a - 1].is_digit or (a > 1 and toks[a - 2].is_title)) and (
            _word_ok(toks[a - 1], lex) or _inner_preposition(toks, a - 1, lex)
            or _plural_possessive(toks, a - 1)) \
            and not (toks[a - 1].low in lex.report_verbs and a < j and not toks[a - 1].is_title):
        a -= 1
    while a < j and toks[a].low in lex.attr_inner:
        a += 1
    # "..., the health ministry affiliated with Hamas says.": after a comma the whole stretch
    # up to the verb is the claimant.
    if a > 0 and toks[a - 1].low not in (",", ";") :
        for m in range(a - 1, max(-1, a - _NP_MAX), -1):
            if toks[m].low in (",", ";"):
                if all(t.text[0].isalnum() or t.low in ("-", "'s") for t in toks[m + 1:a]) \
                        and toks[m + 1].low in lex.attr_determiners:
                    a = m + 1
                break
    # "A UN report published on Monday said": the participle belongs to the report before it.
    if j - a == 1 and toks[a].text.islower() and toks[a].low.endswith("ed") and a > 0 \
            and toks[a - 1].lemma in lex.report_nouns:
        a -= 1
        while a > 0 and j - a < _NP_MAX and (toks[a - 1].is_title or toks[a - 1].low in lex.attr_determiners):
            a -= 1
    text = _phrase(toks, a, j, body, lex)
    if text is None:
        return None
    if toks[k].low in lex.data_verbs and not measure \
            and not any(t.lemma in lex.report_nouns for t in toks[a:j]):
        return None                                   # "the strike would surely count among"
    return a, text


def _kept_modifier(toks: list[Token], b: int, lex: Compiled) -> bool:
    """Whether a kept modifier's preposition stands at `b` ('two people familiar with the talks')."""
    mod = lex.attr_modifiers.match_before(toks, b + 1)
    return bool(mod and mod[1] and b > 0)


def _object_after(toks: list[Token], k: int, lex: Compiled, body: str) -> Optional[str]:
    """The noun phrase that starts at token `k` ('according to' Channel 12)."""
    b = k
    while b < len(toks) and b - k < _NP_MAX and (_word_ok(toks[b], lex) or toks[b].is_digit
                                                 or _kept_modifier(toks, b, lex)):
        if toks[b].low in ("who", "which"):
            break
        pronoun = lex.anaphors.match_at(toks, b) if b > k else None
        if pronoun:
            # "according to the list it published": whose list "it" says.
            return _phrase(toks, b, pronoun[0], body, lex)
        b += 1
    return _phrase(toks, k, b, body, lex)


def frames(toks: list[Token], body: str, lex: Compiled) -> list[Frame]:
    """Every reporting frame of a sentence, left to right."""
    out: list[Frame] = []
    n = len(toks)
    for s, e, who in lex.implicit.scan(toks):
        out.append(Frame(s, s, who, final=s > 0 and toks[s - 1].low == ","))
    implicit = {f.start for f in out}
    for s, e, _ in lex.report_intro.scan(toks):
        if s in implicit:
            continue
        who = _object_after(toks, e, lex, body)
        if who:
            # ", according to the ministry," set off by commas reports on the whole sentence.
            aside = s > 0 and toks[s - 1].low == ","
            out.append(Frame(s, s, who, final=aside or n - s <= _TAIL_MAX + 2))
    for k, tok in enumerate(toks):
        if k and toks[k - 1].low in lex.negations or (k > 1 and toks[k - 2].low in lex.negations):
            continue
        # "people it described as political prisoners": a verb with "as" names, not reports.
        if tok.low in lex.report_verbs and not tok.is_title and k \
                and toks[k - 1].low not in lex.noun_markers \
                and toks[k - 1].low not in _PASSIVE \
                and not _names_as(toks, k, lex):
            hit = _subject_before(toks, k, lex, body)
            noun = lex.nouns.match_at(toks, k - 1)
            if hit and noun and isinstance(noun[1], str) and noun[0] == k and not any(
                    t.low in lex.attr_inner or t.low in ("with", "on", "about")
                    for t in toks[hit[0]:k]):
                # "A humanitarian truce declared in March": a figure's noun heads no claimant
                # ("an official familiar with the talks told" still reports).
                hit = None
            if hit is None and k + 1 < len(toks) and toks[k - 1].low in _SET_OFF and (
                    toks[k + 1].is_title or toks[k + 1].low in ("a", "an", "the")):
                # '..., said Abu Obeida.', '"...," said a spokesman for the group.'
                who = _object_after(toks, k + 1, lex, body)
                hit = (k, who) if who else None
            if hit is None and toks[k - 1].low in ("but", "and") and k + 1 < len(toks) \
                    and toks[k + 1].low == "that":
                # "X welcomed the exchange but warned that Minsk holds 1,300": the subject the
                # sentence opens with reports through the second verb too.
                who = opening_subject(toks, body, lex)
                hit = (0, who) if who else None
            if hit:
                out.append(Frame(hit[0], k, hit[1], final=_closing(toks, hit[0], k)))
                continue
        if tok.lemma in lex.report_nouns and k:
            # "By Israel's assessment", "a Hamas claim that": the possessor or the modifier.
            prev = toks[k - 1]
            if prev.low.endswith(("'s", "’s")) or (prev.is_title and k + 1 < len(toks)
                                                   and toks[k + 1].low == "that"):
                a = k - 1
                while a > 0 and toks[a - 1].is_title and k - a < _NP_MAX \
                        and toks[a - 1].low not in lex.noun_markers and toks[a - 1].low not in lex.attr_stop:
                    a -= 1
                who = _phrase(toks, a, k, body, lex)
                if who:
                    out.append(Frame(a, k, who))
    return sorted(out, key=lambda f: f.pos)


def _names_as(toks: list[Token], k: int, lex: Compiled) -> bool:
    """'people it described as political prisoners': the verb names, it does not report (unlike
    'said as many as', 'reported as of Monday')."""
    return (k + 2 < len(toks) and toks[k + 1].low == "as" and lex.hedges.match_at(toks, k + 1) is None
            and toks[k + 2].low not in ("of", "well"))


def _closing(toks: list[Token], start: int, k: int) -> bool:
    """Whether a frame closes a clause: set off before it, and its clause ends soon after the
    verb ('..., the agency said on Saturday, as mediators ...')."""
    if start == 0 or toks[start - 1].low not in _SET_OFF | {";"}:
        return len(toks) - k <= _TAIL_MAX
    for m in range(k + 1, min(len(toks), k + _TAIL_MAX)):
        if toks[m].low in (",", ".", ";", "!", "?"):
            return True
    return len(toks) - k <= _TAIL_MAX


def claimant(frames_: list[Frame], toks: list[Token], i: int, j: int) -> Optional[Frame]:
    """The frame that holds the number at tokens [i, j): the nearest before it (innermost), else
    a closing frame after it in the same clause ('..., the office said.')."""
    k = bisect_left(frames_, i, key=lambda f: f.pos)
    if k:
        return frames_[k - 1]
    for f in frames_[bisect_left(frames_, j, key=lambda f: f.pos):]:
        if f.final:
            # "..., two sources told Reuters." covers the sentence; "killed 1,200 people
            # according to Israeli tallies" only its own clause.
            if f.start > 0 and toks[f.start - 1].low in _SET_OFF:
                return f
            gap = [t.low for t in toks[j:max(j, f.start - 1)]]
            return None if ("," in gap or ";" in gap) else f
    return None


def opening_subject(toks: list[Token], body: str, lex: Compiled) -> Optional[str]:
    """The noun phrase a sentence opens with ('The army' has recovered ...), if it is short and
    ends at an auxiliary, a reporting verb or a past tense."""
    if toks and (toks[0].is_digit or toks[0].low in lex.number_words):
        return None                                   # "Four captives have been killed, the group said"
    for k, tok in enumerate(toks[:_NP_MAX]):
        if k and (tok.low in lex.attr_between or tok.low in lex.report_verbs
                  or tok.low in lex.subject_verbs
                  or (tok.low.endswith("ed") and not tok.is_title)):
            end = k - 1 if toks[k - 1].low in ("on", "in", "at") else k   # "The union on Monday"
            who = _phrase(toks, 0, end, body, lex) if end else None
            return None if who is None or is_anaphor(who, lex) else who
        noun = lex.nouns.match_at(toks, k)
        if noun and (k == 0 or not toks[k].is_title) and noun[0] < len(toks) and _verbal(toks[noun[0]], lex):
            return None                               # "Civilian captives would be ...": what is counted
        glued = tok.low in ("'", "’") and k and toks[k - 1].end == tok.start \
            and toks[k - 1].low.endswith("s")
        if not (tok.text[0].isalpha() or tok.low in ("'s", "-") or glued):
            return None                               # ("The nurses' union" goes on)
    return None


def _verbal(tok: Token, lex: Compiled) -> bool:
    """Whether a token after a subject noun starts its verb ('would', 'have', 'said', 'fled')."""
    return (tok.low in lex.attr_between or tok.low in lex.report_verbs
            or tok.low in ("would", "will", "could", "can", "may", "might", "should", "be")
            or (tok.low.endswith("ed") and not tok.is_title))


def is_anaphor(speaker: str, lex: Compiled) -> bool:
    """Whether a claimant only refers back ('he', 'the group', 'The agency')."""
    toks = tokenize(speaker)
    hit = lex.anaphors.match_at(toks, 0)
    return bool(hit and hit[0] == len(toks))


def list_intro(toks: list[Token], body: str, lex: Compiled) -> Optional[str]:
    """The speaker of a line that introduces a bullet list ('The report found:'), or None."""
    if len(toks) < 3 or toks[-1].low != ":" or toks[-2].low not in lex.list_verbs:
        return None
    who = _phrase(toks, 0, len(toks) - 2, body, lex)
    return None if who is None or is_anaphor(who, lex) else who
