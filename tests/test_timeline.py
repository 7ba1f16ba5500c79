"""Series, best estimates, changes, revisions and disputes: pure functions over hand-made claims."""

from __future__ import annotations

import pytest

from tracker.models import StoredClaim
from tracker.timeline.changes import changes, period_of
from tracker.timeline.disputes import disputes
from tracker.timeline.estimates import interval
from tracker.timeline.rules import load_rules
from tracker.timeline.series import group_series, series_key, sparkline


def _c(value, date, *, figure="hostages", aspect="held", source="Wire", attribution=None, qualifiers=(),
       hedge="exact", doc=None, text=None, story="north-south", **kw) -> StoredClaim:
    return StoredClaim(figure=figure, aspect=aspect, value=value, date=date, source=source, hedge=hedge,
                       attribution=attribution, qualifiers=list(qualifiers), text=text or f"{value} {figure}",
                       start=0, end=1, unit="person", doc=doc or f"{source}-{date}", story=story, **kw)


def _series(claims, **kw):
    return {(s.key.story, s.key.label): s for s in group_series(claims, **kw)}


# --- headline and subsets -------------------------------------------------------------------

def test_parts_split_from_the_headline_and_the_whole_does_not():
    """Dead, women, a rate and 'N of the M' are their own series; the headline keeps only the whole."""
    claims = [_c(180, "2030-05-02"), _c(40, "2030-05-02", qualifiers=["dead"]),
              _c(12, "2030-05-02", qualifiers=["women"]),
              _c(90, "2030-05-02", text="90 of the 180 captives"),
              _c(3, "2030-05-02", figure="prisoners", aspect="proposed", qualifiers=["per hostage"])]
    labels = {label: [p.value for p in s.points] for (_, label), s in _series(claims).items()}
    assert labels["hostages held"] == [180]
    assert labels["hostages held (dead)"] == [40] and labels["hostages held (women)"] == [12]
    assert labels["hostages held (part of a larger count)"] == [90]
    assert labels["prisoners proposed (per hostage)"] == [3]


def test_a_nationality_is_the_whole_in_its_own_story_and_a_part_elsewhere():
    """In israel-hamas 'Israeli hostages' is the headline; 'Thai hostages' and 'Five Americans' are parts."""
    claims = [_c(150, "2030-05-03", story="israel-hamas", qualifiers=["Israeli"]),
              _c(9, "2030-05-03", story="israel-hamas", qualifiers=["Thai"]),
              _c(5, "2030-05-03", story="israel-hamas", text="Five Americans")]
    got = {label: s.points[0].value for (_, label), s in _series(claims).items()}
    assert got == {"hostages held": 150, "hostages held (thai)": 9, "hostages held (americans)": 5}


def test_headline_row_has_no_qualifiers_and_comes_first():
    """The headline series has an empty qualifier list and sorts before its subsets."""
    (first, second) = group_series([_c(7, "2030-05-04", qualifiers=["children"]), _c(70, "2030-05-04")])
    assert first.headline and first.key.qualifiers == () and not second.headline


def test_series_of_different_stories_never_mix():
    """The same figure in two stories makes two series."""
    got = _series([_c(100, "2030-05-05", story="a-b"), _c(30, "2030-05-05", story="c-d")])
    assert set(got) == {("a-b", "hostages held"), ("c-d", "hostages held")}


def test_rules_are_data():
    """Splitting, whole-naming and cumulative rules come from series.toml."""
    rules = load_rules()
    assert rules.splits("Dead") and rules.splits("per 10 hostages") and not rules.splits("security")
    assert not rules.splits("Palestinian", "israel-hamas", "prisoners") and rules.splits("Palestinian", "x-y", "hostages")
    assert rules.is_cumulative("hostages", "taken", ()) and not rules.is_cumulative("hostages", "held", ())
    assert series_key(_c(5, "2030-01-01", qualifiers=["change", "women"])).qualifiers == ("change", "women")


# --- intervals and the best estimate ---------------------------------------------------------

