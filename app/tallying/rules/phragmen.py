"""Sequential Phragmén (approval ballots), exactly as pabutools computes it.

Every voter has a load, starting at 0. Each round computes, for every
remaining project, the new load its supporters would carry if they bought it:
``(sum of supporters' loads + cost) / number of supporters``; the project with
the smallest new load (tie-breaking order among equals) is bought and all its
supporters' loads become that value. The rule *stops* (it does not skip) as
soon as the chosen project, or any project tied with it, does not fit in the
remaining budget. Projects dearer than the whole budget are removed at the
start. A project nobody supports has an infinite new load, so it can only come
after every supported project (and only if every remaining one still fits).

How it is computed: voters with identical ballots form a *group*, and each
group remembers the round that last set its load. Loads only grow, so a
project's new load only grows from round to round: a heap keyed by the last
computed new load holds lower bounds, and a round recomputes only the projects
at the top of the heap (lazy evaluation) instead of every project. The new loads
are computed in floating point, with an error bound that covers every rounding;
the projects within that margin of the smallest one are then compared exactly
(``Fraction``), so the chosen project, the ties and the loads shown are exact.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from heapq import heapify, heappop, heappush, heapreplace
from itertools import repeat
from operator import mul
from typing import Any

from ..model import Instance, Number, Profile
from ..outcome import Outcome
from ..registry import register
from .common import Prepared, check_params, prepare
from .texts import PHRAGMEN, TIE_LEXICO

_UNIT = 2.0 ** -52  # twice the unit roundoff of a float


class _Loads:
    """Voters' loads by group, with float and exact new loads per project."""

    def __init__(self, prep: Prepared, profile: Profile) -> None:
        index = {pid: j for j, pid in enumerate(prep.ids)}
        groups: list[list[int]] = [[] for _ in prep.ids]  # project -> groups that approve it
        add = [g.append for g in groups]
        mults: list[int] = []
        for ballot, mult in profile.items():
            if not ballot:
                continue
            g = len(mults)
            mults.append(mult)
            for pid in ballot:
                add[index[pid]](g)
        self.groups = groups
        # multiplicities aligned with ``groups``; None when every group is a single voter
        self.mults: list[list[int] | None] = [
            None if len(gs) == votes else list(map(mults.__getitem__, gs))
            for gs, votes in zip(groups, prep.supporters)
        ]
        self.costs = prep.costs
        self.costs_f = prep.costs_f
        self.votes = prep.supporters
        self.group_load = [0.0] * len(mults)  # float load of each group
        self.group_round = [0] * len(mults)  # round that set it (0: none yet)
        self.load_of_round: list[Number] = [0]  # exact load set in each round
        # Each float new load is the exact one within a relative error of
        # (k + 4) roundings for k summed groups (conversions, products, sum,
        # the cost and the division); compare with four times that.
        longest = max((len(gs) for gs in groups), default=0)
        self.margin = 4 * (longest + 8) * _UNIT

    def new_load_f(self, j: int) -> float:
        gs, ms = self.groups[j], self.mults[j]
        loads = map(self.group_load.__getitem__, gs)
        total = sum(loads) if ms is None else sum(map(mul, ms, loads))
        return (total + self.costs_f[j]) / self.votes[j]

    def new_load(self, j: int) -> Fraction:
        gs, ms = self.groups[j], self.mults[j]
        rounds = map(self.group_round.__getitem__, gs)
        total: Number = 0
        for (r, m), count in Counter(zip(rounds, repeat(1) if ms is None else ms)).items():
            if r:
                total += m * count * self.load_of_round[r]
        return Fraction(total + self.costs[j], self.votes[j])

    def charge(self, j: int, load: Fraction) -> None:
        """Every supporter of ``j`` now carries ``load``."""
        r = len(self.load_of_round)
        self.load_of_round.append(load)
        load_f = float(load)
        group_load, group_round = self.group_load, self.group_round
        for g in self.groups[j]:
            group_load[g] = load_f
            group_round[g] = r


