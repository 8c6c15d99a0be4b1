"""The snapshot's forecast chart as inline SVG, drawn here rather than by a charting library.

A mail client runs no JavaScript and fetches nothing, so the chart must be finished markup inside
the HTML. Altair would need vl-convert (not installed) to produce it; a weekly line with a band
is a few dozen SVG elements, so they are written directly, with plain attributes (no CSS classes)
that mail clients keep.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 600, 220
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 24, 28
ACTUAL = "#222222"
FORECAST = "#2b6cb0"
BAND = "#bcd4ee"
GRID = "#e2e2e2"
FONT = 'font-family="Helvetica, Arial, sans-serif" font-size="11"'


@dataclass(frozen=True)
class Point:
    week: dt.date
    value: float


@dataclass(frozen=True)
class Interval:
    week: dt.date
    value: float
    lower: float
    upper: float


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round axis values from 0 to at least `top`: steps of 1, 2, 2.5 or 5 times a power of 10."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return [step * i for i in range(math.ceil(top / step - 1e-9) + 1)]


def forecast_svg(
    actuals: Sequence[Point],
    forecast: Sequence[Interval],
    *,
    label: str,
    value_format: Callable[[float], str],
) -> str:
    """Weekly actuals as a dark line, then the forecast as a blue dashed line in its 80% band."""
    weeks = sorted({p.week for p in actuals} | {f.week for f in forecast})
    if not weeks:
        raise ValueError("nothing to draw")
    highest = max([p.value for p in actuals] + [f.upper for f in forecast] + [0.0])
    ticks = nice_ticks(highest * 1.05)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(weeks) - 1)
    column = {week: number for number, week in enumerate(weeks)}

    def x(week: dt.date) -> float:
        return LEFT + column[week] * step

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / ticks[-1])

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    for tick in ticks:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="{GRID}"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="#555555" '
            f"{FONT}>{escape(value_format(tick))}</text>"
        )
    for week in weeks[:: max(1, len(weeks) // 6)]:
        parts.append(
            f'<text x="{x(week):.1f}" y="{HEIGHT - 8}" text-anchor="middle" fill="#555555" '
            f"{FONT}>{week.day} {week:%b}</text>"
        )
    if forecast:
        band = [f"{x(f.week):.1f},{y(f.upper):.1f}" for f in forecast]
        band += [f"{x(f.week):.1f},{y(f.lower):.1f}" for f in reversed(forecast)]
        parts.append(f'<polygon points="{" ".join(band)}" fill="{BAND}" stroke="none"/>')
        parts.append(_line([(x(f.week), y(f.value)) for f in forecast], FORECAST, dashed=True))
    if actuals:
        parts.append(_line([(x(p.week), y(p.value)) for p in actuals], ACTUAL))
        parts += [
            f'<circle cx="{x(p.week):.1f}" cy="{y(p.value):.1f}" r="2.5" fill="{ACTUAL}"/>'
            for p in actuals
        ]
    parts.append(
        f'<text x="{LEFT}" y="14" fill="{ACTUAL}" {FONT}>● actual</text>'
        f'<text x="{LEFT + 70}" y="14" fill="{FORECAST}" {FONT}>'
        "- - forecast, shaded: 80% interval</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def _line(points: Sequence[tuple[float, float]], colour: str, *, dashed: bool = False) -> str:
    path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    dash = ' stroke-dasharray="5 3"' if dashed else ""
    return f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
