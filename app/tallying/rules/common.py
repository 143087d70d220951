"""Shared preparation of an election for the budgeting rules.

A *measure* turns each ballot into a satisfaction (utility) per project, as
pabutools' satisfaction classes do:

========== =========== ==============================================
measure    ballots     utility of a supported project
========== =========== ==============================================
``cost``   approval    the project's cost (pabutools ``Cost_Sat``)
``card``   approval    1 (``Cardinality_Sat``)
``cardinal`` cumulative the points given (``Additive_Cardinal_Sat``)
``points_cost`` cumulative points x cost (README's ``Points_Times_Cost_Sat``)
``borda``  ordinal     L - 1 - i for position i of a ballot of length L
========== =========== ==============================================

The prepared election keeps identical ballots as one *group* with a
multiplicity, and uses project indices instead of ids in inner loops.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import IncompatibleBallots, TallyingError
from ..model import Instance, Number, Profile
from ..outcome import TieBreaking

MEASURE_KINDS = {
    "cost": "approval",
    "card": "approval",
    "cardinal": "cumulative",
    "points_cost": "cumulative",
    "borda": "ordinal",
}

Progress = Callable[[dict[str, Any]], None]


@dataclass
class Prepared:
    """An election ready for the inner loops of a budgeting rule."""

    instance: Instance
    ids: list[str]
    costs: list[Number]
    budget: Number
    n: int  # number of ballots, empty ones included
    groups: list[tuple[int, tuple[tuple[int, Number], ...]]]  # (multiplicity, ((project, utility), ...))
    proj_groups: list[list[tuple[int, Number]]]  # project -> [(group, utility)]
    score: list[Number]  # total utility per project
    supporters: list[int]  # voters with positive utility per project
    uniform: list[Number | None]  # the utility every supporter has, when it is the same for all
    rank: list[int]  # tie-breaking priority per project (0 wins)
    tie_breaking: TieBreaking
    measure: str

    @property
    def costs_f(self) -> list[float]:
        cached = self.__dict__.get("_costs_f")
        if cached is None:
            cached = self.__dict__["_costs_f"] = [float(c) for c in self.costs]
        return cached


def prepare(
    instance: Instance,
    profile: Profile,
    measure: str,
    tie_breaking: TieBreaking | Any = None,
) -> Prepared:
    """Validate the input and build the compact representation used by the rules."""
    expected = MEASURE_KINDS[measure]
    if profile.kind != expected:
        raise IncompatibleBallots(f"this rule counts {expected} ballots, not {profile.kind} ballots")
    instance.require_budgeting()
    profile.require_nonempty()
    profile.validate(instance)
    tb = TieBreaking.coerce(tie_breaking)
    ids = instance.ids
    index = {pid: j for j, pid in enumerate(ids)}
    costs: list[Number] = [p.cost for p in instance.projects]  # type: ignore[misc]
    J = len(ids)
    groups: list[tuple[int, tuple[tuple[int, Number], ...]]] = []
    proj_groups: list[list[tuple[int, Number]]] = [[] for _ in range(J)]
    score: list[Number] = [0] * J
    supporters = [0] * J
    for ballot, mult in profile.items():
        if measure in ("cost", "card"):
            utils = tuple((index[p], costs[index[p]] if measure == "cost" else 1) for p in ballot)
        elif measure == "cardinal":
            utils = tuple((index[p], v) for p, v in ballot if v > 0)
        elif measure == "points_cost":
            utils = tuple((index[p], v * costs[index[p]]) for p, v in ballot if v > 0)
        else:  # borda
            L = len(ballot)
            utils = tuple((index[p], L - 1 - i) for i, p in enumerate(ballot) if L - 1 - i > 0)
        if not utils:
            continue
        g = len(groups)
        groups.append((mult, utils))
        for j, u in utils:
            proj_groups[j].append((g, u))
            score[j] += mult * u
            supporters[j] += mult
    if measure == "cost":
        uniform: list[Number | None] = list(costs)
    elif measure == "card":
        uniform = [1] * J
    else:
        uniform = []
        for j in range(J):
            us = {u for _, u in proj_groups[j]}
            uniform.append(us.pop() if len(us) == 1 else None)
    ranks = tb.ranks(ids)
    rank = [ranks[pid] for pid in ids]
    return Prepared(
        instance=instance,
        ids=ids,
        costs=costs,
        budget=instance.budget,  # type: ignore[arg-type]
        n=len(profile),
        groups=groups,
        proj_groups=proj_groups,
        score=[_norm(s) for s in score],
        supporters=supporters,
        uniform=uniform,
        rank=rank,
        tie_breaking=tb,
        measure=measure,
    )


def _norm(x: Number) -> Number:
    if isinstance(x, Fraction) and x.denominator == 1:
        return x.numerator
    return x


def norm(x: Number) -> Number:
    """Return ``int`` for whole fractions (so JSON shows ``12`` rather than ``12/1``)."""
    return _norm(x)


def check_params(params: dict[str, Any], allowed: tuple[str, ...] = ()) -> None:
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise TallyingError(f"unknown parameter(s) for this rule: {', '.join(unknown)}")
