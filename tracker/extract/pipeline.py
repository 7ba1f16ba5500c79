"""The extraction pipeline: sentences -> quantities -> filters -> figure -> hedge, aspect, claimant."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Optional

from tracker.extract import attribution as attr
from tracker.extract import context, figures, general
from tracker.extract.compiled import Compiled
from tracker.extract.filters import is_caption, noise, phone_spans
from tracker.extract.numbers import Quantity, scan
from tracker.extract.text import Sentence, Token, sentences, tokenize
from tracker.models import Claim

_CARRY_BACK = 8


@lru_cache(maxsize=16)
def _candidate_re(words: frozenset[str]) -> re.Pattern:
    """A cheap test that a sentence may hold a number: a digit or a number word."""
    alts = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(rf"\d|\b(?:{alts})\b", re.I)


@dataclass
class Memory:
    """What the document has said so far: claims emitted and reporting frames per sentence."""

    claims: list[tuple[int, str, Optional[float], str]] = field(default_factory=list)
    frames: dict[int, list[attr.Frame]] = field(default_factory=dict)
    _topic: Optional[dict[str, int]] = None

    def topic(self, body: str, lex: Compiled, among: frozenset) -> str:
        """Of the figures `among`, the one the document names most ('the agreement' is a truce in
        a ceasefire story, a contract in a strike story); counted once, only when needed."""
        if self._topic is None:
            self._topic = {}
            for _, _, figs in lex.cues.scan(tokenize(body)):
                for f in figs:
                    self._topic[f] = self._topic.get(f, 0) + 1
        return max(sorted(among), key=lambda f: self._topic.get(f, 0))

    def recent(self, sent: int, kinds: tuple[str, ...], lex: Compiled, value=None, back=2) -> Optional[str]:
        """The figure of the latest claim of a unit in `kinds` (with `value`, if given) nearby."""
        for s, figure, v, unit, _ in reversed(self.claims):
            if sent - s > back:
                break
            if lex.unit_of(figure) in kinds and (value is None or v == value):
                return figure
        return None


def run(body: str, lex: Compiled, *, date=None, doc="", all_quantities=False) -> list[Claim]:
    """Every claim in `body` (see `tracker.extract.extract`)."""
    sents = sentences(body, lex.abbreviations)
    is_candidate = _candidate_re(frozenset(lex.number_starts)).search
    lines = body.split("\n")
    memory = Memory()
    out: list[Claim] = []
    for n, sent in enumerate(sents):
        text = body[sent.start:sent.end]
        if not is_candidate(text) or is_caption(lines[sent.paragraph]):
            continue
        toks = tokenize(text, sent.start)
        phones = [(a + sent.start, b + sent.start) for a, b in phone_spans(text)]
        skipped: list[tuple[int, int]] = list(phones)
        found = general.units(text, sent.start) if all_quantities else []
        here: list[Claim] = []
        for q in scan(toks, lex):
            span = (toks[q.i].start, toks[q.j - 1].end)
            if any(a <= span[0] < b for a, b in phones) or noise(toks, q, lex):
                skipped.append(span)
                continue
            if q.kind == "ratio":
                made = _ratio_claims(body, sents, n, toks, q, lex, memory)
            else:
                made = [c for c in [_claim(body, sents, n, toks, q, lex, memory, all_quantities)] if c]
            if not made:
                skipped.append(span)
            for claim in made:
                claim.doc, claim.date = doc, date
                memory.claims.append((n, claim.figure, claim.value, claim.unit, claim.end))
                here.append(claim)
        if found:
            here = general.merge(body, here, found, lex.units, skipped, doc, date)
        out.extend(here)
    return out


def _claim(body: str, sents: list[Sentence], n: int, toks: list[Token], q: Quantity,
           lex: Compiled, memory: Memory, all_quantities: bool) -> Optional[Claim]:
    number = q.i
    span_of = _span_of(toks, q, lex, memory, n)
    q = context.hedge(toks, q, lex) if span_of is None else q
    mult = lex.multipliers.match_at(toks, q.i)
    counted = figures.counted_noun(toks, q, lex)
    if mult and q.value is not None:
        q, counted = _multiplied(toks, q, mult, lex, memory, n) or (q, counted)
    if q.kind == "duration" and _not_a_duration(toks, q, lex):
        return None
    figure = span_of or _figure(body, sents, n, toks, q, counted, lex, memory)
    if figure is None:
        if all_quantities and not q.indefinite:
            return general.counted(body, toks, q, counted, lex,
                                   _attribution(body, sents, n, toks, q.i, q.j, lex, memory))
        return None
    start = q.i - 1 if q.i and toks[q.i - 1].low in ("the", "those", "another", "these") else q.i
    if start and toks[start].low == "remaining" and toks[start - 1].low == "the":
        start -= 1
    end = max(counted.end, q.j) if not counted.bare else q.j
    if counted.bare and end < len(toks) and toks[end].low in lex.predicates:
        end += 1                                      # "more than 12,000 killed"
    q, end = context.hedge_after(toks, q, end)
    claim = Claim(
        figure=figure, value=q.value, low=q.low, high=q.high, hedge=q.hedge,
        unit=q.unit if q.kind in ("money", "percent") else lex.unit_of(figure) if q.kind != "duration" else "day",
        text=body[toks[start].start:toks[end - 1].end], start=toks[start].start, end=toks[end - 1].end,
        aspect=context.aspect(toks, start, end, figure, lex),
        qualifiers=context.qualifiers(toks, number, end, lex),
        attribution=_attribution(body, sents, n, toks, q.i, q.j, lex, memory),
    )
    if claim.unit == "currency":
        claim.unit = q.unit or "USD"
    return claim


def _ratio_claims(body, sents, n, toks, q, lex, memory) -> list[Claim]:
    """'three to one', '10-to-one': N of the lexicon's `exchange.many` per one `exchange.one`,
    two claims, where the sentence speaks of either figure."""
    many, one = lex.exchange.get("many"), lex.exchange.get("one")
    if not many or not one or not any(figs & {many, one} for _, _, figs in lex.cues.scan(toks)):
        return []
    out = []
    for figure, i, j, value, quals in ((many, q.i, q.i + 1, q.value, [lex.exchange.get("per", "")]),
                                      (one, q.j - 1, q.j, 1.0, [])):
        if toks[i].low == "-" or not (toks[i].is_digit or toks[i].low in lex.number_words):
            continue
        out.append(Claim(figure=figure, value=value, hedge="exact", unit=lex.unit_of(figure),
                         text=body[toks[i].start:toks[j - 1].end], start=toks[i].start,
                         end=toks[j - 1].end, aspect=context.aspect(toks, q.i, q.j, figure, lex),
                         qualifiers=[x for x in quals if x],
                         attribution=_attribution(body, sents, n, toks, q.i, q.j, lex, memory)))
    return out


def _multiplied(toks, q, mult, lex, memory, n):
    """'three times that number of detainees': the base number just given, multiplied."""
    m = mult[0]
    if [t.low for t in toks[m:m + 3]] != ["that", "number", "of"] or not memory.claims:
        return None
    s, figure, base, unit, _ = memory.claims[-1]
    if base is None or n - s > 1:
        return None
    counted = figures._noun_from(toks, m + 3, lex) or figures.Counted(figure, None, m + 3)
    return replace(q, j=m + 2, value=base * mult[1]), counted


def _span_of(toks: list[Token], q: Quantity, lex: Compiled, memory: Memory, n: int) -> Optional[str]:
    """'a 24.5% raise over four years': a length right after a claim it spans names the figure
    that lexicon entry says (`spans`), and 'over' there is no hedge."""
    if q.kind != "duration" or q.i == 0 or not memory.claims:
        return None
    s, figure, _, _, end = memory.claims[-1]
    word = toks[q.i - 1].low
    if s != n or toks[q.i - 1].start - end > 2:
        return None
    return lex.spans.get((figure, word))


def _not_a_duration(toks: list[Token], q: Quantity, lex: Compiled) -> bool:
    """'in almost 50 years', 'six weeks into the war': a span of time, not a figure's length."""
    if q.i and toks[q.i - 1].low in lex.duration_not_after:
        return True
    if q.i > 1 and toks[q.i - 1].low in lex.duration_not_after_det \
            and toks[q.i - 2].low in ("the", "its", "their", "his", "her", "our", "over", "in", "for", "during"):
        return True
    if q.j < len(toks) and toks[q.j].low in lex.duration_not_before:
        return True
    k = q.j
    if k < len(toks) and toks[k].low in ("of", "into", "ago"):
        if toks[k].low == "ago":
            return True
        k += 1
        while k < len(toks) and toks[k].low in ("the", "its", "their", "a", "this", "that"):
            k += 1
        return k < len(toks) and toks[k].lemma in lex.duration_not_of
    return False


