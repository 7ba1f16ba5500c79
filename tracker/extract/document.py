"""What extraction remembers of a document: its sentences, claims so far and reporting frames."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, Optional

from tracker.extract import attribution as attr
from tracker.extract.compiled import Compiled
from tracker.extract.text import Hits, PhraseTable, Sentence, Token, tokenize

# How many sentences back a claimant is carried or a pronoun looks for its speaker.
_CARRY_BACK = 8
_RECENT_MAX = 60
_BULLETS = ("- ", "• ", "* ", "– ")
_SUBJECT_BACK = 2


class Said(NamedTuple):
    """A claim already made: its sentence, figure, value, unit, end offset and hedge."""

    sentence: int
    figure: str
    value: Optional[float]
    unit: str
    end: int
    hedge: str = "exact"
    low: Optional[float] = None
    high: Optional[float] = None
    aspect: Optional[str] = None


@dataclass
class Document:
    """One body being extracted, with the lexicon and the memory the stages share."""

    body: str
    lex: Compiled
    sents: list[Sentence]
    said: list[Said] = field(default_factory=list)
    _frames: dict[int, list[attr.Frame]] = field(default_factory=dict)
    _tokens: dict[int, list[Token]] = field(default_factory=dict)
    memo: dict = field(default_factory=dict)         # per-sentence answers stages reuse
    _topic: Optional[dict[str, int]] = None

    def tokens(self, n: int) -> list[Token]:
        """The tokens of sentence `n` (read once)."""
        if n not in self._tokens:
            s = self.sents[n]
            self._tokens[n] = tokenize(self.body[s.start:s.end], s.start)
        return self._tokens[n]

    def hits(self, n: int, table: PhraseTable) -> Hits:
        """The matches of `table` in sentence `n` (scanned once)."""
        key = ("hits", id(table), n)
        if key not in self.memo:
            self.memo[key] = Hits(table, self.tokens(n))
        return self.memo[key]

    def same_paragraph(self, a: int, b: int) -> bool:
        """Whether sentences `a` and `b` stand in one paragraph."""
        return self.sents[a].paragraph == self.sents[b].paragraph

    def topic(self, among: frozenset) -> str:
        """Of the figures `among`, the one the document names most ('the agreement' is a truce in
        a ceasefire story, a contract in a strike story); counted once, only when needed."""
        if self._topic is None:
            self._topic = {}
            for _, _, figs in self.lex.cues.scan(tokenize(self.body)):
                for f in figs:
                    self._topic[f] = self._topic.get(f, 0) + 1
        return max(sorted(among), key=lambda f: self._topic.get(f, 0))

    def named(self, among) -> Optional[str]:
        """Of the figures `among`, the one the document names most, if it names any."""
        best = self.topic(frozenset(among))
        return best if self._topic.get(best, 0) else None

    def recent(self, n: int, units: tuple[str, ...], value=None, back: int = 2,
               among: Optional[set] = None) -> Optional[str]:
        """The figure of the latest claim in a unit of `units` (with `value`, if given) made at
        most `back` sentences before sentence `n`."""
        # The last claims only: a sentence of thousands of numbers must not make this quadratic.
        for s in reversed(self.said[-_RECENT_MAX:]):
            if n - s.sentence > back:
                break
            if self.lex.unit_of(s.figure) in units and (value is None or s.value == value) \
                    and (among is None or s.figure in among):
                return s.figure
        return None

    def frames(self, n: int, toks: Optional[list[Token]] = None) -> list[attr.Frame]:
        """The reporting frames of sentence `n`, found once."""
        if n not in self._frames:
            self._frames[n] = attr.frames(toks if toks is not None else self.tokens(n), self.body, self.lex)
        return self._frames[n]

    def claimant(self, n: int, toks: list[Token], i: int, j: int) -> Optional[str]:
        """Who asserts the number at tokens [i, j) of sentence `n`: its frame, else an opening
        frame carried from the sentences before in the paragraph; pronouns resolved."""
        frame = attr.claimant(self.frames(n, toks), toks, i, j)
        m = n
        # Reported speech goes on in the sentences after "X said ..." where their verbs stay
        # back-shifted ("Top-rate pay would climb ..."); "Israel released 30" is the article's.
        key = ("reported", n)
        if key not in self.memo:
            self.memo[key] = any(t.low in self.lex.reported_speech for t in toks)
        reported = self.memo[key]
        while frame is None and reported and m > 0 and self.same_paragraph(m - 1, n) \
                and n - m < _CARRY_BACK:
            m -= 1
            # Only a frame that opens its sentence ("Officials said the deal ...") carries on;
            # "..., according to Israeli tallies." looks back, not ahead.
            opening = [f for f in self.frames(m) if not f.final]
            frame = opening[-1] if opening else None
        if frame is None:
            return self._list_speaker(n)
        if attr.is_anaphor(frame.speaker, self.lex):
            # "The army has recovered 37 bodies, it said": a pronoun closing its own sentence
            # names that sentence's subject.
            opener = attr.opening_subject(toks, self.body, self.lex) if m == n and frame.pos >= j else None
            return opener or self._antecedent(m, frame.pos, frame.speaker) or frame.speaker
        return frame.speaker

    def _list_speaker(self, n: int) -> Optional[str]:
        """The speaker of the line that opens the bullet list sentence `n` stands in
        ('The agency's update says:' over '- Roughly 1.6 million ...'), or None."""
        key = ("list", n)
        if key in self.memo:
            return self.memo[key]
        who = None
        if self._bullet(n):
            m = n - 1
            while m >= 0 and self._bullet(m):
                m -= 1
            if m >= 0 and m < n - 1 and ("list", m + 1) in self.memo:
                who = self.memo[("list", m + 1)]      # the run's first item already asked
            elif m >= 0:
                who = attr.list_intro(self.tokens(m), self.body, self.lex)
        self.memo[key] = who
        return who

    def _bullet(self, n: int) -> bool:
        """Whether sentence `n` stands on a line that is a bullet item ('- ', '• ', '* ')."""
        line = self.body.rfind("\n", 0, self.sents[n].start) + 1
        return self.body[line:line + 2] in _BULLETS

    def _antecedent(self, n: int, pos: int, pronoun: str = "") -> Optional[str]:
        """The last speaker named before frame position `pos` of sentence `n`; failing a name,
        the last one described ('the office'), never a bare pronoun."""
        described = None
        for m in range(n, max(-1, n - _CARRY_BACK), -1):
            for f in reversed(self.frames(m)):
                if not (m < n or f.pos < pos):
                    continue
                if not attr.is_anaphor(f.speaker, self.lex):
                    return f.speaker
                if described is None and len(f.speaker.split()) > 1:
                    described = f.speaker
            if described is None and m < n and n - m <= _SUBJECT_BACK and not self.frames(m) \
                    and pronoun.lower() in ("he", "she", "him", "her"):
                # "UNRWA's chief spoke to reporters. She said ...": the subject just before.
                who = attr.opening_subject(self.tokens(m), self.body, self.lex)
                if who:
                    return who
        return described
