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
from typing import Iterable, Optional, Sequence

from tracker.extract.gazetteer import Gazetteer, Mention, resolve_gazetteer
from tracker.extract.text import sentences


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
    if len(parties) == 1:
        # One party named: the one known story it has, if it has only one ("the RSF" is Sudan's war).
        having = [p for p in gaz.pairs() if parties[0] in p]
        if len(having) == 1:
            parties = tuple(sorted(having[0], key=lambda a: a != parties[0]))
    return Reading(gaz.key_of(parties), parties, scores, mentions)


def _lead_end(body: str) -> int:
    """The end of the first paragraph (the first line holding text)."""
    pos = 0
    for line in body.split("\n"):
        pos += len(line) + 1
        if line.strip():
            return pos
    return pos


def sentence_story(gaz: Gazetteer, named: set[str], own: set[str], story: Optional[str],
                   proper: frozenset[str] = frozenset()) -> Optional[str]:
    """The story of a sentence naming the parties `named` (`proper`: those named by a name, not a
    demonym), in a document of `story` with parties `own`: another known story only where the
    sentence names none of `own` and its parties are exactly one known story's (all of them, or
    one party, named by its name, that only that story has: "a Ukrainian national among the
    hostages" is no Ukraine story)."""
    if not named or named & own:
        return story
    pairs = gaz.pairs()
    whole = [k for parties, k in pairs.items() if parties <= named]
    if len(whole) == 1:
        return whole[0]
    if len(named) == 1:
        (actor,) = named
        if gaz.actors[actor].role == "party" and actor in proper:
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
    proper: dict[int, set[str]] = {}
    for m in reading.mentions:
        if not m.brokered and gaz.actors[m.actor].role != "mediator":
            n = bisect_right(starts, m.start) - 1
            named.setdefault(n, set()).add(m.party)
            if not m.adjective:
                proper.setdefault(n, set()).add(m.party)
    for claim in claims:
        n = bisect_right(starts, claim.start) - 1
        claim.story = sentence_story(gaz, named.get(n, set()), own, doc_story, frozenset(proper.get(n, ())))
    return doc_story
