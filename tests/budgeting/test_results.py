"""Tally, stored and explained results, the open data, and the CLI."""
from __future__ import annotations

import json

import pytest

from app.budgeting.tally import pabulib_text, stored_results, tally_process
from app.budgeting.voting import cast_ballot
from app.extensions import db
from app.tallying.pabulib import parse_pabulib_text
from app.tallying.registry import get_rule
from tests.budgeting.conftest import url


@pytest.fixture
def differing(make, pb):
    """Six voters want A and B, four want C and D: greedy and Equal Shares disagree."""
    m = make.municipality(population=1000)
    process = pb.process(m, "voting", "approval", budgets=(100,), projects=(50, 50, 40, 10), rule="mes_cost")
    pot = process.pots[0]
    a, b, c, d = pb.projects(pot)
    for _ in range(6):
        cast_ballot(process, pot, make.user(m), m, {a.id: 1, b.id: 1})
    for _ in range(4):
        cast_ballot(process, pot, make.user(m), m, {c.id: 1, d.id: 1})
    pb.close(process)
    return process, pot, (a, b, c, d)


def test_equal_shares_and_greedy_explained(client, differing):
    process, pot, (a, b, c, d) = differing
    tally_process(process)
    official, others = stored_results(pot)
    assert official.rule == "mes_cost" and official.ballots == 10
    assert official.outcome["selected"] == [str(a.id), str(c.id)]
    greedy = next(r for r in others if r.rule == "greedy_cost")
    assert greedy.outcome["selected"] == [str(a.id), str(b.id)]
    html = client.get(url(process, "/results"), headers={"Accept-Language": "en"}).get_data(as_text=True)
    # Equal Shares: who paid how much, and why B lost
    assert "Funded in round 1" in html
    assert "6 voters paid €8.33 each" in html
    assert "4 voters paid 10\u00a0€ each" in html
    assert "its supporters had only 10\u00a0€ of their equal shares left, less than its cost of 50\u00a0€" in html
    # what the rule changed, in one sentence
    assert (f"Compared with the usual count (most votes first), this rule funded {c.title} instead of {b.title}."
            in html)
    # the side-by-side comparison shows the greedy outcome too
    assert "The same ballots under other rules" in html and "Most votes first" in html
    assert "<svg" in html and "<title" in html and "style=" not in html
    lt = client.get(url(process, "/results")).get_data(as_text=True)
    assert "Rezultatai" in lt and "Lygių dalių metodas" in lt


