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
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..model import Instance, Number, Profile
from ..outcome import Outcome
from ..registry import register
from .common import check_params, prepare
from .texts import PHRAGMEN, TIE_LEXICO


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
    groups = prep.groups
    # Every voter's load is one of the loads set so far (0 or the load of some
    # round), so a group stores the round that set it and the per-project sums
    # of loads are updated with integer counts, one fraction per (project, round).
    load_of_round: list[Number] = [0]
    group_round = [0] * len(groups)
    load_sum: list[Number] = [0] * J
    remaining = {j for j in range(J) if costs[j] <= budget}
    too_expensive = [j for j in range(J) if costs[j] > budget]
    spent: Number = 0
    order: list[int] = []
    rounds: list[dict[str, Any]] = []
    stop: dict[str, Any] | None = None
    while remaining:
        best: Number | None = None
        tied: list[int] = []
        for j in remaining:
            votes = prep.supporters[j]
            if votes == 0:
                continue
            value = Fraction(load_sum[j] + costs[j], votes)
            if best is None or value < best:
                best, tied = value, [j]
            elif value == best:
                tied.append(j)
        if best is None:
            # only unsupported projects left: all tied at an infinite load
            tied = list(remaining)
        tied.sort(key=lambda j: rank[j])
        over = [j for j in tied if spent + costs[j] > budget]
        if over:
            stop = {"project": prep.ids[tied[0]], "load": best, "blocking": [prep.ids[j] for j in over],
                    "remaining_budget": budget - spent}
            break
        j = tied[0]
        remaining.discard(j)
        order.append(j)
        spent += costs[j]
        rounds.append({"round": len(order), "project": prep.ids[j], "load": best,
                       "remaining_budget": budget - spent})
        if best is None:
            continue
        r_new = len(load_of_round)
        load_of_round.append(best)
        moved: dict[tuple[int, int], int] = {}
        for g, _ in prep.proj_groups[j]:
            m, utils = groups[g]
            r_old = group_round[g]
            group_round[g] = r_new
            for q, _u in utils:
                key = (q, r_old)
                moved[key] = moved.get(key, 0) + m
        for (q, r_old), m in moved.items():
            load_sum[q] += m * (best - load_of_round[r_old])
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
