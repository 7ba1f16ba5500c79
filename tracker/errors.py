"""Errors a person can act on: each names the thing and the problem in one line."""


class TrackerError(Exception):
    """Base of every error the CLI turns into one line and a non-zero exit."""

    exit_code = 1


class InputError(TrackerError):
    """A file or record that cannot be read as a document (binary, empty, bad encoding, bad date)."""


class UnknownFigureError(TrackerError):
    """A figure name that is not in the lexicon."""

    def __init__(self, name: str, known: list[str]):
        self.name, self.known = name, sorted(known)
        super().__init__(f"unknown figure {name!r}; known figures: {', '.join(self.known)}")


class LexiconError(TrackerError):
    """A lexicon file that is not valid TOML or does not fit the lexicon's shape."""


class ReportError(TrackerError):
    """A CSV file that is not a tracker report."""

    exit_code = 2


class SchemaError(TrackerError):
    """A database whose schema this tracker cannot use (made by a newer tracker)."""


class UnknownChoiceError(TrackerError):
    """A filter value (an aspect, a kind of change) that names nothing known; lists the known ones."""

    exit_code = 2

    def __init__(self, what: str, name: str, known):
        self.name, self.known = name, sorted(known)
        super().__init__(f"unknown {what} {name!r}; known: {', '.join(self.known) or 'none'}")

class GazetteerError(TrackerError):
    """A gazetteer file that is not valid TOML or does not fit the gazetteer's shape."""


class UnknownStoryError(TrackerError):
    """A --story key that names no stored story."""

    exit_code = 2

    def __init__(self, name: str, known: list[str]):
        self.name, self.known = name, sorted(known)
        listed = ", ".join(self.known) if self.known else "none stored yet"
        super().__init__(f"unknown story {name!r}; known stories: {listed}")
