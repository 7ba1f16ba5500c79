"""A document as read, before it is stored: the one shape every reader produces."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DocumentInput:
    """A document as read from a file or record, before it is stored."""

    name: str
    body: str
    meta: dict = field(default_factory=dict)
    #: the file (or <stdin>) the document came from, for progress and messages
    origin: str = ""
