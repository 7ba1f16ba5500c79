"""Each pipeline stage alone, on hand-made inputs."""

from __future__ import annotations

import pytest

from tracker.extract import attribution, context, figures
from tracker.extract.amounts import scan
from tracker.extract.filters import is_caption, noise, phone_spans
from tracker.extract.lexicon import load_lexicon
from tracker.extract.numbers import parse_digits, parse_number
from tracker.extract.text import PhraseTable, lemma, sentences, tokenize


@pytest.fixture(scope="module")
def lex():
    """The built-in lexicon, compiled."""
    return load_lexicon().compiled()


def _one(text, lex):
    toks = tokenize(text)
    qs = scan(toks, lex)
    assert len(qs) == 1, qs
    return toks, qs[0]


# --- text -------------------------------------------------------------------------------------

def test_tokenize_keeps_offsets_and_separators():
    """Digit groups stay whole and every token indexes the text."""
    text = "Some 1,200 people; 12:01 am, 50/50, Hamas’s."
    toks = tokenize(text, offset=10)
    assert [t.text for t in toks][:3] == ["Some", "1,200", "people"]
    assert "12:01" in [t.text for t in toks] and "50/50" in [t.text for t in toks]
    assert all(text[t.start - 10:t.end - 10] == t.text for t in toks)


@pytest.mark.parametrize("word,want", [("hostages", "hostage"), ("lorries", "lorry"),
                                       ("israelis", "israeli"), ("talks", "talks"), ("his", "his"),
                                       ("crisis", "crisis"), ("detainees", "detainee")])
def test_lemma(word, want):
    """Plurals lose their ending, words that only look plural keep theirs."""
    assert lemma(word) == want


def test_sentences_split_on_full_stops_but_not_abbreviations():
    """'Oct. 7' does not end a sentence; a new line always does."""
    body = "It began on Oct. 7 in the south. Talks went on.\nA new line here"
    spans = sentences(body, frozenset({"oct"}))
    assert [body[s.start:s.end] for s in spans] == [
        "It began on Oct. 7 in the south.", "Talks went on.", "A new line here"]
    assert [s.paragraph for s in spans] == [0, 0, 1]


def test_phrase_table_prefers_the_longest_phrase():
    """'as many as' wins over a shorter phrase at the same place."""
    table = PhraseTable([("as many", 1), ("as many as", 2)])
    toks = tokenize("as many as 800")
    assert table.match_at(toks, 0) == (3, 2)
    assert table.match_before(toks, 3) == (0, 2)
    assert table.match_at(toks, 3) is None


# --- numbers ----------------------------------------------------------------------------------

def test_parse_digits():
    """Separators, decimals, and what is no plain number."""
    assert parse_digits("1,200") == 1200 and parse_digits("5.63") == 5.63
    assert parse_digits("12:01") is None and parse_digits("50/50") is None


@pytest.mark.parametrize("text,value", [
    ("eight", 8), ("forty-one", 41), ("a hundred", 100), ("two dozen", 24), ("a dozen", 12),
    ("one hundred and twenty", 120), ("three million", 3_000_000), ("2.5bn", 2.5e9),
    ("1.9 million", 1.9e6), ("four and a half", 4.5), ("two thirds", 2 / 3), ("twenty one", 21),
])
def test_parse_number_forms(text, value, lex):
    """Digits with scales and every form of number word."""
    got, end, _ = parse_number(tokenize(text), 0, lex)
    assert got == pytest.approx(value) and end == len(tokenize(text))


@pytest.mark.parametrize("text,low,high", [
    ("700 to 800 men", 700, 800), ("700-800 men", 700, 800), ("between 30 and 40 men", 30, 40),
    ("990 to 1,650 men", 990, 1650)])
def test_ranges(text, low, high, lex):
    """Every range form gives its bounds and its midpoint."""
    _, q = _one(text, lex)
    assert (q.low, q.high, q.value, q.hedge) == (low, high, (low + high) / 2, "range")


@pytest.mark.parametrize("text,days", [
    ("a 6-week truce", 42), ("a four-day truce", 4), ("42 days", 42), ("two months", 60),
    ("three years", 1095), ("a week of talks", 7), ("one more day", 1), ("under two hours", 2 / 24)])
def test_durations_in_days(text, days, lex):
    """Weeks x 7, months x 30, years x 365."""
    _, q = _one(text, lex)
    assert q.kind == "duration" and q.value == pytest.approx(days, abs=1e-3)


@pytest.mark.parametrize("text,floor", [("dozens of", 24), ("scores of", 40), ("hundreds of", 200),
                                        ("thousands of", 2000), ("tens of thousands of", 20000),
                                        ("hundreds of thousands of", 200000), ("several", 3),
                                        ("a handful of", 3), ("a number of", 2)])
def test_vague_floors(text, floor, lex):
    """Each vague word of CLAIMS.md gives its floor as `low` and no value."""
    _, q = _one(text + " men", lex)
    assert (q.hedge, q.low, q.value) == ("vague", floor, None)


def test_money_and_percent(lex):
    """Currency signs and codes become ISO 4217 codes; percent words a percent."""
    toks = tokenize("$6 billion, EUR 5.63 billion and 25% and 38 per cent")
    kinds = [(q.kind, q.unit, q.value) for q in scan(toks, lex)]
    assert kinds == [("money", "USD", 6e9), ("money", "EUR", 5.63e9), ("percent", "percent", 25),
                     ("percent", "percent", 38)]


