"""Maximum utilitarian welfare: an exact 0/1 knapsack.

Costs can be large (a budget of 10^9 forints), so a table indexed by money is
out of the question. We keep the *non-dominated* partial selections (no other
uses less money for at least as much welfare), adding one project at a time in
order of welfare per unit of cost, and drop every partial selection whose
optimistic bound (fill the rest of the budget fractionally, the linear
relaxation) cannot beat the best complete selection found so far. Both the
dominance rule and the bound are exact, so the result is a true optimum.
Arithmetic is on integers (costs and welfare scaled by a common denominator).

When several sets reach the same maximum, any of them is correct (pabutools'
own result depends on its solver); projects with zero welfare are never added.
"""

from __future__ import annotations

from bisect import bisect_right
from fractions import Fraction
from math import lcm
from typing import Any

from ..model import Instance, Number, Profile
from ..outcome import Outcome
from ..registry import register
from .common import check_params, norm, prepare
from .texts import TIE_NONE_KNAPSACK, maxwelfare_texts


def solve_knapsack(weights: list[Number], profits: list[Number], capacity: Number) -> tuple[list[int], Number]:
    """Return ``(chosen indices, best profit)`` of an exact 0/1 knapsack.

    Items with non-positive profit are ignored; weights must be positive.
    """
    idx = [i for i in range(len(weights)) if profits[i] > 0 and weights[i] <= capacity]
    if not idx:
        return [], 0
    wden = lcm(*(Fraction(weights[i]).denominator for i in idx), Fraction(capacity).denominator)
    pden = lcm(*(Fraction(profits[i]).denominator for i in idx))
    W = [int(Fraction(weights[i]) * wden) for i in idx]
    P = [int(Fraction(profits[i]) * pden) for i in idx]
    C = int(Fraction(capacity) * wden)
    order = sorted(range(len(idx)), key=lambda k: (Fraction(P[k], W[k]), -W[k]), reverse=True)
    w = [W[k] for k in order]
    p = [P[k] for k in order]
    n = len(w)
    pw = [0] * (n + 1)
    pp = [0] * (n + 1)
    for i in range(n):
        pw[i + 1] = pw[i] + w[i]
        pp[i + 1] = pp[i] + p[i]

    def beats(i: int, cap: int, profit: int, best: int) -> bool:
        """Can items i.. added to ``profit`` with ``cap`` money left exceed ``best``?"""
        k = bisect_right(pw, pw[i] + cap, lo=i) - 1
        base = profit + pp[k] - pp[i]
        if base > best:
            return True
        if k >= n:
            return False
        rest = cap - (pw[k] - pw[i])
        # base + rest * p[k] / w[k] > best
        return (base - best) * w[k] + rest * p[k] > 0

    # initial lower bound: greedy by ratio, skipping what does not fit
    best = 0
    best_mask = 0
    cap = C
    for i in range(n):
        if w[i] <= cap:
            cap -= w[i]
            best += p[i]
            best_mask |= 1 << i

    states: list[tuple[int, int, int]] = [(0, 0, 0)]  # (weight, profit, mask), profit increasing with weight
    for i in range(n):
        wi, pi_, bit = w[i], p[i], 1 << i
        added = [(sw + wi, sp + pi_, sm | bit) for sw, sp, sm in states if sw + wi <= C]
        merged: list[tuple[int, int, int]] = []
        a = b = 0
        last = -1
        while a < len(states) or b < len(added):
            if b >= len(added) or (a < len(states) and (states[a][0], -states[a][1]) <= (added[b][0], -added[b][1])):
                s = states[a]
                a += 1
            else:
                s = added[b]
                b += 1
            if s[1] > last:
                merged.append(s)
                last = s[1]
        if merged and merged[-1][1] > best:
            best, best_mask = merged[-1][1], merged[-1][2]
        nxt = i + 1
        states = [s for s in merged if beats(nxt, C - s[0], s[1], best)]
        if not states:
            break
    chosen = sorted(idx[order[i]] for i in range(n) if best_mask >> i & 1)
    return chosen, norm(Fraction(best, pden))


def _maxwelfare(name: str, measure: str, instance: Instance, profile: Profile, tie_breaking: Any,
                params: dict) -> Outcome:
    params.pop("progress", None)
    check_params(params)
    prep = prepare(instance, profile, measure, tie_breaking)
    chosen, welfare = solve_knapsack(prep.costs, prep.score, prep.budget)
    chosen_set = set(chosen)
    projects = []
    for j, pid in enumerate(prep.ids):
        entry: dict[str, Any] = {"project": pid, "cost": prep.costs[j], "votes": prep.supporters[j],
                                 "score": prep.score[j], "selected": j in chosen_set}
        if j in chosen_set:
            entry["reason"] = "in_optimal_set"
        elif prep.score[j] <= 0:
            entry["reason"] = "no_support"
        elif prep.costs[j] > prep.budget:
            entry["reason"] = "too_expensive"
        else:
            entry["reason"] = "not_in_optimal_set"
        projects.append(entry)
    cost = sum((prep.costs[j] for j in chosen), 0)
    return Outcome(
        rule=name,
        selected=tuple(prep.ids[j] for j in chosen),
        cost=cost,
        budget=prep.budget,
        tie_breaking=prep.tie_breaking,
        explanation={"kind": "maxwelfare", "measure": measure, "projects": projects, "rounds": [],
                     "summary": {"welfare": welfare, "budget": prep.budget, "spent": cost,
                                 "left": prep.budget - cost}},
    )


def _make(name: str, measure: str, kinds: tuple[str, ...], sat: str) -> None:
    title, description = maxwelfare_texts(measure)

    @register(name, kind="budgeting", ballot_kinds=kinds, title=title, description=description,
              tie_breaking=TIE_NONE_KNAPSACK,
              pabutools_call=f"max_additive_utilitarian_welfare(instance, profile, sat_class={sat})")
    def rule(instance: Instance, profile: Profile, *, tie_breaking: Any = None, **params: Any) -> Outcome:
        return _maxwelfare(name, measure, instance, profile, tie_breaking, params)

    rule.__name__ = name
    rule.__doc__ = f"{title['en']}: {description['en']}"
    globals()[name] = rule


_make("maxwelfare_cost", "cost", ("approval",), "Cost_Sat")
_make("maxwelfare_card", "card", ("approval",), "Cardinality_Sat")
_make("maxwelfare_cardinal", "cardinal", ("cumulative",), "Additive_Cardinal_Sat")
_make("maxwelfare_borda", "borda", ("ordinal",), "Additive_Borda_Sat")
