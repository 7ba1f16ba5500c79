"""Which figure a number measures when its own noun does not say: the rules that look around."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from typing import Optional

from tracker.extract import figures, lengths
from tracker.extract.document import Document
from tracker.extract.figures import Counted
from tracker.extract.filters import not_tracked
from tracker.extract.numbers import Quantity
from tracker.extract.text import Token, window


_SAME_VALUE_BACK = 20


def figure(doc: Document, n: int, toks: list[Token], q: Quantity, counted: Counted) -> Optional[str]:
    """The figure of quantity `q` in sentence `n`, or None when it measures nothing tracked."""
    lex = doc.lex
    units = figures.COMPATIBLE.get(q.kind, ())
    if not_tracked(toks, q, lex):
        return None                                   # "voted down by 64%", "her three children"
    if counted.figure is not None:
        if counted.figure in _AFFECTED and q.kind == "count":
            # "2 UN staff members were among those killed": people of a trade who died or were
            # hurt are counted as deaths or injuries.
            fate = figures.cue_figure(toks, q, lex, counted.end, verbs_only=True)
            if fate in _FATES:
                return fate
        return counted.figure if figures.compatible(q.kind, counted.figure, lex) else None
    if counted.generic and _bodies_of(doc, n, toks, q, counted, lex):
        return _KILLED                                # "the bodies of 15 Palestinians"
    if counted.shared:
        return doc.topic(counted.shared)
    if counted.noun is not None and not counted.generic:
        return None                                   # "seven countries": a noun outside the lexicon
    if q.kind == "duration":
        lasted = lengths.lasted(doc, toks, q)         # "a strike that lasted more than a month"
        if lasted:
            return lasted
    if q.indefinite:
        return None                                   # "a week" only with its figure's noun
    if counted.anaphor:
        return doc.recent(n, units, back=2)            # "... 40 trucks. The convoy ... . 20 of them"
    if not figures.bare_allowed(toks, q, counted, lex):
        return None
    # "two Israelis and five Thai nationals": a number joined to the claim just made counts
    # the same figure.
    joined = _joined_to_last(doc, n, toks, q)
    predicate = q.j < len(toks) and toks[q.j].low in lex.predicates   # "and 1.9 million displaced"
    if joined and (counted.generic or (counted.bare and not predicate)):
        return joined
    # "58 are still held, including 34 ... dead": a part of the figure just named.
    if lex.subset.match_before(toks, q.i):
        # "Israel will free 250 prisoners. They include 40 women.": a pronoun subject points
        # to the sentence before.
        whole = doc.recent(n, units, back=0) or (
            doc.recent(n, units, back=1) if toks[0].low in _SUBSET_SUBJECTS else None)
        if whole:
            return whole
    if counted.ref_value is not None:
        return doc.recent(n, units, value=counted.ref_value, back=_SAME_VALUE_BACK)
    # "the 40", "the 13 men": the figure of the same number named just before.
    if figures.back_reference(toks, q, lex):
        # The same number with "the"/"those" points back across paragraphs too ("The 33 would").
        same = doc.recent(n, units, value=q.value, back=_SAME_VALUE_BACK)
        if same:
            return same
    # "Of the 120 hostages still in Gaza, officials believe at least 42 are dead": a sentence
    # that opens on a part-of phrase counts its figure in every bare number after it.
    if (counted.bare or counted.generic) and toks and toks[0].low == "of" and q.i > 3:
        # "Of the freed Palestinians, 121 were serving life sentences": else the opening's noun.
        whole = doc.recent(n, units, back=0) or (_opening_figure(toks, q, lex) if counted.bare else None)
        if whole and (counted.bare or _clause_tells(doc, n, toks, q)):
            return whole
    remaining = q.i > 0 and toks[q.i - 1].low == "remaining" and q.hedge == "exact" \
        and not doc.recent(n, units, value=q.value, back=_SAME_VALUE_BACK)
    if counted.bare and q.kind == "count" and (remaining or (q.j < len(toks) and toks[q.j].low in _REMAIN)):
        # "Seventy-six remain in Gaza, including 35 ... dead", "the remaining 59 would be
        # exchanged": people who remain are people held.
        held = {f for f, a in lex.default_aspect.items() if a == "held"}
        found = doc.recent(n, ("person",), back=2, among=held) or doc.named(held)
        if found:
            return found
    # "put the death toll ... above 600": a bare number is the value of the noun before it.
    part_end = _part_of_end(toks, q, counted, lex)   # "1.9 million of the strip's residents"
    before = _noun_before(doc, n, toks, q) if counted.bare and not predicate \
        and part_end == counted.end else None
    # "Death toll: at least 1,200", "How many hostages are still held? Israel says 59".
    before = before or (_label(doc, toks, q) or _question(doc, n, toks, q) if counted.bare else None)
    cues = doc.hits(n, lex.cues)
    key = ("breaks", n)
    if key not in doc.memo:
        doc.memo[key] = figures.clause_breaks(toks, lex)
    hint = counted.hint
    if hint and not lex.default_aspect.get(hint) and _clause_tells(doc, n, toks, q):
        # "Hamas returned 4 bodies under the hostage deal": bodies handed over or held are the
        # people a side holds, where the sentence names them.
        held = {f for f, a in lex.default_aspect.items() if a}
        if any(figs & held for _, _, figs in cues.within(*window(toks, q.i, q.j))):
            hint = None
    cue = before or figures.cue_figure(toks, q, lex, part_end, hint,
                                       verbs_only=counted.bare and q.kind == "count", hits=cues,
                                       breaks=doc.memo[key])
    if cue and q.kind == "percent" and lex.unit_of(cue) == "percent" and _share_of_people(toks, q, lex):
        return None                                   # "94% of members rejected the offer": a vote
    if cue in _STATES and counted.generic and _state_of_freed(doc, n, toks, q, counted, cue):
        # "dozens of wounded servicemen returned home" in a swap story: a state of the people
        # freed, not a count of the wounded.
        return doc.named({f for f, a in lex.default_aspect.items() if a})
    if cue:
        return cue
    if counted.generic:
        # "another 11 hostages crossed ...: three mothers and six children": people listed after
        # a colon or dash are parts of the count just claimed.
        part = _elaborates(doc, n, toks, q)
        if part:
            return part
    if counted.generic and _held_object(toks, q, lex):
        # "The Houthis are still holding the 25 crew members": people one side holds.
        held = [f for f, a in sorted(lex.default_aspect.items()) if a == "held"]
        if held:
            return held[0]
    if counted.generic and _clause_tells(doc, n, toks, q):
        # "the 50 women and children will come out ... 10 freed hostages": the sentence's cue,
        # where the number's own clause says what becomes of the people.
        wide = figures.cue_figure(toks, q, lex, counted.end, reach=len(toks), hits=cues)
        if wide:
            return wide
    if q.kind == "duration":
        # "the most lucrative three days ..., by giving up three days of work": the length
        # just named in the sentence, else the figure named in the sentence before.
        shared = _shared_cue(toks, q, doc)
        return (doc.recent(n, units, back=0) or _previous_cue(doc, n, q)
                or (doc.topic(shared) if shared else None))
    if q.kind == "count":
        # "Hamas released two US citizens", "5 more would follow": people just spoken of, where
        # the sentence tells what became of them or points back ("the leader has 3 children"
        # does neither).
        told = _clause_tells(doc, n, toks, q) or figures.back_reference(toks, q, lex) or (
            q.j < len(toks) and toks[q.j].low in lex.change_words)
        if told:
            # "a hundred more could be freed": a release tells of people held, not of staff.
            held = {f for f, a in lex.default_aspect.items() if a} if _clause_tells(doc, n, toks, q) else None
            recent = doc.recent(n, ("person",), back=6 if counted.generic or held else 2, among=held)
            if recent or not (held and counted.generic):
                return recent
            # "Baku returned 32 servicemen" in a story of a prisoner exchange: people freed or
            # taken count the held figure the document is about.
            return doc.named(held) or _held_passive(doc, n, toks, q)
        # "4,000 trucks were waiting, while only 200 were allowed in": a bare number goes on
        # counting what the sentence just counted.
        return doc.recent(n, units, back=0) if counted.bare else None
    # "62% ..., against a demand of 77%"; "Negotiators had sought 40%, while Boeing offered 30%"
    # after a sentence about pay.
    same = doc.recent(n, units, back=0)
    if same or q.kind != "percent" or (q.j < len(toks) and toks[q.j].text.isalpha()
                                       and toks[q.j].low not in lex.no_noun_after):
        return same                                   # "Two in three buildings": its own noun
    before = _previous_cue(doc, n, q)
    return before if before and lex.unit_of(before) == "percent" else None


_SUBSET_SUBJECTS = frozenset(["they", "these", "those", "among", "the"])
_LEVEL_REACH = 16


_PART_OF_REACH = 7
_KILLED = "killed"
_PUT = frozenset({"put", "puts", "putting", "placed", "places", "estimated", "estimates"})
# Counts of people by their trade, and what may befall them ("three nurses were killed").
_AFFECTED = frozenset({"workers"})
_FATES = frozenset({"killed", "injured"})
_REMAIN = frozenset({"remain", "remained", "remains"})
# Figures named by a state of people ("wounded soldiers") that people freed may be in.
_STATES = frozenset({"injured"})
_BODY_WORDS = frozenset({"body", "bodies", "remains", "corpse", "corpses"})
_HEDGE_SKIP = 5
_HEDGE_WORDS = frozenset({"more", "than", "about", "some", "at", "least", "over", "nearly",
                          "almost", "around", "roughly", "up", "to", "an", "estimated", "as",
                          "many", "approximately", "another", "a", "further", "additional"})


def _state_of_freed(doc: Document, n: int, toks: list[Token], q: Quantity, counted: Counted,
                    cue: str) -> bool:
    """Whether the state `cue` names is a modifier inside the people's noun phrase ('wounded
    servicemen') while the clause tells of their release, in a story about people held."""
    inside = any(cue in figs for s, _, figs in doc.hits(n, doc.lex.cues).within(q.j, counted.end))
    released = any(kind == "released" for _, _, kind in doc.hits(n, doc.lex.aspects).within(*_clause(doc, n, toks, q))) \
        if inside else False
    return released and bool(doc.named({f for f, a in doc.lex.default_aspect.items() if a}))


