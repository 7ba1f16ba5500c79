"""The YAML front-matter block at the top of a text document."""

from __future__ import annotations

import re

import yaml

from tracker.errors import InputError

_FENCE = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)(?:\r?\n)---[ \t]*(?:\r?\n|\Z)", re.S)


def split_front_matter(text: str, name: str = "<text>") -> tuple[dict, str]:
    """Return (metadata, body): the parsed front matter (empty when absent) and the text after it."""
    match = _FENCE.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"{name}: front matter is not valid YAML ({exc.__class__.__name__})") from exc
    if not isinstance(meta, dict):
        raise InputError(f"{name}: front matter is not a set of 'key: value' lines")
    return {str(k).lower(): v for k, v in meta.items()}, text[match.end():]
