"""Ballots of every type, cast through the pages, with the refusals the issue lists."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect, select

from app.budgeting.models import PBBallot, PBChoice, PBVoter
from app.budgeting.tally import tally_process
from app.extensions import db
from tests.budgeting.conftest import url


def _ballots():
    return db.session.execute(select(PBBallot)).scalars().all()


def _vote(client, process, pot, data):
    return client.post_form(url(process, f"/vote/{pot.id}"), data)


@pytest.mark.parametrize("ballot_type,make_data,expected", [
    ("approval", lambda ps: {"project": [ps[0].id, ps[1].id, ps[2].id]}, lambda ps: {ps[0].id: 1, ps[1].id: 1, ps[2].id: 1}),
    ("k_approval", lambda ps: {"project": [ps[0].id, ps[3].id]}, lambda ps: {ps[0].id: 1, ps[3].id: 1}),
    ("knapsack", lambda ps: {"project": [ps[0].id, ps[1].id, ps[3].id]}, lambda ps: {ps[0].id: 1, ps[1].id: 1, ps[3].id: 1}),
    ("cumulative", lambda ps: {f"points-{ps[0].id}": "7", f"points-{ps[2].id}": "3", f"points-{ps[1].id}": ""},
     lambda ps: {ps[0].id: 7, ps[2].id: 3}),
    ("ranked", lambda ps: {f"rank-{ps[2].id}": "1", f"rank-{ps[0].id}": "3", f"rank-{ps[1].id}": ""},
     lambda ps: {ps[2].id: 1, ps[0].id: 2}),
])
def test_every_ballot_type_end_to_end(client, auth, make, pb, ballot_type, make_data, expected):
    m = make.municipality()
    process = pb.process(m, "voting", ballot_type)
    pot = process.pots[0]
    projects = pb.projects(pot)
    voter = make.user(m)
    auth.login(voter)
    page = client.get(url(process, f"/vote/{pot.id}"))
    assert page.status_code == 200 and "Projektas 1.1" in page.get_data(as_text=True)
    response = _vote(client, process, pot, make_data(projects))
    assert response.status_code == 302, response.get_data(as_text=True)
    ballot = _ballots()[0]
    assert {c.project_id: c.value for c in ballot.choices} == expected(projects)
    assert len(ballot.receipt_code) == 11 and not ballot.is_paper
    # the receipt is shown to the voter, and the ballot page shows their choices again
    page = client.get(url(process, f"/vote/{pot.id}")).get_data(as_text=True)
    assert ballot.receipt_code in page
    # after the close the vote is counted and the receipt appears in the public list
    pb.close(process)
    tally_process(process)
    listing = client.get(url(process, f"/ballots/{pot.id}?receipt={ballot.receipt_code}")).get_data(as_text=True)
    assert ballot.receipt_code in listing and projects[0].title in listing or projects[2].title in listing
    results = client.get(url(process, "/results"))
    assert results.status_code == 200
    assert "Laimėjo" in results.get_data(as_text=True)


def test_changed_ballot_replaces_the_old_one(client, auth, make, pb):
    m = make.municipality()
    process = pb.process(m, "voting", "approval")
    pot = process.pots[0]
    a, b, *_ = pb.projects(pot)
    auth.login(make.user(m))
    assert _vote(client, process, pot, {"project": [a.id]}).status_code == 302
    first_receipt = _ballots()[0].receipt_code
    response = _vote(client, process, pot, {"project": [b.id]})
    assert response.status_code == 302
    assert "Jūsų biuletenis pakeistas" in client.get(response.headers["Location"]).get_data(as_text=True)
    ballots = _ballots()
    assert len(ballots) == 1
    assert [c.project_id for c in ballots[0].choices] == [b.id]
    assert ballots[0].receipt_code != first_receipt
    assert db.session.execute(select(PBVoter)).scalars().all().__len__() == 1
    assert db.session.execute(select(PBChoice)).scalars().all().__len__() == 1


def test_a_changed_secret_key_never_gives_a_voter_a_second_ballot(app, client, auth, make, pb, monkeypatch):
    """The voter's keyed hash comes from SECRET_KEY: after the key is changed in mid-vote the
    earlier ballot cannot be found, and the voter must be refused, not given another ballot."""
    m = make.municipality()
    process = pb.process(m, "voting", "approval")
    pot = process.pots[0]
    a, b, *_ = pb.projects(pot)
    voter = make.user(m)
    auth.login(voter)
    assert _vote(client, process, pot, {"project": [a.id]}).status_code == 302
    monkeypatch.setitem(app.config, "SECRET_KEY", app.config["SECRET_KEY"] + "-rotated")
    auth.login(voter)  # (the session was signed with the old key)
    response = _vote(client, process, pot, {"project": [b.id]})
    assert response.status_code == 409
    assert "ankstesnio biuletenio" in response.get_data(as_text=True)
    [ballot] = _ballots()
    assert [c.project_id for c in ballot.choices] == [a.id]  # the first ballot stands, alone
    # The ballot page says so before they try.
    assert "ankstesnio biuletenio" in client.get(url(process, f"/vote/{pot.id}")).get_data(as_text=True)


def test_ballot_table_has_no_link_to_the_user(app, client, auth, make, pb):
    columns = {c["name"] for c in inspect(db.engine).get_columns("pb_ballots")}
    assert "user_id" not in columns
    fks = inspect(db.engine).get_foreign_keys("pb_ballots") + inspect(db.engine).get_foreign_keys("pb_ballot_choices")
    assert all(fk["referred_table"] != "users" for fk in fks)
    m = make.municipality()
    process = pb.process(m, "voting")
    pot = process.pots[0]
    voter = make.user(m)
    auth.login(voter)
    _vote(client, process, pot, {"project": [pb.projects(pot)[0].id]})
    ballot = _ballots()[0]
    from app.budgeting.voting import voter_key

    assert ballot.voter_key == voter_key(pot.id, voter.id) and len(ballot.voter_key) == 64
    assert f"{pot.id}:{voter.id}" not in ballot.voter_key
    assert ballot.cast_at.minute == 0 and ballot.cast_at.second == 0  # only the hour is kept


@pytest.mark.parametrize("ballot_type,data_fn,message", [
    ("knapsack", lambda ps: {"project": [p.id for p in ps]}, "daugiau nei fondas"),
    ("k_approval", lambda ps: {"project": [p.id for p in ps]}, "pasirinkti ne daugiau kaip 3"),
    ("cumulative", lambda ps: {f"points-{ps[0].id}": "8", f"points-{ps[1].id}": "5"}, "taškų: 13"),
    ("cumulative", lambda ps: {f"points-{ps[0].id}": "-2"}, "neigiami"),
    ("cumulative", lambda ps: {f"points-{ps[0].id}": "pusė"}, "sveikieji skaičiai"),
    ("ranked", lambda ps: {f"rank-{ps[0].id}": "1", f"rank-{ps[1].id}": "1"}, "tą pačią vietą"),
    ("approval", lambda ps: {}, "bent vieną projektą"),
    ("approval", lambda ps: {"project": ["abc"]}, "nėra šiame biuletenyje"),
])
def test_bad_ballots_are_refused_with_a_clear_error(client, auth, make, pb, ballot_type, data_fn, message):
    m = make.municipality()
    process = pb.process(m, "voting", ballot_type)
    pot = process.pots[0]
    auth.login(make.user(m))
    response = _vote(client, process, pot, data_fn(pb.projects(pot)))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html, html[html.find("notice error"):][:400]
    assert _ballots() == []


def test_project_of_another_pot_or_infeasible_is_refused(client, auth, make, pb):
    from app.budgeting.models import INFEASIBLE, PBIdea

    m = make.municipality()
    process = pb.process(m, "voting", "approval", budgets=(100_000, 50_000))
    pot_a, pot_b = process.pots
    other = pb.projects(pot_b)[0]
    auth.login(make.user(m))
    response = _vote(client, process, pot_a, {"project": [other.id]})
    assert response.status_code == 400 and "kito fondo" in response.get_data(as_text=True)
    infeasible = pb.projects(pot_a)[0]
    db.session.get(PBIdea, infeasible.id).status = INFEASIBLE
    db.session.commit()
    assert _vote(client, process, pot_a, {"project": [infeasible.id]}).status_code == 400
    assert _ballots() == []


@pytest.mark.parametrize("phase", ["ideas", "review", "counting"])
def test_vote_outside_the_voting_phase_is_refused(client, auth, make, pb, phase):
    m = make.municipality()
    process = pb.process(m, phase)
    pot = process.pots[0]
    auth.login(make.user(m))
    response = _vote(client, process, pot, {"project": [pb.projects(pot)[0].id]})
    assert response.status_code == 409
    assert "Balsavimas šiame procese nevyksta" in response.get_data(as_text=True)
    assert _ballots() == []


def test_voter_from_another_municipality_or_unconfirmed_or_too_young(client, auth, make, pb):
    m, other = make.municipality(), make.municipality()
    process = pb.process(m, "voting", min_age=18)
    pot = process.pots[0]
    choice = {"project": [pb.projects(pot)[0].id]}
    for user in (make.user(other), make.user(m, confirmed=False), make.user(m, birth_year=2015)):
        auth.login(user)
        response = _vote(client, process, pot, choice)
        assert response.status_code == 403, user
        auth.logout()
    assert _ballots() == []
    # in English too
    auth.login(make.user(other, locale="en"))
    client.post_form("/lang", {"lang": "en", "next": "/"})
    response = _vote(client, process, pot, choice)
    assert "Only confirmed residents of this municipality can vote here." in response.get_data(as_text=True)


def test_paper_ballots_by_moderators_only_of_this_municipality(client, auth, make, pb):
    from app.core.audit import AuditEvent

    m, other = make.municipality(), make.municipality()
    process = pb.process(m, "voting", "knapsack")
    pot = process.pots[0]
    projects = pb.projects(pot)
    paper_url = url(process, f"/moderation/paper/{pot.id}")
    auth.login(make.user(other, role="moderator"))
    assert client.post_form(paper_url, {"project": [projects[0].id], "serial": "A-1"}).status_code == 403
    auth.logout()
    auth.login(make.user(m))  # a resident
    assert client.post_form(paper_url, {"project": [projects[0].id]}).status_code == 403
    auth.logout()
    auth.login(make.user(m, role="moderator"))
    assert client.get(paper_url).status_code == 200
    response = client.post_form(paper_url, {"project": [projects[0].id, projects[3].id], "serial": "A-1"})
    assert response.status_code == 302
    again = client.post_form(paper_url, {"project": [projects[1].id], "serial": "A-1"})
    assert again.status_code == 409 and "jau įvestas" in again.get_data(as_text=True)
    over = client.post_form(paper_url, {"project": [p.id for p in projects], "serial": "A-2"})
    assert over.status_code == 400
    ballots = _ballots()
    assert len(ballots) == 1 and ballots[0].is_paper and ballots[0].voter_key is None
    events = db.session.execute(select(AuditEvent).filter_by(action="pb.paper_ballot_entered")).scalars().all()
    assert len(events) == 1 and events[0].data["serial"] == "A-1"


def test_turnout_visible_while_voting_but_not_partial_results(client, auth, make, pb):
    m = make.municipality()
    process = pb.process(m, "voting")
    pot = process.pots[0]
    auth.login(make.user(m))
    _vote(client, process, pot, {"project": [pb.projects(pot)[0].id]})
    page = client.get(url(process)).get_data(as_text=True)
    assert "1 gyventojas jau balsavo internetu" in page
    assert "Balsavote; kvito kodas" in page and "Keisti mano biuletenį" in page
    assert client.get(url(process, "/results")).status_code == 409
    assert client.get(url(process, f"/ballots/{pot.id}")).status_code == 409
    assert client.get(url(process, f"/pots/{pot.id}.pb")).status_code == 409