_ELABORATION = frozenset({":", "—", "–"})


def _elaborates(doc: Document, n: int, toks: list[Token], q: Quantity) -> Optional[str]:
    """The figure of the person count claimed earlier in the sentence, where a colon or a dash
    stands between it and `q`."""
    last = doc.said[-1] if doc.said else None
    if last is None or last.sentence != n or doc.lex.unit_of(last.figure) != "person":
        return None
    for k in range(q.i - 1, -1, -1):
        if toks[k].end <= last.end:
            return None
        if toks[k].low in _ELABORATION:
            return last.figure
    return None


def _opening_figure(toks: list[Token], q: Quantity, lex) -> Optional[str]:
    """The figure an opening 'Of the freed Palestinians,' names by its noun or that noun's hint."""
    for k in range(1, min(q.i, _PART_OF_REACH)):
        if toks[k].low == ",":
            return None
        hit = lex.nouns.match_at(toks, k)
        if hit:
            if isinstance(hit[1], str):
                return hit[1]
            h = next((lex.hints.match_at(toks, m) for m in range(1, hit[0])
                      if lex.hints.match_at(toks, m)), None)
            return h[1] if h else None
    return None


def _bodies_of(doc: Document, n: int, toks: list[Token], q: Quantity, counted: Counted, lex) -> bool:
    """'the bodies of 6,057 people', 'the remains of more than 13,000 soldiers': the dead one
    side returns are deaths (heldout decision 1); dead hostages keep their own noun or hint
    ('the bodies of four Israelis' stays with the people held)."""
    if _KILLED not in lex.units or q.kind != "count":
        return False
    k = q.i - 1
    while k > 0 and q.i - k <= _HEDGE_SKIP and toks[k].low != "of":
        if toks[k].low not in _HEDGE_WORDS:
            return False
        k -= 1
    if k < 1 or toks[k].low != "of" or toks[k - 1].low not in _BODY_WORDS:
        return False
    if counted.hint and lex.default_aspect.get(counted.hint) == "held":
        return False
    # "Hamas released 25 living Israelis and the remains of eight others": remains handed over
    # beside people held in the same sentence are dead hostages.
    last = doc.said[-1] if doc.said else None
    return not (last and last.sentence == n and lex.default_aspect.get(last.figure) == "held")


