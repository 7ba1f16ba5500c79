"""changes, disputes, report, compare and plot end to end on the seed articles, as a user runs them."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from tracker.cli import app
from tracker.render.plot import chart_size

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ARTICLES = Path(__file__).resolve().parent / "articles" / "timelines"
# the seeds tracker shipped with before the sample articles of issue #4
ORIGINAL_SEEDS = ("2023-11-22_sample_truce-agreed.txt", "2023-11-28_sample_truce-extended.txt",
                  "000_seed_toi_2024-03-26.txt", "2025-01-16_sample_ceasefire-deal.txt",
                  "2025-01-20_sample_first-exchange.txt")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A database holding every seed article (ingested once for this module)."""
    from typer.testing import CliRunner

    url = f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'tracker.db'}"
    res = CliRunner().invoke(app, ["ingest", str(SEEDS), "--db", url, "-q"])
    assert res.exit_code == 0, res.output
    return url


def _json(runner, *args):
    res = runner.invoke(app, [*args, "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_changes_list_the_drops_of_the_held_count_across_the_truces(runner, db_url, seeds):
    """The held count falls day by day through the November 2023 truce and again through the 2025 phases."""
    assert runner.invoke(app, ["ingest", str(seeds), "--db", db_url]).exit_code == 0
    rows = _json(runner, "changes", "hostages", "--aspect", "held", "--db", db_url)
    steps = [(r["from_date"], r["to_date"], r["delta"]) for r in rows
             if r["series"] == "hostages held" and r["kind"] == "step"]
    truce = [s for s in steps if "2023-11-22" <= s[0] and s[1] <= "2023-12-01"]
    phase = [s for s in steps if s[0] >= "2025-01-16"]
    assert len(truce) >= 4 and len(phase) >= 4 and all(d < 0 for _, _, d in truce + phase)
    kinds = {r["kind"] for r in rows if r["series"] == "hostages held"}
    assert {"first", "latest", "carried_forward"} <= kinds and "revision" not in kinds


def test_two_voices_never_make_a_revision(runner, seeded):
    """253 taken (one outlet) then 251 (the army, in another): two voices, so no revision."""
    assert _json(runner, "changes", "hostages", "--kind", "revision", "--db", seeded) == []


def test_a_ceiling_and_a_number_below_it_are_no_dispute(runner, db_url, seeds):
    """'As many as 800' and 700 on one day can both be true: not a dispute."""
    assert runner.invoke(app, ["ingest", str(seeds), "--db", db_url]).exit_code == 0
    rows = _json(runner, "disputes", "prisoners", "--db", db_url)
    assert not [r for r in rows if {r["value_a"], r["value_b"]} == {800, 700}]


@pytest.fixture(scope="module")
def stories_db(tmp_path_factory):
    """A database holding our four articles about one made-up negotiation (tests/articles/timelines)."""
    from typer.testing import CliRunner

    url = f"sqlite:///{tmp_path_factory.mktemp('timelines') / 'tracker.db'}"
    res = CliRunner().invoke(app, ["ingest", str(ARTICLES), "--db", url, "-q"])
    assert res.exit_code == 0, res.output
    return url


def test_disputes_carry_both_sides_as_numbers(runner, stories_db):
    """Officials' 90 and the families' 60 held on one day are a dispute; 'more than 80' and 'at least 75' are not."""
    (row,) = _json(runner, "disputes", "hostages", "--db", stories_db)
    assert (row["period"], row["value_a"], row["low_a"], row["high_a"], row["hedge_a"]) == (
        "2031-03-01", 90, 90, 90, "exact")
    assert (row["value_b"], row["attribution_b"], row["source_b"]) == (60, "committee", "Coastal Herald")
    assert row["doc_a"].endswith("2031-03-01_gazette_talks-resume.txt") and row["percent"] == 33.3
    assert {"story", "source_a", "attribution_a", "doc_b", "low_b", "high_b", "hedge_b"} <= set(row)


def test_one_voice_lowering_its_toll_is_a_revision(runner, stories_db):
    """The health ministry's 1,500 killed, then its own 1,300: a revision by that voice."""
    (row,) = _json(runner, "changes", "killed", "--kind", "revision", "--db", stories_db)
    assert (row["from_value"], row["to_value"], row["voice"]) == (1500, 1300, "health ministry")


def test_series_report_keeps_floors_unbounded(runner, stories_db):
    """'More than 80' and 'at least 75' on one day: the estimate is at least 80, high null, two voices."""
    res = runner.invoke(app, ["report", "--series", "--figure", "hostages", "--format", "jsonl", "--out", "-",
                              "--db", stories_db])
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    (row,) = [r for r in rows if r["date"] == "2031-03-20"]
    assert (row["hedge"], row["value"], row["low"], row["high"], row["qualifiers"]) == ("at_least", 80, 80, None, [])
    assert len(row["voices"]) == 2 and "story" in row


def test_source_matches_any_spelling_of_an_outlet(runner, stories_db):
    """--source 'northern gazette' finds the live page and the plain name; --source nwa the wire via an outlet."""
    rows = _json(runner, "changes", "hostages", "--source", "northern gazette", "--db", stories_db)
    assert {r["to_date"] for r in rows if r["kind"] in ("first", "latest")} == {"2031-03-01", "2031-03-20"}
    rows = _json(runner, "changes", "hostages", "--source", "NWA", "--db", stories_db)
    assert [r["to_value"] for r in rows if r["kind"] == "first"] == [75]


@pytest.mark.parametrize("command", [["changes", "hostages", "--aspect", "kept"], ["plot", "hostages", "--aspect", "kept"],
                                     ["disputes", "hostages", "--aspect", "kept"],
                                     ["changes", "hostages", "--kind", "revisions"]])
def test_an_unknown_aspect_or_kind_lists_the_known_ones(runner, stories_db, command):
    """An unknown --aspect (or --kind) is one line naming the known ones, exit 2."""
    res = runner.invoke(app, [*command, "--db", stories_db])
    assert res.exit_code == 2 and "known:" in res.stderr and ("held" in res.stderr or "revision" in res.stderr)


def test_figures_shows_the_latest_estimate_of_each_headline_series_with_its_unit(runner, stories_db):
    """figures: one row per headline series with its latest estimate, unit and date."""
    rows = {r["series"]: r for r in _json(runner, "figures", "--db", stories_db)}
    assert (rows["hostages held"]["latest"], rows["hostages held"]["unit"], rows["hostages held"]["date"]) == (
        "≥80", "person", "2031-03-20")
    assert rows["killed"]["value"] == 1300 and all(not r["qualifiers"] for r in rows.values())


def test_figure_table_shows_series_with_sparkline_and_ranges(runner, seeded):
    """`tracker figure hostages` prints one table per series, titled with its sparkline."""
    res = runner.invoke(app, ["figure", "hostages", "--db", seeded])
    assert res.exit_code == 0
    assert "hostages held" in res.stdout and "hostages held (dead)" in res.stdout and "~240 → ~59" in res.stdout
    assert any(ch in res.stdout for ch in "▁▂▃") and "█" in res.stdout


def test_report_then_compare_with_itself_says_no_differences(runner, seeded, tmp_path):
    """A claim report and a --series report each compare equal to themselves: exit 0."""
    for extra in ([], ["--series"]):
        out = tmp_path / f"r{len(extra)}.csv"
        res = runner.invoke(app, ["report", "--db", seeded, "--out", str(out), *extra])
        assert res.exit_code == 0 and out.stat().st_size > 0
        cmp = runner.invoke(app, ["compare", str(out), str(out)])
        assert cmp.exit_code == 0 and "no differences" in cmp.stderr


def test_report_goes_into_reports_by_default(runner, seeded, tmp_path, monkeypatch):
    """Without --out the report lands in reports/ with a name saying what and when."""
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["report", "--figure", "hostages", "--db", seeded])
    (path,) = (tmp_path / "reports").glob("claims_hostages_*.csv")
    assert res.stdout.strip() == str(Path("reports") / path.name) and "rows" in res.stderr


def test_compare_before_and_after_the_new_articles_lists_exactly_them(runner, db_url, seeds, tmp_path):
    """Reports before and after ingesting the new sample articles differ by exactly their series points."""
    db, new_only = db_url, f"sqlite:///{tmp_path / 'new-only.db'}"
    newer = [p for p in sorted(seeds.glob("*.txt")) if p.name not in ORIGINAL_SEEDS]
    assert all((seeds / n).exists() for n in ORIGINAL_SEEDS) and len(newer) >= 12
    runner.invoke(app, ["ingest", *[str(seeds / n) for n in ORIGINAL_SEEDS], "--db", db])
    runner.invoke(app, ["report", "--db", db, "--out", str(tmp_path / "before.csv")])
    runner.invoke(app, ["ingest", str(seeds), "--db", db])
    runner.invoke(app, ["report", "--db", db, "--out", str(tmp_path / "after.csv")])
    runner.invoke(app, ["ingest", *map(str, newer), "--db", new_only])
    expected = {(r["series"], r["date"]) for r in _json(runner, "report", "--series", "--db", new_only, "--out", "-")}
    res = runner.invoke(app, ["compare", str(tmp_path / "before.csv"), str(tmp_path / "after.csv"), "--format", "json"])
    assert res.exit_code == 1
    rows = json.loads(res.stdout)
    assert {(r["series"], r["date"]) for r in rows if r["status"] != "unchanged"} == expected
    assert {r["status"] for r in rows} == {"new", "unchanged"}
    assert f"{len(expected)} new" in res.stderr


def test_compare_exit_code_two_names_the_missing_columns(runner, tmp_path):
    """A CSV that is not a tracker report is exit 2 with the missing columns named; so is a missing file."""
    bad = tmp_path / "bad.csv"
    bad.write_text("name,score\r\nx,1\r\n", encoding="utf-8")
    res = runner.invoke(app, ["compare", str(bad), str(bad)])
    assert res.exit_code == 2 and "not a tracker report" in res.stderr and "figure" in res.stderr
    assert runner.invoke(app, ["compare", str(bad)]).exit_code == 2
    assert runner.invoke(app, ["compare", str(tmp_path / "nope.csv"), str(bad)]).exit_code == 2


def test_compare_two_sources_from_the_database(runner, seeded):
    """--source twice compares what two outlets reported, series by series and date by date."""
    res = runner.invoke(app, ["compare", "--source", "Sample Wire", "--source", "The Times of Israel",
                              "--db", seeded, "--format", "json"])
    assert res.exit_code == 1
    statuses = {r["status"] for r in json.loads(res.stdout)}
    assert {"only Sample Wire", "only The Times of Israel"} <= statuses


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_plot_hostages_writes_a_png_of_the_expected_size(runner, seeded, tmp_path):
    """`tracker plot hostages` draws a non-empty PNG of the chart's pixel size."""
    out = tmp_path / "hostages.png"
    res = runner.invoke(app, ["plot", "hostages", "--db", seeded, "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert out.stat().st_size > 10_000 and _png_size(out) == chart_size() == (1200, 800)


def test_plot_svg_and_bad_suffix(runner, seeded, tmp_path):
    """An .svg path gives SVG; an unknown suffix is a clear error."""
    svg = tmp_path / "h.svg"
    assert runner.invoke(app, ["plot", "hostages", "--db", seeded, "--out", str(svg)]).exit_code == 0
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    res = runner.invoke(app, ["plot", "hostages", "--db", seeded, "--out", str(tmp_path / "h.gif")])
    assert res.exit_code == 1 and ".png" in res.stderr


def test_query_commands_speak_every_format(runner, seeded):
    """changes, disputes and figure print csv, json and jsonl on stdout; figure's rows name their series."""
    for command in (["changes", "hostages"], ["disputes"], ["figure", "hostages"]):
        for fmt in ("csv", "json", "jsonl"):
            res = runner.invoke(app, [*command, "--db", seeded, "--format", fmt])
            assert res.exit_code == 0 and res.stdout.strip(), (command, fmt)
    rows = _json(runner, "figure", "hostages", "--db", seeded)
    assert {"hostages held", "hostages taken"} <= {r["series"] for r in rows}


def test_plot_colours_at_most_eight_voices_and_credits_its_sources(tmp_path):
    """Ten voices: the eight with the most claims get colours, the rest grey; the credit counts articles and outlets."""
    from tracker.models import StoredClaim
    from tracker.render.plot import GREY, credit, plot_series, voice_colours
    from tracker.timeline.series import group_series

    claims = [StoredClaim(figure="hostages", aspect="held", value=100 + i, hedge="exact", text=f"{100 + i} captives",
                          start=0, end=1, date=f"2031-04-{1 + i % 5:02d}", source=f"Outlet {i}", doc=f"d{i}")
              for i in range(10) for _ in range(1 + (i < 8))]
    series = group_series(claims)
    colours = voice_colours(series)
    assert len(colours) == 10 and sum(c != GREY for c in colours.values()) == 8
    assert colours["Outlet 8"] == colours["Outlet 9"] == GREY
    assert credit(series).startswith("Drawn from 10 articles of 10 outlets (18 claims)")
    out = plot_series(series, tmp_path / "v.png", title="north-south · hostages held")
    assert _png_size(out) == chart_size()


def test_load_series_gives_headline_points_with_their_claims(stories_db):
    """The library call the web app uses: headline series first, points with estimate, voices and claims."""
    from tracker import store
    from tracker.timeline.series import load_series

    engine = store.make_engine(stories_db)
    (held, *_) = load_series(engine, "hostages", aspect="held")
    assert held.headline and held.key.figure == "hostages" and held.key.qualifiers == ()
    last = held.points[-1]
    assert (last.date, last.value, last.low, last.high, last.hedge) == ("2031-03-20", 80, 80, None, "at_least")
    assert sorted(c.text for c in last.claims) == ["More than 80 hostages", "at least 75 hostages"]
    assert {c.doc.rsplit("/", 1)[-1] for c in held.claims} >= {"2031-03-20_nwa_mediators.txt"}
    assert load_series(engine, "hostages", source="coastal herald")[0].points[0].value == 60
