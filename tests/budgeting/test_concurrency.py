"""One ballot per voter per pot under 50 parallel submissions (PostgreSQL)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from app.budgeting.models import PBBallot, PBChoice, PBVoter
from app.extensions import db
from tests.budgeting.conftest import url
from tests.conftest import CSRF_RE
from tests.factories import Factories


@pytest.mark.postgres
def test_fifty_parallel_ballots_from_one_voter(app, make, pb, is_postgres):
    if not is_postgres:
        pytest.skip("Parallel submissions need PostgreSQL (set TEST_DATABASE_URL); SQLite serialises writers.")
    m = make.municipality()
    process = pb.process(m, "voting", "approval")
    pot = process.pots[0]
    projects = [p.id for p in pb.projects(pot)]
    voter = make.user(m)
    vote_url = url(process, f"/vote/{pot.id}")
    # One sign-in (sign-in is rate limited), its session shared by 50 separate clients.
    first = app.test_client()
    token = CSRF_RE.search(first.get("/").get_data(as_text=True)).group(1)
    assert first.post("/account/login", data={"email": voter.email, "password": Factories.PASSWORD,
                                              "csrf_token": token}).status_code == 302
    cookie = first.get_cookie("session")
    clients = []
    for _ in range(50):
        c = app.test_client()
        c.set_cookie("session", cookie.value, domain=cookie.domain or "localhost")
        token = CSRF_RE.search(c.get(vote_url).get_data(as_text=True)).group(1)
        clients.append((c, token))

    def submit(i):
        c, token = clients[i]
        with app.app_context():  # each thread has its own context, as each server worker does
            return c.post(vote_url, data={"csrf_token": token,
                                          "project": [projects[i % len(projects)]]}).status_code

    with ThreadPoolExecutor(max_workers=25) as pool:
        statuses = list(pool.map(submit, range(50)))
    assert statuses.count(302) == 50, statuses
    db.session.expire_all()
    assert db.session.execute(select(func.count(PBBallot.id))).scalar_one() == 1
    assert db.session.execute(select(func.count(PBVoter.id))).scalar_one() == 1
    assert db.session.execute(select(func.count()).select_from(PBChoice)).scalar_one() == 1
