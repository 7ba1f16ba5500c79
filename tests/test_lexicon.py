"""The figure lexicon: the built-in one, and a user's own file extending it without code."""

from __future__ import annotations

import pytest

from tracker.errors import LexiconError
from tracker.extract import extract
from tracker.extract.lexicon import load_lexicon, resolve_lexicon

USER = """
[figures.aid_flights]
unit = "item"
description = "flights carrying aid"
nouns = ["aid flight", "relief flight", "airdrop"]

[figures.hostages]
nouns = ["seized sailor"]
"""


@pytest.fixture()
def user_lexicon(tmp_path):
    """A user lexicon file that adds a figure and a noun."""
    path = tmp_path / "mine.toml"
    path.write_text(USER, encoding="utf-8")
    return str(path)


def test_builtin_lexicon_has_the_claims_md_figures():
    """Every figure CLAIMS.md names is built in, with its unit."""
    lex = load_lexicon()
    want = {"hostages": "person", "prisoners": "person", "killed": "person", "injured": "person",
            "displaced": "person", "aid_trucks": "item", "truce": "day", "talks": "day",
            "strike": "day", "workers": "person", "wage_increase": "percent", "contract": "day",
            "tariff": "percent", "funds": "currency"}
    assert {k: lex.figures[k].unit for k in want} == want


def test_user_lexicon_adds_a_figure(user_lexicon):
    """A new figure from a TOML file is extracted with no code change."""
    text = "The army said 14 aid flights landed on Monday."
    assert not [c for c in extract(text) if c.figure == "aid_flights"]
    claims = extract(text, lexicon=user_lexicon)
    assert [(c.figure, c.value, c.unit) for c in claims] == [("aid_flights", 14, "item")]


def test_user_lexicon_extends_a_figure(user_lexicon):
    """A user noun joins a built-in figure; the built-in nouns stay."""
    lex = resolve_lexicon(user_lexicon)
    assert "seized sailor" in lex.figures["hostages"].nouns and "hostage" in lex.figures["hostages"].nouns
    claims = extract("Pirates still hold 12 seized sailors and 3 hostages.", lexicon=lex)
    assert [(c.figure, c.value) for c in claims] == [("hostages", 12), ("hostages", 3)]


def test_lexicon_is_compiled_once():
    """The same lexicon object is compiled a single time."""
    lex = load_lexicon()
    assert lex.compiled() is lex.compiled()


def test_bad_lexicon_files_fail_with_a_message(tmp_path):
    """Invalid TOML or a wrong shape name the file."""
    bad = tmp_path / "bad.toml"
    bad.write_text("[figures.x\nunit = 1", encoding="utf-8")
    with pytest.raises(LexiconError, match="bad.toml"):
        load_lexicon(str(bad))
    wrong = tmp_path / "wrong.toml"
    wrong.write_text("[figures.x]\nnouns = 3\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="wrong.toml"):
        load_lexicon(str(wrong))

