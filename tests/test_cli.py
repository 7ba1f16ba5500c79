"""The CLI end to end on a temporary database, as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from tracker.cli import app
from tracker.models import CLAIM_FIELDS, EXTRA_FIELDS

README = Path(__file__).resolve().parent.parent / "README.md"


def _ingest(runner, db_url, *paths):
    return runner.invoke(app, ["ingest", *map(str, paths), "--db", db_url])


def test_ingest_twice_says_already_stored(runner, db_url, seeds):
    """The second ingest of the same folder stores nothing and says so."""
    n = len(list(seeds.glob("*.txt")))
    first = _ingest(runner, db_url, seeds)
    second = _ingest(runner, db_url, seeds)
    assert first.exit_code == 0 and f"{n} new" in first.stderr
    assert second.exit_code == 0 and f"0 new, {n} unchanged" in second.stderr
    assert "already stored" in second.stderr


def test_figure_prisoners_shows_the_seed_claims(runner, db_url, seeds):
    """The seed's 800 (as many as, Channel 12), 700 and 100 appear on 2024-03-26 beside other dates."""
    _ingest(runner, db_url, seeds)
    res = runner.invoke(app, ["figure", "prisoners", "--db", db_url, "--format", "json"])
    assert res.exit_code == 0, res.output
    claims = json.loads(res.stdout)
    on_day = {(c["value"], c["hedge"]): c for c in claims if c["date"] == "2024-03-26"}
    assert {800, 700, 100} <= {v for v, _ in on_day}
    assert on_day[(800, "at_most")]["attribution"] == "Channel 12"
    assert on_day[(800, "at_most")]["source"] == "The Times of Israel"
    assert len({c["date"] for c in claims}) >= 3
    assert [c["date"] for c in claims] == sorted(c["date"] for c in claims)


def test_figure_hostages_shows_130_253_and_40(runner, db_url, seeds):
    """The hostages timeline holds the seed's ~130, 253 and 40 and the sample articles' dates."""
    _ingest(runner, db_url, seeds)
    res = runner.invoke(app, ["figure", "hostages", "--db", db_url, "--format", "json"])
    claims = json.loads(res.stdout)
    seed = {(c["value"], c["hedge"]) for c in claims if c["date"] == "2024-03-26"}
    assert {(130, "approx"), (253, "exact"), (40, "exact")} <= seed
    assert {"2023-11-22", "2025-01-16"} <= {c["date"] for c in claims}


def test_figure_table_and_csv_show_value_and_quote(runner, db_url, seed_article):
    """The table shows hedged values and the quoted text; csv has the claim fields as columns."""
    _ingest(runner, db_url, seed_article)
    table = runner.invoke(app, ["figure", "prisoners", "--db", db_url])
    assert "≤800" in table.stdout and "Channel 12" in table.stdout
    res = runner.invoke(app, ["figure", "prisoners", "--db", db_url, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert set(CLAIM_FIELDS) | {"source", "url", "title"} <= set(rows[0])
    assert "as many as 800 prisoners" in {r["text"] for r in rows}


def test_unknown_figure_is_one_clear_error(runner, db_url):
    """A misspelt figure exits non-zero with the known figures listed."""
    res = runner.invoke(app, ["figure", "prisners", "--db", db_url])
    assert res.exit_code != 0
    assert "unknown figure 'prisners'" in res.stderr and "prisoners" in res.stderr


def test_figures_lists_the_latest_estimate_of_each_headline_series(runner, db_url, seeds):
    """`tracker figures` has one row per headline series with its first and latest date, estimate and unit."""
    _ingest(runner, db_url, seeds)
    res = runner.invoke(app, ["figures", "--db", db_url, "--format", "json"])
    rows = {r["series"]: r for r in json.loads(res.stdout)}
    last_seed = max(re.search(r"\d{4}-\d\d-\d\d", p.name)[0] for p in seeds.glob("*.txt"))
    held = rows["hostages held"]
    assert held["first"] == "2023-11-22" and held["date"] == last_seed and held["unit"] == "person"
    assert held["claims"] >= 6 and held["latest"] and all(r["qualifiers"] == [] for r in rows.values())


def test_extract_jsonl_has_exactly_the_claim_fields(runner, seed_article):
    """`tracker extract --format jsonl` prints the CLAIMS.md fields, then the added ones (story), doc being the path."""
    res = runner.invoke(app, ["extract", str(seed_article), "--format", "jsonl"])
    assert res.exit_code == 0
    lines = [json.loads(line) for line in res.stdout.splitlines()]
    assert lines and all(list(c) == list(CLAIM_FIELDS + EXTRA_FIELDS) for c in lines)
    assert {c["doc"] for c in lines} == {str(seed_article)}
    body = seed_article.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    assert all(body[c["start"]:c["end"]] == c["text"] for c in lines)


def test_ingest_with_a_bad_file_exits_non_zero_but_stores_the_rest(runner, db_url, tmp_path):
    """One bad file is named on stderr; the good one is stored; the exit code says something was skipped."""
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    (articles / "ok.txt").write_text("Some 130 hostages remain in Gaza.", encoding="utf-8")
    res = _ingest(runner, db_url, articles)
    assert res.exit_code == 1
    assert "bin.txt: binary file" in res.stderr and "1 new" in res.stderr


def test_demo_prints_figures_and_both_timelines(runner, db_url):
    """`tracker demo` ingests the seeds and shows the figures, prisoners and hostages."""
    res = runner.invoke(app, ["demo", "--db", db_url])
    assert res.exit_code == 0, res.output
    assert "prisoners:" in res.stdout and "hostages:" in res.stdout and "≤800" in res.stdout


def _commands():
    return sorted(c.name or c.callback.__name__ for c in app.registered_commands)


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help_and_a_readme_example(runner, command):
    """Each command documents itself in --help and has an example in the README."""
    res = runner.invoke(app, [command, "--help"])
    assert res.exit_code == 0 and "Example:" in res.stdout
    assert re.search(rf"^tracker {command}\b", README.read_text(encoding="utf-8"), re.M), command


def test_figure_latest_keeps_the_last_claims_in_date_order(runner, db_url, seeds):
    """--latest N gives the N most recent claims, oldest first, and the table says how many exist."""
    _ingest(runner, db_url, seeds)
    every = json.loads(runner.invoke(app, ["figure", "hostages", "--db", db_url, "--format", "json"]).stdout)
    last3 = json.loads(runner.invoke(app, ["figure", "hostages", "--db", db_url, "--format", "json",
                                           "--latest", "3"]).stdout)
    assert [(c["date"], c["text"]) for c in last3] == [(c["date"], c["text"]) for c in every[-3:]]
    table = runner.invoke(app, ["figure", "hostages", "--db", db_url, "--latest", "3"])
    assert f"hostages: {len(every)} claims (the latest 3 shown" in table.stdout
