"""Report charts with matplotlib (Agg, no display), rendered to SVG.

Text stays text in the SVG (``svg.fonttype = none``) so the reader's own CJK fonts draw
the Chinese labels; matplotlib uses an installed CJK font for layout when it finds one
(Debian's fonts-wqy-microhei or fonts-noto-cjk) and falls back to DejaVu Sans otherwise.
Only the object API is used (no pyplot state), so charts can be drawn off the event loop.
"""

from __future__ import annotations

import base64
import functools
import io
import logging
import warnings
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from service.reports.figures import GRADE_KEYS, GradeRow, RateRow

CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "SimHei")
BAR, LOW, PREV, TARGET = "#3b82c4", "#e8a29a", "#9aa4ae", "#b42318"
GRADE_COLOURS = {
    "AA": "#1a7f37",
    "A": "#7bc47f",
    "B": "#f2c14e",
    "C": "#d1495b",
    "unclassified": "#c9ced6",
}


@functools.cache
def _configure() -> None:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    families = [f for f in CJK_FONTS if f in installed]
    matplotlib.rcParams.update(
        {
            "font.family": [*families, "DejaVu Sans"],
            "svg.fonttype": "none",
            "svg.hashsalt": "qcredit",  # stable element ids: the same data, the same bytes
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 9,
        }
    )
    # Without a CJK font matplotlib warns once per missing glyph; the browser draws them.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buf.getvalue()
    return text[text.find("<svg") :]


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def rate_bars(rows: Sequence[RateRow], *, target: float, title: str) -> str:
    """Horizontal bars of this year's pass rate, last year's as a tick, target dashed."""
    _configure()
    shown = sorted((r for r in rows if r.rate is not None), key=lambda r: r.rate or 0.0)
    fig = Figure(figsize=(7.2, max(1.6, 0.34 * len(shown) + 0.9)))
    ax = fig.add_subplot()
    ys = range(len(shown))
    rates = [(r.rate or 0.0) * 100 for r in shown]
    colours = [LOW if r.below_target else BAR for r in shown]
    bars = ax.barh(list(ys), rates, color=colours, height=0.62)
    for bar, r in zip(bars, shown, strict=True):
        if r.below_target:
            bar.set_hatch("///")
            bar.set_edgecolor(TARGET)
    prev = [(i, (r.previous_rate or 0.0) * 100) for i, r in enumerate(shown) if r.previous_rate]
    if prev:
        ax.scatter(
            [p for _, p in prev],
            [i for i, _ in prev],
            marker="|",
            s=160,
            color=PREV,
            label="上年 previous year",
            zorder=3,
        )
    ax.axvline(
        target * 100,
        color=TARGET,
        linestyle="--",
        linewidth=1.4,
        label=f"目标 target {target * 100:.0f}%",
    )
    for i, v in enumerate(rates):
        ax.text(min(v, 100) + 0.4, i, f"{v:.1f}%", va="center", fontsize=8)
    ax.set_yticks(list(ys), [r.label for r in shown])
    low = min([*rates, target * 100], default=0.0)
    ax.set_xlim(max(0.0, (int(low) // 10) * 10 - 10), 104)
    ax.set_xlabel("合格率 pass rate (%)")
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
    return _svg(fig)


def month_line(rows: Sequence[RateRow], *, target: float, title: str) -> str:
    """Monthly pass rate this year against the same months last year."""
    _configure()
    fig = Figure(figsize=(7.2, 2.8))
    ax = fig.add_subplot()
    xs = list(range(1, len(rows) + 1))
    now = [r.rate * 100 if r.rate is not None else float("nan") for r in rows]
    before = [r.previous_rate * 100 if r.previous_rate is not None else float("nan") for r in rows]
    ax.plot(xs, before, color=PREV, linestyle=":", marker="o", markersize=3, label="上年 previous")
    ax.plot(xs, now, color=BAR, marker="o", linewidth=2, label="本年 this year")
    ax.axhline(
        target * 100,
        color=TARGET,
        linestyle="--",
        linewidth=1.4,
        label=f"目标 target {target * 100:.0f}%",
    )
    values = [v for v in now + before if v == v] + [target * 100]
    ax.set_ylim(max(0.0, (int(min(values)) // 10) * 10 - 10), 101)
    ax.set_xticks(xs, [f"{m}月" for m in xs])
    ax.set_ylabel("合格率 (%)")
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
    return _svg(fig)


def grade_bars(rows: Sequence[GradeRow], *, title: str) -> str:
    """Enterprises per class, stacked per region."""
    _configure()
    fig = Figure(figsize=(7.2, max(1.6, 0.34 * len(rows) + 1.0)))
    ax = fig.add_subplot()
    left = [0] * len(rows)
    ys = list(range(len(rows)))
    for grade in GRADE_KEYS:
        counts = [r.counts.get(grade, 0) for r in rows]
        ax.barh(ys, counts, left=left, color=GRADE_COLOURS[grade], height=0.62, label=grade)
        left = [a + b for a, b in zip(left, counts, strict=True)]
    ax.set_yticks(ys, [r.label for r in rows])
    ax.set_xlabel("企业数 enterprises")
    ax.set_title(title)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
    return _svg(fig)
