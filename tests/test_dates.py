"""Dates: written forms normalized to ISO (UTC), and undated reports dated the way a reader would."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.sources.dates import explicit_dates, infer_date, named_weekdays, normalize_date
from tracker.errors import InputError
from tracker.sources.frontmatter import split_front_matter

TODAY = dt.date(2026, 1, 1)


@pytest.mark.parametrize("written, iso", [
    ("2024-03-26", "2024-03-26"),
    ("March 26, 2024", "2024-03-26"),
    ("26 March 2024", "2024-03-26"),
    ("Tue, 26 Mar 2024 10:00:00 GMT", "2024-03-26"),
    ("26/03/2024", "2024-03-26"),
    ("26.03.2024", "2024-03-26"),
    ("03/26/2024", "2024-03-26"),
    ("2024-03-26T23:30:00-05:00", "2024-03-27"),
    ("2024-03-26T01:30:00+03:00", "2024-03-25"),
    ("2024-04-02T21:30:00-0400", "2024-04-03"),
    (dt.date(2024, 3, 26), "2024-03-26"),
    (dt.datetime(2024, 3, 26, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))), "2024-03-27"),
    ("", None),
    (None, None),
])
def test_dates_are_normalized_to_iso_utc(written, iso):
    """Common written dates become ISO dates; a time zone moves the date to UTC."""
    assert normalize_date(written) == iso


def test_unparsable_date_names_the_input():
    """A date nobody can read is refused with the input's name, not guessed."""
    with pytest.raises(InputError, match=r"^x\.txt: unparsable date 'someday'"):
        normalize_date("someday", "x.txt")


@pytest.mark.parametrize("text, iso", [
    # the seed's rule: a Monday date and "on Tuesday" make a Tuesday report
    ("A resolution passed Monday night. Israel on Tuesday recalled its team. (UN headquarters, March 25, 2024)",
     "2024-03-26"),
    ("Hamas replied on Tuesday to the offer made Monday, March 4, 2024.", "2024-03-05"),
    # a weekday before the date does not move the report earlier
    ("Officials said on Sunday that the vote on March 25, 2024 would pass.", "2024-03-25"),
    # the latest explicit date wins over older ones
    ("Taken on October 7, 2023. Freed on 24 November 2023.", "2023-11-24"),
    ("Reported 2024-01-10, updated Thursday.", "2024-01-11"),
    # weekdays pointing ahead or in a sentence about the future say nothing about the writing day
    ("On March 4, 2024 the sides met. Talks will resume on Thursday.", "2024-03-04"),
    ("On March 4, 2024 the sides met. They meet again next Friday.", "2024-03-04"),
    ("On March 4, 2024 the sides met. The truce lasts until Wednesday.", "2024-03-04"),
    # no full date: a weekday alone cannot date a report
    ("Talks resumed on Tuesday in Cairo.", None),
    ("Some 130 hostages remain in Gaza.", None),
    # a date naming an event, a starting point or a bound is not the day of writing
    ("Three men held since 7 October 2023 were freed.", None),
    ("Talks resumed on the 25th of March, 2024, in Doha.", "2024-03-25"),
    ("The war began with the 7 October 2023 attacks. On March 4, 2024 talks resumed.", "2024-03-04"),
    ("The truce holds until March 30, 2024, officials said on March 26, 2024.", "2024-03-26"),
    # a later year in the text shows the latest full date is old news
    ("The truce of November 24, 2023 freed 105 hostages; in 2024 talks failed.", None),
    ("The truce of November 24, 2023 freed 105 hostages; 2,024 prisoners were held.", "2023-11-24"),
    # a date after today is a plan, not the report's date
    ("Talks began March 4, 2024 and the deal expires March 4, 2031.", "2024-03-04"),
])
def test_infer_date_from_text(text, iso):
    """The latest explicit date, moved to the latest weekday named near it, dates an undated report."""
    assert infer_date(text, today=TODAY) == iso


def test_seed_article_without_front_matter_is_dated_tuesday(seed_article):
    """The seed's 'March 25, 2024' (a Monday) and 'on Tuesday' give 2024-03-26, its real date."""
    _, body = split_front_matter(seed_article.read_text(encoding="utf-8"))
    assert infer_date(body) == "2024-03-26"


def test_explicit_dates_ignore_years_and_month_only_dates():
    """'2024' alone or 'March 2024' is not a day, so it cannot date a report."""
    assert explicit_dates("In March 2024 and in 2023, talks stalled.") == []


def test_named_weekdays_skip_plurals_and_possessives():
    """'Mondays' and "Monday's" do not name the day things happened; 'on Tuesday' does."""
    assert named_weekdays("Mondays are slow. Monday's vote, Friday’s talks. It ended on Tuesday.") == [1]


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["on Monday", "Tuesday night", "next Friday", "March 25, 2024", "1 Feb 2023",
                                 "2024-02-30", "will meet Sunday", ".", "\n", "some 130 hostages", " "]), max_size=12)
       .map(" ".join) | st.text(max_size=300))
def test_infer_date_never_fails_and_never_passes_today(text):
    """Any text gives None or an ISO date no later than today, and never an error."""
    got = infer_date(text, today=TODAY)
    assert got is None or (len(got) == 10 and got <= TODAY.isoformat())


def test_docstring_examples_hold():
    """The examples in tracker.sources.dates' docstrings are true."""
    import doctest

    import tracker.sources.dates

    assert doctest.testmod(tracker.sources.dates).failed == 0
