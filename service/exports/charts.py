"""Charts as plain shapes, drawn server-side into inline SVG by the analytics template."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str  # the series' class: its colour in app.css
    title: str  # shown on hover and read by screen readers


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass
class Chart:
    width: int
    height: int
    title: str
    legend: list[tuple[str, str]]  # (series name, css class)
    rects: list[Rect] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    gridlines: list[Label] = field(default_factory=list)  # y positions with their value


def _nice_max(value: float) -> float:
    """A round top for the axis (1, 2, 5 × 10^n) at or above `value`."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def stacked_columns(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float]]],
    *,
    width: int = 720,
    height: int = 220,
    label_every: int = 1,
) -> Chart:
    """One column per category, stacked by series (name, css class, values)."""
    left, bottom, top = 36, 22, 8
    plot_h = height - bottom - top
    totals = [sum(values[i] for _, _, values in series) for i in range(len(categories))]
    ceiling = _nice_max(max(totals, default=0))
    chart = Chart(width, height, title, [(name, css) for name, css, _ in series])
    slot = (width - left) / max(len(categories), 1)
    bar = max(slot * 0.7, 1.0)
    for i, category in enumerate(categories):
        x = left + i * slot + (slot - bar) / 2
        y: float = top + plot_h
        for name, css, values in series:
            value = values[i]
            if value <= 0:
                continue
            h = plot_h * value / ceiling
            y -= h
            chart.rects.append(Rect(x, y, bar, h, css, f"{category}: {value:g} {name}"))
        if i % label_every == 0:
            chart.labels.append(Label(x + bar / 2, height - 6, category))
    for fraction in (0, 0.5, 1):
        chart.gridlines.append(
            Label(left - 4, top + plot_h * (1 - fraction), f"{ceiling * fraction:g}", "end")
        )
    return chart


def grouped_bars(
    title: str,
    rows: Sequence[tuple[str, Sequence[float]]],
    series: Sequence[tuple[str, str]],
    *,
    width: int = 720,
    unit: str = "",
) -> Chart:
    """Horizontal bars: one group per row (label, values), one bar per series (name, css)."""
    label_w, bar_h, gap = 200, 12, 10
    group_h = bar_h * len(series) + gap
    height = max(group_h * len(rows) + 4, 24)
    ceiling = _nice_max(max((v for _, values in rows for v in values), default=0))
    chart = Chart(width, height, title, list(series))
    plot_w = width - label_w - 48
    for r, (label, values) in enumerate(rows):
        y0 = r * group_h + 2
        chart.labels.append(Label(label_w - 6, y0 + bar_h * len(series) / 2 + 4, label, "end"))
        for s, ((name, css), value) in enumerate(zip(series, values, strict=True)):
            w = plot_w * value / ceiling
            y = y0 + s * bar_h
            chart.rects.append(
                Rect(label_w, y, max(w, 0.5), bar_h - 2, css, f"{label}: {value:g} {name}{unit}")
            )
            chart.labels.append(Label(label_w + w + 4, y + bar_h - 3, f"{value:g}", "start"))
    return chart
