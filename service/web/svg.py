"""Server-drawn SVG charts for the statistics page (no JavaScript, no chart library).

Pure functions: data in, SVG markup out. Every chart carries ``role="img"``, a ``<title>``
and an ``aria-label``; the page shows the same numbers in a table for screen readers, and
bars below target are marked by a hatch pattern and text as well as colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True, slots=True)
class Point:
    label: str
    rate: float | None  # 0..1; None = no sample in this bucket
    tested: int = 0
    passed: int = 0


def pct(rate: float | None, digits: int = 1) -> str:
    return "—" if rate is None else f"{rate * 100:.{digits}f}%"


def _attr(text: str) -> str:
    return escape(text, quote=True)


_DEFS = (
    '<defs><pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" class="hatch-bg"/>'
    '<line x1="0" y1="0" x2="0" y2="6" class="hatch"/></pattern></defs>'
)


def bar_chart(
    points: Sequence[Point],
    *,
    target: float | None,
    title: str,
    chart_id: str,
    below_text: str,
    width: int = 480,
) -> str:
    """Horizontal bars, one per category, with a dashed vertical target line."""
    label_w, value_w, row_h, top = 116, 112, 26, 24
    plot_w = width - label_w - value_w
    height = top + row_h * max(len(points), 1) + 8
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_attr(title)}" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(title)}</title>",
        _DEFS.format(pid=f"{chart_id}-low"),
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        x = label_w + plot_w * tick
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 8}" class="grid"/>'
            f'<text x="{x:.1f}" y="{top - 8}" class="tick" text-anchor="middle">'
            f"{int(tick * 100)}%</text>"
        )
    for i, p in enumerate(points):
        y = top + i * row_h
        parts.append(
            f'<text x="{label_w - 6}" y="{y + row_h / 2 + 4:.1f}" class="label" '
            f'text-anchor="end">{escape(p.label)}</text>'
        )
        if p.rate is None:
            continue
        low = target is not None and p.rate < target
        # a presentation attribute, not an inline style (the page's CSP allows none); no
        # stylesheet rule sets .bar-low's fill, so this one holds
        fill = f' fill="url(#{chart_id}-low)"' if low else ""
        bar_w = max(plot_w * p.rate, 1.0)
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w:.1f}" height="{row_h - 8}" '
            f'class="{"bar-low" if low else "bar"}"{fill}>'
            f"<title>{escape(p.label)}: {pct(p.rate)} ({p.passed}/{p.tested})</title></rect>"
        )
        # the words go in their own span: a phone hides them (the hatch still marks the bar)
        below = f'<tspan class="below"> {escape(below_text)}</tspan>' if low else ""
        parts.append(
            f'<text x="{label_w + plot_w + 6}" y="{y + row_h / 2 + 4:.1f}" '
            f'class="value{" low" if low else ""}">{escape(pct(p.rate))}{below}</text>'
        )
    if target is not None:
        x = label_w + plot_w * target
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 8}" class="target"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _y_floor(points: Sequence[Point], target: float | None) -> float:
    """Lowest y shown: pass rates cluster near 100 %, so zoom to the data, in 10 % steps."""
    values = [p.rate for p in points if p.rate is not None]
    if target is not None:
        values.append(target)
    low = min(values, default=0.0)
    return max(0.0, (int(low * 10) - 1) / 10)


def line_chart(
    points: Sequence[Point],
    *,
    target: float | None,
    title: str,
    width: int = 480,
    height: int = 220,
) -> str:
    """Pass rate over periods; gaps where a period had no sample."""
    left, right, top, bottom = 48, 22, 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    y0 = _y_floor(points, target)
    span = 1.0 - y0 or 1.0

    def xy(i: int, rate: float) -> tuple[float, float]:
        step = plot_w / max(len(points) - 1, 1)
        return left + i * step, top + plot_h * (1 - (rate - y0) / span)

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_attr(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    ticks = 5
    for k in range(ticks + 1):
        rate = y0 + span * k / ticks
        _, y = xy(0, rate)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" class="tick" text-anchor="end">'
            f"{rate * 100:.0f}%</text>"
        )
    for i, p in enumerate(points):
        x, _ = xy(i, y0)
        parts.append(
            f'<text x="{x:.1f}" y="{height - 10}" class="tick" text-anchor="middle">'
            f"{escape(p.label)}</text>"
        )
    if target is not None:
        _, y = xy(0, target)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" class="target"/>'
        )
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, p in enumerate(points):
        if p.rate is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        x, y = xy(i, p.rate)
        segment.append(f"{x:.1f},{y:.1f}")
        low = target is not None and p.rate < target
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" class="{"dot-low" if low else "dot"}">'
            f"<title>{escape(p.label)}: {pct(p.rate)} ({p.passed}/{p.tested})</title></circle>"
        )
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) > 1:
            parts.append(f'<polyline points="{" ".join(seg)}" class="line"/>')
    parts.append("</svg>")
    return "".join(parts)


def heat_class(rate: float | None, target: float | None) -> str:
    """CSS class for a region tile: how far the rate sits from the target."""
    if rate is None:
        return "heat-none"
    if target is None:
        return "heat-ok"
    if rate >= target:
        return "heat-ok"
    if rate >= target - 0.05:
        return "heat-warn"
    return "heat-bad"
