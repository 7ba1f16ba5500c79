"""The fetching settings (fetch.toml), merged with the user's own file named by $TRACKER_FETCH_CONFIG."""

from __future__ import annotations

import copy
import os
import tomllib
from functools import lru_cache
from importlib import resources

from tracker.errors import InputError

CONFIG_ENV = "TRACKER_FETCH_CONFIG"


def _merge(base: dict, extra: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        elif isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = out[key] + [v for v in value if v not in out[key]]
        else:
            out[key] = value
    return out


@lru_cache(maxsize=8)
def _load(user_path: str) -> dict:
    data = tomllib.loads(resources.files("tracker.sources").joinpath("fetch.toml").read_text(encoding="utf-8"))
    if user_path:
        try:
            with open(user_path, "rb") as fh:
                data = _merge(data, tomllib.load(fh))
        except OSError as exc:
            raise InputError(f"{user_path}: cannot read the fetch settings ({exc.strerror or exc})") from exc
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{user_path}: not valid TOML ({exc})") from exc
    return data


def fetch_config() -> dict:
    """The fetch settings: the shipped fetch.toml, with $TRACKER_FETCH_CONFIG's file merged over it."""
    return _load(os.environ.get(CONFIG_ENV, ""))
