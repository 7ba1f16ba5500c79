"""The story of a document and of each claim: the negotiation it is about, from the actors it names.

Mechanisms only; every name, role, side, weight and known pair lives in gazetteer.toml (a user
gazetteer extends it). A document's story is keyed by its two principal parties: the actors it
names most, a mention counting more in the title and first paragraph, less as a demonym, a
broker's (the US, Saudi Arabia) a quarter, a mediator's (Qatar, the ICRC) not at all, nor any
mention in a frame of mediation ("US-brokered", "mediated by Egypt"). A claim takes its
document's story, except where its sentence names parties of another known story and none of
the document's own ("Russia and Ukraine swapped 150 each" inside a Gaza report).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Literal, NamedTuple, Optional, Sequence

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError

from tracker.errors import GazetteerError
from tracker.extract.lexicon import merged_toml
from tracker.extract.text import sentences


class Actor(BaseModel):
    """One actor of negotiations: how it is named, and whether it can be a party."""

    model_config = ConfigDict(extra="forbid")

    name: str = ""
    kind: str = ""
    role: Literal["party", "broker", "mediator"] = "party"
    side: Optional[str] = None
    names: list[str] = []
    adjectives: list[str] = []


class StoryDef(BaseModel):
    """A known story: the parties whose pair it is keyed by."""

    model_config = ConfigDict(extra="forbid")

    parties: list[str]
    name: str = ""


class Gazetteer(BaseModel):
    """Every actor and known story, with the weights that pick a document's principal parties."""

    model_config = ConfigDict(extra="forbid")

    weights: dict[str, float] = {}
    roles: dict[str, float] = {}
    context: dict[str, object] = {}
    actors: dict[str, Actor] = {}
    stories: dict[str, StoryDef] = {}

    _compiled: object = PrivateAttr(default=None)

    def compiled(self) -> "Matcher":
        """The gazetteer's name tables, built once per gazetteer object."""
        if self._compiled is None:
            self._compiled = Matcher(self)
        return self._compiled

    def party(self, actor: str) -> str:
        """The actor whose side `actor` is on (itself when it has no side)."""
        seen = {actor}
        while (side := self.actors[actor].side) and side not in seen:
            seen.add(side)
            actor = side
        return actor

    def parties_of(self, story: Optional[str]) -> tuple[str, ...]:
        """The party keys of a story key: a known story's, else the actor keys its key is made of."""
        if not story:
            return ()
        if story in self.stories:
            return tuple(self.stories[story].parties)
        found = [a for a in self.actors if story == a or story.startswith(a + "-") or story.endswith("-" + a)
                 or f"-{a}-" in story]
        # "saudi-arabia" holds no "arabia" actor, but a shorter key inside a longer one found
        # here ("us" in "us-venezuela") stays; drop keys that are part of another found key.
        return tuple(a for a in found if not any(a != b and a in b.split("-") and b in found for b in found))

    def key_of(self, parties: Sequence[str]) -> Optional[str]:
        """The story key of principal `parties`: a known pair's key, else the keys sorted and joined."""
        if not parties:
            return None
        return self.pairs().get(frozenset(parties)) or "-".join(sorted(parties))

    def pairs(self) -> dict[frozenset, str]:
        """Each known set of parties with its story key; a later table for the same parties wins
        (a user's key for a built-in pair)."""
        return {frozenset(s.parties): key for key, s in self.stories.items()}

    def display(self, actor: str) -> str:
        """How `actor` is shown."""
        a = self.actors.get(actor)
        return (a.name or actor) if a else actor


class Mention(NamedTuple):
    """An actor named in the text: the party it counts for, where, and how it is named."""

    party: str
    actor: str
    start: int
    adjective: bool
    brokered: bool


