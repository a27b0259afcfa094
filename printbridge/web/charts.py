"""Server-rendered charts: the geometry of a small bar chart for an inline SVG (no JavaScript, no library)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT = 720, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 12, 26


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: date
    value: int
    last: bool


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    plot_left: int
    plot_right: int
    baseline: float
    first: date
    last: date
    now: int
    peak: int
    peak_day: date | None


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, … that is at least `value` (at least 4, so small counts stay small)."""
    value = max(value, 4)
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def bar_chart(points: list[tuple[date, int]]) -> BarChart:
    """Bars for (day, value) points, oldest first; the y axis from 0 to a round maximum."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = nice_ceiling(max((v for _, v in points), default=0))
    slot = plot_w / max(len(points), 1)
    bars = []
    for i, (day, value) in enumerate(points):
        h = round(value / top * plot_h, 1)
        x = round(LEFT + i * slot + slot * 0.15, 1)
        bars.append(
            Bar(x, round(TOP + plot_h - h, 1), round(slot * 0.7, 1), h, day, value, i == len(points) - 1)
        )
    ticks = [Tick(round(TOP + plot_h - v / top * plot_h, 1), v) for v in (0, top // 2, top)]
    peak = max(points, key=lambda p: p[1], default=None)
    return BarChart(
        WIDTH,
        HEIGHT,
        bars,
        ticks,
        LEFT,
        WIDTH - RIGHT,
        TOP + plot_h,
        points[0][0] if points else date.today(),
        points[-1][0] if points else date.today(),
        points[-1][1] if points else 0,
        peak[1] if peak else 0,
        peak[0] if peak and peak[1] else None,
    )
