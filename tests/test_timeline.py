"""Series, changes and disputes: pure functions over hand-made claims."""

from __future__ import annotations

import pytest

from tracker.models import StoredClaim
from tracker.timeline.series import group_series, load_rules, series_key, sparkline
from tracker.timeline.changes import changes, disputes, period_of


def _c(value, date, *, figure="hostages", aspect="held", source="Wire", attribution=None, qualifiers=(),
       hedge="exact", doc=None, **kw) -> StoredClaim:
    return StoredClaim(figure=figure, aspect=aspect, value=value, date=date, source=source, hedge=hedge,
                       attribution=attribution, qualifiers=list(qualifiers), text=f"{value} {figure}",
                       start=0, end=1, unit="person", doc=doc or f"{source}-{date}", **kw)


def test_series_split_by_aspect_and_qualifiers_that_matter():
    """Held, released, proposed and dead hostages are separate series; 'Israeli' or 'security' are not."""
    claims = [_c(240, "2023-11-22"), _c(13, "2023-11-24", aspect="released", qualifiers=["Israeli"]),
              _c(50, "2023-11-22", aspect="proposed"), _c(30, "2024-01-10", qualifiers=["dead"]),
              _c(130, "2024-01-10", qualifiers=["not all alive"]),
              _c(800, "2024-03-26", figure="prisoners", aspect="proposed"),
              _c(700, "2024-03-26", figure="prisoners", aspect="proposed", qualifiers=["security"]),
              _c(3, "2024-03-26", figure="prisoners", aspect="proposed", qualifiers=["per hostage"])]
    labels = {s.key.label: len(s.claims) for s in group_series(claims)}
    assert labels == {"hostages held": 2, "hostages held (dead)": 1, "hostages proposed": 1,
                      "hostages released": 1, "prisoners proposed": 2, "prisoners proposed (per hostage)": 1}


def test_series_rules_are_data():
    """The qualifiers that matter and the cumulative aspects come from series.toml."""
    rules = load_rules()
    assert rules.matters("Dead") and rules.matters("per 10 hostages") and not rules.matters("Palestinian")
    assert "taken" in rules.cumulative_aspects and "held" not in rules.cumulative_aspects
    assert series_key(_c(5, "2024-01-01", qualifiers=["change", "women"])).qualifiers == ("change", "women")


def test_points_take_the_median_and_range_across_sources():
    """Several outlets on one date give one point: median value, min and max."""
    (s,) = group_series([_c(130, "2024-03-26", source="A"), _c(134, "2024-03-26", source="B"),
                         _c(136, "2024-03-26", source="C"), _c(120, "2024-06-01")])
    (p, q) = s.points
    assert (p.date, p.value, p.low, p.high, p.sources) == ("2024-03-26", 134, 130, 136, ["A", "B", "C"])
    assert q.value == 120 and s.sparkline() == "█▁"


def test_sparkline_scales_lowest_to_highest():
    """The lowest value is the lowest bar and the highest the highest; a flat line is mid-height."""
    assert sparkline([1, 5, 9]) == "▁▅█"
    assert sparkline([4, 4]) == "▄▄" and sparkline([]) == ""


def _kinds(claims):
    return [(c.kind, c.from_value, c.to_value) for c in changes(group_series(claims))]


def test_changes_first_steps_and_latest():
    """A held count dropping across truce days is a plain step, with first and latest around it."""
    got = _kinds([_c(240, "2023-11-22"), _c(212, "2023-11-24"), _c(212, "2023-11-24", source="B"),
                  _c(137, "2023-12-01")])
    assert got == [("first", None, 240), ("step", 240, 212), ("step", 212, 137), ("latest", None, 137)]


def test_a_cumulative_figure_that_drops_is_a_revision():
    """Taken 253 then 251 is a revision downward; a rise is a step."""
    got = _kinds([_c(240, "2023-11-01", aspect="taken"), _c(253, "2024-03-26", aspect="taken"),
                  _c(251, "2024-08-01", aspect="taken")])
    assert ("step", 240, 253) in got and ("revision", 253, 251) in got