def _part_of_end(toks: list[Token], q: Quantity, counted: Counted, lex) -> int:
    """'1.9 million of the strip's 2.1 million residents have been uprooted': a bare number
    that is a part of people named after it is measured from that noun phrase's end, so the
    clause's verb still reaches it."""
    if not counted.bare or q.j >= len(toks) or toks[q.j].low != "of":
        return counted.end
    for k in range(q.j + 1, min(len(toks), q.j + 1 + _PART_OF_REACH)):
        if toks[k].low in lex.clause_breaks or toks[k].low == ",":
            break
        hit = lex.nouns.match_at(toks, k)
        if hit:
            return hit[0] if hit[1] is None else counted.end
    return counted.end


def _share_of_people(toks: list[Token], q: Quantity, lex) -> bool:
    """'59% of members', '40 per cent of all the nurses': a share of people, no rate."""
    k = q.j
    if k >= len(toks) or toks[k].low != "of":
        return False
    k += 1
    while k < len(toks) and toks[k].low in ("all", "the", "its", "their", "those", "these"):
        k += 1
    hit = lex.nouns.match_at(toks, k) if k < len(toks) else None
    if not hit or isinstance(hit[1], frozenset):
        return False
    return hit[1] is None or lex.unit_of(hit[1]) == "person"


