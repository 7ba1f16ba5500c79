"""Charts: the series of one story and figure over time, drawn with matplotlib's Agg canvas (no display).

Each panel is one series (the headline first, subsets under it on request): a band through the
best estimate per date, and every claim as an interval bar (a point for an exact number, a bar
for a range, an arrow for a bound) coloured by voice; at most 8 voices get colours, the rest grey.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Optional, Sequence

from tracker.errors import InputError
from tracker.timeline.estimates import DOC, HEDGE, HI, LO, SOURCE, VOICE
from tracker.timeline.series import Series

WIDTH_IN, HEIGHT_IN, DPI = 12, 8, 100
MAX_COLOURED = 8
GREY = "0.62"
PALETTE = ("C0", "C1", "C2", "C3", "C4", "C5", "C6", "C8")  # matplotlib's ten colours without its grey (C7)


def chart_size() -> tuple[int, int]:
    """The size of a PNG chart in pixels (width, height)."""
    return WIDTH_IN * DPI, HEIGHT_IN * DPI


def _day(date: str) -> dt.date:
    return dt.date.fromisoformat(date)


def pick_series(series_list: Sequence[Series], limit: int = 6) -> list[Series]:
    """The series worth a panel: headline ones first, then those with the most dates, at most `limit`."""
    dated = [s for s in series_list if s.points]
    return sorted(dated, key=lambda s: (not s.headline, -len(s.points), s.key))[:limit]


def voice_colours(series_list: Sequence[Series]) -> dict[str, str]:
    """The voices with the most claims get a colour each (at most 8); the others are grey."""
    counts = Counter(it[VOICE] for s in series_list for p in s.points for it in p.items)
    top = [v for v, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_COLOURED]]
    return {v: (PALETTE[top.index(v)] if v in top else GREY) for v in counts}


def credit(series_list: Sequence[Series]) -> str:
    """'Drawn from 17 articles of 16 outlets (43 claims).'"""
    items = [it for s in series_list for p in s.points for it in p.items]
    docs, outlets = {it[DOC] for it in items}, {it[SOURCE] for it in items}
    return (f"Drawn from {len(docs)} article{'s' * (len(docs) != 1)} of {len(outlets)} "
            f"outlet{'s' * (len(outlets) != 1)} ({len(items)} claims). Bars: what each claim allows; "
            f"band: the best estimate per date.")


def _draw(ax, s: Series, colours: dict[str, str]) -> None:
    xs = [_day(p.date) for p in s.points]
    lows = [p.low if p.low is not None else 0 for p in s.points]
    highs = [p.high if p.high is not None else (p.low or 0) for p in s.points]
    ax.fill_between(xs, lows, highs, step="mid", color="0.85", zorder=0, linewidth=0)
    ax.plot(xs, [p.level for p in s.points], drawstyle="steps-mid", color="0.35", linewidth=1.2, zorder=1)
    top = max([it[HI] if it[HI] is not None else it[LO] for p in s.points for it in p.items] + [1])
    for p in s.points:
        x = _day(p.date)
        for it in p.items:
            colour = colours.get(it[VOICE], GREY)
            lo, hi = it[LO], it[HI]
            if hi is None:  # a floor: an arrow up from it
                ax.annotate("", xy=(x, lo + top * 0.08), xytext=(x, lo),
                            arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.4}, zorder=2)
            elif hi > lo:
                ax.vlines(x, lo, hi, colors=colour, linewidth=3, alpha=0.8, zorder=2)
            hollow = it[HEDGE] in ("approx", "vague")
            ax.scatter([x], [lo if hi is None or it[HEDGE] != "at_most" else hi], s=30, zorder=3,
                       edgecolors=colour, facecolors="none" if hollow else colour, linewidths=1.3)
    ax.set_ylim(bottom=0, top=top * 1.15)
    ax.set_title(f"{s.key.label} · {s.unit}", fontsize=10, loc="left")
    ax.grid(True, alpha=0.3)


def plot_series(series_list: Sequence[Series], out: Path | str, *, title: Optional[str] = None,
                limit: int = 6) -> Path:
    """Draw up to `limit` series as stacked panels sharing the time axis; PNG, SVG or PDF by suffix."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    out = Path(out)
    fmt = out.suffix.lstrip(".").lower()
    if fmt not in ("png", "svg", "pdf"):
        raise InputError(f"{out}: a chart is written as .png, .svg or .pdf")
    chosen = pick_series(series_list, limit)
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(fig)
    span = ""
    if not chosen:
        fig.text(0.5, 0.5, "no dated claims to draw", ha="center", va="center")
    else:
        axes = fig.subplots(len(chosen), 1, sharex=True, squeeze=False)[:, 0]
        colours = voice_colours(chosen)
        for ax, s in zip(axes, chosen):
            _draw(ax, s, colours)
        locator = AutoDateLocator()
        axes[-1].xaxis.set_major_locator(locator)
        axes[-1].xaxis.set_major_formatter(ConciseDateFormatter(locator))
        named = [v for v, c in colours.items() if c != GREY]
        named.sort(key=lambda v: PALETTE.index(colours[v]))
        handles = [Line2D([], [], marker="o", linestyle="", color=colours[v], label=v) for v in named]
        if len(named) < len(colours):
            handles.append(Line2D([], [], marker="o", linestyle="", color=GREY,
                                  label=f"{len(colours) - len(named)} other voices"))
        handles.append(Line2D([], [], marker="o", linestyle="", color="0.3", markerfacecolor="none",
                              label="approximate"))
        fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.81, 0.92), fontsize=8, frameon=False,
                   title="voices", title_fontsize=9)
        fig.subplots_adjust(left=0.07, right=0.80, top=0.88, bottom=0.10, hspace=0.45)
        dates = sorted(p.date for s in chosen for p in s.points)
        span = f"{dates[0]} → {dates[-1]}"
        fig.text(0.07, 0.02, credit(chosen), fontsize=8, color="0.3")
    fig.suptitle(title or "", x=0.07, ha="left", fontsize=13)
    fig.text(0.07, 0.925, span, fontsize=9, color="0.3")
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=DPI, format=fmt)
    return out
