"""Tokens, lemmas, phrase tables and sentence spans: the text layer every stage works on."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

# Initialisms stay one token ("U.S."), digits with separators too ("1,200", "5.63", "12:01",
# "50/50"); words keep an inner apostrophe ("Hamas's"); everything else is one character. Each branch is possessive in
# effect (no nested quantifiers), so a 1 MB line without spaces is read in linear time.
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[A-Z]\.(?= [A-Z][a-z])|\d+(?:[.,:/]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*|\S")
# Fractions written as one character ("½ tbsp") read as numbers.
VULGAR = {"¼": 0.25, "½": 0.5, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3, "⅕": 0.2, "⅛": 0.125}


@dataclass(frozen=True, slots=True)
class Token:
    """One token of a sentence, with its offsets in the document body."""

    text: str
    start: int
    end: int
    low: str
    lemma: str

    @property
    def is_digit(self) -> bool:
        """Whether the token is written in digits."""
        return self.text[0].isdigit() or self.text in VULGAR

    @property
    def is_title(self) -> bool:
        """Whether the token starts with a capital letter."""
        return self.text[0].isupper()


_NOT_PLURAL = frozenset({"this", "his", "its", "has", "was", "is", "as", "us", "yes", "gas", "bus",
                         "plus", "series", "news", "species", "hamas", "whereas", "perhaps",
                         "always", "various", "means", "talks", "lives", "arms", "remains"})


def lemma(word: str) -> str:
    """A crude singular of a lowercased word: 'hostages' -> 'hostage', 'lorries' -> 'lorry'."""
    if word.endswith(("'s", "’s")) and len(word) > 3:
        return lemma(word[:-2])                       # "the contract's five years": its noun
    if len(word) <= 3 or not word.endswith("s") or word in _NOT_PLURAL \
            or word.endswith(("ss", "us", "sis", "'s", "’s")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1]


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """The tokens of `text`, offsets shifted by `offset`."""
    out = []
    for m in _TOKEN.finditer(text):
        low = m.group().lower().replace("’", "'")
        out.append(Token(m.group(), m.start() + offset, m.end() + offset, low, lemma(low)))
    return out


class PhraseTable:
    """Multi-word phrases mapped to values, matched on token lemmas (longest phrase wins).

    Phrases are indexed by their first and last word, so a position whose word starts (or
    ends) no phrase costs one dict lookup: most tokens of a sentence are such positions.
    """

    def __init__(self, items: Iterable[tuple[str, object]] = (), exact: bool = False):
        self.table: dict[tuple[str, ...], object] = {}
        self.by_first: dict[str, list[int]] = {}
        self.by_last: dict[str, list[int]] = {}
        # Exact tables match the lowercased word itself: "hundreds" is vague, "hundred" is not.
        self.attr = "low" if exact else "lemma"
        for phrase, value in items:
            self.add(phrase, value)

    def add(self, phrase: str, value: object) -> None:
        """Map `phrase` to `value` (a later entry for the same phrase replaces it)."""
        key = tuple(getattr(t, self.attr) for t in tokenize(phrase))
        if not key:
            return
        self.table[key] = value
        for index, word in ((self.by_first, key[0]), (self.by_last, key[-1])):
            lengths = index.setdefault(word, [])
            if len(key) not in lengths:
                lengths.append(len(key))
                lengths.sort(reverse=True)

    def match_at(self, toks: list[Token], i: int) -> Optional[tuple[int, object]]:
        """The longest phrase starting at token `i`: (its end index, value), or None."""
        lengths = self.by_first.get(getattr(toks[i], self.attr)) if i < len(toks) else None
        for n in lengths or ():
            if i + n <= len(toks):
                key = tuple(getattr(t, self.attr) for t in toks[i:i + n])
                if key in self.table:
                    return i + n, self.table[key]
        return None

    def match_before(self, toks: list[Token], j: int) -> Optional[tuple[int, object]]:
        """The longest phrase ending just before token `j`: (its start index, value), or None."""
        lengths = self.by_last.get(getattr(toks[j - 1], self.attr)) if 0 < j <= len(toks) else None
        for n in lengths or ():
            if n <= j:
                key = tuple(getattr(t, self.attr) for t in toks[j - n:j])
                if key in self.table:
                    return j - n, self.table[key]
        return None

    def scan(self, toks: list[Token], lo: int = 0, hi: Optional[int] = None) -> Iterator[tuple[int, int, object]]:
        """Every (start, end, value) match starting in tokens [lo, hi), left to right, longest
        first, not overlapping. Stages pass a window around a number so that a sentence of
        100,000 numbers costs a window per number, not the sentence per number."""
        i, hi = max(0, lo), len(toks) if hi is None else min(hi, len(toks))
        while i < hi:
            hit = self.match_at(toks, i)
            if hit:
                yield i, hit[0], hit[1]
                i = hit[0]
            else:
                i += 1


class Hits:
    """Every match of a phrase table in one sentence, found once; stages ask for those starting
    in a window, so a sentence of thousands of numbers is scanned once, not once per number."""

    __slots__ = ("starts", "items")

    def __init__(self, table: PhraseTable, toks: list[Token]):
        self.items = list(table.scan(toks))
        self.starts = [s for s, _, _ in self.items]

    def within(self, lo: int, hi: int) -> list[tuple[int, int, object]]:
        """The matches that start in tokens [lo, hi), left to right."""
        return self.items[bisect_left(self.starts, lo):bisect_left(self.starts, hi)]


def window(toks: list[Token], i: int, j: int, width: int = 60) -> tuple[int, int]:
    """Token bounds reaching `width` tokens around [i, j): the most any stage looks around."""
    return max(0, i - width), min(len(toks), j + width)


# A sentence ends at . ! ? (and closing quotes) before a space and a capital, digit or quote.
_BOUNDARY = re.compile(r"[.!?][\"”’)\]]*[ \t]+(?=[\"“‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z.]+)\.$")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence's span in the body and the index of its paragraph."""

    start: int
    end: int
    paragraph: int


def sentences(body: str, abbreviations: frozenset[str] = frozenset()) -> list[Sentence]:
    """Sentence spans of `body`: paragraphs are lines, split at sentence punctuation."""
    out: list[Sentence] = []
    pos = 0
    for par, line in enumerate(body.split("\n")):
        start = pos
        pos += len(line) + 1
        cut = start
        for m in _BOUNDARY.finditer(line):
            head = line[max(0, m.start() - 12):m.start() + 1]
            word = _WORD_BEFORE.search(head)
            # "Oct. 7", "Mr. Smith", "U.S. officials", "Patrick L. Anderson": the full stop ends
            # a word, not a sentence.
            if line[m.start()] == "." and word and (
                    word.group(1).lower().rstrip(".") in abbreviations
                    or re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", word.group(1).split(" ")[-1])):
                continue
            end = start + m.start() + 1
            out.append(Sentence(cut, end, par))
            cut = start + m.end()
        if line[cut - start:].strip():
            out.append(Sentence(cut, start + len(line), par))
    return [s for s in out if body[s.start:s.end].strip()]
