"""Participation figures for the pilot comparison, registered by each feature.

A feature describes each figure once, as a :class:`Metric` whose ``compute`` runs ONE
SQL aggregate query for all requested municipalities over a period (never loading
rows into Python), and optionally a ``monthly`` query for the time-series charts.
The pilot dashboard (``app/pilot``) renders every registered metric, marks the best
value per row, and exports the same numbers as CSV and JSON.

Values by ``kind``: ``count`` a whole number; ``percent`` a number between 0 and 100
(37.5 means 37.5 %, not 0.375); ``days`` a number of days (fractions allowed);
``ratio`` any other number. ``None`` (or a municipality missing from the dict) means
"no data": counts are shown as 0, the other kinds as "not available".

Features may also add sections to the printable pilot report with
:func:`register_report_section` (e.g. the top initiatives, the PB winners).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Literal, Sequence

from sqlalchemy import and_, case, func

from app.extensions import db

Number = int | float | None
# (municipality ids, period start inclusive, period end exclusive) -> {municipality_id: value}
ComputeFn = Callable[[Sequence[int], datetime, datetime], dict[int, Number]]
# the same, but -> {municipality_id: {"2026-03": value, ...}}
MonthlyFn = Callable[[Sequence[int], datetime, datetime], dict[int, dict[str, Number]]]


@dataclass(frozen=True)
class Metric:
    key: str                      # stable id, e.g. "initiatives.submitted"
    group: Any                    # lazy translated section name, e.g. _l("Civic initiatives")
    label: Any                    # lazy translated row label
    definition: Any               # lazy translated: what counts, in which period
    compute: ComputeFn
    monthly: MonthlyFn | None = None
    kind: Literal["count", "percent", "days", "ratio"] = "count"
    per_capita: bool = False      # also show per 1,000 inhabitants
    better: Literal["higher", "lower"] | None = "higher"
    public: bool = True           # shown on the public /compare page
    order: int = 50
    # A count whose ``monthly`` query uses the same filter as ``compute``: the period
    # total is then the sum of the months, and the dashboard runs only the monthly
    # query (one heavy query instead of two on large tables).
    additive: bool = False


METRICS: list[Metric] = []


@dataclass(frozen=True)
class ReportSection:
    """A section of a municipality's page in the printable pilot report.

    ``build(municipality, start, end)`` (UTC datetimes, ``end`` excluded, as for
    ``compute``) returns ``(title, items)``: a translated title
    and a short list of items, each a string or a ``(text, detail)`` pair, e.g.
    ``("Naujas šaligatvis Garliavoje", "1 204 parašai")``. It should run one or two
    small queries (the report calls it once per municipality) and return no items,
    not raise, when there is nothing to show.
    """

    key: str
    build: Callable[[Any, datetime, datetime], tuple[Any, Sequence[Any]]]
    order: int = 50


REPORT_SECTIONS: list[ReportSection] = []


def register_report_section(key: str, build: Callable[[Any, datetime, datetime], tuple[Any, Sequence[Any]]],
                            order: int = 50) -> None:
    """Add (or replace, by key) a section of the per-municipality report pages."""
    REPORT_SECTIONS[:] = [s for s in REPORT_SECTIONS if s.key != key] + [ReportSection(key, build, order)]
    REPORT_SECTIONS.sort(key=lambda s: (s.order, s.key))


def register_metric(metric: Metric) -> None:
    """Add (or replace, by key) a metric; the list stays sorted by ``order``."""
    METRICS[:] = [m for m in METRICS if m.key != metric.key] + [metric]
    METRICS.sort(key=lambda m: (m.order, m.key))


def month_bucket(column):
    """A SQL expression 'YYYY-MM' (Europe/Vilnius) for a timestamp column, on SQLite and PostgreSQL."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone("Europe/Vilnius", column), "YYYY-MM")
    # SQLite stores UTC text ('2026-03-31 21:30:00.000000') and knows no time zones. The
    # local month differs from the UTC month only from 21:00 UTC on a month's last day;
    # only those rows pay for the exact rule (two hours ahead, three in summer time: from
    # the last Sunday of March to the last Sunday of October, 01:00 UTC), so a monthly
    # series over a million rows stays fast.
    year = func.strftime("%Y", column)
    summer = and_(column >= func.datetime(year.concat("-03-25 01:00:00"), "weekday 0"),
                  column < func.datetime(year.concat("-10-25 01:00:00"), "weekday 0"))
    exact = case((summer, func.strftime("%Y-%m", column, "+3 hours")),
                 else_=func.strftime("%Y-%m", column, "+2 hours"))
    near_month_end = and_(func.substr(column, 12, 2) >= "21", func.strftime("%d", column, "+1 day") == "01")
    return case((near_month_end, exact), else_=func.substr(column, 1, 7))


def grouped_counts(query) -> dict[int, Number]:
    """Run a ``select(municipality_id, count)`` query grouped by municipality into a dict."""
    return {mid: value for mid, value in db.session.execute(query).all()}


def grouped_monthly(query) -> dict[int, dict[str, Number]]:
    """Run a ``select(municipality_id, month, value)`` query into {mid: {month: value}}."""
    result: dict[int, dict[str, Number]] = {}
    for mid, month, value in db.session.execute(query).all():
        result.setdefault(mid, {})[month] = value
    return result
