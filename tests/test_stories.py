"""Stories: a document's and each claim's story from the actors it names, the user's own story and
gazetteer, and the story commands end to end (`stories`, `--story` filters, `evaluate --stories`)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tracker.cli import app
from tracker.errors import GazetteerError
from tracker.extract import extract, extract_with_story
from tracker.extract.gazetteer import load_gazetteer

CASES = tomllib.loads((Path(__file__).parent / "story_cases.toml").read_text(encoding="utf-8"))["case"]


def _param(case: dict):
    marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
    return pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_story_case(case):
    """Each article gets the story its parties make, and each listed claim the story of its sentence."""
    story, claims = extract_with_story(case["text"], title=case.get("title"), story=case.get("given"))
    assert (story or "") == case["story"]
    by_text = {c.text: c.story for c in claims}
    for want in case.get("claims", []):
        assert want["text"] in by_text, f"no claim {want['text']!r} in {sorted(by_text)}"
        assert by_text[want["text"]] == want["story"], want["text"]


def test_every_claim_carries_its_story_after_the_claims_fields():
    """`extract` fills `story` on every claim, and the record prints it after the CLAIMS.md fields."""
    claims = extract("Israel and Hamas agreed to swap 10 hostages for 30 prisoners.", date="2024-05-01")
    assert claims and {c.story for c in claims} == {"israel-hamas"}
    assert list(claims[0].as_record())[-1] == "story"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


SHIPYARD = """The Riverside Shipwrights Guild said 2,400 of its members walked out at Kestrel Yards on Monday.
Kestrel Yards said it had offered a 9% raise over three years."""


def test_user_gazetteer_adds_actors_names_and_a_story(tmp_path):
    """A user gazetteer adds new actors and a story key for their pair, and names to a built-in actor."""
    own = _write(tmp_path / "mine.toml", """
[actors.shipwrights]
name = "Shipwrights Guild"
kind = "union"
names = ["Riverside Shipwrights Guild"]

[actors.kestrel]
name = "Kestrel Yards"
kind = "company"
names = ["Kestrel Yards"]

[actors.israel]
names = ["Zahal"]

