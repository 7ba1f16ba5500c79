"""--all mode measured on quantulum3's own test sentences (shipped in the installed package).

The sentences are quantulum3's, so quantulum3 scores itself 1.0 on them; the check here is that
reading them through `extract(all_quantities=True)` keeps the values: recall over a fixed sample,
counted honestly (each gold value matched once). Years, dates and names with numbers in those
sentences are not quantities by CLAIMS.md, so they are left out of the gold; durations are
compared in days and worded fractions in percent, as we write them, and one unit named by
its article ("a gallon") is left out too.
"""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from tracker.extract import extract

_YEARISH = re.compile(r"^(1[89]\d\d|20\d\d)$")


def _sentences():
    path = resources.files("quantulum3") / "_lang" / "en_US" / "tests" / "quantities.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, OSError):
        pytest.skip("this quantulum3 has no test sentences")


# Our conventions differ from quantulum3's: a duration is in days, a worded fraction a percent.
_DAYS = {"year": 365, "month": 30, "week": 7, "day": 1, "hour": 1 / 24, "minute": 1 / 1440}


def _ours(r: dict) -> float:
    value = float(r["value"])
    if r["unit"] in _DAYS:
        return round(value * _DAYS[r["unit"]], 3)
    if r["unit"] == "dimensionless" and not value.is_integer() \
            and not any(c.isdigit() for c in r["surface"]):
        return round(100 * value, 1)
    return round(value, 3)


def test_value_recall_on_quantulum3_sentences():
    """At least 85% of quantulum3's expected values come out of --all on its own sentences."""
    data = _sentences()[::2]                            # a fixed half: keeps the run short
    gold = hit = 0
    for item in data:
        # "a gross", "A kibibyte": one unit named by its article is no quantity in news text
        # ("A pint of milk costs 1.25 euros", "$3.49 a gallon").
        values = [_ours(r) for r in item["res"] if not _YEARISH.match(r["surface"].strip())
                  and not re.match(r"(?i)an?\s", r["surface"])]
        got = [round(c.value if c.value is not None else c.low, 3)
               for c in extract(item["req"], all_quantities=True)]
        for v in values:
            gold += 1
            if v in got:
                got.remove(v)
                hit += 1
    assert gold > 40
    assert hit / gold >= 0.85, f"value recall {hit}/{gold}"


def test_adapter_corrects_quantulum3_misses():
    """'two dozen' is 24 items, a date gives its day and year apart, a range its bounds."""
    from tracker.extract.quantities import measures

    (dozen,) = measures("They bought 2 dozen eggs.")
    assert (dozen.value, dozen.unit) == (24, "item")
    words = measures("They bought two dozen eggs and 3 apples.")
    assert [m.value for m in words] == [24, 3]
    assert [m.value for m in measures("The vote was on March 25, 2024 in New York.")] == [25, 2024]
    (rng,) = measures("Between 700-800 trucks waited.")
    assert (rng.low, rng.high) == (700, 800)
    (km,) = measures("The road is 3 km long.", offset=100)
    assert (km.start, km.end, km.unit) == (112, 116, "kilometre")
    assert measures("No digits here, so the parser is never asked: two dozen.") == []


def test_all_mode_keeps_lexicon_figures_and_adds_the_rest():
    """--all adds quantities outside the figures and leaves the figures' claims as they are."""
    text = "Some 130 hostages remain, 3 schools were hit and the road is 3.5 km long."
    claims = extract(text, all_quantities=True)
    assert [(c.figure, c.value) for c in claims] == [("hostages", 130), ("school", 3), ("length", 3.5)]
    assert [c.figure for c in extract(text)] == ["hostages"]


def test_adapter_drops_what_is_no_measure():
    """Ordinals, clock times, odds and 'a pint' are no measures; 'minus 12' is negative."""
    from tracker.extract.quantities import measures

    assert measures("She finished third, her fourth final, at 9:30 with odds of 50/50.") == []
    assert measures("A pint of milk costs more.") == []
    (cold,) = measures("It fell to minus 12 degrees Celsius.")
    assert (cold.value, cold.unit) == (-12, "degree Celsius")
    (mins,) = measures("The drive takes 20 minutes.")
    assert mins.unit == "minute"
    assert [m.value for m in measures("The limit went from 40 to 30 mph.")] == [40, 30]


def test_written_duration_unit_is_a_lexicon_switch(tmp_path):
    """`general.duration_unit = "written"` keeps '20 minutes' as 20 minute instead of days."""
    user = tmp_path / "written.toml"
    user.write_text('[general]\nduration_unit = "written"\n', encoding="utf-8")
    text = "The journey is now 20 minutes shorter."
    (days,) = extract(text, all_quantities=True)
    (written,) = extract(text, all_quantities=True, lexicon=str(user))
    assert (round(days.value, 6), days.unit) == (0.013889, "day")
    assert (written.value, written.unit) == (20, "minute")
