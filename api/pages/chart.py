"""The list's movement over the last 12 months as an inline SVG bar chart (no script): three
bars a month, registrations, departures and housing provided, each with its count."""

from __future__ import annotations

from dataclasses import dataclass

from projections.movement import Month

WIDTH, HEIGHT = 720, 240
LEFT, BOTTOM, TOP = 36, 40, 16
SERIES = ("registered", "departed", "housed")


@dataclass(frozen=True)
class Bar:
    series: str
    x: float
    y: float
    width: float
    height: float
    value: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    labels: list[tuple[float, str]]  # (x of the month's middle, its name)
    ticks: list[tuple[float, int]]  # (y, value) of the scale
    baseline: float


def chart(months: list[Month], month_name: list[str]) -> Chart:
    top = max([max(m.registered, m.departed, m.housed) for m in months] + [1])
    plot_height = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / max(len(months), 1)
    bar = slot / 4
    bars: list[Bar] = []
    labels: list[tuple[float, str]] = []
    for n, (month, name) in enumerate(zip(months, month_name, strict=True)):
        x0 = LEFT + n * slot + bar / 2
        for k, series in enumerate(SERIES):
            value = int(getattr(month, series))
            height = plot_height * value / top
            bars.append(
                Bar(series, x0 + k * bar, TOP + plot_height - height, bar * 0.9, height, value)
            )
        labels.append((LEFT + n * slot + slot / 2, name))
    step = max(1, -(-top // 4))
    ticks = [(TOP + plot_height - plot_height * v / top, v) for v in range(0, top + 1, step)]
    return Chart(WIDTH, HEIGHT, bars, labels, ticks, TOP + plot_height)