def test_a_change_qualified_series_is_not_cumulative():
    """'20 more released' then '10 more' is two steps, not a revision: each is its own batch."""
    got = _kinds([_c(20, "2023-11-25", aspect="released", qualifiers=["change"]),
                  _c(10, "2023-11-26", aspect="released", qualifiers=["change"])])
    assert ("step", 20, 10) in got


def test_a_value_repeated_by_many_reports_is_carried_forward():
    """The same 134 on three dates from three reports is flagged; two reports are not enough."""
    claims = [_c(136, "2024-01-20"), _c(134, "2024-02-01"), _c(134, "2024-02-10"), _c(134, "2024-02-20")]
    cf = [c for c in changes(group_series(claims)) if c.kind == "carried_forward"]
    assert [(c.from_date, c.to_date, c.reports, c.to_value) for c in cf] == [("2024-02-01", "2024-02-20", 3, 134)]
    assert not [c for c in changes(group_series(claims[:3])) if c.kind == "carried_forward"]


def test_change_rows_carry_delta_and_percent():
    """A step's row says from, to, delta and percent."""
    row = [c for c in changes(group_series([_c(200, "2024-01-01"), _c(150, "2024-02-01")]))
           if c.kind == "step"][0].as_row()
    assert (row["from_value"], row["to_value"], row["delta"], row["percent"]) == (200, 150, -50, -25.0)


def test_disputes_between_attributions_within_one_outlet():
    """800 (Channel 12) and 700 (other reports) in one article differ by 12.5%: a dispute."""
    claims = [_c(800, "2024-03-26", figure="prisoners", aspect="proposed", source="TOI", attribution="Channel 12",
                 hedge="at_most", high=800),
              _c(700, "2024-03-26", figure="prisoners", aspect="proposed", source="TOI",
                 attribution="Other Hebrew media reports", qualifiers=["security"])]
    (d,) = disputes(group_series(claims))
    row = d.as_row()
    assert (row["value_a"], row["voice_a"]) == ("≤800", "TOI / Channel 12")
    assert (row["value_b"], row["voice_b"]) == ("700", "TOI / Other Hebrew media reports")
    assert row["percent"] == 12.5


@pytest.mark.parametrize("tolerance, expected", [(0.10, 1), (0.125, 0), (0.2, 0), (0.05, 1)])
def test_dispute_tolerance(tolerance, expected):
    """A 12.5% gap is a dispute under a 10% tolerance and not under 12.5% or more."""
    claims = [_c(800, "2024-03-26", source="A"), _c(700, "2024-03-26", source="B")]
    assert len(disputes(group_series(claims), tolerance=tolerance)) == expected


def test_disputes_need_two_voices_and_the_same_period():
    """One voice saying two numbers, or two dates a week apart, are not disputes unless --period week."""
    same_voice = [_c(800, "2024-03-26"), _c(700, "2024-03-26", doc="other")]
    assert disputes(group_series(same_voice)) == []
    apart = [_c(800, "2024-03-25", source="A"), _c(700, "2024-03-27", source="B")]
    assert disputes(group_series(apart)) == []
    assert len(disputes(group_series(apart), period="week")) == 1
    assert period_of("2024-03-26", "week") == "2024-W13"


def test_vague_claims_are_not_disputed():
    """'Dozens' (a floor of 24) does not contradict 50."""
    claims = [_c(None, "2024-03-26", source="A", hedge="vague", low=24), _c(50, "2024-03-26", source="B")]
    assert disputes(group_series(claims)) == []


def test_a_vague_floor_below_a_cumulative_count_is_not_a_revision():
    """'Dozens taken' (a floor of 24) after 253 taken is a plain step: a floor cannot contradict."""
    got = _kinds([_c(253, "2024-03-26", aspect="taken"),
                  _c(None, "2024-04-01", aspect="taken", hedge="vague", low=24)])
    assert ("step", 253, 24) in got and not [k for k in got if k[0] == "revision"]


def test_parse_tolerance_accepts_shares_and_percents():
    """'10%', '10' and '0.1' all mean a tenth; a negative or non-number is refused."""
    from tracker.timeline.changes import parse_tolerance
    assert parse_tolerance("10%") == parse_tolerance("10") == parse_tolerance("0.1") == 0.1
    with pytest.raises(ValueError):
        parse_tolerance("lots")