def _figure(body, sents, n, toks, q, counted, lex, memory) -> Optional[str]:
    kinds = figures._COMPATIBLE.get(q.kind, ())
    if counted.figure is not None:
        return counted.figure if figures.compatible(q.kind, counted.figure, lex) else None
    if counted.shared:
        return memory.topic(body, lex, counted.shared)
    if counted.noun is not None and not counted.generic:
        return None                                   # "seven countries": a noun outside the lexicon
    if q.indefinite:
        return None                                   # "a week" only with its figure's noun
    if counted.anaphor:
        return memory.recent(n, kinds, lex, back=1)
    if not figures.bare_allowed(toks, q, counted, lex):
        return None
    # "58 are still held, including 34 ... dead": a part of the figure just named.
    if q.i and toks[q.i - 1].low in figures.SUBSET_WORDS:
        whole = memory.recent(n, kinds, lex, back=0)
        if whole:
            return whole
    if counted.ref_value is not None:
        return memory.recent(n, kinds, lex, value=counted.ref_value, back=6)
    # "the 40", "the 13 men": the figure of the same number named just before.
    if figures.back_reference(toks, q):
        same = memory.recent(n, kinds, lex, value=q.value, back=6)
        if same:
            return same
    # "put the death toll ... above 600": a bare number is the value of the noun before it.
    before = _noun_before(toks, q, lex) if counted.bare else None
    cue = before or figures.cue_figure(toks, q, lex, counted.end, counted.hint)
    if cue:
        return cue
    if q.kind == "duration":
        shared = _shared_cue(toks, lex)
        return (_previous_cue(body, sents, n, q, lex)
                or (memory.topic(body, lex, shared) if shared else None))
    if counted.generic:
        # "the 50 women and children will come out ... 10 freed hostages": the sentence's cue.
        wide = figures.cue_figure(toks, q, lex, counted.end, reach=len(toks))
        if wide:
            return wide
    if q.kind == "count":
        # "Hamas released two US citizens", "would free two more": people just spoken of.
        return memory.recent(n, ("person",), lex, back=6 if counted.generic else 1)
    return memory.recent(n, kinds, lex, back=0)      # "62% ..., against a demand of 77%"


