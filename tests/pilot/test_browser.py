"""The comparison in Lithuanian in a real Chromium, printed to PDF."""
from __future__ import annotations

import pytest

from tests.pilot.conftest import PERIOD


@pytest.mark.browser
def test_comparison_in_lithuanian_prints_to_pdf(browser_page, live_server, dataset, tmp_path):
    page = browser_page  # context locale lt-LT
    page.goto(f"/compare?start={PERIOD['start']}&end={PERIOD['end']}")
    assert page.locator("html").get_attribute("lang") == "lt"
    assert page.locator("h1").inner_text() == "Palyginti savivaldybes"
    assert page.get_by_text("Ką skaičiuoja rodikliai").is_visible()
    cell = page.locator('td[data-key="residents.registered"][data-municipality="alytus"]')
    assert "4" in cell.inner_text() and "geriausia" in cell.inner_text()
    assert page.locator('svg[role="img"]').count() >= 1
    # a bad period, typed into the form, is explained in Lithuanian and kept
    page.fill("#period-start", "2026-04-01")
    page.fill("#period-end", "2026-03-01")
    page.get_by_role("button", name="Rodyti").click()
    assert "Laikotarpis atvirkščias" in page.locator("#period-error").inner_text()
    assert page.input_value("#period-start") == "2026-04-01"
    page.goto(f"/compare?start={PERIOD['start']}&end={PERIOD['end']}")
    pdf = tmp_path / "palyginimas.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4", print_background=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5_000


@pytest.mark.browser
def test_report_prints_a_page_per_municipality(browser_page, live_server, dataset, make, tmp_path):
    import re

    from tests.factories import Factories

    pilot = make.user(None, pilot=True, email="pilot@example.lt")
    page = browser_page
    page.goto("/account/login")
    page.fill("input[name=email]", pilot.email)
    page.fill("input[name=password]", Factories.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto(f"/pilot/report?start={PERIOD['start']}&end={PERIOD['end']}")
    assert page.locator("h1").inner_text() == "Dalyvavimas pilotinėse savivaldybėse"
    pdf = tmp_path / "ataskaita.pdf"
    page.pdf(path=str(pdf), format="A4")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    # the cover, one page (at least) per municipality, the definitions
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 1 + len(dataset) + 1
