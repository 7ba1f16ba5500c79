"""How a figure reads over time: value labels and date-ordered timelines (pure functions over claims)."""

from __future__ import annotations

from typing import Iterable, Sequence

from tracker.models import Claim


def _num(x: float | None) -> str:
    if x is None:
        return "?"
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


def describe_value(claim: Claim | dict) -> str:
    """The value as a reader would write it down: '~130', '≤800', '≥30', '700–800', '≥24 (vague)'."""
    if isinstance(claim, dict):
        claim = Claim.model_validate({k: claim.get(k) for k in Claim.model_fields if k in claim})
    if claim.hedge == "range":
        return f"{_num(claim.low)}–{_num(claim.high)}"
    if claim.hedge == "vague":
        return f"≥{_num(claim.low)} (vague)" if claim.low is not None else "vague"
    mark = {"approx": "~", "at_least": "≥", "at_most": "≤"}.get(claim.hedge, "")
    best = claim.value if claim.value is not None else (claim.low if claim.low is not None else claim.high)
    return f"{mark}{_num(best)}"


def in_date_order(claims: Iterable[Claim]) -> list[Claim]:
    """Claims sorted by date (undated last), then by position in their document."""
    return sorted(claims, key=lambda c: (c.date is None, c.date or "", c.doc, c.start))


def dates(claims: Sequence[Claim]) -> list[str]:
    """The distinct dates the claims were reported on, in order."""
    return sorted({c.date for c in claims if c.date})