@pytest.mark.parametrize("hedge, value, low, high, expected", [
    ("exact", 80, None, None, (80, 80)), ("approx", 80, None, None, (80, 80)),
    ("at_least", 250, 250, None, (250, None)), ("at_most", 90, None, 90, (0, 90)),
    ("range", 225, 200, 250, (200, 250)), ("vague", None, 24, None, (24, None)),
])
def test_a_claim_is_an_interval(hedge, value, low, high, expected):
    """exact/approx → [N, N]; at_least → [N, ∞); at_most → [0, N]; range → [low, high]; vague → [floor, ∞)."""
    assert interval(hedge, value, low, high) == expected


def test_a_range_stays_a_range_and_a_floor_stays_a_floor():
    """'200 to 250' is reported with low 200 and high 250 (no midpoint); '250 or more' has no high."""
    got = _series([_c(225, "2030-06-01", hedge="range", low=200, high=250),
                   _c(250, "2030-06-02", hedge="at_least", low=250)])[("north-south", "hostages held")]
    (r, f) = got.points
    assert (r.hedge, r.value, r.low, r.high) == ("range", None, 200, 250)
    assert (f.hedge, f.value, f.low, f.high) == ("at_least", 250, 250, None)


def test_the_estimate_lies_inside_what_all_claims_allow():
    """A range 95–105, 'at least 98' and 'no more than 110' together allow 98–105; an exact 101 inside wins."""
    s = _series([_c(100, "2030-06-03", hedge="range", low=95, high=105, source="A"),
                 _c(98, "2030-06-03", hedge="at_least", low=98, source="B"),
                 _c(110, "2030-06-03", hedge="at_most", high=110, source="C")])[("north-south", "hostages held")]
    p = s.points[0]
    assert (p.hedge, p.low, p.high, p.value) == ("range", 98, 105, None)
    s = _series([_c(100, "2030-06-03", hedge="range", low=95, high=105, source="A"),
                 _c(101, "2030-06-03", source="B")])[("north-south", "hostages held")]
    assert (s.points[0].hedge, s.points[0].value) == ("exact", 101)


def test_an_approximate_number_meets_an_exact_one_within_the_tolerance():
    """'About 60' and exactly 58 agree: the exact number is the estimate, both voices behind it."""
    p = _series([_c(60, "2030-06-04", hedge="approx", source="A"), _c(58, "2030-06-04", source="B")]
                )[("north-south", "hostages held")].points[0]
    assert (p.value, p.hedge, p.voices, p.against) == (58, "exact", ["A", "B"], [])


def test_when_claims_clash_the_most_voices_win():
    """Two voices say 44, one says 9: the estimate is 44 and the third voice is listed against it."""
    p = _series([_c(44, "2030-06-05", source="A"), _c(44, "2030-06-05", source="B"),
                 _c(9, "2030-06-05", source="C")])[("north-south", "hostages held")].points[0]
    assert (p.value, p.voices, p.against) == (44, ["A", "B"], ["C"])


def test_exact_beats_bounds_when_voices_tie():
    """One voice 'fewer than 20', another exactly 31: equal voices, the exact number is more specific."""
    p = _series([_c(20, "2030-06-06", hedge="at_most", high=20, source="A"), _c(31, "2030-06-06", source="B")]
                )[("north-south", "hostages held")].points[0]
    assert p.value == 31 and p.against == ["A"]


# --- voices and wire copies -------------------------------------------------------------------

@pytest.mark.parametrize("raw, name", [("AFP via The Daily Sample", "AFP"), ("Sample Radio (live page)", "Sample Radio"),
                                        ("The Sample Ledger (Reuters)", "Reuters"), ("DW", "Deutsche Welle"),
                                        ("Sample Post (copy on mirror.example)", "Sample Post")])
def test_outlet_names_are_normalized(raw, name):
    """A wire carried by an outlet is the wire; a descriptor in parentheses is dropped; aliases join."""
    assert load_rules().outlet(raw) == name


def test_a_wire_story_carried_by_several_outlets_is_one_voice():
    """The same words and number in two outlets on one day are one voice, not two."""
    claims = [_c(77, "2030-07-01", source="Paper One", text="some 77 detainees remain"),
              _c(77, "2030-07-01", source="Paper Two", text="some 77 detainees remain")]
    p = _series(claims)[("north-south", "hostages held")].points[0]
    assert p.voices == ["Paper One"] and len(p.items) == 2


# --- disputes -----------------------------------------------------------------------------------

