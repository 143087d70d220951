"""The comparison as CSV and JSON: exactly the numbers the page shows.

CSV: UTF-8 with a byte-order mark (so that Excel shows Lithuanian letters right), a
header row, one row per figure (per-1,000 figures on their own rows, keyed
``<metric>.per_1000``), a column per municipality; decimals use a dot; an empty cell
means "not available". The period is in the file name. JSON also carries the period,
the definitions, the best values and the monthly series.
"""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

from flask_babel import get_locale

from app.pilot.presenting import unit_of
from app.pilot.services import Comparison


def filename(prefix: str, comparison: Comparison, extension: str) -> str:
    return f"{prefix}-{comparison.period.start.isoformat()}_{comparison.period.end.isoformat()}.{extension}"


def to_csv(comparison: Comparison) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    municipalities = comparison.municipalities
    writer.writerow(["key", "group", "figure", "unit"] + [m.slug for m in municipalities])
    writer.writerow(["population", "", "", ""] + ["" if m.population is None else m.population
                                                    for m in municipalities])
    for group in comparison.groups:
        for row in group.rows:
            label = f"{row.metric.label}: {row.label}" if row.derived else str(row.label)
            writer.writerow([row.key, str(group.label), label, unit_of(row.kind)]
                            + ["" if row.values[m.id] is None else row.values[m.id] for m in municipalities])
    return "\ufeff" + out.getvalue()


def to_json(comparison: Comparison) -> dict:
    municipalities = comparison.municipalities
    slug = {m.id: m.slug for m in municipalities}
    figures = []
    for group in comparison.groups:
        for row in group.rows:
            if row.derived:
                continue
            entry = {
                "key": row.key,
                "group": str(group.label),
                "label": str(row.label),
                "definition": str(row.metric.definition),
                "kind": row.kind,
                "better": row.metric.better,
                "per_capita": row.metric.per_capita,
                "values": {slug[mid]: value for mid, value in row.values.items()},
                "best": sorted(slug[mid] for mid in row.best),
            }
            derived = next((r for r in group.rows if r.key == f"{row.key}.per_1000"), None)
            if derived is not None:
                entry["per_1000"] = {slug[mid]: value for mid, value in derived.values.items()}
                entry["best_per_1000"] = sorted(slug[mid] for mid in derived.best)
            if row.key in comparison.series:
                entry["monthly"] = {slug[mid]: dict(zip(comparison.months, values))
                                    for mid, values in comparison.series[row.key].items()}
            figures.append(entry)
    return {
        "period": {"start": comparison.period.start.isoformat(), "end": comparison.period.end.isoformat(),
                   "end_included": True, "timezone": "Europe/Vilnius"},
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "language": str(get_locale()),
        "municipalities": [{"slug": m.slug, "name_lt": m.name_lt, "name_en": m.name_en,
                            "population": m.population} for m in municipalities],
        "months": comparison.months,
        "figures": figures,
    }
