"""Charts: each series of a figure over time, drawn with matplotlib's Agg canvas (no display)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional, Sequence

from tracker.errors import InputError
from tracker.timeline.series import Series, best_value

#: marker per hedge; at_least/at_most also get an arrow, range a bar from low to high
HEDGE_MARKERS = {"exact": "o", "approx": "o", "at_least": "^", "at_most": "v", "range": "s", "vague": "^"}
WIDTH_IN, HEIGHT_IN, DPI = 12, 8, 100


def chart_size() -> tuple[int, int]:
    """The size of a PNG chart in pixels (width, height)."""
    return WIDTH_IN * DPI, HEIGHT_IN * DPI


def _day(date: str) -> dt.date:
    return dt.date.fromisoformat(date)


def pick_series(series_list: Sequence[Series], limit: int = 6) -> list[Series]:
    """The series worth a panel: those with the most dates, at most `limit`, in key order."""
    dated = [s for s in series_list if s.points]
    chosen = sorted(dated, key=lambda s: (-len(s.points), -len(s.claims), s.key))[:limit]
    return sorted(chosen, key=lambda s: s.key)


def _draw(ax, s: Series, colours: dict[str, str]) -> None:
    xs = [_day(p.date) for p in s.points]
    ys = [p.value for p in s.points]
    ax.plot(xs, ys, drawstyle="steps-post", color="0.55", linewidth=1.2, zorder=1)
    for c in s.claims:
        y = best_value(c)
        if not c.date or y is None:
            continue
        x, colour = _day(c.date), colours[getattr(c, "source", None) or c.doc or "?"]
        hollow = c.hedge in ("approx", "vague")
        ax.scatter(
            [x],
            [y],
            marker=HEDGE_MARKERS.get(c.hedge, "o"),
            s=46,
            zorder=3,
            edgecolors=colour,
            facecolors="none" if hollow else colour,
            linewidths=1.5,
        )
        if c.hedge == "range" and c.low is not None and c.high is not None:
            ax.vlines(x, c.low, c.high, colors=colour, linewidth=2, zorder=2)
        elif c.hedge in ("at_least", "at_most", "vague"):
            up = c.hedge != "at_most"
            # the arrow points from the value to where the true number may lie (offset in points)
            ax.annotate(
                "",
                xy=(x, y),
                xytext=(0, 16 if up else -16),
                textcoords="offset points",
                arrowprops={"arrowstyle": "<-", "color": colour, "lw": 1.2},
                zorder=2,
            )
    ax.set_title(f"{s.key.label} · {s.unit}", fontsize=10, loc="left")
    ax.margins(x=0.03, y=0.25)  # room for the hedge arrows above and below the points
    ax.grid(True, alpha=0.3)


def plot_series(series_list: Sequence[Series], out: Path | str, *, title: Optional[str] = None, limit: int = 6) -> Path:
    """Draw up to `limit` series as stacked panels sharing the time axis; PNG or SVG by suffix."""
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
    if not chosen:
        fig.text(0.5, 0.5, "no dated claims to draw", ha="center", va="center")
    else:
        axes = fig.subplots(len(chosen), 1, sharex=True, squeeze=False)[:, 0]
        sources = sorted({getattr(c, "source", None) or c.doc or "?" for s in chosen for c in s.claims})
        palette = [f"C{i % 10}" for i in range(len(sources))]
        colours = dict(zip(sources, palette))
        for ax, s in zip(axes, chosen):
            _draw(ax, s, colours)
        locator = AutoDateLocator()
        axes[-1].xaxis.set_major_locator(locator)
        axes[-1].xaxis.set_major_formatter(ConciseDateFormatter(locator))
        handles = [Line2D([], [], marker="o", linestyle="", color=colours[src], label=src) for src in sources]
        handles += [
            Line2D(
                [],
                [],
                marker=m,
                linestyle="",
                color="0.3",
                markerfacecolor="none" if h == "approx" else "0.3",
                label=h.replace("_", " "),
            )
            for h, m in HEDGE_MARKERS.items()
            if h != "vague"
        ]
        fig.legend(handles=handles, loc="upper right", fontsize=8, ncols=1, frameon=False)
        fig.subplots_adjust(left=0.07, right=0.80, top=0.92, bottom=0.06, hspace=0.45)
    shown = f"{len(chosen)} of {len(series_list)} series" if len(chosen) < len(series_list) else f"{len(chosen)} series"
    fig.suptitle(f"{title}: {shown}" if title else shown, x=0.07, ha="left", fontsize=12)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=DPI, format=fmt)
    return out
