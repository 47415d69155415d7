"""Bar-chart geometry for the console's inline SVG charts (analytics.html draws it).

Charts are computed on the server so the console needs no chart library, no CDN and no script:
this module only turns numbers into positions; the template turns positions into SVG.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

WIDTH = 600  # viewBox width: about the width of a chart card, so text stays at its size
FONT = 12  # px, the labels' font size in the template


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: str          # colour key (a CSS class in the template)
    title: str           # tooltip and screen-reader text: "label: value"
    value_text: str = ""  # printed after the bar (horizontal charts)


@dataclass(frozen=True)
class Tick:
    at: float            # x (category axis of a column chart) or y, or the value axis position
    text: str


@dataclass
class Chart:
    horizontal: bool
    width: int
    height: int
    left: float
    top: float
    right: float         # x where the plot ends
    bottom: float        # y where the plot ends
    x_title: str
    y_title: str
    bars: list[Bar] = field(default_factory=list)
    value_ticks: list[Tick] = field(default_factory=list)
    category_ticks: list[Tick] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (series, label)
    empty: bool = False


def nice_ticks(high: float, integer: bool, count: int = 4) -> list[float]:
    """0 and round steps (1, 2, 5 × 10^k) up to at least `high`, about `count` of them."""
    if high <= 0:
        return [0.0, 1.0]
    raw = high / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if integer:
        step = max(1.0, round(step))
    return [round(step * i, 10) for i in range(math.ceil(high / step - 1e-9) + 1)]


def text_width(text: str) -> float:
    """Rough rendered width: CJK characters are about twice as wide as Latin ones."""
    return sum(FONT if ord(ch) >= 0x2E80 else FONT * 0.58 for ch in text)


def clip(text: str, width: float) -> str:
    if text_width(text) <= width:
        return text
    while text and text_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def plain(value: float) -> str:
    return f"{value:g}"


def columns(categories: Sequence[str], series: Sequence[tuple[str, str, Sequence[float]]],
            x_title: str, y_title: str, integer: bool = True, height: int = 280) -> Chart:
    """Vertical bars, grouped per category (e.g. one group per day, one bar per language).
    `series` is (key, label, one value per category)."""
    chart = Chart(False, WIDTH, height, left=52, top=34, right=WIDTH - 12, bottom=height - 50,
                  x_title=x_title, y_title=y_title, legend=[(key, label) for key, label, _ in series])
    values = [v for _, _, vs in series for v in vs]
    ticks = nice_ticks(max(values, default=0), integer)
    chart.empty = not any(values)
    plot_h, slot = chart.bottom - chart.top, (chart.right - chart.left) / max(len(categories), 1)
    scale = lambda v: plot_h * v / ticks[-1]
    chart.value_ticks = [Tick(chart.bottom - scale(t), plain(t)) for t in ticks]
    bar_w = slot * 0.8 / max(len(series), 1)
    for i, category in enumerate(categories):
        for j, (key, label, vs) in enumerate(series):
            x = chart.left + i * slot + slot * 0.1 + j * bar_w
            chart.bars.append(Bar(x, chart.bottom - scale(vs[i]), bar_w, scale(vs[i]), key,
                                  f"{category} · {label}: {plain(vs[i])}"))
    every = math.ceil(len(categories) / 7) or 1
    chart.category_ticks = [Tick(chart.left + (i + 0.5) * slot, c) for i, c in enumerate(categories) if i % every == 0]
    return chart


def rows(labels: Sequence[str], values: Sequence[Optional[float]], x_title: str, y_title: str,
         series: Optional[Sequence[str]] = None, integer: bool = True,
         value_text: Callable[[Optional[float]], str] = lambda v: "—" if v is None else plain(v)) -> Chart:
    """Horizontal bars, one per label (categories with long names: articles, red-flag types).
    A None value (no data) gets no bar but still its row and a dash."""
    label_w = min(200.0, max((text_width(l) for l in labels), default=0.0)) + 10
    height = 34 + 28 * max(len(labels), 1) + 50
    chart = Chart(True, WIDTH, height, left=label_w + 8, top=34, right=WIDTH - 60, bottom=height - 50,
                  x_title=x_title, y_title=y_title)
    numbers = [v or 0 for v in values]
    ticks = nice_ticks(max(numbers, default=0), integer)
    chart.empty = not any(numbers)
    scale = lambda v: (chart.right - chart.left) * v / ticks[-1]
    chart.value_ticks = [Tick(chart.left + scale(t), plain(t)) for t in ticks]
    for i, (label, value) in enumerate(zip(labels, values)):
        y = chart.top + i * 28
        chart.bars.append(Bar(chart.left, y + 5, scale(value or 0), 18, (series or [])[i] if series else "bar",
                              f"{label}: {value_text(value)}", value_text(value)))
        chart.category_ticks.append(Tick(y + 14, clip(label, label_w - 10)))
    return chart
