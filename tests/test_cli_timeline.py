"""changes, disputes, report, compare and plot end to end on the seed articles, as a user runs them."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from tracker.cli import app
from tracker.render.plot import chart_size

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
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


def test_changes_flag_the_revised_taken_count(runner, seeded):
    """253 taken (March 2024) then 251 (September 2024) is a revision downward."""
    rows = _json(runner, "changes", "hostages", "--kind", "revision", "--db", seeded)
    assert [(r["series"], r["from_value"], r["to_value"]) for r in rows] == [("hostages taken", 253, 251)]


def test_disputes_show_800_against_700_with_both_attributions(runner, db_url, seeds):
    """On 2024-03-26 one outlet reports Channel 12's 800 and other Hebrew media's 700: a dispute."""
    assert runner.invoke(app, ["ingest", str(seeds), "--db", db_url]).exit_code == 0
    rows = _json(runner, "disputes", "prisoners", "--db", db_url)
    (row,) = [r for r in rows if {r["value_a"], r["value_b"]} == {"≤800", "700"}]
    assert row["period"] == "2024-03-26" and row["percent"] == 12.5
    assert "Channel 12" in row["attribution_a"] and "Hebrew media" in row["attribution_b"]
    assert row["source_a"] == row["source_b"] == "The Times of Israel"
    table = runner.invoke(app, ["disputes", "prisoners", "--db", db_url])
    assert "≤800" in table.stdout and "700" in table.stdout and "Channel" in table.stdout
    assert not [r for r in _json(runner, "disputes", "prisoners", "--tolerance", "15%", "--db", db_url)
                if {r["value_a"], r["value_b"]} == {"≤800", "700"}]


def test_figure_table_shows_series_with_sparkline_and_ranges(runner, seeded):
    """`tracker figure hostages` prints one table per series, titled with its sparkline."""
    res = runner.invoke(app, ["figure", "hostages", "--db", seeded])
    assert res.exit_code == 0
    assert "hostages held" in res.stdout and "hostages held (dead)" in res.stdout and "240 → 59" in res.stdout
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
    for command in (["changes", "hostages"], ["disputes", "prisoners"], ["figure", "hostages"]):
        for fmt in ("csv", "json", "jsonl"):
            res = runner.invoke(app, [*command, "--db", seeded, "--format", fmt])
            assert res.exit_code == 0 and res.stdout.strip(), (command, fmt)
    rows = _json(runner, "figure", "hostages", "--db", seeded)
    assert {"hostages held", "hostages taken"} <= {r["series"] for r in rows}