def _shared_cue(toks: list[Token], lex: Compiled) -> frozenset:
    """The figures a shared noun of the sentence may name ('The agreement covers 60 days')."""
    for _, _, figs in lex.weak.scan(toks):
        return figs
    return frozenset()


def _noun_before(toks: list[Token], q: Quantity, lex: Compiled) -> Optional[str]:
    """'the number of bodies to 15', 'deaths above 44,000': the noun stands before the number."""
    for k in range(q.i - 1, max(-1, q.i - 8), -1):
        hit = lex.nouns.match_at(toks, k)
        if hit and isinstance(hit[1], str) and figures.compatible(q.kind, hit[1], lex) and hit[0] <= q.i:
            return hit[1]
        if toks[k].low in (".", ";", ":"):
            break
    return None


def _previous_cue(body, sents, n, q, lex) -> Optional[str]:
    """'It lasted seven days': the figure named in the sentence before, in the same paragraph."""
    if n == 0 or sents[n - 1].paragraph != sents[n].paragraph:
        return None
    prev = tokenize(body[sents[n - 1].start:sents[n - 1].end], sents[n - 1].start)
    last = None
    for _, _, figs in lex.cues.scan(prev):
        fits = sorted(f for f in figs if figures.compatible(q.kind, f, lex))
        if fits:
            last = fits[0]
    return last


def _frames(body, sents, n, lex, memory, toks=None) -> list[attr.Frame]:
    if n not in memory.frames:
        s = sents[n]
        toks = toks if toks is not None else tokenize(body[s.start:s.end], s.start)
        memory.frames[n] = attr.frames(toks, body, lex)
    return memory.frames[n]


def _attribution(body, sents, n, toks, i, j, lex, memory) -> Optional[str]:
    """The claimant of tokens [i, j) of sentence `n`: its frame, else one carried in the paragraph."""
    frame = attr.claimant(_frames(body, sents, n, lex, memory, toks), toks, i, j)
    m = n
    while frame is None and m > 0 and sents[m - 1].paragraph == sents[n].paragraph and n - m < _CARRY_BACK:
        m -= 1
        # Only a frame that opens its sentence ("Officials said the deal ...") carries on;
        # "..., according to Israeli tallies." looks back, not ahead.
        fr = [f for f in _frames(body, sents, m, lex, memory) if not f.final]
        frame = fr[-1] if fr else None
    if frame is None:
        return None
    if attr.is_anaphor(frame.speaker, lex):
        return _antecedent(body, sents, m, frame.pos, lex, memory) or frame.speaker
    return frame.speaker


def _antecedent(body, sents, n, pos, lex, memory) -> Optional[str]:
    """The last speaker named (not referred to) before frame position `pos` of sentence `n`."""
    for m in range(n, max(-1, n - _CARRY_BACK), -1):
        for f in reversed(_frames(body, sents, m, lex, memory)):
            if (m < n or f.pos < pos) and not attr.is_anaphor(f.speaker, lex):
                return f.speaker
    return None
