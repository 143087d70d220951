"""Properties: whatever the ballots, the published .pb file recomputes the stored result,
and the knapsack ballot is accepted exactly when it fits the pot."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.budgeting.models import PBBallot, PBChoice
from app.budgeting.services import PBError
from app.budgeting.tally import pabulib_text, stored_results, tally_process
from app.budgeting.voting import new_receipt_code, validate_choices
from app.extensions import db
from app.tallying import get_rule, parse_pabulib_text

FIXTURES_OK = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FIXTURES_OK
@given(costs=st.lists(st.integers(min_value=1, max_value=50), min_size=2, max_size=6),
       ballots=st.lists(st.sets(st.integers(min_value=0, max_value=5), min_size=1), min_size=1, max_size=25),
       extra=st.integers(min_value=0, max_value=100))
def test_published_file_recomputes_every_stored_result(make, pb, costs, ballots, extra):
    m = make.municipality()
    process = pb.process(m, "counting", "approval", budgets=(max(costs) + extra,), projects=costs,
                         rule="mes_cost_add1")
    pot = process.pots[0]
    projects = pb.projects(pot)
    for chosen in ballots:
        ids = {projects[i % len(projects)].id for i in chosen}
        ballot = PBBallot(municipality_id=m.id, pot_id=pot.id, voter_key=new_receipt_code() * 4,
                          receipt_code=new_receipt_code(), is_paper=False, cast_at=process.voting_open_at)
        db.session.add(ballot)
        db.session.flush()
        db.session.add_all(PBChoice(ballot_id=ballot.id, project_id=p, value=1) for p in ids)
    db.session.commit()
    tally_process(process)
    instance, profile = parse_pabulib_text(pabulib_text(process, pot))
    assert len(profile) == len(ballots)
    official, others = stored_results(pot)
    for result in [official] + others:
        assert list(get_rule(result.rule)(instance, profile).selected) == result.outcome["selected"]
        assert result.outcome["cost"] <= pot.budget


@FIXTURES_OK
@given(costs=st.lists(st.integers(min_value=1, max_value=40), min_size=4, max_size=4),
       chosen=st.sets(st.integers(min_value=0, max_value=3), min_size=1))
def test_knapsack_ballot_accepted_exactly_when_it_fits(make, pb, costs, chosen):
    m = make.municipality()
    process = pb.process(m, "voting", "knapsack", budgets=(60,), projects=costs)
    pot = process.pots[0]
    projects = pb.projects(pot)
    choices = {projects[i].id: 1 for i in chosen}
    total = sum(projects[i].final_cost for i in chosen)
    try:
        validate_choices(process, pot, choices)
        accepted = True
    except PBError:
        accepted = False
    assert accepted == (total <= pot.budget)


@FIXTURES_OK
@given(points=st.lists(st.integers(min_value=0, max_value=12), min_size=4, max_size=4))
def test_cumulative_ballot_accepted_exactly_when_points_fit(make, pb, points):
    m = make.municipality()
    process = pb.process(m, "voting", "cumulative", points=10)
    pot = process.pots[0]
    projects = pb.projects(pot)
    choices = {p.id: n for p, n in zip(projects, points) if n > 0}
    try:
        validate_choices(process, pot, choices)
        accepted = True
    except PBError:
        accepted = False
    assert accepted == (1 <= sum(points) <= 10)


@FIXTURES_OK
@given(places=st.lists(st.one_of(st.none(), st.integers(min_value=1, max_value=3)), min_size=4, max_size=4))
def test_ranked_ballot_accepted_exactly_when_places_are_distinct_and_at_most_k(make, pb, places):
    m = make.municipality()
    process = pb.process(m, "voting", "ranked", max_choices=3)
    pot = process.pots[0]
    projects = pb.projects(pot)
    choices = {p.id: place for p, place in zip(projects, places) if place is not None}
    try:
        normalised = validate_choices(process, pot, choices)
        accepted = True
    except PBError:
        accepted = False
    given_places = [p for p in places if p is not None]
    assert accepted == (1 <= len(given_places) <= 3 and len(set(given_places)) == len(given_places))
    if accepted:
        assert sorted(normalised.values()) == list(range(1, len(given_places) + 1))
        # the order the voter gave is kept
        assert sorted(normalised, key=normalised.get) == sorted(choices, key=choices.get)
