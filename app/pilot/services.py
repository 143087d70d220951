"""The comparison: every registered metric for several municipalities over a period.

Each metric runs ONE grouped SQL aggregate for all the municipalities (and one more
for its monthly series), so the number of queries depends on the number of metrics,
never on the number of municipalities or rows.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from flask import current_app

from app.core.metrics import METRICS, REPORT_SECTIONS, Metric, Number
from app.extensions import db
from app.i18n import _, _l, localized
from app.municipalities.models import Municipality
from app.pilot.period import Period

# How many decimals each kind of figure keeps; the page, CSV and JSON show the same.
DECIMALS = {"count": 0, "percent": 1, "days": 1, "ratio": 2, "per_1000": 2}


@dataclass
class Row:
    """One line of the comparison table: a metric, or its per-1,000 derivative."""

    key: str
    metric: Metric
    label: Any
    kind: str  # a Metric kind, or "per_1000"
    values: dict[int, Number]
    best: set[int] = field(default_factory=set)

    @property
    def derived(self) -> bool:
        return self.kind == "per_1000"


@dataclass
class Group:
    label: Any
    rows: list[Row]


@dataclass
class Comparison:
    period: Period
    municipalities: list[Municipality]
    groups: list[Group]
    months: list[str]
    # metric key -> municipality id -> one value per month (aligned with ``months``)
    series: dict[str, dict[int, list[Number]]]

    @property
    def rows(self) -> list[Row]:
        return [row for group in self.groups for row in group.rows]

    @property
    def charted(self) -> list[Metric]:
        """The metrics that have a monthly series, in table order."""
        return [row.metric for row in self.rows if not row.derived and row.key in self.series]


def round_value(value: Number, kind: str) -> Number:
    """Counts: None is 0 (no activity). Other kinds: None stays "not available"."""
    if value is None:
        return 0 if kind == "count" else None
    if kind == "count":
        return int(round(value))
    return round(float(value), DECIMALS[kind])


def per_1000(value: Number, population: int | None) -> Number:
    """Per 1,000 inhabitants; not available when the population is 0 or unknown."""
    if value is None or not population:
        return None
    return round(float(value) * 1000 / population, DECIMALS["per_1000"])


def best_of(values: dict[int, Number], better: str | None) -> set[int]:
    """The municipalities holding the best value: all of them on a tie, none when
    there is nothing to compare (fewer than two values, every value zero, or every
    value the same, where "best" would mark the whole row and say nothing)."""
    known = {mid: v for mid, v in values.items() if v is not None}
    if better not in ("higher", "lower") or len(set(known.values())) < 2:
        return set()
    target = max(known.values()) if better == "higher" else min(known.values())
    return {mid for mid, v in known.items() if v == target}


def visible_metrics(public_only: bool) -> list[Metric]:
    return [m for m in METRICS if m.public or not public_only]


def active_municipalities() -> list[Municipality]:
    return list(db.session.execute(
        db.select(Municipality).filter_by(active=True).order_by(Municipality.name_lt)
    ).scalars())


def _run_all(jobs: list[tuple[str, Callable]], ids: list[int], start, end) -> dict[str, Any]:
    """Run each metric query; in parallel threads (each with its own app context, so its
    own database session and connection) when ``PILOT_QUERY_THREADS`` > 1, as the
    queries are independent and the database can answer several at once. By default
    four on PostgreSQL; one on SQLite, which gains nothing from it."""
    if not ids:
        return {key: {} for key, _fn in jobs}
    threads = current_app.config.get("PILOT_QUERY_THREADS")
    if threads is None:
        threads = 4 if db.engine.dialect.name == "postgresql" else 1
    if int(threads) <= 1 or len(jobs) <= 1:
        return {key: fn(ids, start, end) for key, fn in jobs}
    app = current_app._get_current_object()

    def run(fn):
        with app.app_context():
            return fn(ids, start, end)

    with ThreadPoolExecutor(max_workers=min(int(threads), len(jobs))) as pool:
        futures = {key: pool.submit(run, fn) for key, fn in jobs}
        return {key: future.result() for key, future in futures.items()}


def compare(municipalities: Sequence[Municipality], period: Period, *, public_only: bool,
            with_series: bool = True) -> Comparison:
    """Compute every visible metric for ``municipalities`` over ``period``."""
    ids = [m.id for m in municipalities]
    start, end = period.start_utc, period.end_utc
    months = period.months()
    metrics = visible_metrics(public_only)

    def summed(metric: Metric) -> bool:
        return metric.additive and metric.kind == "count" and metric.monthly is not None

    jobs = [(f"total:{m.key}", m.compute) for m in metrics if not summed(m)]
    jobs += [(f"monthly:{m.key}", m.monthly) for m in metrics
             if m.monthly is not None and (with_series or summed(m))]
    results = _run_all(jobs, ids, start, end)
    groups: dict[str, Group] = {}
    series: dict[str, dict[int, list[Number]]] = {}
    for metric in metrics:
        if summed(metric):
            raw = {mid: sum(v or 0 for v in months_.values())
                   for mid, months_ in results[f"monthly:{metric.key}"].items()}
        else:
            raw = results[f"total:{metric.key}"]
        values = {mid: round_value(raw.get(mid), metric.kind) for mid in ids}
        group = groups.setdefault(str(metric.group), Group(metric.group, []))
        group.rows.append(Row(metric.key, metric, metric.label, metric.kind, values,
                              best_of(values, metric.better)))
        if metric.per_capita:
            rates = {m.id: per_1000(values[m.id], m.population) for m in municipalities}
            group.rows.append(Row(f"{metric.key}.per_1000", metric,
                                  _l("per 1,000 inhabitants"), "per_1000", rates,
                                  best_of(rates, metric.better)))
        monthly = results.get(f"monthly:{metric.key}")
        if monthly is not None and with_series:
            series[metric.key] = {
                mid: [round_value(monthly.get(mid, {}).get(month), metric.kind) for month in months]
                for mid in ids
            }
    return Comparison(period, list(municipalities), list(groups.values()), months, series)


def report_sections(municipality: Municipality, period: Period) -> list[tuple[Any, list]]:
    """The sections features registered for the printable report, with their items."""
    sections = []
    for section in REPORT_SECTIONS:
        title, items = section.build(municipality, period.start_utc, period.end_utc)
        normalised = [item if isinstance(item, tuple) else (item, None) for item in items]
        sections.append((title, normalised))
    return sections


def population_note(municipalities: Sequence[Municipality]) -> str | None:
    """A sentence naming the municipalities whose per-capita figures cannot be computed."""
    missing = [localized(m, "name") for m in municipalities if not m.population]
    if not missing:
        return None
    return _("Per-capita figures are not available for %(names)s: the population is not set.",
             names=", ".join(missing))
