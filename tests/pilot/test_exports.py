"""CSV and JSON give the same numbers as the page."""
from __future__ import annotations

import csv
import io
import re

from tests.pilot.conftest import PERIOD

CELL_RE = re.compile(r'data-key="([^"]+)" data-municipality="([^"]+)"\s+data-value="([^"]*)"')


def _page_values(html: str) -> dict[tuple[str, str], str]:
    return {(key, slug): value for key, slug, value in CELL_RE.findall(html)}


def _number(text: str):
    return None if text == "" else float(text)


def test_csv_and_json_match_the_page(client, auth, make, dataset, fake_metrics):
    auth.login(make.user(None, pilot=True))
    page = _page_values(client.get("/pilot/", query_string=PERIOD).get_data(as_text=True))
    from app.core.metrics import METRICS

    rows = len(METRICS) + sum(1 for m in METRICS if m.per_capita)  # per-1,000 rows too
    assert ("test.private", "alytus") in page and len(page) == 4 * rows

    response = client.get("/pilot/compare.csv", query_string=PERIOD, headers={"Accept-Language": "en"})
    assert response.mimetype == "text/csv"
    assert 'filename="talka-pilot-2026-03-01_2026-03-31.csv"' in response.headers["Content-Disposition"]
    body = response.data.decode("utf-8")
    assert body.startswith("\ufeff")  # a BOM, so that Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    header = rows[0]
    assert header[:4] == ["key", "group", "figure", "unit"]
    slugs = header[4:]
    assert sorted(slugs) == ["alytus", "birzai", "ciobiskis", "dusetos"]
    by_key = {row[0]: row for row in rows[1:]}
    assert by_key["population"][4:] == [{"alytus": "10000", "birzai": "0", "ciobiskis": "", "dusetos": "20000"}[s]
                                        for s in slugs]
    csv_values = {(key, slug): row[4 + i] for key, row in by_key.items() if key != "population"
                  for i, slug in enumerate(slugs)}
    assert csv_values.keys() == page.keys()
    for cell, value in page.items():
        assert _number(csv_values[cell]) == _number(value), cell

    data = client.get("/pilot/compare.json", query_string=PERIOD).get_json()
    assert data["period"] == {"start": "2026-03-01", "end": "2026-03-31", "end_included": True,
                              "timezone": "Europe/Vilnius"}
    json_values = {}
    for figure in data["figures"]:
        assert figure["definition"]
        for slug, value in figure["values"].items():
            json_values[(figure["key"], slug)] = value
        for slug, value in figure.get("per_1000", {}).items():
            json_values[(figure["key"] + ".per_1000", slug)] = value
    assert json_values.keys() == page.keys()
    for cell, value in page.items():
        assert json_values[cell] == _number(value), cell
    registered = next(f for f in data["figures"] if f["key"] == "residents.registered")
    assert registered["values"] == {"alytus": 4, "birzai": 1, "ciobiskis": 0, "dusetos": 2}
    assert registered["per_1000"] == {"alytus": 0.4, "birzai": None, "ciobiskis": None, "dusetos": 0.1}
    assert registered["best"] == ["alytus"]
    assert registered["monthly"]["alytus"] == {"2026-03": 4}
    days = next(f for f in data["figures"] if f["key"] == "test.days")
    assert days["best"] == ["alytus", "dusetos"] and days["better"] == "lower"


def test_public_exports_leave_out_private_figures(client, dataset, fake_metrics):
    data = client.get("/compare.json", query_string=PERIOD).get_json()
    keys = {f["key"] for f in data["figures"]}
    assert "test.turnout" in keys and "test.private" not in keys
    body = client.get("/compare.csv", query_string=PERIOD).data.decode("utf-8")
    assert "test.turnout" in body and "test.private" not in body
    assert "Private count" not in client.get("/compare", query_string=PERIOD).get_data(as_text=True)


def test_the_pilot_table_flags_figures_that_are_not_public(client, auth, make, dataset, fake_metrics):
    auth.login(make.user(None, pilot=True, locale="en"))
    html = client.get("/pilot/", query_string=PERIOD).get_data(as_text=True)
    row = html[html.index('id="row-test-private"'):]
    assert "not public" in row[:row.index("</th>") + 5]
    assert html.count(">not public<") == 1


def test_csv_labels_follow_the_language(client, dataset):
    lt = client.get("/compare.csv", query_string=PERIOD, headers={"Accept-Language": "lt"}).data.decode("utf-8")
    en = client.get("/compare.csv", query_string=PERIOD, headers={"Accept-Language": "en"}).data.decode("utf-8")
    assert "Residents who registered" in en and "Užsiregistravę gyventojai" in lt
