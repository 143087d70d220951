"""Ideas: submission, support, feasibility review, merging, edits with versions."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.budgeting.models import FEASIBLE, INFEASIBLE, MERGED, SUBMITTED, PBIdea, PBIdeaVersion, PBSupport
from app.extensions import db
from tests.budgeting.conftest import url

IDEA = {"title": "Apšvietimas prie Ringaudų bendruomenės namų", "location": "Ringaudai",
        "description": "Įrengti **šviestuvus** takui.", "contact": "+370 600 00000"}


def test_resident_submits_an_idea(client, auth, make, pb):
    m = make.municipality()
    process = pb.process(m, "ideas", projects=())
    pot = process.pots[0]
    auth.login(make.user(m))
    response = client.post_form(url(process, "/ideas/new"), dict(IDEA, pot_id=pot.id, estimated_cost="12000"))
    assert response.status_code == 302
    idea = db.session.execute(select(PBIdea)).scalar_one()
    assert idea.status == SUBMITTED and idea.estimated_cost == 12000
    page = client.get(url(process, f"/ideas/{idea.id}")).get_data(as_text=True)
    assert "<strong>šviestuvus</strong>" in page and "+370" not in page  # contact is for moderators only


@pytest.mark.parametrize("cost,message", [("-100", "daugiau nei nulis"), ("0", "daugiau nei nulis"),
                                          ("100001", "viršija visą fondą"), ("pusė", "sveikais eurais")])
def test_bad_costs_refused_and_what_was_typed_kept(client, auth, make, pb, cost, message):
    m = make.municipality()
    process = pb.process(m, "ideas", projects=())
    auth.login(make.user(m))
    response = client.post_form(url(process, "/ideas/new"),
                                dict(IDEA, pot_id=process.pots[0].id, estimated_cost=cost))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and "Ringaudų bendruomenės namų" in html  # nothing lost
    assert db.session.execute(select(PBIdea)).first() is None


def test_too_long_title_and_outside_phase(client, auth, make, pb):
    m = make.municipality()
    process = pb.process(m, "ideas", projects=())
    auth.login(make.user(m))
    response = client.post_form(url(process, "/ideas/new"),
                                dict(IDEA, title="x" * 300, pot_id=process.pots[0].id, estimated_cost="100"))
    assert response.status_code == 400
    voting = pb.process(m, "voting")
    assert client.get(url(voting, "/ideas/new")).status_code == 409


def test_support_is_one_per_person_and_not_a_vote(client, auth, make, pb):
    m = make.municipality()
    process = pb.process(m, "ideas")
    idea = pb.projects(process.pots[0])[0]
    auth.login(make.user(m))
    support = url(process, f"/ideas/{idea.id}/support")
    assert client.post_form(support).status_code == 302
    assert "1 gyventojas palaiko" in client.get(url(process, f"/ideas/{idea.id}")).get_data(as_text=True)
    assert client.post_form(support).status_code == 302  # a second press withdraws
    assert db.session.execute(select(PBSupport)).first() is None
    auth.logout()
    auth.login(make.user(make.municipality()))
    assert client.post_form(support).status_code == 403


def test_moderator_reviews_edits_and_merges(client, auth, make, pb):
    m = make.municipality()
    process = pb.process(m, "review", projects=())
    pot = process.pots[0]
    ideas = []
    for title in ("Nauja žaidimų aikštelė Akademijoje", "Vaikų žaidimų aikštelė Akademijos parke"):
        ideas.append(PBIdea(municipality_id=m.id, process_id=process.id, pot_id=pot.id, title=title,
                            description="Aprašas", estimated_cost=30000))
    db.session.add_all(ideas)
    db.session.commit()
    first, second = ideas
    auth.login(make.user(m, role="moderator"))
    review = url(process, f"/moderation/ideas/{first.id}")
    # no reason, then a cost above the pot
    assert client.post_form(review, {"action": "review", "decision": "feasible", "final_cost": "35000"}).status_code == 400
    r = client.post_form(review, {"action": "review", "decision": "feasible", "final_cost": "200000",
                                  "reason": "Galima įrengti."})
    assert r.status_code == 400 and "viršija visą fondą" in r.get_data(as_text=True)
    r = client.post_form(review, {"action": "review", "decision": "feasible", "final_cost": "35000",
                                  "reason": "Galima įrengti savivaldybės žemėje."})
    assert r.status_code == 302
    db.session.refresh(first)
    assert first.status == FEASIBLE and first.final_cost == 35000
    r = client.post_form(review, {"action": "edit", "title": "Žaidimų aikštelė Akademijoje",
                                  "description": "Aiškesnis aprašas", "location": "Akademija"})
    assert r.status_code == 302
    assert db.session.execute(select(PBIdeaVersion)).scalar_one().title == "Nauja žaidimų aikštelė Akademijoje"
    merge = url(process, f"/moderation/ideas/{second.id}")
    assert client.post_form(merge, {"action": "merge", "target_id": first.id, "reason": "Tas pats"}).status_code == 302
    db.session.refresh(second)
    assert second.status == MERGED and second.merged_into_id == first.id
    page = client.get(url(process, f"/ideas/{first.id}")).get_data(as_text=True)
    assert "Vaikų žaidimų aikštelė Akademijos parke" in page and "Ankstesnė formuluotė" in page
    # infeasible with a public reason
    third = PBIdea(municipality_id=m.id, process_id=process.id, pot_id=pot.id, title="Tiltas per Nemuną",
                   description="Didelis", estimated_cost=90000)
    db.session.add(third)
    db.session.commit()
    r = client.post_form(url(process, f"/moderation/ideas/{third.id}"),
                         {"action": "review", "decision": "infeasible", "reason": "Ne savivaldybės žemė."})
    assert r.status_code == 302
    assert db.session.get(PBIdea, third.id).status == INFEASIBLE
    assert "Ne savivaldybės žemė." in client.get(url(process, f"/ideas/{third.id}")).get_data(as_text=True)


def test_review_refused_once_voting_opened(make, pb):
    from app.budgeting.ideas import review_idea
    from app.budgeting.services import PBError

    m = make.municipality()
    process = pb.process(m, "voting")
    idea = pb.projects(process.pots[0])[0]
    with pytest.raises(PBError) as err:
        review_idea(idea, False, "Ne", None, make.user(m, role="moderator"))
    assert err.value.status == 409
