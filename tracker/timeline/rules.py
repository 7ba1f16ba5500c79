"""The rules of series.toml: which qualifiers split a series, outlet names, cumulative series, tolerance.

Mechanisms only; the words are data (tracker/timeline/series.toml, extendable with the user's
own TOML through `load_rules(extra=...)`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Optional, Sequence

from tracker.errors import InputError


@dataclass(frozen=True, eq=False)
class SeriesRules:
    """What series.toml says: splitting and whole-naming qualifiers, outlets, cumulative series, tolerance."""

    whole: frozenset[str]
    qualifier_prefixes: tuple[str, ...]
    subset_text: tuple[tuple[re.Pattern, str], ...]
    nationalities: frozenset[str]
    whole_by_story: dict
    cumulative_aspects: frozenset[str]
    cumulative_figures: frozenset[str]
    step_qualifiers: frozenset[str] = frozenset()
    carried_forward_reports: int = 3
    tolerance: float = 0.10
    carried_by: tuple[str, ...] = ()
    descriptors: tuple[str, ...] = ()
    aliases: dict = field(default_factory=dict)
    wire_min_words: int = 4
    _nationality_re: Optional[re.Pattern] = None
    text_prefilter: Optional[re.Pattern] = None

    @lru_cache(maxsize=4096)
    def whole_for(self, story: Optional[str], figure: str) -> frozenset[str]:
        """Qualifiers naming the whole of `figure` in `story` (all stories' when the story is unknown)."""
        by_story = self.whole_by_story
        if story in by_story:
            return by_story[story].get(figure, frozenset())
        return frozenset(w for figs in by_story.values() for w in figs.get(figure, ()))

    def splits(self, qualifier: str, story: Optional[str] = None, figure: str = "") -> bool:
        """Whether `qualifier` names a part (or a step, a rate) rather than the whole counted."""
        q = " ".join(qualifier.lower().split())
        return bool(q) and q not in self.whole and q not in self.whole_for(story, figure)

    # the old name: "a qualifier that matters" is one that splits
    matters = splits

    def text_qualifiers(self, text: str, story: Optional[str], figure: str) -> list[str]:
        """Qualifiers the claim's own words imply: 'N of the M' and a nationality naming a part."""
        out = [q for pattern, q in self.subset_text if pattern.search(text)]
        if self._nationality_re is not None:
            whole = self.whole_for(story, figure)
            out += [m.lower() for m in self._nationality_re.findall(text) if m.lower() not in whole]
        return out

    def is_cumulative(self, figure: str, aspect: str, qualifiers: Sequence[str]) -> bool:
        """Whether the series only grows, so that one voice's drop is a revision."""
        if set(qualifiers) & self.step_qualifiers or any(q.startswith(self.qualifier_prefixes) for q in qualifiers):
            return False
        if aspect:
            return aspect in self.cumulative_aspects
        return figure in self.cumulative_figures

    def outlet(self, source: Optional[str]) -> str:
        """An outlet's name normalized: 'AFP via Barron's' → AFP, 'BBC News (live page)' → BBC News."""
        name = " ".join((source or "").split())
        for sep in self.carried_by:
            if sep in name:
                name = name.split(sep, 1)[0].strip()
        m = re.fullmatch(r"(.+?)\s*\((.+)\)", name)
        if m:
            outer, inner = m.group(1).strip(), m.group(2).strip()
            name = outer if inner.lower().startswith(self.descriptors) else inner
        return self.aliases.get(name.lower(), name) or "?"


def _patterns(table: dict, where: str) -> tuple:
    out = []
    for pattern, qualifier in table.items():
        try:
            out.append((re.compile(pattern, re.I), qualifier))
        except re.error as exc:
            raise InputError(f"{where}: pattern {pattern!r} in [series.subset_text] is not a regex ({exc})") from None
    return tuple(out)


def _merge(base: dict, extra: dict) -> dict:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        elif isinstance(value, list) and isinstance(base.get(key), list):
            base[key] = base[key] + value
        else:
            base[key] = value
    return base


def rules_from_data(data: dict, where: str = "series.toml") -> SeriesRules:
    """SeriesRules from the parsed TOML tables."""
    s, c, d, o = (data.get(k, {}) for k in ("series", "changes", "disputes", "outlets"))
    words = sorted({w.lower() for w in s.get("nationalities", {}).get("words", [])}, key=len, reverse=True)
    nat = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.I) if words else None
    aliases = {}
    for canonical, spellings in o.get("aliases", {}).items():
        for name in [canonical, *spellings]:
            aliases[name.lower()] = canonical
    return SeriesRules(
        whole=frozenset(q.lower() for q in s.get("whole", [])),
        qualifier_prefixes=tuple(p.lower() for p in s.get("qualifier_prefixes", [])),
        subset_text=_patterns(s.get("subset_text", {}), where),
        nationalities=frozenset(words),
        whole_by_story={story: {fig: frozenset(w.lower() for w in ws) for fig, ws in figs.items()}
                        for story, figs in data.get("whole_by_story", {}).items()},
        cumulative_aspects=frozenset(c.get("cumulative_aspects", [])),
        cumulative_figures=frozenset(c.get("cumulative_figures", [])),
        step_qualifiers=frozenset(q.lower() for q in c.get("step_qualifiers", [])),
        carried_forward_reports=int(c.get("carried_forward_reports", 3)),
        tolerance=float(d.get("tolerance", 0.10)),
        carried_by=tuple(o.get("carried_by", [])),
        descriptors=tuple(x.lower() for x in o.get("descriptors", [])),
        aliases=aliases,
        wire_min_words=int(o.get("wire_min_words", 4)),
        _nationality_re=nat,
        # one search that any claim made a part by its words matches (the exact rules run after it)
        text_prefilter=re.compile("|".join([f"(?:{p})" for p in s.get("subset_text", {})] +
                                           ([nat.pattern] if nat else [])) or r"(?!)", re.I),
    )


@lru_cache(maxsize=8)
def load_rules(extra: tuple[str, ...] = ()) -> SeriesRules:
    """The series rules shipped in tracker/timeline/series.toml, extended by the user's TOML files."""
    data = tomllib.loads(resources.files("tracker.timeline").joinpath("series.toml").read_text(encoding="utf-8"))
    for path in extra:
        try:
            _merge(data, tomllib.loads(Path(path).read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{path}: not valid TOML ({exc})") from None
    return rules_from_data(data, ", ".join(extra) or "series.toml")
