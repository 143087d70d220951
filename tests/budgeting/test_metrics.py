"""Participatory budgeting figures for the pilot dashboard, on a small hand-built data set."""
from __future__ import annotations

import pytest

from datetime import datetime, timedelta, timezone

from app.budgeting.voting import cast_ballot, enter_paper_ballot
from app.core.metrics import METRICS


def _metric(key):
    return next(m for m in METRICS if m.key == key)


def test_pb_figures(app, make, pb):
    m = make.municipality(population=1000)
    other = make.municipality(population=500)
    process = pb.process(m, "voting", "approval", budgets=(100_000, 20_000), projects=(10_000, 5_000))
    pot_a, pot_b = process.pots
    voters = [make.user(m) for _ in range(3)]
    a = pb.projects(pot_a)[0].id
    b = pb.projects(pot_b)[0].id
    for v in voters:
        cast_ballot(process, pot_a, v, m, {a: 1})
    cast_ballot(process, pot_b, voters[0], m, {b: 1})  # the same person in a second pot counts once
    enter_paper_ballot(process, pot_a, make.user(m, role="moderator"), m, {a: 1}, "P-1")
    start = datetime.now(timezone.utc) - timedelta(days=30)
    end = datetime.now(timezone.utc) + timedelta(days=1)
    ids = [m.id, other.id]
    # pb.process() creates 2 projects per pot, reviewed feasible now
    assert _metric("budgeting.ideas").compute(ids, start, end) == {m.id: 4}
    assert _metric("budgeting.feasible").compute(ids, start, end) == {m.id: 4}
    assert _metric("budgeting.voters").compute(ids, start, end) == {m.id: 3}
    assert _metric("budgeting.turnout").compute(ids, start, end)[m.id] == pytest.approx(100 * 4 / 1000)  # percent of inhabitants
    assert _metric("budgeting.paper_share").compute(ids, start, end)[m.id] == pytest.approx(20.0)  # percent of ballots
    monthly = _metric("budgeting.voters").monthly(ids, start, end)
    assert sum(monthly[m.id].values()) == 3
    later = end + timedelta(days=40)
    assert _metric("budgeting.voters").compute(ids, end, later) == {}
