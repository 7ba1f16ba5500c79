"""Load and validate the figure lexicon (TOML), merging a user's own files over the built-in one."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Optional

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError

from tracker.errors import LexiconError


class FigureSpec(BaseModel):
    """One tracked figure: its unit and the words that name it."""

    model_config = ConfigDict(extra="allow")

    unit: str = "item"
    description: str = ""
    nouns: list[str] = []
    verbs: list[str] = []
    cues: list[str] = []
    hints: list[str] = []
    aspect: Optional[str] = None
    weak: list[str] = []
    share: bool = False
    spans: dict[str, list[str]] = {}


class Lexicon(BaseModel):
    """Every figure the extractor knows, by key."""

    model_config = ConfigDict(extra="allow")

    figures: dict[str, FigureSpec] = {}
    people: dict[str, list[str]] = {}
    hedges: dict[str, list[str]] = {}
    vague: dict[str, float] = {}
    numbers: dict[str, dict[str, float]] = {}
    durations: dict[str, float] = {}
    money: dict[str, str] = {}
    minor_money: dict[str, str] = {}
    general: dict = {}
    percent: dict[str, list[str]] = {}
    aspects: dict[str, list[str]] = {}
    attribution: dict = {}
    qualifiers: dict = {}
    filters: dict[str, list[str]] = {}
    exchange: dict[str, str] = {}
    grammar: dict[str, list[str]] = {}

    _compiled: object = PrivateAttr(default=None)

    def figure_names(self) -> list[str]:
        """The figure keys, sorted."""
        return sorted(self.figures)

    def compiled(self):
        """The lexicon's phrase tables, built once per lexicon object."""
        if self._compiled is None:
            from tracker.extract.compiled import Compiled

            self._compiled = Compiled(self)
        return self._compiled


def _read_toml(path: Path | str, text: Optional[str] = None, what: str = "lexicon",
               error: type[Exception] = LexiconError) -> dict:
    try:
        return tomllib.loads(text if text is not None else Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read {what}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML: {exc}") from exc


def _merge(base: dict, extra: dict) -> dict:
    """Deep-merge `extra` over `base`; lists are extended, not replaced."""
    out = dict(base)
    for key, val in extra.items():
        if isinstance(val, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], val)
        elif isinstance(val, list) and isinstance(out.get(key), list):
            out[key] = out[key] + [v for v in val if v not in out[key]]
        else:
            out[key] = val
    return out


def merged_toml(builtin: str, extra_paths: Iterable[str], what: str = "lexicon",
                error: type[Exception] = LexiconError) -> dict:
    """The package's TOML file `builtin` with each user file in `extra_paths` merged over it
    (lists extended, values replaced): the one way user data extends built-in data."""
    data = _read_toml(builtin, resources.files("tracker.extract").joinpath(builtin).read_text(encoding="utf-8"),
                      what, error)
    for path in extra_paths:
        data = _merge(data, _read_toml(path, None, what, error))
    return data


@lru_cache(maxsize=32)
def load_lexicon(*extra_paths: str) -> Lexicon:
    """The built-in lexicon, extended by each user lexicon file in `extra_paths`."""
    data = merged_toml("lexicon.toml", extra_paths)
    try:
        return Lexicon.model_validate(data)
    except ValidationError as exc:
        where = extra_paths[-1] if extra_paths else "lexicon.toml"
        raise LexiconError(f"{where}: lexicon does not fit the expected shape: {exc}") from exc


def resolve_lexicon(lexicon: "Lexicon | str | Path | Iterable[str] | None") -> Lexicon:
    """Accept a Lexicon, a path, a list of paths or None (built-in) and give a Lexicon."""
    if lexicon is None:
        return load_lexicon()
    if isinstance(lexicon, Lexicon):
        return lexicon
    if isinstance(lexicon, (str, Path)):
        return load_lexicon(str(lexicon))
    return load_lexicon(*(str(p) for p in lexicon))