def _held_object(toks: list[Token], q: Quantity, lex) -> bool:
    """Whether a verb of holding people governs the count ('still holding the 25 crew members')."""
    k = q.i - 1
    while k >= 0 and q.i - k <= 3 and toks[k].low in ("the", "its", "their", "all", "some", "about", "at", "least"):
        k -= 1
    return k >= 0 and q.i - k <= 4 and toks[k].low in lex.captor_verbs


def _joined_to_last(doc: Document, n: int, toks: list[Token], q: Quantity) -> Optional[str]:
    """The figure of the claim that ends right before 'and'/'or'/',' and this number."""
    if q.i < 2 or not doc.said or toks[q.i - 1].low not in ("and", "or", ","):
        return None
    last = doc.said[-1]
    if last.sentence != n or toks[q.i - 2].end != last.end:
        return None
    units = figures.COMPATIBLE.get(q.kind, ())
    return last.figure if doc.lex.unit_of(last.figure) in units else None


def multiplied(doc: Document, n: int, toks: list[Token], q: Quantity) -> Optional[tuple[Quantity, Counted]]:
    """'three times that number of detainees': the base number just given, multiplied."""
    mult = doc.lex.multipliers.match_at(toks, q.i)
    if not mult or q.value is None or not doc.said:
        return None
    m = mult[0]
    if [t.low for t in toks[m:m + 3]] != ["that", "number", "of"]:
        return None
    last = doc.said[-1]
    if last.value is None or n - last.sentence > 1:
        return None
    counted = figures.noun_from(toks, m + 3, doc.lex) or Counted(last.figure, None, m + 3)
    return replace(q, j=m + 2, value=last.value * mult[1]), counted


def _held_passive(doc: Document, n: int, toks: list[Token], q: Quantity) -> Optional[str]:
    """'Twenty-five crew members have been held in Yemen': people a clause says are held, where
    nothing else names them, are the figure held by default (CLAIMS.md: people held by the other
    side); 'held a vigil' is no passive."""
    lo, hi = _clause(doc, n, toks, q)
    hits = doc.hits(n, doc.lex.aspects).within(lo, hi)
    if not hits or any(kind != "held" for _, _, kind in hits):
        return None
    for s, _, _ in hits:
        if toks[s].low == "held" and s and toks[s - 1].low in _PASSIVE_AUX:
            defaults = [f for f, a in doc.lex.default_aspect.items() if a == "held"]
            return defaults[0] if len(defaults) == 1 else None
    return None


_PASSIVE_AUX = frozenset(["been", "being", "are", "were", "is", "was", "still", "be"])


def _clause(doc: Document, n: int, toks: list[Token], q: Quantity) -> tuple[int, int]:
    """The comma-bounded clause around `q`, as token bounds."""
    first, last = window(toks, q.i, q.j)
    key = ("commas", n)
    if key not in doc.memo:
        doc.memo[key] = [k for k, t in enumerate(toks) if t.low in (",", ";", ".", "—")]
    commas = doc.memo[key]
    k = bisect_left(commas, q.i)
    lo = max(first, commas[k - 1] + 1 if k else 0)
    k = bisect_left(commas, q.j)
    hi = min(last, commas[k] if k < len(commas) else len(toks))
    return lo, hi


def _clause_tells(doc: Document, n: int, toks: list[Token], q: Quantity) -> bool:
    """Whether the comma-bounded clause around `q` holds an aspect cue ('will come out')."""
    return bool(doc.hits(n, doc.lex.aspects).within(*_clause(doc, n, toks, q)))


def _shared_cue(toks: list[Token], q: Quantity, doc: Document) -> frozenset:
    """The figures a shared noun of the sentence may name ('The agreement covers 60 days')."""
    for _, _, figs in doc.lex.weak.scan(toks, *window(toks, q.i, q.j)):
        return figs
    return frozenset()


