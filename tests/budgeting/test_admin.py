"""Processes and pots: creation through the form, the freeze once voting opens, authorization."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.budgeting import services
from app.budgeting.models import PBPot, PBProcess
from app.core.audit import AuditEvent
from app.extensions import db
from tests.budgeting.conftest import url

FORM = {
    "title_lt": "Kauno rajono dalyvaujamasis biudžetas", "title_en": "Kaunas District participatory budget",
    "description_lt": "Gyventojai siūlo ir renkasi.", "description_en": "Residents propose and choose.",
    "ideas_open_at": "2027-01-10T09:00", "review_at": "2027-02-10T09:00", "voting_open_at": "2027-03-01T09:00",
    "voting_close_at": "2027-03-21T20:00", "ballot_type": "knapsack", "rule": "mes_cost_add1", "min_age": "16",
}


def test_admin_creates_a_process_with_pots(client, auth, make):
    m = make.municipality("kaunas")
    auth.login(make.user(m, role="admin"))
    page = client.get("/kaunas/budgeting/admin/new")
    assert page.status_code == 200 and "Lygių dalių metodas" in page.get_data(as_text=True)
    response = client.post_form("/kaunas/budgeting/admin/new", FORM)
    assert response.status_code == 302
    process = db.session.execute(select(PBProcess)).scalar_one()
    assert process.ballot_type == "knapsack" and process.rule == "mes_cost_add1" and process.min_age == 16
    assert process.voting_open_at.hour == 7  # 09:00 in Vilnius (UTC+2) is stored in UTC
    for name, budget in (("Visa savivaldybė", "150000"), ("Garliavos seniūnija", "30000")):
        r = client.post_form(f"/kaunas/budgeting/{process.id}/admin/pots", {"name_lt": name, "budget": budget})
        assert r.status_code == 302
    assert [p.budget for p in db.session.execute(select(PBPot).order_by(PBPot.id)).scalars()] == [150000, 30000]
    actions = {e.action for e in db.session.execute(select(AuditEvent)).scalars()}
    assert {"pb.process_created", "pb.pot_added"} <= actions


@pytest.mark.parametrize("budget,message", [("-5", "nuo 1 iki 100"), ("0", "nuo 1 iki 100"),
                                            ("999999999999", "nuo 1 iki 100"), ("daug", "sveikais eurais")])
def test_bad_pot_amounts(client, auth, make, pb, budget, message):
    m = make.municipality()
    process = pb.process(m, "ideas")
    auth.login(make.user(m, role="admin"))
    response = client.post_form(url(process, "/admin/pots"), {"name_lt": "Seniūnija", "budget": budget})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert len(db.session.execute(select(PBPot)).scalars().all()) == 1


def test_dates_out_of_order_and_missing_k(client, auth, make):
    m = make.municipality("kaunas")
    auth.login(make.user(m, role="admin"))
    bad = dict(FORM, voting_close_at="2027-02-01T09:00")
    response = client.post_form("/kaunas/budgeting/admin/new", bad)
    assert response.status_code == 400 and "Datos turi eiti" in response.get_data(as_text=True)
    no_k = dict(FORM, ballot_type="k_approval", rule="greedy_cost")
    response = client.post_form("/kaunas/budgeting/admin/new", no_k)
    assert response.status_code == 400 and "kiek projektų" in response.get_data(as_text=True)
    wrong_rule = dict(FORM, ballot_type="cumulative", points="10", rule="mes_cost")
    response = client.post_form("/kaunas/budgeting/admin/new", wrong_rule)
    assert response.status_code == 400 and "negali suskaičiuoti tokio tipo biuletenių" in response.get_data(as_text=True)
    assert db.session.execute(select(PBProcess)).first() is None


@pytest.mark.parametrize("change", [{"ballot_type": "approval"}, {"rule": "mes_cardinal"}, {"points": "20"}])
def test_frozen_once_voting_opens(client, auth, make, pb, change):
    m = make.municipality()
    process = pb.process(m, "voting", "cumulative", rule="greedy_points")
    admin = make.user(m, role="admin")
    auth.login(admin)
    page = client.get(url(process, "/admin"))
    assert page.status_code == 200
    form = {"title_lt": process.title_lt, "title_en": process.title_en, "description_lt": "",
            "description_en": "", "ballot_type": "cumulative", "points": "10", "rule": "greedy_points"}
    from app.budgeting.routes import _local

    for name in ("ideas_open_at", "review_at", "voting_open_at", "voting_close_at"):
        form[name] = _local(getattr(process, name)).strftime("%Y-%m-%dT%H:%M")
    form.update(change)
    if change.get("ballot_type") == "approval":
        form["rule"] = "greedy_cost"
    response = client.post_form(url(process, "/admin"), form)
    assert response.status_code == 409, response.get_data(as_text=True)[:300]
    assert "Balsavimas prasidėjo" in response.get_data(as_text=True)
    db.session.refresh(process)
    assert process.ballot_type == "cumulative" and process.points == 10 and process.rule == "greedy_points"
    # the title may still change; the frozen fields are disabled in the page, so browsers leave them out
    assert re.search(r'<select[^>]*\bdisabled\b[^>]*name="rule"', page.get_data(as_text=True))
    form = {k: v for k, v in form.items() if k not in ("ballot_type", "points", "rule", "max_choices")}
    form["title_lt"] = "Naujas pavadinimas"
    assert client.post_form(url(process, "/admin"), form).status_code == 302
    db.session.refresh(process)
    assert process.title_lt == "Naujas pavadinimas" and process.rule == "greedy_points" and process.points == 10


def test_pots_frozen_once_voting_opens(client, auth, make, pb):
    m = make.municipality()
    process = pb.process(m, "voting")
    admin = make.user(m, role="admin")
    pot = process.pots[0]
    with pytest.raises(services.PBError) as err:
        services.update_pot(pot, "Kitas", "", 1, admin)
    assert err.value.status == 409
    with pytest.raises(services.PBError):
        services.add_pot(process, "Naujas", "", 5000, admin)
    with pytest.raises(services.PBError):
        services.delete_pot(pot, admin)
    auth.login(admin)
    response = client.post_form(url(process, f"/admin/pots/{pot.id}"), {"name_lt": "X", "budget": "1"})
    assert response.status_code == 409
    assert db.session.get(PBPot, pot.id).budget == 100_000


def test_staff_of_another_municipality_cannot_administer(client, auth, make, pb):
    m, other = make.municipality(), make.municipality()
    process = pb.process(m, "ideas")
    auth.login(make.user(other, role="admin"))
    assert client.get(url(process, "/admin")).status_code == 403
    assert client.get(url(process, "/moderation")).status_code == 403
    auth.logout()
    auth.login(make.user(m, role="moderator"))
    assert client.get(url(process, "/admin")).status_code == 403  # moderators do not configure
    assert client.get(url(process, "/moderation")).status_code == 200
    # a process of municipality m is not found under another municipality's address
    from app.municipalities.models import Municipality

    assert client.get(f"/{db.session.get(Municipality, other.id).slug}/budgeting/{process.id}").status_code == 404


def test_close_early_then_tally_and_publish(client, auth, make, pb):
    m = make.municipality()
    process = pb.process(m, "voting")
    auth.login(make.user(m, role="admin"))
    assert client.post_form(url(process, "/admin/tally")).status_code == 409
    assert client.post_form(url(process, "/admin/close")).status_code == 302
    db.session.refresh(process)
    assert process.phase() == "counting"
    response = client.post_form(url(process, "/admin/tally"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/results")
    assert client.get(url(process, "/results")).status_code == 200


def test_public_pages_in_both_languages(client, make, pb):
    m = make.municipality()
    process = pb.process(m, "ideas")
    lt = client.get(url(process)).get_data(as_text=True)
    assert "Idėjų teikimas" in lt and "Dalyvaujamasis biudžetas 2027" in lt
    en = client.get(url(process), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Idea submission" in en and "Participatory budget 2027" in en
    assert client.get(f"/{m.slug}/budgeting/").status_code == 200
