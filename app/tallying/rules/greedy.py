"""Greedy budgeting rules (what most cities use).

Projects are ordered by total satisfaction divided by cost, highest first
(equal ratios in tie-breaking order); going down the list, each project that
still fits in what is left of the budget is funded, one that does not fit is
skipped and the walk goes on. Exactly pabutools' ``greedy_utilitarian_welfare``
with an additive satisfaction: a project nobody supports has ratio 0 and comes
last (it is still funded if it fits, as in pabutools).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..model import Instance, Number, Profile
from ..outcome import Outcome
from ..registry import register
from .common import Prepared, check_params, norm, prepare
from .texts import TIE_LEXICO, greedy_texts


def greedy_walk(
    prep: Prepared,
    start: list[int],
    budget_left: Number,
    score: list[Number] | None = None,
) -> tuple[list[int], list[dict[str, Any]]]:
    """Walk the projects not in ``start`` by ratio; return funded indices and per-project steps."""
    score = prep.score if score is None else score
    chosen = set(start)
    order = [j for j in range(len(prep.ids)) if j not in chosen]

    def key(j: int) -> tuple[int, Number, int]:
        s = score[j]
        if s <= 0:
            return (1, 0, prep.rank[j])  # ratio 0: after every supported project
        return (0, -Fraction(s) / prep.costs[j], prep.rank[j])

    order.sort(key=key)
    funded: list[int] = []
    steps: list[dict[str, Any]] = []
    left = budget_left
    for position, j in enumerate(order, start=1):
        cost = prep.costs[j]
        step: dict[str, Any] = {"project": prep.ids[j], "rank": position, "remaining_budget": left}
        if cost <= left:
            left -= cost
            funded.append(j)
            step["selected"] = True
        else:
            step["selected"] = False
        steps.append(step)
    return funded, steps


def _greedy(name: str, measure: str, instance: Instance, profile: Profile, tie_breaking: Any, params: dict) -> Outcome:
    check_params(params, ("progress",))
    prep = prepare(instance, profile, measure, tie_breaking)
    funded, steps = greedy_walk(prep, [], prep.budget)
    by_id = {s["project"]: s for s in steps}
    projects = []
    for j, pid in enumerate(prep.ids):
        step = by_id[pid]
        s = prep.score[j]
        entry = {
            "project": pid,
            "selected": step["selected"],
            "reason": "funded" if step["selected"] else "skipped_no_fit",
            "rank": step["rank"],
            "votes": prep.supporters[j],
            "score": s,
            "ratio": norm(Fraction(s) / prep.costs[j]),
            "cost": prep.costs[j],
            "remaining_budget": step["remaining_budget"],
        }
        projects.append(entry)
    projects.sort(key=lambda e: e["rank"])
    selected = tuple(prep.ids[j] for j in funded)
    cost = sum((prep.costs[j] for j in funded), 0)
    return Outcome(
        rule=name,
        selected=selected,
        cost=cost,
        budget=prep.budget,
        tie_breaking=prep.tie_breaking,
        params={},
        explanation={
            "kind": "greedy",
            "measure": measure,
            "projects": projects,
            "rounds": [],
            "summary": {"budget": prep.budget, "spent": cost, "left": prep.budget - cost},
        },
    )


def _make(name: str, measure: str, text_kind: str, kinds: tuple[str, ...], call: str) -> None:
    title, description = greedy_texts(text_kind)

    @register(name, kind="budgeting", ballot_kinds=kinds, title=title, description=description,
              tie_breaking=TIE_LEXICO, pabutools_call=call)
    def rule(instance: Instance, profile: Profile, *, tie_breaking: Any = None, **params: Any) -> Outcome:
        return _greedy(name, measure, instance, profile, tie_breaking, params)

    rule.__name__ = name
    rule.__doc__ = f"Greedy rule {name!r}: {description['en']}"
    globals()[name] = rule


_make("greedy_cost", "cost", "cost", ("approval",),
      "greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)")
_make("greedy_card", "card", "card", ("approval",),
      "greedy_utilitarian_welfare(instance, profile, sat_class=Cardinality_Sat)")
_make("greedy_points", "points_cost", "points", ("cumulative",),
      "greedy_utilitarian_welfare(instance, profile, sat_class=Points_Times_Cost_Sat)")
_make("greedy_cardinal", "cardinal", "cardinal", ("cumulative",),
      "greedy_utilitarian_welfare(instance, profile, sat_class=Additive_Cardinal_Sat)")
_make("greedy_borda", "borda", "borda", ("ordinal",),
      "greedy_utilitarian_welfare(instance, profile, sat_class=Additive_Borda_Sat, is_sat_additive=True)")