def _cheapest(loads: _Loads, heap: list[tuple[float, int]], fresh: list[int], stamp: int,
              ) -> tuple[Fraction, list[int]]:
    """Pop the projects with the smallest exact new load; return it and them (the others stay)."""
    # Heap keys are new loads from earlier rounds, so lower bounds (within the margin).
    while fresh[heap[0][1]] != stamp:
        j = heap[0][1]
        fresh[j] = stamp
        heapreplace(heap, (loads.new_load_f(j), j))
    limit = heap[0][0] * (1 + loads.margin)
    near: list[tuple[float, int]] = []
    while heap and heap[0][0] <= limit:
        key, j = heappop(heap)
        if fresh[j] != stamp:
            fresh[j] = stamp
            heappush(heap, (loads.new_load_f(j), j))
        else:
            near.append((key, j))
    exact = [(loads.new_load(j), key, j) for key, j in near]
    best = min(v for v, _, _ in exact)
    for v, key, j in exact:
        if v != best:
            heappush(heap, (key, j))
    return best, [j for v, _, j in exact if v == best]


@register(
    "phragmen",
    kind="budgeting",
    ballot_kinds=("approval",),
    title=PHRAGMEN[0],
    description=PHRAGMEN[1],
    tie_breaking=TIE_LEXICO,
    pabutools_call="sequential_phragmen(instance, profile)",
)
def phragmen(instance: Instance, profile: Profile, *, tie_breaking: Any = None, **params: Any) -> Outcome:
    """Sequential Phragmén: buy projects as their supporters' loads allow; stop at the first that does not fit."""
    params.pop("progress", None)
    check_params(params)
    prep = prepare(instance, profile, "card", tie_breaking)
    J = len(prep.ids)
    costs = prep.costs
    budget = prep.budget
    rank = prep.rank
    loads = _Loads(prep, profile)
    remaining = {j for j in range(J) if costs[j] <= budget}
    too_expensive = [j for j in range(J) if costs[j] > budget]
    # before the first round every load is 0
    heap = [(prep.costs_f[j] / prep.supporters[j], j) for j in remaining if prep.supporters[j] > 0]
    heapify(heap)
    fresh = [0] * J  # the round (number of funded projects) in which a heap key was computed
    spent: Number = 0
    order: list[int] = []
    rounds: list[dict[str, Any]] = []
    stop: dict[str, Any] | None = None
    while remaining:
        best: Fraction | None = None
        if heap:
            best, tied = _cheapest(loads, heap, fresh, len(order))
        else:
            # only unsupported projects left: all tied at an infinite load
            tied = list(remaining)
        tied.sort(key=lambda j: rank[j])
        over = [j for j in tied if spent + costs[j] > budget]
        if over:
            stop = {"project": prep.ids[tied[0]], "load": best, "blocking": [prep.ids[j] for j in over],
                    "remaining_budget": budget - spent}
            break
        j = tied[0]
        if best is not None:
            for other in tied[1:]:  # tied with j: back on the heap for the next round
                heappush(heap, (loads.new_load_f(other), other))
        remaining.discard(j)
        order.append(j)
        spent += costs[j]
        rounds.append({"round": len(order), "project": prep.ids[j], "load": best,
                       "remaining_budget": budget - spent})
        if best is not None:
            loads.charge(j, best)
    projects = []
    funded_round = {r["project"]: r for r in rounds}
    for j, pid in enumerate(prep.ids):
        entry: dict[str, Any] = {"project": pid, "cost": costs[j], "votes": prep.supporters[j]}
        if pid in funded_round:
            r = funded_round[pid]
            entry.update(selected=True, reason="funded", round=r["round"], load=r["load"])
        elif j in too_expensive:
            entry.update(selected=False, reason="too_expensive")
        elif stop is not None and pid in stop["blocking"]:
            entry.update(selected=False, reason="stopped", remaining_budget=stop["remaining_budget"],
                         load=stop["load"])
        elif prep.supporters[j] == 0:
            entry.update(selected=False, reason="no_support")
        else:
            entry.update(selected=False, reason="not_reached")
        projects.append(entry)
    cost = sum((costs[j] for j in order), 0)
    return Outcome(
        rule="phragmen",
        selected=tuple(prep.ids[j] for j in order),
        cost=cost,
        budget=budget,
        tie_breaking=prep.tie_breaking,
        explanation={
            "kind": "phragmen",
            "projects": projects,
            "rounds": rounds,
            "summary": {"budget": budget, "spent": cost, "left": budget - cost, "stop": stop},
        },
    )