[stories.kestrel-strike]
parties = ["kestrel", "shipwrights"]
""")
    assert extract_with_story(SHIPYARD)[0] is None
    story, claims = extract_with_story(SHIPYARD, gazetteer=own)
    assert story == "kestrel-strike" and {c.story for c in claims} == {"kestrel-strike"}
    story, _ = extract_with_story("Zahal said Hamas still holds 59 hostages.", gazetteer=own)
    assert story == "israel-hamas"
    # Lists are extended, not replaced: the built-in names still match.
    assert "IDF" in load_gazetteer(str(own)).actors["israel"].names


def test_user_gazetteer_errors_name_the_file(tmp_path):
    """A gazetteer that is not TOML, or names a side or a story party that is no actor, is one error naming it."""
    bad_toml = _write(tmp_path / "broken.toml", "[actors.x\nnames = [")
    with pytest.raises(GazetteerError, match="broken.toml: not valid TOML"):
        load_gazetteer(str(bad_toml))
    bad_side = _write(tmp_path / "side.toml", '[actors.militia]\nnames = ["Red Militia"]\nside = "nobody"\n')
    with pytest.raises(GazetteerError, match="side.toml: actor 'militia' is on the side of 'nobody'"):
        load_gazetteer(str(bad_side))
    bad_story = _write(tmp_path / "story.toml", '[stories.x-y]\nparties = ["x", "y"]\n')
    with pytest.raises(GazetteerError, match="story.toml: story 'x-y' names parties that are no actors: x, y"):
        load_gazetteer(str(bad_story))


# ---------------------------------------------------------------- the CLI, end to end

GAZA = """---
source: The Harbour Post
date: 2024-02-10
title: Hamas frees four hostages as Israel releases 120 prisoners
---
Hamas freed four hostages on Saturday, and Israel released 120 prisoners, the Israeli army said.
In a separate exchange the same day, Moscow and Kyiv each sent home 60 prisoners of war.
"""
SWAP = """---
source: Steppe Daily
date: 2024-03-02
---
The Kremlin said 110 of its soldiers came home on Saturday; Kyiv said 110 of its prisoners of war returned.
"""
STRIKE = """---
source: Motor City Ledger
date: 2023-10-20
story: detroit-walkout
---
UAW members struck a third Ford plant on Friday, taking 8,700 more workers off the job.
"""
NO_ACTOR = """---
source: Plain Wire
date: 2024-01-05
---
Talks resumed and 14 hostages were said to be alive.
"""


def _run(runner, *args, **kw):
    return runner.invoke(app, [*map(str, args)], **kw)


def _json(runner, *args):
    res = _run(runner, *args, "--format", "json")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A folder of three articles: a Gaza report recalling a Ukraine swap, a swap, a strike."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in (("gaza.txt", GAZA), ("swap.txt", SWAP), ("strike.txt", STRIKE)):
        _write(folder / name, text)
    return folder


@pytest.fixture
def db(runner, corpus, db_url) -> str:
    """The three articles ingested into a new SQLite or PostgreSQL database."""
    res = _run(runner, "ingest", corpus, "--db", db_url)
    assert res.exit_code == 0, res.output
    return db_url


def test_ingest_stores_each_documents_story(runner, db):
    """`sources --format json` gives each document's story: read from its actors, or its front matter's."""
    stories = {Path(r["doc"]).name: r["story"] for r in _json(runner, "sources", "--db", db)}
    assert stories == {"gaza.txt": "israel-hamas", "swap.txt": "russia-ukraine", "strike.txt": "detroit-walkout"}


def test_stories_command_lists_parties_documents_claims_and_dates(runner, db):
    """`tracker stories` lists each story with its parties, documents, claims and first and last date."""
    rows = {r["story"]: r for r in _json(runner, "stories", "--db", db)}
    assert set(rows) == {"israel-hamas", "russia-ukraine", "detroit-walkout"}
    assert rows["israel-hamas"]["parties"] == ["Israel", "Hamas"]
    assert (rows["israel-hamas"]["documents"], rows["israel-hamas"]["claims"]) == (1, 2)
    # The swap recalled in the Gaza article adds a claim and a date to the Russia-Ukraine story.
    swap = rows["russia-ukraine"]
    assert (swap["documents"], swap["claims"], swap["first"], swap["last"]) == (1, 3, "2024-02-10", "2024-03-02")
    assert rows["detroit-walkout"]["parties"] == []


def test_story_filter_on_query_commands(runner, db):
    """`--story` keeps one story's claims in figure, figures, report and sources."""
    prisoners = _json(runner, "figure", "prisoners", "--story", "russia-ukraine", "--latest", "0", "--db", db)
    assert sorted(c["value"] for c in prisoners) == [60, 110, 110]
    assert {c["story"] for c in prisoners} == {"russia-ukraine"}
    gaza = _json(runner, "figure", "prisoners", "--story", "israel-hamas", "--db", db)
    assert [c["value"] for c in gaza] == [120]
    figures = {r["figure"]: r["claims"] for r in _json(runner, "figures", "--story", "israel-hamas", "--db", db)}
    assert figures == {"hostages": 1, "prisoners": 1}
    res = _run(runner, "report", "--story", "detroit-walkout", "--out", "-", "--db", db)
    assert res.exit_code == 0, res.output
    assert "8,700" in res.stdout and "prisoners" not in res.stdout
    docs = _json(runner, "sources", "--story", "russia-ukraine", "--db", db)
    assert [Path(d["doc"]).name for d in docs] == ["swap.txt"]


@pytest.mark.parametrize("command", [["figure", "hostages"], ["figures"], ["changes"], ["disputes"],
                                     ["report", "--out", "-"], ["plot", "hostages"], ["sources"],
                                     ["compare", "--source", "A", "--source", "B"]])
def test_unknown_story_is_exit_2_listing_the_known_ones(runner, db, command):
    """An unknown `--story` is one error line listing the stored stories, exit code 2."""
    res = _run(runner, *command, "--story", "mars-venus", "--db", db)
    assert res.exit_code == 2, res.output
    assert "unknown story 'mars-venus'" in res.stderr
    assert "detroit-walkout, israel-hamas, russia-ukraine" in res.stderr