def _trie(words: Iterable[str]) -> str:
    """One regex matching any of `words`, built as a trie so that a position costs one branch per
    character, not one try per word; greedy, so the longest word wins ("Israeli" over "Israel")."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


# What may stand between a name and a mediation word: "-", ",", "and", "the", other names
# ("a US- and French-brokered ceasefire", "Egyptian, Qatari and US mediators").
# Atomic groups keep a long run of names from backtracking; a full stop belongs to an
# initialism ("U.S.") only, so a frame never reaches into the next sentence.
_JOINED = r"(?:\s*(?>-|,|&|and\b|the\b|(?:[A-Z]\.){2,}|[A-Z][\w'’-]*))*?"
# Before a name, the frame stops at a comma: in "brokered by the UAE, Russia and Ukraine each
# sent home 150", the comma closes the broker's phrase and the sentence's subject follows.
_JOINED_BEFORE = _JOINED.replace("|,", "")


class Matcher:
    """The gazetteer compiled: one regex of every name, the mediation cues, each actor's party.

    The names are found by a regex over the raw text, not by tokenizing it, so a megabyte
    without any name costs a scan for capital letters."""

    def __init__(self, gaz: Gazetteer):
        self.gaz = gaz
        self.names: dict[str, tuple[str, bool]] = {}
        for key, actor in gaz.actors.items():
            for words, adjective in [(n, False) for n in actor.names] + [(a, True) for a in actor.adjectives]:
                words = " ".join(words.split())
                if words:
                    self.names[words] = (key, adjective)
        # A name, then its possessive or plural ("Hamas's", "Houthis"), then no more letters.
        self.pattern = re.compile(f"(?:{_trie(self.names)})(?:['’]s|s)?(?!\\w)") if self.names else None
        ctx = gaz.context
        self.reach = int(ctx.get("reach", 60))
        after = "|".join(re.escape(str(w)) for w in ctx.get("after", []))
        before = "|".join(re.escape(str(w)).replace(r"\ ", r"\s+") for w in ctx.get("before", []))
        # Cue words in any case; the names between them as written (capitalized).
        self.after = re.compile(rf"{_JOINED}\s*-?\s*(?i:{after})\b") if after else None
        self.before = re.compile(rf"\b(?i:{before}){_JOINED_BEFORE}\s*\Z") if before else None
        words = [str(w) for w in ctx.get("after", [])] + [str(p).split()[0] for p in ctx.get("before", []) if p.split()]
        self.cue = re.compile(_trie(w.lower() for w in words)) if words else None
        self.party = {key: gaz.party(key) for key in gaz.actors}

    def mentions(self, text: str) -> list[Mention]:
        """Every actor named in `text`, left to right, the longest name at each position."""
        if self.pattern is None:
            return []
        out = []
        # Where any mediation word stands: most names have none near, and skip the frame regexes.
        cues = [m.start() for m in self.cue.finditer(text.lower())] if self.cue else []
        for m in self.pattern.finditer(text):
            i = m.start()
            if i and (text[i - 1].isalnum() or text[i - 1] == "_"):
                continue                              # inside a word: "USMX" is not "US"
            hit = self._name(m.group())
            if hit is None:
                continue
            key, adjective = hit
            brokered = False
            if cues:
                k = bisect_left(cues, i - self.reach)
                brokered = k < len(cues) and cues[k] <= m.end() + self.reach and self._brokered(text, i, m.end())
            out.append(Mention(self.party[key], key, i, adjective, brokered))
        return out

    def _name(self, found: str) -> Optional[tuple[str, bool]]:
        hit = self.names.get(found)
        if hit is not None:
            return hit
        words = " ".join(found.split())
        for form in (words, words[:-2], words[:-1]):
            if form in self.names:
                return self.names[form]
        return None

    def _brokered(self, text: str, i: int, j: int) -> bool:
        """'a US- and French-brokered ceasefire', 'Egyptian mediators', 'talks mediated by Qatar
        and Egypt': the name stands in a frame of mediation, past other names joined to it."""
        if self.after and self.after.match(text, j, min(len(text), j + self.reach)):
            return True
        return bool(self.before and self.before.search(text, max(0, i - self.reach), i))


@lru_cache(maxsize=32)
def load_gazetteer(*extra_paths: str) -> Gazetteer:
    """The built-in gazetteer, extended by each user gazetteer file in `extra_paths`."""
    data = merged_toml("gazetteer.toml", extra_paths, "gazetteer", GazetteerError)
    where = extra_paths[-1] if extra_paths else "gazetteer.toml"
    try:
        gaz = Gazetteer.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(p) for p in first["loc"])
        raise GazetteerError(f"{where}: gazetteer does not fit the expected shape: {place}: {first['msg']}") from None
    for key, actor in gaz.actors.items():
        if actor.side and actor.side not in gaz.actors:
            raise GazetteerError(f"{where}: actor {key!r} is on the side of {actor.side!r}, which is no actor")
    for key, story in gaz.stories.items():
        unknown = [p for p in story.parties if p not in gaz.actors]
        if unknown or len(story.parties) < 1:
            raise GazetteerError(f"{where}: story {key!r} names parties that are no actors: {', '.join(unknown)}")
    return gaz


def resolve_gazetteer(gazetteer: "Gazetteer | str | Path | Iterable[str] | None") -> Gazetteer:
    """Accept a Gazetteer, a path, a list of paths or None (built-in) and give a Gazetteer."""
    if gazetteer is None:
        return load_gazetteer()
    if isinstance(gazetteer, Gazetteer):
        return gazetteer
    if isinstance(gazetteer, (str, Path)):
        return load_gazetteer(str(gazetteer))
    return load_gazetteer(*(str(p) for p in gazetteer))


