"""The extractor on the sentence cases of tests/cases/*.toml: one test id per case."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tracker.extract import extract, load_lexicon

CASES = Path(__file__).parent / "cases"
_NUMERIC = ("value", "low", "high")


def _load() -> list:
    params = []
    for path in sorted(CASES.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for n, case in enumerate(data.get("case", []), 1):
            marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
            params.append(pytest.param(case, id=f"{path.stem}-{case.get('id', n)}", marks=marks))
    return params


ALL_CASES = _load()


def _matches(claim, want: dict) -> bool:
    rec = claim.as_record()
    for key, expected in want.items():
        got = rec.get(key)
        if key in _NUMERIC:
            if (got is None) != (expected is None) or (got is not None and abs(got - expected) > 1e-3):
                return False
        elif key == "attribution" and expected is not None:
            if got is None or got.lower() != expected.lower():
                return False
        elif key == "qualifiers":
            if not set(expected) <= set(got):
                return False
        elif got != expected:
            return False
    return True


@pytest.mark.parametrize("case", ALL_CASES)
def test_case(case: dict) -> None:
    """Every expected claim is found, and (unless `partial`) nothing else is."""
    text = case["text"]
    claims = extract(text, all_quantities=case.get("all", False))
    for c in claims:
        assert text[c.start:c.end] == c.text
    left = list(claims)
    for want in case.get("expect", []):
        hit = next((c for c in left if _matches(c, want)), None)
        assert hit is not None, f"no claim like {want} in {[c.as_record() for c in claims]}"
        left.remove(hit)
    if not case.get("partial", False):
        assert not left, f"unexpected claims: {[c.as_record() for c in left]}"


def test_every_figure_has_cases() -> None:
    """Each figure of the built-in lexicon is expected by at least two cases."""
    seen: dict[str, int] = {}
    for p in ALL_CASES:
        for want in p.values[0].get("expect", []):
            seen[want.get("figure", "")] = seen.get(want.get("figure", ""), 0) + 1
    missing = [f for f in load_lexicon().figure_names() if seen.get(f, 0) < 2]
    assert not missing, f"figures without cases: {missing}"


def test_there_are_enough_cases() -> None:
    """The table stays big enough to pin the rules down."""
    assert len(ALL_CASES) >= 200