def test_ingest_story_option_sets_documents_without_one(runner, tmp_path):
    """`ingest --story KEY` sets the story of documents whose front matter names none; front matter wins."""
    url = f"sqlite:///{tmp_path / 'own.db'}"
    plain = _write(tmp_path / "note.txt", NO_ACTOR)
    strike = _write(tmp_path / "strike.txt", STRIKE)
    res = _run(runner, "ingest", plain, strike, "--story", "my-talks", "--db", url)
    assert res.exit_code == 0, res.output
    stories = {Path(r["doc"]).name: r["story"] for r in _json(runner, "sources", "--db", url)}
    assert stories == {"note.txt": "my-talks", "strike.txt": "detroit-walkout"}
    (claim,) = _json(runner, "figure", "hostages", "--story", "my-talks", "--db", url)
    assert claim["value"] == 14


def test_json_record_story_field(runner, tmp_path):
    """A JSON record's `story` field sets its document's story."""
    url = f"sqlite:///{tmp_path / 'feed.db'}"
    feed = '{"id": "n-1", "date": "2024-04-01", "story": "desk-7", "text": "Some 20 hostages were freed."}\n'
    res = _run(runner, "ingest", "-", "--db", url, input=feed)
    assert res.exit_code == 0, res.output
    assert [r["story"] for r in _json(runner, "sources", "--db", url)] == ["desk-7"]


def test_show_prints_the_story(runner, db):
    """`tracker show` names the document's story."""
    res = _run(runner, "show", "swap.txt", "--db", db)
    assert res.exit_code == 0, res.output
    assert "story russia-ukraine" in res.stdout


def test_extract_with_a_user_gazetteer(runner, tmp_path):
    """`extract --gazetteer FILE` reads stories with the user's actors."""
    own = _write(tmp_path / "mine.toml", '[actors.guild]\nnames = ["Riverside Shipwrights Guild"]\n'
                                        '[actors.kestrel]\nnames = ["Kestrel Yards"]\n')
    text = _write(tmp_path / "yard.txt", SHIPYARD)
    res = _run(runner, "extract", text, "--gazetteer", own, "--format", "jsonl")
    assert res.exit_code == 0, res.output
    assert {json.loads(line)["story"] for line in res.stdout.splitlines()} == {"guild-kestrel"}


def test_evaluate_stories_scores_pairs_of_documents(runner, corpus, tmp_path):
    """`evaluate --stories` prints pairwise precision, recall and F1 of the grouping."""
    _write(corpus / "swap2.txt", SWAP.replace("110", "95"))
    gold = _write(tmp_path / "stories.tsv", "doc\tstory\ngaza.txt\tgaza\nswap.txt\tukraine-war\n"
                                            "swap2.txt\tukraine-war\nstrike.txt\tgaza\n")
    res = _run(runner, "evaluate", "--stories", gold, corpus, "--json")
    assert res.exit_code == 0, res.output
    m = json.loads(res.stdout)
    # Gold pairs: (gaza, strike) and (swap, swap2); predicted: only (swap, swap2).
    assert (m["pairs_gold"], m["pairs_pred"], m["pairs_both"]) == (2, 1, 1)
    assert (m["precision"], m["recall"], m["f1"]) == (1.0, 0.5, 0.667)


def test_stories_assign_reads_stored_documents_again(runner, db, tmp_path):
    """`stories --assign` gives stored documents without a story theirs (a database from before
    stories); `--assign --all` reads them all again with a wider gazetteer, keeping the user's."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db)
    with engine.begin() as conn:                     # as a database made before stories looks
        conn.execute(text("UPDATE document SET story = NULL"))
        conn.execute(text("UPDATE claim SET story = NULL"))
    engine.dispose()
    res = _run(runner, "stories", "--assign", "--db", db, "--format", "json")
    assert res.exit_code == 0, res.output
    assert "3 documents got a new story" in res.stderr
    rows = {r["story"]: r for r in json.loads(res.stdout)}
    assert (rows["russia-ukraine"]["claims"], rows["detroit-walkout"]["documents"]) == (3, 1)
    own = _write(tmp_path / "pairs.toml", '[stories.ukraine-pow-swaps]\nparties = ["russia", "ukraine"]\n')
    res = _run(runner, "stories", "--assign", "--all", "--gazetteer", own, "--db", db, "--format", "json")
    assert res.exit_code == 0, res.output
    assert {r["story"] for r in json.loads(res.stdout)} == {"israel-hamas", "ukraine-pow-swaps", "detroit-walkout"}
