"""evaluate(): the reference scoring of CLAIMS.md, checked on tiny files computed by hand."""

from __future__ import annotations

import json

import pytest

from tracker.extract.evaluate import evaluate, format_evaluation, pair, read_claims, same_attribution, score


def _write(path, rows):
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


GOLD = [
    {"doc": "a.txt", "figure": "hostages", "aspect": "held", "value": 130, "hedge": "approx",
     "attribution": "the Israeli army"},
    {"doc": "a.txt", "figure": "hostages", "aspect": "released", "value": None, "low": 24,
     "hedge": "vague", "attribution": None},
    {"doc": "a.txt", "figure": "prisoners", "aspect": "proposed", "value": 800, "high": 800,
     "hedge": "at_most", "attribution": "Channel 12"},
    {"doc": "b.txt", "figure": "truce", "aspect": None, "value": 42, "hedge": "exact",
     "attribution": None},
]
PRED = [
    # pairs with gold 1: same value; aspect right, hedge wrong, claimant's head noun agrees
    {"doc": "/x/a.txt", "figure": "hostages", "aspect": "held", "value": 130, "hedge": "exact",
     "attribution": "army"},
    # pairs with gold 2: both vague (the floor need not agree)
    {"doc": "a.txt", "figure": "hostages", "aspect": "held", "value": None, "low": 30,
     "hedge": "vague", "attribution": None},
    # no pair: gold 3 wants value 800, this one says 700
    {"doc": "a.txt", "figure": "prisoners", "aspect": "proposed", "value": 700, "hedge": "exact",
     "attribution": "Channel 12"},
    # pairs with gold 4; its claimant is an extra one
    {"doc": "b.txt", "figure": "truce", "aspect": None, "value": 42, "hedge": "exact",
     "attribution": "Reuters"},
    # a document outside the gold: ignored
    {"doc": "c.txt", "figure": "truce", "value": 5, "hedge": "exact"},
]


def test_score_by_hand(tmp_path):
    """3 of 4 gold paired, 3 of 4 scored predictions: P = R = F1 = 0.75; accuracies by hand."""
    gold = read_claims(_write(tmp_path / "gold.jsonl", GOLD))
    pred = read_claims(_write(tmp_path / "pred.jsonl", PRED))
    ev = score(gold, pred)
    m = ev.overall.metrics()
    assert (m["gold"], m["pred"], m["paired"]) == (4, 4, 3)
    assert (m["precision"], m["recall"], m["f1"]) == (0.75, 0.75, 0.75)
    # aspects: held=held, released!=held, None=None -> 2/3; hedges: approx!=exact, vague, exact -> 2/3
    assert m["aspect_acc"] == 0.667 and m["hedge_acc"] == 0.667
    # claimants: army ~ the Israeli army, None=None, None!=Reuters -> 2/3
    assert m["attribution_acc"] == 0.667
    assert [g["value"] for g in ev.misses] == [800] and [p["value"] for p in ev.extras] == [700]
    per = {k: v.metrics()["f1"] for k, v in ev.by_figure.items()}
    assert per == {"hostages": 1.0, "prisoners": 0.0, "truce": 1.0}


def test_figures_filter(tmp_path):
    """Only the figures asked for are scored."""
    ev = score(GOLD, [dict(p, doc=p["doc"].split("/")[-1]) for p in PRED], figures=["truce"])
    assert ev.overall.metrics()["f1"] == 1.0 and ev.overall.gold == 1


def test_pairing_prefers_same_aspect_then_nearest_span():
    """Of two candidates with the same number, the one with the gold's aspect wins."""
    g = [{"figure": "hostages", "value": 3, "aspect": "held", "start": 100}]
    p = [{"figure": "hostages", "value": 3, "aspect": "released", "start": 100},
         {"figure": "hostages", "value": 3, "aspect": "held", "start": 900}]
    pairs, used = pair(g, p)
    assert used == {1}
    # a prediction without value pairs on a bound equal to the gold's value
    pairs, _ = pair([{"figure": "killed", "value": 600}],
                    [{"figure": "killed", "value": None, "low": 600}])
    assert len(pairs) == 1


@pytest.mark.parametrize("g,p,ok", [("Channel 12", "channel 12 news", True), ("Hamas", None, False),
                                    (None, None, True), ("the union", "The Union", True),
                                    ("Reuters", "AFP", False)])
def test_same_attribution(g, p, ok):
    """Claimants agree on the head noun or by word containment."""
    assert same_attribution({"attribution": g}, {"attribution": p}) is ok


def test_evaluate_extracts_the_corpus(tmp_path):
    """evaluate() reads the corpus files the gold names and formats its result."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "d.txt").write_text("---\ndate: 2024-01-02\n---\nSome 130 hostages remain in Gaza.\n",
                                  encoding="utf-8")
    gold = _write(tmp_path / "g.jsonl", [{"doc": "d.txt", "figure": "hostages", "aspect": "held",
                                          "value": 130, "hedge": "approx", "attribution": None}])
    ev = evaluate(gold, corpus)
    assert ev.overall.metrics()["f1"] == 1.0
    lines = format_evaluation(ev, show_errors=True)
    assert lines[0].startswith("docs=1 ") and "f1=1.0" in lines[0]
    assert any(line.startswith("hostages") for line in lines)


def test_quantities_pair_by_value_and_count_misses_and_extras(tmp_path):
    """`evaluate --quantities` pairs each gold quantity with a prediction sharing a number."""
    from tracker.extract.evaluate import evaluate_quantities

    path = tmp_path / "sentences.jsonl"
    rows = [
        {"text": "The budget grew by 4% to $3 billion.",
         "quantities": [{"value": 4, "unit": "percent"}, {"value": 3e9, "unit": "USD"}]},
        {"text": "The bridge opened in 1998.", "quantities": []},
        {"text": "A 12-hectare plot was sold.", "quantities": [{"value": 999, "unit": "hectare"}]},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    ev = evaluate_quantities(path)
    assert (ev.sentences, ev.score.gold) == (3, 3)
    assert ev.score.paired == 2                        # 4% and $3 billion; 999 hectares is wrong gold
    assert [g["value"] for _, g in ev.misses] == [999]
    assert ev.score.pred == ev.score.paired + len(ev.extras)


def test_quantities_file_that_is_not_sentences_is_one_clear_error(tmp_path):
    """A line without `text` names the file and line."""
    from tracker.errors import InputError
    from tracker.extract.evaluate import evaluate_quantities

    path = tmp_path / "bad.jsonl"
    path.write_text('{"quantities": []}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl:1"):
        evaluate_quantities(path)
