"""Turning a comparison into what the page shows: formatted numbers and charts."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_decimal
from markupsafe import Markup

from app.core.metrics import Metric, Number
from app.i18n import _, localized
from app.municipalities.models import Municipality
from app.pilot import charts
from app.pilot.services import Comparison

PATTERNS = {"count": "#,##0", "percent": "#,##0.0", "days": "#,##0.0", "ratio": "#,##0.00",
            "per_1000": "#,##0.00"}


def format_value(value: Number, kind: str) -> str:
    """A figure in the current language (LT: 1 234,5); '—' when not available."""
    if value is None:
        return "—"
    text = format_decimal(value, PATTERNS.get(kind, "#,##0.##"))
    return _("%(value)s %%", value=text) if kind == "percent" else text


def unit_of(kind: str) -> str:
    return {"percent": _("percent"), "days": _("days"), "per_1000": _("per 1,000 inhabitants")}.get(kind, "")


@dataclass
class Chart:
    id: str
    metric: Metric
    svg: Markup
    headers: list[str]
    rows: list[tuple[str, list[str]]]  # month, formatted values per column


def _axis_formatter(kind: str):
    return lambda v: format_decimal(v, "#,##0.#") + (" %" if kind == "percent" else "")


def comparison_charts(comparison: Comparison, prefix: str = "chart") -> list[Chart]:
    """One line chart per metric with a monthly series, a line per municipality."""
    result = []
    names = [localized(m, "name") for m in comparison.municipalities]
    for index, metric in enumerate(comparison.charted):
        data = comparison.series[metric.key]
        series = [(name, data[m.id]) for name, m in zip(names, comparison.municipalities)]
        title = _("%(figure)s per month", figure=metric.label)
        desc = _("Line chart, one line per municipality (%(names)s), months %(first)s to %(last)s. "
                 "The table beside the chart gives the same numbers.",
                 names=", ".join(names), first=comparison.months[0], last=comparison.months[-1])
        svg = charts.line_chart(f"{prefix}-{index}", title, desc, comparison.months, series,
                                _axis_formatter(metric.kind), integer=metric.kind == "count")
        rows = [(month, [format_value(data[m.id][i], metric.kind) for m in comparison.municipalities])
                for i, month in enumerate(comparison.months)]
        result.append(Chart(f"{prefix}-{index}", metric, svg, names, rows))
    return result


def municipality_charts(comparison: Comparison, municipality: Municipality, prefix: str) -> list[Chart]:
    """For the report: one bar chart per monthly metric for a single municipality."""
    result = []
    name = localized(municipality, "name")
    for index, metric in enumerate(comparison.charted):
        values = comparison.series[metric.key][municipality.id]
        title = _("%(figure)s per month", figure=metric.label)
        desc = _("Bar chart for %(name)s, one bar per month from %(first)s to %(last)s. "
                 "The table beside the chart gives the same numbers.",
                 name=name, first=comparison.months[0], last=comparison.months[-1])
        svg = charts.bar_chart(f"{prefix}-{index}", title, desc, comparison.months, values,
                               _axis_formatter(metric.kind), integer=metric.kind == "count")
        rows = [(month, [format_value(v, metric.kind)]) for month, v in zip(comparison.months, values)]
        result.append(Chart(f"{prefix}-{index}", metric, svg, [name], rows))
    return result