def test_greedy_explanation_did_not_fit(client, make, pb):
    m = make.municipality()
    process = pb.process(m, "voting", "approval", budgets=(100,), projects=(60, 50, 30))
    pot = process.pots[0]
    x, y, z = pb.projects(pot)
    for choice in ({x.id: 1, y.id: 1}, {x.id: 1, y.id: 1}, {x.id: 1, z.id: 1}):
        cast_ballot(process, pot, make.user(m), m, choice)
    pb.close(process)
    tally_process(process)
    official, _ = stored_results(pot)
    assert official.outcome["selected"] == [str(x.id), str(z.id)]
    html = client.get(url(process, "/results"), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Not funded: number 2 in the order, but its cost of 50\u00a0€ did not fit the remaining budget of 40\u00a0€." in html
    lt = client.get(url(process, "/results")).get_data(as_text=True)
    assert "netilpo į likusį 40\u00a0€ biudžetą" in lt


def test_pb_file_read_back_gives_the_published_result(client, differing, tmp_path):
    process, pot, _projects = differing
    tally_process(process)
    official, others = stored_results(pot)
    response = client.get(url(process, f"/pots/{pot.id}.pb"))
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    # anonymous: no receipt codes, no voter keys
    from app.budgeting.models import PBBallot

    for ballot in db.session.execute(db.select(PBBallot)).scalars():
        assert ballot.receipt_code not in text and ballot.voter_key not in text
    instance, profile = parse_pabulib_text(text)
    assert len(profile) == 10 and instance.budget == 100
    for result in [official] + others:
        assert list(get_rule(result.rule)(instance, profile).selected) == result.outcome["selected"], result.rule
    # and by pabutools
    pabutools = pytest.importorskip("pabutools.election", reason="pabutools is not installed")
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

    path = tmp_path / "pot.pb"
    path.write_text(text, encoding="utf-8")
    p_instance, p_profile = pabutools.parse_pabulib(str(path))
    mes = method_of_equal_shares(p_instance, p_profile, sat_class=pabutools.Cost_Sat)
    assert sorted(p.name for p in mes) == sorted(official.outcome["selected"])
    greedy = greedy_utilitarian_welfare(p_instance, p_profile, sat_class=pabutools.Cost_Sat)
    greedy_stored = next(r for r in others if r.rule == "greedy_cost")
    assert sorted(p.name for p in greedy) == sorted(greedy_stored.outcome["selected"])


@pytest.mark.parametrize("ballot_type", ["cumulative", "ranked", "knapsack"])
def test_pb_file_round_trip_for_other_ballot_types(client, make, pb, ballot_type, tmp_path):
    m = make.municipality()
    process = pb.process(m, "voting", ballot_type)
    pot = process.pots[0]
    ps = pb.projects(pot)
    choices = {"cumulative": [{ps[0].id: 6, ps[1].id: 4}, {ps[2].id: 10}],
               "ranked": [{ps[0].id: 1, ps[2].id: 2}, {ps[2].id: 1, ps[1].id: 2, ps[3].id: 3}],
               "knapsack": [{ps[0].id: 1, ps[1].id: 1}, {ps[3].id: 1}]}[ballot_type]
    for choice in choices:
        cast_ballot(process, pot, make.user(m), m, choice)
    pb.close(process)
    tally_process(process)
    official, _ = stored_results(pot)
    text = pabulib_text(process, pot)
    instance, profile = parse_pabulib_text(text)
    assert len(profile) == 2
    assert list(get_rule(process.rule)(instance, profile).selected) == official.outcome["selected"]
    pabutools = pytest.importorskip("pabutools.election", reason="pabutools is not installed")
    path = tmp_path / "pot.pb"
    path.write_text(text, encoding="utf-8")
    p_instance, p_profile = pabutools.parse_pabulib(str(path))
    assert len(p_profile) == 2 and {p.name for p in p_instance} == {str(p.id) for p in ps}


def test_csv_and_json_exports(client, differing):
    process, pot, (a, *_rest) = differing
    tally_process(process)
    csv_text = client.get(url(process, "/results.csv")).get_data(as_text=True)
    assert csv_text.splitlines()[0].startswith("pot_id,pot,project_id,title,cost,votes,selected")
    assert f",{a.id},{a.title},50,6,1,mes_cost,funded" in csv_text
    data = json.loads(client.get(url(process, "/results.json")).get_data(as_text=True))
    assert data["pots"][0]["official"]["rule"] == "mes_cost"
    assert "greedy_cost" in data["pots"][0]["comparison"]
    projects = client.get(url(process, "/projects.json")).get_json()
    assert len(projects["projects"]) == 4
    assert "contact" not in projects["projects"][0]
    assert client.get(url(process, "/projects.csv")).status_code == 200


def test_tally_refused_while_voting_and_cli(app, make, pb):
    from app.budgeting.services import PBError

    m = make.municipality()
    process = pb.process(m, "voting")
    with pytest.raises(PBError):
        tally_process(process)
    pb.close(process)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["pb", "tally", str(process.id)])
    assert result.exit_code == 0, result.output
    assert "Fondas 1: 0 ballots" in result.output
    assert runner.invoke(args=["pb", "tally", "99999"]).exit_code != 0