_LABEL_REACH = 6


def _label(doc: Document, toks: list[Token], q: Quantity) -> Optional[str]:
    """'Hostages released so far: 33', 'Death toll: at least 1,200', '1,904: Palestinian prisoners
    to be released': the figure a label names."""
    if q.j < len(toks) - 1 and toks[q.j].low == ":":
        for k in range(q.j + 1, min(len(toks), q.j + 1 + _LABEL_REACH)):
            hit = doc.lex.cues.match_at(toks, k)
            fits = sorted(f for f in hit[1] if figures.compatible(q.kind, f, doc.lex)) if hit else []
            if fits:
                return fits[0]
    if q.i < 2 or toks[q.i - 1].low != ":":
        return None
    for k in range(q.i - 2, max(-1, q.i - 2 - _LABEL_REACH), -1):
        hit = doc.lex.cues.match_at(toks, k)
        fits = sorted(f for f in hit[1] if figures.compatible(q.kind, f, doc.lex)) if hit else []
        if fits and hit[0] <= q.i - 1:
            return fits[0]
    return None


def _question(doc: Document, n: int, toks: list[Token], q: Quantity) -> Optional[str]:
    """'How many hostages are still held? Israel says 59': an answer counts what was asked."""
    if n == 0 or not doc.same_paragraph(n - 1, n):
        return None
    asked = doc.tokens(n - 1)
    h = next((k for k, t in enumerate(asked[:3]) if t.low == "how"), None)   # "Q: How many ...?"
    if h is None or len(asked) < h + 3 or asked[-1].low != "?" \
            or asked[h + 1].low not in ("many", "much", "long"):
        return None
    for k in range(h + 2, min(len(asked), h + 8)):
        hit = doc.lex.cues.match_at(asked, k)
        fits = sorted(f for f in hit[1] if figures.compatible(q.kind, f, doc.lex)) if hit else []
        if fits:
            return fits[0]
    return None


def _noun_before(doc: Document, n: int, toks: list[Token], q: Quantity) -> Optional[str]:
    """'the number of bodies to 15', 'deaths above 44,000': the noun stands before the number."""
    # "the toll from the March 28 earthquake near Mandalay had risen to 3,564": after a verb of
    # level the subject may stand further back in the clause.
    level = q.i > 1 and toks[q.i - 1].low in ("to", "at") and (
        toks[q.i - 2].lemma in doc.lex.level_verbs or toks[q.i - 2].low in doc.lex.change_verbs)
    for k in range(q.i - 1, max(-1, q.i - (_LEVEL_REACH if level else 8)), -1):
        hit = doc.lex.nouns.match_at(toks, k)
        if hit and isinstance(hit[1], str) and figures.compatible(q.kind, hit[1], doc.lex) and hit[0] <= q.i:
            return hit[1]
        if toks[k].low in (".", ";", ":"):
            break
    # "He put the number at 80", "the daily average fell to fewer than 100": the level of the
    # figure named just before.
    for k in range(q.i - 1, max(-1, q.i - 5), -1):
        if toks[k].lemma in doc.lex.measure_nouns and (k == 0 or toks[k - 1].low != "a"):
            return doc.recent(n, figures.COMPATIBLE.get(q.kind, ()), back=2)
        # "Estimates of the death toll vary. The UN puts it at 18,800": "it" after a verb of
        # putting is the measure the sentence before named.
        if toks[k].low == "it" and k > 0 and toks[k - 1].low in _PUT and k + 1 < len(toks) \
                and toks[k + 1].low == "at":
            return doc.recent(n, figures.COMPATIBLE.get(q.kind, ()), back=2) or _previous_cue(doc, n, q)
        if toks[k].low in (".", ";", ":", ","):
            break
    return None


def _previous_cue(doc: Document, n: int, q: Quantity) -> Optional[str]:
    """'It lasted seven days': the figure named in the sentence before, in the same paragraph."""
    if n == 0 or not doc.same_paragraph(n - 1, n):
        return None
    key = (n - 1, q.kind)
    if key not in doc.memo:
        last = None
        for _, _, figs in doc.lex.cues.scan(doc.tokens(n - 1)):
            fits = sorted(f for f in figs if figures.compatible(q.kind, f, doc.lex))
            if fits:
                last = fits[0]
        doc.memo[key] = last
    return doc.memo[key]