def test_two_voices_far_apart_dispute():
    """800 (one voice) against 700 (another) on one day differ by 12.5%: a dispute with both sides."""
    claims = [_c(800, "2030-07-02", figure="prisoners", aspect="proposed", source="Gazette", attribution="Radio Nine"),
              _c(700, "2030-07-02", figure="prisoners", aspect="proposed", source="Gazette", attribution="Officials")]
    (d,) = disputes(group_series(claims))
    row = d.as_row()
    assert (row["value_a"], row["attribution_a"], row["value_b"], row["attribution_b"]) == (
        800, "Radio Nine", 700, "Officials")
    assert row["story"] == "north-south" and row["percent"] == 12.5 and row["high_a"] == 800


@pytest.mark.parametrize("tolerance, expected", [(0.10, 1), (0.125, 0), (0.2, 0), (0.05, 1)])
def test_dispute_tolerance(tolerance, expected):
    """A 12.5% gap is a dispute under a 10% tolerance and not under 12.5% or more."""
    claims = [_c(800, "2030-07-03", source="A"), _c(700, "2030-07-03", source="B")]
    assert len(disputes(group_series(claims), tolerance=tolerance)) == expected


def test_one_voice_never_disputes_itself():
    """One outlet saying 800 and 700 in two articles, or one wire in two outlets, is no dispute."""
    assert disputes(group_series([_c(800, "2030-07-04"), _c(700, "2030-07-04", doc="other")])) == []
    wire = [_c(800, "2030-07-04", source="AFP via Paper One"), _c(700, "2030-07-04", source="AFP via Paper Two")]
    assert disputes(group_series(wire)) == []


def test_bounds_that_can_both_be_true_never_dispute():
    """'More than 200' and 'at least 239', or 'as many as 800' and 700, can both be true."""
    floors = [_c(200, "2030-07-05", hedge="at_least", low=200, source="A"),
              _c(239, "2030-07-05", hedge="at_least", low=239, source="B")]
    ceiling = [_c(800, "2030-07-05", hedge="at_most", high=800, source="A"), _c(700, "2030-07-05", source="B")]
    vague = [_c(None, "2030-07-05", hedge="vague", low=24, source="A"), _c(50, "2030-07-05", source="B")]
    assert disputes(group_series(floors)) == disputes(group_series(ceiling)) == disputes(group_series(vague)) == []


def test_disputes_need_the_same_period_and_story():
    """Two days apart, or two stories, are not disputes unless --period week joins the days."""
    apart = [_c(800, "2030-03-25", source="A"), _c(700, "2030-03-27", source="B")]
    assert disputes(group_series(apart)) == [] and len(disputes(group_series(apart), period="week")) == 1
    stories = [_c(800, "2030-03-25", source="A", story="a-b"), _c(700, "2030-03-25", source="B", story="c-d")]
    assert disputes(group_series(stories)) == []
    assert period_of("2030-03-26", "week") == "2030-W13"


# --- changes and revisions ---------------------------------------------------------------------

def _kinds(claims):
    return [(c.kind, c.from_value, c.to_value, c.voice) for c in changes(group_series(claims))]


def test_changes_first_steps_and_latest():
    """A held count dropping over three dates is steps between first and latest."""
    got = _kinds([_c(240, "2030-11-22"), _c(212, "2030-11-24"), _c(212, "2030-11-24", source="B"),
                  _c(137, "2030-12-01")])
    assert [k[:3] for k in got] == [("first", None, 240), ("step", 240, 212), ("step", 212, 137),
                                    ("latest", None, 137)]


def test_one_voice_lowering_its_own_cumulative_count_is_a_revision():
    """A ministry says 1,500 killed, later 1,300: a revision by that voice."""
    got = _kinds([_c(1500, "2030-02-01", figure="killed", aspect=None, attribution="the ministry"),
                  _c(1300, "2030-02-20", figure="killed", aspect=None, attribution="the ministry", source="B")])
    assert ("revision", 1500, 1300, "ministry") in got


