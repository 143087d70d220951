"""Factories for participatory-budgeting tests: a process placed in any phase."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.budgeting.models import FEASIBLE, PBIdea, PBPot, PBProcess
from app.core.models import utcnow
from app.extensions import db

PHASE_OFFSETS = {
    # days relative to now: ideas open, review, voting opens, voting closes
    "upcoming": (2, 3, 4, 5),
    "ideas": (-1, 3, 4, 5),
    "review": (-3, -1, 4, 5),
    "voting": (-5, -3, -1, 5),
    "counting": (-9, -7, -5, -1),
}


class PB:
    def __init__(self, make):
        self.make = make

    def process(self, municipality, phase: str = "voting", ballot_type: str = "approval", *,
                budgets=(100_000,), rule: str | None = None, max_choices=None, points=None, min_age=None,
                projects=None) -> PBProcess:
        """A process with pots and (for every pot) feasible projects of the given costs."""
        a, b, c, d = PHASE_OFFSETS[phase]
        now = utcnow()
        default_rule = {"cumulative": "greedy_points", "ranked": "greedy_borda"}.get(ballot_type, "greedy_cost")
        process = PBProcess(
            municipality_id=municipality.id, title_lt="Dalyvaujamasis biudžetas 2027",
            title_en="Participatory budget 2027", description_lt="Aprašas", description_en="About",
            ideas_open_at=now + timedelta(days=a), review_at=now + timedelta(days=b),
            voting_open_at=now + timedelta(days=c), voting_close_at=now + timedelta(days=d),
            ballot_type=ballot_type, rule=rule or default_rule, min_age=min_age,
            max_choices=max_choices if max_choices is not None else (3 if ballot_type in ("k_approval", "ranked") else None),
            points=points if points is not None else (10 if ballot_type == "cumulative" else None))
        db.session.add(process)
        db.session.flush()
        for i, budget in enumerate(budgets):
            pot = PBPot(process_id=process.id, municipality_id=municipality.id, name_lt=f"Fondas {i + 1}",
                        name_en=f"Pot {i + 1}", budget=budget, position=i)
            db.session.add(pot)
            db.session.flush()
            for j, cost in enumerate(projects if projects is not None else (40_000, 30_000, 50_000, 20_000)):
                db.session.add(PBIdea(municipality_id=municipality.id, process_id=process.id, pot_id=pot.id,
                                      title=f"Projektas {i + 1}.{j + 1}", description="Aprašymas",
                                      estimated_cost=cost, final_cost=cost, status=FEASIBLE,
                                      review_reason="Įgyvendinama", reviewed_at=now))
        db.session.commit()
        return process

    @staticmethod
    def projects(pot) -> list[PBIdea]:
        from app.budgeting.ideas import ballot_projects

        return ballot_projects(pot)

    @staticmethod
    def close(process) -> None:
        process.voting_close_at = utcnow() - timedelta(minutes=1)
        db.session.commit()


@pytest.fixture
def pb(make) -> PB:
    return PB(make)


def url(process, tail: str = "") -> str:
    from app.municipalities.models import Municipality

    m = db.session.get(Municipality, process.municipality_id)
    return f"/{m.slug}/budgeting/{process.id}{tail}"
