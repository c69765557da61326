"""Small charts drawn on the server as SVG (no script, no library): the geometry is
computed here and `reports/_chart.html` writes the `<svg>` with a title, axis labels, a
`<title>` tooltip on every bar or point, and the same numbers as a table for screen
readers and for anyone who prefers to read them.

The drawing area is a fixed view box that scales to the width of its container (phones
included); numbers are placed in view-box units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

WIDTH = 400
HEIGHT = 230
LEFT, RIGHT, TOP, BOTTOM = 54, 8, 12, 40
TICKS = 4  # intervals on the value axis


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float]
    css: str  # class of its bars or line: series-1, series-2, …


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    tooltip: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    tooltip: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Label:
    x: float
    text: str


@dataclass(frozen=True)
class Chart:
    slug: str  # unique in the page: ids of the title and description
    title: str
    description: str
    y_label: str
    x_label: str
    labels: list[str]  # long labels, for tooltips and the table
    series: list[Series]
    kind: str  # "bars" (stacked) or "line"
    suffix: str = ""  # "%" for rates
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    plot_bottom: int = HEIGHT - BOTTOM
    plot_right: int = WIDTH - RIGHT
    bars: list[Bar] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    polyline: str = ""
    ticks: list[Tick] = field(default_factory=list)
    x_labels: list[Label] = field(default_factory=list)
    missing: list[bool] = field(default_factory=list)  # labels without a value (line)

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        """The table alternative: one row per label, one cell per series."""
        return [
            (
                label,
                [
                    "—" if self.missing and self.missing[i] else _fmt(s.values[i], self.suffix)
                    for s in self.series
                ],
            )
            for i, label in enumerate(self.labels)
        ]


def _fmt(value: float, suffix: str) -> str:
    """Vietnamese number format; rates to one decimal, halves rounded up (as the pages'
    `floatformat` does, so that a chart and a figure never disagree)."""
    if suffix == "%":
        rounded = Decimal(repr(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        return f"{rounded}".replace(".", ",") + " %"
    return f"{round(value):,}".replace(",", ".")


def _nice_top(value: float) -> float:
    """The top of a count axis: four equal whole steps of 1, 2 or 5 × 10^n at or above
    `value`, so that every tick is a whole number."""
    needed = max(value / TICKS, 1)
    power = 10 ** math.floor(math.log10(needed))
    for step in (1, 2, 5, 10):
        if needed <= step * power:
            return float(step * power * TICKS)
    return float(10 * power * TICKS)  # pragma: no cover


@dataclass(frozen=True)
class _Axes:
    ticks: list[Tick]
    x_labels: list[Label]
    slot: float
    plot_h: float


def _axes(top: float, suffix: str, labels: list[str], short: list[str]) -> _Axes:
    plot_h = HEIGHT - BOTTOM - TOP
    plot_w = WIDTH - LEFT - RIGHT
    ticks = [
        Tick(
            y=HEIGHT - BOTTOM - plot_h * i / TICKS,
            label=_fmt(top * i / TICKS, "") + (" %" if suffix else ""),
        )
        for i in range(TICKS + 1)
    ]
    slot = plot_w / max(len(labels), 1)
    x_labels = [Label(x=LEFT + slot * (i + 0.5), text=s) for i, s in enumerate(short)]
    return _Axes(ticks=ticks, x_labels=x_labels, slot=slot, plot_h=plot_h)


def bar_chart(
    *,
    slug: str,
    title: str,
    description: str,
    y_label: str,
    x_label: str,
    labels: list[str],
    short_labels: list[str],
    series: list[Series],
) -> Chart:
    """Stacked bars, one column per label (the series stack in the given order)."""
    stacks = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top = _nice_top(max(stacks, default=0))
    axes = _axes(top, "", labels, short_labels)
    slot, plot_h = axes.slot, axes.plot_h
    bars: list[Bar] = []
    for i, label in enumerate(labels):
        base = float(HEIGHT - BOTTOM)
        for s in series:
            value = s.values[i]
            height = plot_h * value / top
            if value:
                bars.append(
                    Bar(
                        x=round(LEFT + slot * i + slot * 0.15, 2),
                        y=round(base - height, 2),
                        width=round(slot * 0.7, 2),
                        height=round(height, 2),
                        css=s.css,
                        tooltip=f"{label} · {s.name}: {_fmt(value, '')}",
                    )
                )
            base -= height
    return Chart(
        slug=slug,
        title=title,
        description=description,
        y_label=y_label,
        x_label=x_label,
        labels=labels,
        series=series,
        kind="bars",
        bars=bars,
        ticks=axes.ticks,
        x_labels=axes.x_labels,
    )


def line_chart(
    *,
    slug: str,
    title: str,
    description: str,
    y_label: str,
    x_label: str,
    labels: list[str],
    short_labels: list[str],
    series: Series,
    missing: list[bool],
) -> Chart:
    """A line of percentages (0–100 %); labels whose value is `missing` (nothing to divide)
    get no point and break nothing: the line joins the points that exist."""
    top = 100.0
    axes = _axes(top, "%", labels, short_labels)
    slot, plot_h = axes.slot, axes.plot_h
    points = [
        Point(
            x=round(LEFT + slot * (i + 0.5), 2),
            y=round(HEIGHT - BOTTOM - plot_h * series.values[i] / top, 2),
            tooltip=f"{label} · {series.name}: {_fmt(series.values[i], '%')}",
        )
        for i, label in enumerate(labels)
        if not missing[i]
    ]
    return Chart(
        slug=slug,
        title=title,
        description=description,
        y_label=y_label,
        x_label=x_label,
        labels=labels,
        series=[series],
        kind="line",
        suffix="%",
        points=points,
        missing=missing,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        ticks=axes.ticks,
        x_labels=axes.x_labels,
    )