def test_empty_pot_results_page(client, make, pb):
    m = make.municipality()
    process = pb.process(m, "counting")
    tally_process(process)
    html = client.get(url(process, "/results"), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "No ballots were cast in this pot." in html


def test_idea_page_says_why_it_won_or_lost(client, differing):
    process, pot, (a, b, c, d) = differing
    tally_process(process)
    lost = client.get(url(process, f"/ideas/{b.id}"), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Not funded: its supporters had only 10\u00a0€ of their equal shares left" in lost
    won = client.get(url(process, f"/ideas/{c.id}")).get_data(as_text=True)
    assert "Laimėjo" in won and "4 balsuotojai sumokėjo po 10\u00a0€" in won


def test_capped_supporters_are_shown_together(client, make, pb):
    """Voters who cannot pay the full share pay all they have left: one line for them all."""
    m = make.municipality(population=1000)
    process = pb.process(m, "voting", "approval", budgets=(100,), projects=(50, 35), rule="mes_cost")
    pot = process.pots[0]
    a, c = pb.projects(pot)
    for choice in [{a.id: 1}] * 4 + [{a.id: 1, c.id: 1}] * 3 + [{c.id: 1}] * 3:
        cast_ballot(process, pot, make.user(m), m, choice)
    pb.close(process)
    tally_process(process)
    # 10 each. A: 7 supporters pay 50/7 (2.86 left each). C: the three who also backed A pay
    # all they have (60/7 = 8.57 together), the other three pay (35 - 60/7) / 3 = 8.81 each
    official, _others = stored_results(pot)
    assert official.outcome["selected"] == [str(a.id), str(c.id)]
    en = client.get(url(process, f"/ideas/{c.id}"), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "3 voters paid €8.81 each" in en
    assert "3 voters could not pay that much and paid all they had left: €8.57 in all" in en
    lt = client.get(url(process, f"/ideas/{c.id}")).get_data(as_text=True)
    assert "3 balsuotojai negalėjo sumokėti tiek ir atidavė viską, kas jiems buvo likę: iš viso 8,57\u00a0€" in lt


def test_tally_due_counts_closed_processes(app, make, pb):
    m = make.municipality()
    closed = pb.process(m, "counting")
    running = pb.process(m, "voting")
    result = app.test_cli_runner().invoke(args=["pb", "tally-due"])
    assert result.exit_code == 0 and "1 process(es) counted." in result.output
    db.session.expire_all()
    assert closed.results_published_at is not None and running.results_published_at is None


@pytest.mark.parametrize("rule,expected", [
    ("phragmen", "when its supporters had together earned its cost"),
    ("maxwelfare_cost", "part of the set of projects with the greatest total benefit that fits the budget"),
    ("mes_cost_add1_greedy", "Funded in round 1"),
])
def test_other_official_rules_are_explained(client, make, pb, rule, expected):
    m = make.municipality()
    process = pb.process(m, "voting", "approval", budgets=(100,), projects=(50, 50, 40, 10), rule=rule)
    pot = process.pots[0]
    a, b, c, d = pb.projects(pot)
    for choice in ({a.id: 1, b.id: 1},) * 6 + ({c.id: 1, d.id: 1},) * 4:
        cast_ballot(process, pot, make.user(m), m, choice)
    pb.close(process)
    tally_process(process)
    html = client.get(url(process, "/results"), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert expected in html
    assert "Not funded" in html


def test_csv_never_carries_a_spreadsheet_formula(client, make, pb):
    from app.budgeting.models import PBIdea

    m = make.municipality()
    process = pb.process(m, "counting")
    idea = pb.projects(process.pots[0])[0]
    db.session.get(PBIdea, idea.id).title = '=HYPERLINK("http://evil.example","spauskite")'
    db.session.commit()
    tally_process(process)
    for path in ("/results.csv", "/projects.csv"):
        text = client.get(url(process, path)).get_data(as_text=True)
        assert "'=HYPERLINK" in text and ',=HYPERLINK' not in text and ',"=HYPERLINK' not in text
