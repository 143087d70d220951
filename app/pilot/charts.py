"""Accessible SVG charts built on the server: no JavaScript, no external service.

Every chart has ``role="img"``, a ``<title>`` and a ``<desc>`` referenced by
``aria-labelledby``; the page puts a data table beside it. Series differ by colour
AND by dash pattern and marker shape, so they can be told apart in grey print and by
people who do not see colours. Only SVG presentation attributes are used: the
Content-Security-Policy forbids ``style`` attributes.
"""
from __future__ import annotations

import math
from typing import Callable, Sequence

from markupsafe import Markup, escape

Number = int | float | None

# Okabe–Ito colours (distinguishable with the common colour-vision deficiencies).
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A6100", "#56B4E9", "#000000")
DASHES = ("", "8 4", "2 3", "10 3 2 3", "5 2 1 2", "12 4", "1 2")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "circle", "square")

WIDTH = 640
LEFT, RIGHT, TOP = 60, 16, 16
PLOT_HEIGHT = 200
FONT = 'font-family="system-ui, sans-serif" font-size="13" fill="#1d2330"'


def nice_ceiling(value: float, integer: bool = False) -> tuple[float, float]:
    """A round axis maximum at or above ``value`` and its tick step (four ticks); with
    ``integer`` (counts) the step is a whole number."""
    if value <= 0:
        return (4, 1) if integer else (1.0, 0.25)
    raw_step = value / 4
    magnitude = 10 ** math.floor(math.log10(raw_step))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if integer and not float(step).is_integer():
            continue
        if step * 4 >= value:
            return step * 4, step
    return 10 * magnitude * 4, 10 * magnitude  # pragma: no cover - the loop always returns


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if shape == "triangle":
        return (f'<polygon points="{x:.1f},{y - 4.5:.1f} {x + 4.5:.1f},{y + 3.5:.1f} '
                f'{x - 4.5:.1f},{y + 3.5:.1f}" fill="{colour}"/>')
    if shape == "diamond":
        return (f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} '
                f'{x - 5:.1f},{y:.1f}" fill="{colour}"/>')
    if shape == "cross":
        return (f'<path d="M{x - 4:.1f},{y - 4:.1f}L{x + 4:.1f},{y + 4:.1f}M{x - 4:.1f},{y + 4:.1f}'
                f'L{x + 4:.1f},{y - 4:.1f}" stroke="{colour}" stroke-width="2.2"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.8" fill="{colour}"/>'


def _frame(chart_id: str, title: str, desc: str, height: int, body: list[str]) -> Markup:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" '
            f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
            f'<title id="{chart_id}-title">{escape(title)}</title>'
            f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
            f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>')
    return Markup(head + "".join(body) + "</svg>")


def _y_axis(maximum: float, step: float, fmt: Callable[[Number], str]) -> tuple[list[str], Callable[[float], float]]:
    bottom = TOP + PLOT_HEIGHT

    def y_of(value: float) -> float:
        return bottom - (value / maximum) * PLOT_HEIGHT

    parts = []
    ticks = int(round(maximum / step))
    for i in range(ticks + 1):
        value = step * i
        y = y_of(value)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{"#5b6475" if i == 0 else "#d9dee7"}" stroke-width="1"/>')
        label = fmt(int(value) if float(value).is_integer() else value)
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" {FONT}>{escape(label)}</text>')
    return parts, y_of


def _x_labels(labels: Sequence[str], xs: Sequence[float]) -> list[str]:
    every = max(1, math.ceil(len(labels) / 7))  # about 80 px a label at font size 13
    y = TOP + PLOT_HEIGHT + 18
    return [f'<text x="{x:.1f}" y="{y}" text-anchor="middle" {FONT}>{escape(label)}</text>'
            for i, (label, x) in enumerate(zip(labels, xs)) if i % every == 0]


def line_chart(chart_id: str, title: str, desc: str, x_labels: Sequence[str],
               series: Sequence[tuple[str, Sequence[Number]]], fmt: Callable[[Number], str],
               integer: bool = False) -> Markup:
    """A line per series over ``x_labels``; ``None`` values leave a gap in the line."""
    known = [v for _name, values in series for v in values if v is not None]
    maximum, step = nice_ceiling(max(known, default=0), integer)
    axis, y_of = _y_axis(maximum, step, fmt)
    plot_width = WIDTH - LEFT - RIGHT
    n = len(x_labels)
    xs = [LEFT + plot_width / 2] if n == 1 else [LEFT + 12 + i * (plot_width - 24) / (n - 1) for i in range(n)]
    body = axis + _x_labels(x_labels, xs)
    for index, (name, values) in enumerate(series):
        colour, dash, marker = (COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)],
                                MARKERS[index % len(MARKERS)])
        path, pen_down = [], False
        for x, value in zip(xs, values):
            if value is None:
                pen_down = False
                continue
            path.append(f'{"L" if pen_down else "M"}{x:.1f},{y_of(value):.1f}')
            pen_down = True
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(f'<g class="series series-{index + 1}"><title>{escape(name)}</title>')
        if path:
            body.append(f'<path d="{"".join(path)}" fill="none" stroke="{colour}" stroke-width="2.2"{dash_attr}/>')
        body.extend(_marker(marker, x, y_of(v), colour) for x, v in zip(xs, values) if v is not None)
        body.append("</g>")
    legend_top = TOP + PLOT_HEIGHT + 40
    for index, (name, _values) in enumerate(series):
        colour, dash, marker = (COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)],
                                MARKERS[index % len(MARKERS)])
        col, row = index % 2, index // 2
        x, y = LEFT + col * (plot_width / 2), legend_top + row * 22
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        body.append(f'<line x1="{x:.1f}" x2="{x + 34:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{colour}" '
                    f'stroke-width="2.2"{dash_attr}/>' + _marker(marker, x + 17, y, colour))
        body.append(f'<text x="{x + 42:.1f}" y="{y + 4:.1f}" {FONT}>{escape(name)}</text>')
    height = legend_top + 22 * math.ceil(len(series) / 2) + 4
    return _frame(chart_id, title, desc, height, body)


def bar_chart(chart_id: str, title: str, desc: str, labels: Sequence[str], values: Sequence[Number],
              fmt: Callable[[Number], str], integer: bool = False) -> Markup:
    """Vertical bars, one per label, each with its value written above it."""
    maximum, step = nice_ceiling(max((v for v in values if v is not None), default=0), integer)
    axis, y_of = _y_axis(maximum, step, fmt)
    plot_width = WIDTH - LEFT - RIGHT
    n = max(len(labels), 1)
    slot = plot_width / n
    bar = min(48.0, slot * 0.7)
    xs = [LEFT + slot * (i + 0.5) for i in range(len(labels))]
    body = axis + _x_labels(labels, xs)
    for x, value in zip(xs, values):
        if value is None:
            continue
        y = y_of(value)
        body.append(f'<rect class="bar" x="{x - bar / 2:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                    f'height="{TOP + PLOT_HEIGHT - y:.1f}" fill="{COLOURS[0]}"/>')
        if len(labels) <= 12:
            body.append(f'<text x="{x:.1f}" y="{y - 4:.1f}" text-anchor="middle" {FONT}>{escape(fmt(value))}</text>')
    return _frame(chart_id, title, desc, TOP + PLOT_HEIGHT + 30, body)