def _scores(gaz: Gazetteer, mentions: Iterable[Mention], weight: float) -> dict[str, tuple[float, float]]:
    """Per party: (what its mentions count as a party, what they count with brokers discounted)."""
    w, roles, out = gaz.weights, gaz.roles, {}
    for m in mentions:
        role = gaz.actors[m.actor].role
        if m.brokered or role == "mediator":
            continue
        value = weight * (w.get("adjective", 1.0) if m.adjective else 1.0)
        full, discounted = out.get(m.party, (0.0, 0.0))
        out[m.party] = (full + value, discounted + value * roles.get(role, 1.0))
    return out


def principal_parties(gaz: Gazetteer, scores: dict[str, tuple[float, float]]) -> tuple[str, ...]:
    """The two actors the document is about: the one named most (a broker's mentions discounted),
    and the one named most beside it. A second actor that makes a known story with the first
    counts `roles.known_pair` times; a broker is a second party only in such a pair, and there
    counts in full: the US is a party of a Russia-US swap, a broker of an Israel-Hamas truce."""
    if not scores:
        return ()
    ranked = sorted(scores, key=lambda a: (-scores[a][1], a))
    first = ranked[0]
    if scores[first][1] <= 0:
        return ()
    bonus = gaz.roles.get("known_pair", 1.0)
    known = gaz.pairs()

    def rank(a: str) -> float:
        if frozenset((first, a)) in known:
            return scores[a][0] * bonus
        return scores[a][1] if gaz.actors[a].role == "party" else 0.0

    rest = sorted((a for a in ranked[1:] if rank(a) > 0), key=lambda a: (-rank(a), a))
    return (first, rest[0]) if rest else (first,)


@dataclass
class Reading:
    """What the text says about its story: the document's key, its principal parties, the scores."""

    story: Optional[str]
    parties: tuple[str, ...]
    scores: dict[str, tuple[float, float]]
    mentions: list[Mention]


def read_story(body: str, gazetteer=None, *, title: Optional[str] = None) -> Reading:
    """The story of a document from the actors its title and body name."""
    gaz = resolve_gazetteer(gazetteer)
    match = gaz.compiled()
    mentions = match.mentions(body)
    w = gaz.weights
    lead_end = _lead_end(body)
    scores = _scores(gaz, match.mentions(title), w.get("title", 1.0)) if title else {}
    for part, weight in (([m for m in mentions if m.start < lead_end], w.get("lead", 1.0)),
                         ([m for m in mentions if m.start >= lead_end], w.get("body", 1.0))):
        for actor, (full, discounted) in _scores(gaz, part, weight).items():
            before = scores.get(actor, (0.0, 0.0))
            scores[actor] = (before[0] + full, before[1] + discounted)
    parties = principal_parties(gaz, scores)
    return Reading(gaz.key_of(parties), parties, scores, mentions)


def _lead_end(body: str) -> int:
    """The end of the first paragraph (the first line holding text)."""
    pos = 0
    for line in body.split("\n"):
        pos += len(line) + 1
        if line.strip():
            return pos
    return pos


def sentence_story(gaz: Gazetteer, named: set[str], own: set[str], story: Optional[str]) -> Optional[str]:
    """The story of a sentence naming the parties `named`, in a document of `story` with parties
    `own`: another known story only where the sentence names none of `own` and its parties are
    exactly one known story's (all of them, or one party only it has)."""
    if not named or named & own:
        return story
    pairs = gaz.pairs()
    whole = [k for parties, k in pairs.items() if parties <= named]
    if len(whole) == 1:
        return whole[0]
    if len(named) == 1:
        (actor,) = named
        if gaz.actors[actor].role == "party":
            having = [k for parties, k in pairs.items() if actor in parties]
            if len(having) == 1:
                return having[0]
    return story


def assign(body: str, claims: Sequence, gazetteer=None, *, title: Optional[str] = None,
           story: Optional[str] = None, abbreviations: frozenset[str] = frozenset()) -> Optional[str]:
    """Set each claim's `story` and return the document's: `story` (the user's) where given, else
    the one read from the text; a sentence about another known story's parties gives its claims
    that story."""
    gaz = resolve_gazetteer(gazetteer)
    reading = read_story(body, gaz, title=title)
    doc_story = story or reading.story
    if not claims:
        return doc_story
    own = set(reading.parties) | set(gaz.parties_of(story))
    sents = sentences(body, abbreviations)
    starts = [s.start for s in sents]
    named: dict[int, set[str]] = {}
    for m in reading.mentions:
        if not m.brokered and gaz.actors[m.actor].role != "mediator":
            named.setdefault(bisect_right(starts, m.start) - 1, set()).add(m.party)
    for claim in claims:
        n = bisect_right(starts, claim.start) - 1
        claim.story = sentence_story(gaz, named.get(n, set()), own, doc_story)
    return doc_story
