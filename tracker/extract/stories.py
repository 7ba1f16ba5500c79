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

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Literal, Optional, Sequence

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError

from tracker.errors import GazetteerError
from tracker.extract.lexicon import merged_toml
from tracker.extract.text import Token, sentences, tokenize


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
        for key, story in self.stories.items():
            if set(story.parties) == set(parties):
                return key
        return "-".join(sorted(parties))

    def display(self, actor: str) -> str:
        """How `actor` is shown."""
        a = self.actors.get(actor)
        return (a.name or actor) if a else actor


@dataclass(frozen=True, slots=True)
class Mention:
    """An actor named in the text: the party it counts for, where, and how it is named."""

    party: str
    actor: str
    start: int
    adjective: bool
    brokered: bool


def _forms(text: str) -> tuple[str, ...]:
    """A token as written, and without its possessive or plural ending ("Hamas's", "Houthis")."""
    out = [text]
    for end in ("'s", "’s"):
        if text.endswith(end):
            out.append(text[:-2])
    if len(text) > 3 and text.endswith("s") and text[-2] != "'":
        out.append(text[:-1])
    return tuple(out)


class Matcher:
    """The gazetteer compiled: names indexed by their first token, the mediation cues, the known pairs."""

    def __init__(self, gaz: Gazetteer):
        self.gaz = gaz
        self.by_first: dict[str, list[tuple[tuple[str, ...], str, bool]]] = {}
        for key, actor in gaz.actors.items():
            for words, adjective in [(n, False) for n in actor.names] + [(a, True) for a in actor.adjectives]:
                toks = tuple(t.text for t in tokenize(words))
                if toks:
                    self.by_first.setdefault(toks[0], []).append((toks, key, adjective))
        for entries in self.by_first.values():
            entries.sort(key=lambda e: -len(e[0]))
        ctx = gaz.context
        self.after = frozenset(str(w).lower() for w in ctx.get("after", []))
        self.before = [tuple(t.low for t in tokenize(str(p))) for p in ctx.get("before", [])]
        self.window = int(ctx.get("window", 6))
        self.party = {key: gaz.party(key) for key in gaz.actors}

    def mentions(self, toks: list[Token]) -> list[Mention]:
        """Every actor named in `toks`, left to right, the longest name at each position."""
        out = []
        i = 0
        while i < len(toks):
            hit = self._match(toks, i)
            if hit is None:
                i += 1
                continue
            j, key, adjective = hit
            out.append(Mention(self.party[key], key, toks[i].start, adjective, self._brokered(toks, i, j)))
            i = j
        return out

    def _match(self, toks: list[Token], i: int) -> Optional[tuple[int, str, bool]]:
        for form in _forms(toks[i].text):
            for words, key, adjective in self.by_first.get(form, ()):
                n = len(words)
                if i + n <= len(toks) and all(words[k] in _forms(toks[i + k].text) for k in range(1, n)):
                    return i + n, key, adjective
        return None

    def _brokered(self, toks: list[Token], i: int, j: int) -> bool:
        """'a US- and French-brokered ceasefire', 'Egyptian mediators', 'talks mediated by Qatar
        and Egypt': the name stands in a frame of mediation, past other names joined to it."""
        for k in range(j, min(len(toks), j + self.window)):
            low = toks[k].low
            if low in self.after:
                return True
            if not (low in ("-", ",", "and", "&", "the") or toks[k].is_title):
                break
        k = i
        while k > max(0, i - self.window) and (toks[k - 1].low in (",", "and", "&", "the", "-")
                                                or toks[k - 1].is_title):
            k -= 1
        words = tuple(t.low for t in toks[max(0, k - 4):k])
        return any(words[len(words) - len(p):] == p for p in self.before if len(p) <= len(words))


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
    known = {frozenset(s.parties) for s in gaz.stories.values()}

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
    mentions = match.mentions(tokenize(body))
    w = gaz.weights
    lead_end = _lead_end(body)
    scores = _scores(gaz, match.mentions(tokenize(title)), w.get("title", 1.0)) if title else {}
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
    whole = [k for k, s in gaz.stories.items() if set(s.parties) <= named]
    if len(whole) == 1:
        return whole[0]
    if len(named) == 1:
        (actor,) = named
        if gaz.actors[actor].role == "party":
            having = [k for k, s in gaz.stories.items() if actor in s.parties]
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
