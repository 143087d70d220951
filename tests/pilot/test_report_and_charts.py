"""The printable report, its extension hook, and the SVG charts."""
from __future__ import annotations

import re

from app.core.metrics import register_report_section
from app.pilot import charts
from tests.pilot.conftest import PERIOD


def test_report_has_a_page_per_municipality_with_registered_sections(client, auth, make, dataset,
                                                                     restore_registry):
    def top_initiatives(municipality, start, end):
        return "Top initiatives", [(f"Playground in {municipality.slug}", "120 signatures"), "Bus stop"]

    register_report_section("test.top", top_initiatives)
    auth.login(make.user(None, pilot=True, locale="en"))
    html = client.get("/pilot/report", query_string=PERIOD, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert html.count('class="page-break report-page"') == 4
    for slug in ("alytus", "birzai", "ciobiskis", "dusetos"):
        assert f'id="report-{slug}"' in html
        assert f"Playground in {slug}" in html
    assert "120 signatures" in html and "Top initiatives" in html
    assert "Participation in the pilot municipalities" in html
    assert html.count('role="img"') >= 4  # a trend chart on every municipality's page
    assert 'media="print"' in html
    assert "<script>" not in html and 'style="' not in html


def test_charts_are_accessible_svg():
    series = [(f"Savivaldybė {i}", [i, None, 2 * i, 3]) for i in range(5)]
    svg = str(charts.line_chart("c1", "Registered <per month>", "Five lines", ["2026-01", "2026-02", "2026-03", "2026-04"],
                                series, str))
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Registered &lt;per month&gt;</title>' in svg
    assert '<desc id="c1-desc">Five lines</desc>' in svg
    assert "style=" not in svg
    dashes = set(re.findall(r'<path d="M[^"]*" fill="none" stroke="(#[0-9A-F]+)" stroke-width="2.2"'
                            r'(?: stroke-dasharray="([^"]+)")?', svg))
    assert len({c for c, _d in dashes}) == 5 and len({d for _c, d in dashes}) == 5
    # a None value breaks the line: two pieces (M … M …) for each series
    assert all(path.count("M") == 2 for path in re.findall(r'<path d="(M[^"]*)" fill="none"', svg))
    bar = str(charts.bar_chart("b1", "Bars", "One bar a month", ["a", "b"], [0, 0], str))
    assert 'role="img"' in bar and bar.count('class="bar"') == 2


def test_nice_ceiling():
    assert charts.nice_ceiling(0) == (1.0, 0.25)
    assert charts.nice_ceiling(7) == (8, 2)
    assert charts.nice_ceiling(100) == (100, 25)
    assert charts.nice_ceiling(0, integer=True) == (4, 1)
    assert charts.nice_ceiling(3, integer=True) == (4, 1)
    assert charts.nice_ceiling(9, integer=True) == (20, 5)


def test_charts_with_data_tables_on_the_comparison(client, dataset):
    html = client.get("/compare", query_string=PERIOD, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Residents who registered per month" in html
    assert "Data of the chart: Residents who registered per month" in html


def test_report_section_without_items_and_bad_period(client, auth, make, dataset, restore_registry):
    register_report_section("test.winners", lambda m, start, end: ("PB winners", []))
    auth.login(make.user(None, pilot=True, locale="en"))
    html = client.get("/pilot/report", query_string=PERIOD).get_data(as_text=True)
    from app.core.metrics import REPORT_SECTIONS

    # No section of this data set has items (the features' own sections included).
    assert html.count("PB winners") == 4 and html.count("Nothing in this period.") == 4 * len(REPORT_SECTIONS)
    response = client.get("/pilot/report", query_string={"start": "2026-05-01", "end": "2026-04-01"})
    assert response.status_code == 400 and "The period is reversed" in response.get_data(as_text=True)
