"""Geometry of the server-rendered SVG bar chart of a projection (no JavaScript).

The template draws what :func:`projection_bars` returns; the data table is shown beside
the chart (house style: charts are server-rendered SVG with their table).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tuoyu.surveys.planning.projection import CLASS_TYPES, Projection

WIDTH, HEIGHT = 720, 240
LEFT, BOTTOM, TOP = 40, 24, 10


@dataclass(frozen=True)
class Bar:
    """One rectangle: position and size in SVG user units, its class type and value."""

    x: float
    y: float
    width: float
    height: float
    class_type: str
    value: Decimal
    label: str


@dataclass(frozen=True)
class Chart:
    """Bars, axis labels (x: every 6th month; y: the top value) and the view box size."""

    bars: list[Bar]
    x_labels: list[tuple[float, str]]
    y_max: int
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: int = HEIGHT - BOTTOM
    top: int = TOP


def projection_bars(projection: Projection, shown=None) -> Chart:
    """Stacked bars (infant, toddler, older) of each month of ``projection``.

    ``shown``: the suppressed months (:func:`tuoyu.surveys.planning.selectors.shown_months`);
    a hidden cell is not drawn on its own — when the month's total is shown the hidden
    cells are drawn together as one ``hidden`` bar, and a month whose total is hidden is
    not drawn at all, so the chart shows no more than the table.
    """
    months = projection.months
    shown = shown or []
    totals = [s.total for s in shown] if shown else [m.total for m in months]
    peak = max((t for t in totals if t is not None), default=Decimal(0))
    y_max = max(1, int(peak.to_integral_value(rounding="ROUND_CEILING")))
    plot_h = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / max(1, len(months))
    bars: list[Bar] = []
    labels: list[tuple[float, str]] = []
    for i, m in enumerate(months):
        x = LEFT + i * slot
        base = float(HEIGHT - BOTTOM)
        row = shown[i] if shown else None
        if row is not None and row.total is None:
            values = []
        elif row is not None:
            hidden = row.total - sum((v for v in row.values if v is not None), Decimal(0))
            values = [(t, row.cells[t]) for t in CLASS_TYPES if row.cells[t] is not None]
            values.append(("hidden", hidden))
        else:
            values = [(t, m.counts[t]) for t in CLASS_TYPES]
        for class_type, value in values:
            if value <= 0:
                continue
            h = float(value) / y_max * plot_h
            base -= h
            bars.append(
                Bar(round(x + 1, 2), round(base, 2), round(slot - 2, 2), round(h, 2),
                    class_type, value, m.month.strftime("%Y-%m"))
            )
        if i % 6 == 0:
            labels.append((round(x + slot / 2, 2), m.month.strftime("%Y-%m")))
    return Chart(bars=bars, x_labels=labels, y_max=y_max)
