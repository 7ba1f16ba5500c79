"""The gazetteer: the actors of negotiations (names, roles, sides) and the known stories, as data.

The data is gazetteer.toml; a user's own TOML is merged over it as a user lexicon is
(`lexicon.merged_toml`). `Matcher` finds the actors a text names: one regex built as a trie
over every name, run over the raw text, and the frames of mediation around a name.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Literal, NamedTuple, Optional, Sequence

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError

from tracker.errors import GazetteerError
from tracker.extract.lexicon import merged_toml


class Actor(BaseModel):
    """One actor of negotiations: how it is named, and whether it can be a party."""

    model_config = ConfigDict(extra="forbid")

    name: str = ""
    kind: str = ""
    role: Literal["party", "broker", "mediator"] = "party"
    side: Optional[str] = None
    names: list[str] = []
    adjectives: list[str] = []
    places: list[str] = []


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
        # An automatic key joins actor keys with "-", which may hold "-" themselves
        # ("houthis-saudi-arabia"): read it left to right, the longest actor key first.
        words, out, i = story.split("-"), [], 0
        while i < len(words):
            j = next((j for j in range(len(words), i, -1) if "-".join(words[i:j]) in self.actors), None)
            if j is None:
                i += 1
                continue
            out.append("-".join(words[i:j]))
            i = j
        return tuple(out)

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
    adjective: bool                     # a demonym or a place: it counts less, and never alone
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
            weak = actor.adjectives + actor.places
            for words, adjective in [(n, False) for n in actor.names] + [(a, True) for a in weak]:
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
