"""A real browser casts a knapsack ballot: the running total, the refusal, the receipt."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.budgeting.models import PBBallot
from app.extensions import db
from tests.budgeting.conftest import url

pytestmark = pytest.mark.browser


def test_knapsack_ballot_in_a_browser(browser_page, live_server, make, pb):
    m = make.municipality("zarasu-rajonas")
    process = pb.process(m, "voting", "knapsack", budgets=(100_000,))
    pot = process.pots[0]
    a, b, c, d = pb.projects(pot)  # 40 000, 30 000, 50 000, 20 000
    voter = make.user(m, email="rasa@example.lt")
    page = browser_page
    page.goto("/account/login")
    page.get_by_label("El. paštas").fill(voter.email)
    page.get_by_label("Slaptažodis").fill(make.PASSWORD)
    page.get_by_role("button", name="Prisijungti").click()
    page.goto(url(process, f"/vote/{pot.id}"))
    total = page.locator("[data-total]")
    submit = page.get_by_role("button", name="Balsuoti")
    page.get_by_label(a.title).check()
    page.get_by_label(c.title).check()
    assert total.inner_text().replace("\u00a0", " ") == "90 000 €"
    page.get_by_label(b.title).check()  # 120 000: over the pot
    assert page.locator("[data-over]").is_visible()
    assert submit.is_disabled()
    page.get_by_label(b.title).uncheck()
    page.get_by_label(d.title).check()  # 110 000 > 100 000
    assert submit.is_disabled()
    page.get_by_label(c.title).uncheck()  # 40 000 + 20 000
    assert total.inner_text().replace("\u00a0", " ") == "60 000 €"
    assert submit.is_enabled()
    submit.click()
    assert "Jūsų biuletenis užregistruotas" in page.content()
    ballot = db.session.execute(select(PBBallot)).scalar_one()
    assert ballot.receipt_code in page.content()
    assert {ch.project_id for ch in ballot.choices} == {a.id, d.id}
    folder = Path(__file__).resolve().parents[2] / "test-artifacts"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / "budgeting-knapsack-ballot.png"), full_page=True)


def test_ranked_ballot_greys_out_places_already_given(browser_page, live_server, make, pb):
    m = make.municipality("birzu-rajonas")
    process = pb.process(m, "voting", "ranked", max_choices=3)
    pot = process.pots[0]
    a, b, c, _d = pb.projects(pot)
    voter = make.user(m, email="jonas@example.lt")
    page = browser_page
    page.goto("/account/login")
    page.get_by_label("El. paštas").fill(voter.email)
    page.get_by_label("Slaptažodis").fill(make.PASSWORD)
    page.get_by_role("button", name="Prisijungti").click()
    page.goto(url(process, f"/vote/{pot.id}"))
    page.select_option(f"#rank-{c.id}", "1")
    page.select_option(f"#rank-{a.id}", "2")
    assert page.locator(f"#rank-{b.id} option[value='1']").is_disabled()
    assert page.locator(f"#rank-{b.id} option[value='2']").is_disabled()
    assert page.locator(f"#rank-{b.id} option[value='3']").is_enabled()
    page.get_by_role("button", name="Balsuoti").click()
    assert "Jūsų biuletenis užregistruotas" in page.content()
    ballot = db.session.execute(select(PBBallot)).scalar_one()
    assert {ch.project_id: ch.value for ch in ballot.choices} == {c.id: 1, a.id: 2}
    folder = Path(__file__).resolve().parents[2] / "test-artifacts"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / "budgeting-ranked-ballot.png"), full_page=True)