# --- filters ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text,why", [
    ("on October 7 they", "date"), ("on 7 October they", "date"), ("in 2023 they", "year"),
    ("at 8 pm they", "time"), ("a 19-year-old soldier", "age"), ("Channel 12 said", "name"),
    ("Ofer Levi, 53, and", "age"), ("the G7 summit", "name"), ("it was 4th", "name"),
    ("men older than 50", "age")])
def test_noise(text, why, lex):
    """Dates, years, times, ages and names are no claims, each for its reason."""
    toks = tokenize(text)
    assert [noise(toks, q, lex) for q in scan(toks, lex)] == [why]


def test_captions_and_phones():
    """Photo credits and phone numbers are recognised."""
    assert is_caption("File: Crowds in Rafah, November 8, 2023. (AP Photo/Hatem Ali, File)")
    assert is_caption("Leaders meet. (Collage/AFP)")
    assert not is_caption("Hamas freed 13 hostages (two of them children).")
    assert phone_spans("call +1 202 555 0147 now") and not phone_spans("990 to 1,650 men")


# --- counted noun and figure ------------------------------------------------------------------

@pytest.mark.parametrize("text,figure", [
    ("700 security prisoners", "prisoners"), ("40 of the hostages", "hostages"),
    ("20 living Israeli captives", "hostages"), ("1,000 prisoners of war", "prisoners"),
    ("915 trucks", "aid_trucks"), ("a four-day truce", "truce"), ("11% raise", "wage_increase")])
def test_counted_noun_names_the_figure(text, figure, lex):
    """The noun after the number, past its modifiers, names the figure."""
    toks, q = _one(text, lex)
    assert figures.counted_noun(toks, q, lex).figure == figure


def test_generic_noun_takes_the_clause_cue(lex):
    """'some 1,200 people' counts the killed when the clause says they were killed."""
    toks = tokenize("terrorists kill some 1,200 people and abduct another 253")
    q1, q2 = (context.hedge(toks, q, lex) for q in scan(toks, lex))
    c1 = figures.counted_noun(toks, q1, lex)
    assert c1.generic and figures.cue_figure(toks, q1, lex, c1.end) == "killed"
    c2 = figures.counted_noun(toks, q2, lex)
    assert c2.bare and figures.cue_figure(toks, q2, lex, c2.end) == "hostages"


def test_bare_numbers_need_a_reason(lex):
    """'no one to talk to' is no count; 'the 40' and '240 were seized' may be."""
    for text, ok in [("there is no one to talk to", False), ("in return for the 40", True),
                     ("240 were seized", True)]:
        toks = tokenize(text)
        q = scan(toks, lex)[0]
        assert figures.bare_allowed(toks, q, figures.counted_noun(toks, q, lex), lex) is ok


# --- hedge, aspect, qualifiers ----------------------------------------------------------------

@pytest.mark.parametrize("text,hedge", [
    ("some 130", "approx"), ("at least 50", "at_least"), ("more than 100", "at_least"),
    ("as many as 800", "at_most"), ("nearly 900", "at_most"), ("just under 40", "at_most"),
    ("north of 20", "at_least"), ("gone up to 224", "exact"), ("hand over 1,000", "exact")])
def test_hedge(text, hedge, lex):
    """Hedge words before a number, and the phrasal verbs that only look like them."""
    toks = tokenize(text + " men")
    q = context.hedge(toks, scan(toks, lex)[0], lex)
    assert q.hedge == hedge


@pytest.mark.parametrize("text,aspect", [
    ("130 hostages remain in Gaza", "held"), ("they abducted 240 hostages", "taken"),
    ("Hamas freed 13 hostages", "released"), ("Israel would free 150 prisoners", "proposed"),
    ("in exchange for 40 hostages", "proposed")])
def test_aspect(text, aspect, lex):
    """The nearest aspect cue wins; a release after a modal is a proposal."""
    toks = tokenize(text)
    q = scan(toks, lex)[0]
    c = figures.counted_noun(toks, q, lex)
    assert context.aspect(toks, q.i, c.end, c.figure, lex) == aspect


def test_aspect_is_null_outside_people_figures(lex):
    """A death toll or a duration has no aspect."""
    toks = tokenize("militants killed 1,200 people")
    assert context.aspect(toks, 2, 4, "killed", lex) is None


def test_qualifiers(lex):
    """Qualifier words inside the noun phrase, and 'change' for 'N more'."""
    toks = tokenize("20 more living hostages")
    assert context.qualifiers(toks, 0, 4, lex) == ["alive", "change"]


# --- attribution ------------------------------------------------------------------------------

def _claimant(text, lex, number):
    toks = tokenize(text)
    i = next(k for k, t in enumerate(toks) if t.text == number)
    f = attribution.claimant(attribution.frames(toks, text, lex), toks, i, i + 1)
    return f.speaker if f else None


def test_attribution_frames(lex):
    """Said/according-to frames, nested reports, closing frames and credits."""
    assert _claimant("According to Channel 12, Israel would free 800 men.", lex, "800") == "Channel 12"
    assert _claimant("Variety reports the union said its 118-day strike ended.", lex, "118") == "the union"
    assert _claimant("Hamas holds 15 bodies, the office said on Monday.", lex, "15") == "the office"
    assert _claimant("Under the deal 250 men go free. (Source: AA)", lex, "250") is None
    assert _claimant("The official did not say that 40 men would go.", lex, "40") is None


def test_anaphors(lex):
    """'he', 'the group' only refer back."""
    assert attribution.is_anaphor("the group", lex) and attribution.is_anaphor("He", lex)
    assert not attribution.is_anaphor("the Health Ministry", lex)