def test_two_voices_or_two_stories_make_no_revision():
    """1,500 from one voice and 1,300 from another (or in another story) is a step, never a revision."""
    voices = [_c(1500, "2030-02-01", figure="killed", aspect=None, source="A"),
              _c(1300, "2030-02-20", figure="killed", aspect=None, source="B")]
    stories = [_c(1500, "2030-02-01", figure="killed", aspect=None, story="a-b"),
               _c(1300, "2030-02-20", figure="killed", aspect=None, story="c-d")]
    assert not [k for k in _kinds(voices) + _kinds(stories) if k[0] == "revision"]


def test_a_floor_below_a_cumulative_count_is_not_a_revision():
    """'Dozens taken' after 253 taken by the same voice: a floor cannot lower a count."""
    got = _kinds([_c(253, "2030-03-26", aspect="taken"), _c(None, "2030-04-01", aspect="taken", hedge="vague", low=24)])
    assert not [k for k in got if k[0] == "revision"]


def test_a_value_repeated_by_many_reports_is_carried_forward():
    """The same 134 on three dates from three reports is flagged; two reports are not enough."""
    claims = [_c(136, "2030-01-20"), _c(134, "2030-02-01"), _c(134, "2030-02-10"), _c(134, "2030-02-20")]
    cf = [c for c in changes(group_series(claims)) if c.kind == "carried_forward"]
    assert [(c.from_date, c.to_date, c.reports, c.to_value) for c in cf] == [("2030-02-01", "2030-02-20", 3, 134)]
    assert not [c for c in changes(group_series(claims[:3])) if c.kind == "carried_forward"]


def test_an_unknown_kind_names_the_known_ones():
    """changes(kinds=['revisions']) raises an error listing first, step, revision …"""
    from tracker.errors import UnknownChoiceError
    with pytest.raises(UnknownChoiceError, match="known: carried_forward, first, latest, revision, step"):
        changes([], kinds=["revisions"])


def test_sparkline_scales_lowest_to_highest():
    """The lowest value is the lowest bar and the highest the highest; a flat line is mid-height."""
    assert sparkline([1, 5, 9]) == "▁▅█"
    assert sparkline([4, 4]) == "▄▄" and sparkline([]) == ""


def test_parse_tolerance_accepts_shares_and_percents():
    """'10%', '10' and '0.1' all mean a tenth; a non-number is refused."""
    from tracker.timeline.changes import parse_tolerance
    assert parse_tolerance("10%") == parse_tolerance("10") == parse_tolerance("0.1") == 0.1
    with pytest.raises(ValueError):
        parse_tolerance("lots")


def test_the_sweep_finds_the_same_set_as_trying_every_point():
    """On random claims, the chosen set is what a brute-force search over every low bound finds."""
    import random

    from tracker.timeline.estimates import HEDGE, SPECIFICITY, VOICE, _agreeing, allows

    rng = random.Random(3)
    for _ in range(300):
        items = []
        for i in range(rng.randint(2, 9)):
            hedge = rng.choice(["exact", "approx", "at_least", "at_most", "range"])
            v = float(rng.randint(1, 40))
            lo, hi = {"exact": (v, v), "approx": (v, v), "at_least": (v, None), "at_most": (0.0, v),
                      "range": (v, v + rng.randint(1, 9))}[hedge]
            items.append((lo, hi, hedge, rng.choice("ABCD"), "S", v, i, None, i))
        spans = [allows(it, 0.1) for it in items]
        scored = [((len({it[VOICE] for it in m}), max(SPECIFICITY[it[HEDGE]] for it in m), len(m), x), m)
                  for x in {lo for lo, _ in spans}
                  for m in [[it for it, (lo, hi) in zip(items, spans) if lo <= x and (hi is None or x <= hi)]]]
        best = max(scored, key=lambda sm: sm[0])[1]
        assert [it[6] for it in _agreeing(items, 0.1)] == [it[6] for it in best]


def test_your_own_toml_extends_the_rules(tmp_path):
    """A user file can declare a qualifier as naming the whole and add an outlet alias."""
    extra = tmp_path / "mine.toml"
    extra.write_text('[series]\nwhole = ["detained"]\n[outlets.aliases]\n"Valley Times" = ["VT"]\n', encoding="utf-8")
    rules = load_rules((str(extra),))
    assert not rules.splits("detained") and rules.splits("dead") and rules.outlet("VT") == "Valley Times"
    assert load_rules().splits("detained")
