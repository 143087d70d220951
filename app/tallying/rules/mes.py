"""Method of Equal Shares rules (plain and with Add1 completion).

Matches pabutools' ``method_of_equal_shares`` exactly (see ``mes_float``
and ``mes_engine`` for how), including:

* every voter starts with ``budget / n`` (``n`` counts empty ballots too);
* projects nobody supports are ignored;
* among projects with the same price per unit of satisfaction (rho), the one
  first in the tie-breaking order wins;
* Add1 (``voter_budget_increment=1``): per-voter budgets ``budget/n``,
  ``budget/n + 1``, ... (exact fractions); stop at the first outcome that is
  exhaustive (no supported, unselected project still fits in the real
  budget); if an outcome costs more than the budget, return the previous one.
"""

from __future__ import annotations

from fractions import Fraction
from math import inf
from time import perf_counter
from typing import Any

from ..errors import TallyingError
from ..model import Instance, Number, Profile
from ..outcome import Outcome
from ..registry import register
from .common import Prepared, check_params, norm, prepare
from .greedy import greedy_walk
from .mes_affine import Round, run_affine
from .mes_engine import MESEngine
from .mes_float import ExactState, FloatMES
from .texts import TIE_LEXICO, mes_texts


def add1_search(
    fast: FloatMES,
    progress: Any = None,
) -> tuple[list[int], Number, int, str, int]:
    """Find the Add1 outcome: MES with per-voter budget ``b0``, ``b0 + 1``, ``b0 + 2``, ...

    Four ways to go through the increments, all exact, mixed by what they cost
    on this election:

    * a run over budget lines (:func:`run_affine`, approval ballots) that proves
      one outcome for a range of increments and finds how far it holds; the
      range it tries doubles while runs cover all of it;
    * an interval run (:meth:`FloatMES.run_interval`, other ballots) that proves
      one outcome for a whole given range (the range doubles while it works and
      shrinks when it does not);
    * a fast floating-point run per increment (:meth:`FloatMES.run`), where the
      outcome changes at almost every increment and range runs cost more than
      they skip (they are then tried again after 1, 2, 4, ... float runs);
    * a parametric exact run (:class:`MESEngine`) that also proves up to which
      increment the outcome cannot change. It pays off on elections with few
      distinct ballots (at most 100, or one in eight voters), and only there is
      it tried; where it does not pay, it is tried again only after float runs
      have cost eight times as much. On approval ballots one run over budget
      lines is tried after the first parametric run, and the cheaper kind goes on
      (parametric runs again only where they cost less a run *and* an increment:
      on Assen a run over lines costs 0.3 ms, a parametric one 1.5 ms).

    Every run but the parametric one starts after the static rounds
    (:meth:`FloatMES.static_prefix`, on every kind of ballot), worked out once for
    the whole search.

    Returns ``(order, per_voter_budget, increments, stop_reason, runs)`` where
    ``order`` is the funded projects of the run whose outcome is returned.
    """
    prep = fast.prep
    budget = prep.budget
    b0 = norm(Fraction(budget) / prep.n)
    costs = prep.costs
    candidates = fast.candidates
    engine: MESEngine | None = None  # (made for the first parametric run)
    k = 0
    runs = 0
    prev: list[int] | None = None
    groups = len(prep.group_mults)
    try_parametric = groups <= 100 or 8 * groups <= prep.n
    parametric = False  # a float run first, to know what one costs; then maybe a parametric one
    owed = 0.0  # float time to spend before trying a parametric run again
    per_float: float | None = None  # seconds per floating-point run, smoothed
    # decayed sums of seconds, increments and runs, of runs over budget lines and parametric runs
    range_time = range_steps = range_runs = 0.0
    par_time = par_steps = par_runs = 0.0
    width = 1  # increments beyond k that the next range run tries to cover
    # point runs to make before trying a range run: two float ones (to know what one costs,
    # the first paying for setting things up), or a float and a parametric one where those
    # are tried
    cool = 2
    cooling = 1
    # approval ballots (one utility per project): runs over budget lines (mes_affine)
    affine = all(fast.uniform_f[j] is not None for j in candidates)
    known_rounds: list[Round] = []  # what the last such run proved of its rounds
    known_at = 0  # the increment that run started at
    while True:
        order: list[int] | None = None
        limit: int | None = 0
        how = "float"
        if cool <= 0 and not parametric and affine:
            started = perf_counter()
            # the rounds the last such run proved beyond its end are only paid, not decided
            known = [(w, until - (k - known_at), heap) for w, until, heap in known_rounds]
            got = run_affine(fast, b0 + k, width, known)
            took = perf_counter() - started
            runs += 1
            if got is None:
                cool, cooling = cooling, cooling * 2
                known_rounds = []
            else:
                order, limit, known_rounds = got
                known_at = k
                how = "affine"
                # double while a run covers all it was asked; else reach as far as its first
                # rounds are proven (the next run only pays those), or 8 increments
                if limit == width:
                    width *= 2
                else:
                    # (rounds that hold for every budget from here on do not count)
                    first = next((until for _w, until, _h in known_rounds if until != inf), None)
                    ahead = first - limit - 1 if first is not None else -1
                    width = ahead if ahead >= 1 else 8
                # seconds per increment over the recent such runs (a ratio of decayed sums:
                # one run for a single increment before a change does not decide it)
                range_time = 0.9 * range_time + took
                range_steps = 0.9 * range_steps + limit + 1
                range_runs = 0.9 * range_runs + 1
                if per_float is not None and range_time > per_float * range_steps:
                    cool, cooling = cooling, cooling * 2  # float runs are cheaper here, for now
                else:
                    cooling = 1
                # back to parametric runs where they cost less a run *and* an increment (a cheap
                # run over lines may cover few increments now, but its width doubles)
                parametric = (par_runs > 0 and par_time * range_runs < range_time * par_runs
                              and par_time * range_steps < range_time * par_steps)
        elif cool <= 0 and not parametric:  # (no intervals while parametric runs pay their way)
            order = fast.run_interval(b0 + k, b0 + k + width)
            runs += 1
            if order is not None:
                limit, how = width, "interval"  # one outcome for every increment k .. k + width
                width *= 2
                cooling = 1
            elif width > 1:
                width = max(1, width // 4)
                continue
            else:
                cool, cooling = cooling, cooling * 2
        if order is None:
            cool -= 1
            started = perf_counter()
            if parametric:
                if engine is None:
                    engine = MESEngine(prep, candidates)
                run = engine.run(b0 + k, param=True)
                order, limit, how = run.order, run.limit, "parametric"
            else:
                order, _state = fast.run(b0 + k, static=True)
            took = perf_counter() - started
            runs += 1
            if parametric:
                # keep going parametric while it beats one float run per increment and, on
                # approval ballots, runs over budget lines (a run or an increment for less; one
                # such run is tried first: where runs are cheap they can cost a fifth as much);
                # otherwise try again once float runs have cost eight of these
                par_time = 0.9 * par_time + took
                par_steps = 0.9 * par_steps + (limit if limit is not None else 0) + 1
                par_runs = 0.9 * par_runs + 1
                cheaper = per_float is not None and par_time <= per_float * par_steps
                if affine and cheaper:
                    cheaper = range_runs > 0 and (par_time * range_runs <= range_time * par_runs
                                                  or par_time * range_steps <= range_time * par_steps)
                parametric = limit is None or cheaper
                owed = 8 * took
            else:
                # (down at once, up slowly: a first run also pays for setting things up)
                per_float = took if per_float is None or took < per_float else 0.8 * per_float + 0.2 * took
                owed -= took
                parametric = try_parametric and owed <= 0
        chosen = set(order)
        spent = sum((costs[j] for j in chosen), 0)
        if progress is not None:
            progress({"stage": "add1", "run": runs, "increment": k, "voter_budget": b0 + k,
                      "selected": len(chosen), "spent": spent, "skip": limit, "how": how})
        if spent > budget:
            if prev is None:  # cannot happen: MES with budget/n never overspends
                return order, b0 + k, k, "exhaustive", runs
            # the previous outcome holds on the whole interval up to k - 1
            return prev, b0 + (k - 1), k - 1, "overspent_previous_returned", runs
        # "exhaustive" looks only at supported projects (pabutools' available_projects)
        if all(j in chosen or spent + costs[j] > budget for j in candidates):
            return order, b0 + k, k, "exhaustive", runs
        if limit is None:
            raise TallyingError("Equal Shares with Add1 never becomes exhaustive on this election")
        prev = order
        k += limit + 1


def _explain(
    name: str,
    prep: Prepared,
    fast: FloatMES,
    per_voter: Number,
    summary: dict[str, Any],
    extra: list[int] | None = None,
    greedy_steps: list[dict[str, Any]] | None = None,
    funded: list[int] | None = None,
) -> Outcome:
    if funded is None:
        _order, state = fast.run(per_voter, exact=True)
    else:  # the order is proven already (Add1): only the exact payments are worked out
        state = ExactState(prep, fast, per_voter)
        for w in funded:
            state.fund(w)
    run = state.result()
    order = list(run.order)
    by_round = {r["project"]: r for r in run.rounds}
    greedy_by_id = {s["project"]: s for s in (greedy_steps or [])}
    extra = extra or []
    projects = []
    for j, pid in enumerate(prep.ids):
        entry: dict[str, Any] = {
            "project": pid,
            "cost": prep.costs[j],
            "votes": prep.supporters[j],
            "score": prep.score[j],
        }
        if pid in by_round:
            r = by_round[pid]
            entry.update(selected=True, reason="funded", round=r["round"], rho=r["rho"],
                         payments=r["payments"], supporters_money_before=r["supporters_money_before"])
        elif j in extra:
            entry.update(selected=True, reason="funded_by_completion", rank=greedy_by_id[pid]["rank"],
                         remaining_budget=greedy_by_id[pid]["remaining_budget"])
        elif prep.score[j] <= 0:
            entry.update(selected=False, reason="no_support")
        else:
            entry.update(selected=False, reason="not_affordable_by_supporters",
                         supporters_money_left=run.money_left.get(j, 0))
            if pid in greedy_by_id:
                entry.update(completion_rank=greedy_by_id[pid]["rank"],
                             remaining_budget=greedy_by_id[pid]["remaining_budget"])
        projects.append(entry)
    selected = [prep.ids[j] for j in order] + [prep.ids[j] for j in extra]
    cost = sum((prep.costs[j] for j in order + extra), 0)
    summary = dict(summary)
    summary.update(budget=prep.budget, spent=cost, left=prep.budget - cost, voters=prep.n)
    return Outcome(
        rule=name,
        selected=tuple(selected),
        cost=cost,
        budget=prep.budget,
        tie_breaking=prep.tie_breaking,
        explanation={"kind": "mes", "measure": prep.measure, "projects": projects,
                     "rounds": run.rounds, "summary": summary},
    )


def _mes(name: str, measure: str, add1: bool, greedy: bool, instance: Instance, profile: Profile,
         tie_breaking: Any, params: dict) -> Outcome:
    progress = params.pop("progress", None)
    payments = params.pop("payments", "together")
    check_params(params)
    if payments not in ("together", "each"):
        raise TallyingError(f"payments must be 'together' or 'each', not {payments!r}")
    prep = prepare(instance, profile, measure, tie_breaking, groups=True)
    # MES ignores projects nobody supports (pabutools does the same)
    fast = FloatMES(prep, [j for j in range(len(prep.ids)) if prep.score[j] > 0])
    fast.each_payment = payments == "each"
    b0 = norm(Fraction(prep.budget) / prep.n)
    if not add1:
        return _explain(name, prep, fast, b0, {"voter_budget": b0})
    order, per_voter, k, stop, _runs = add1_search(fast, progress)
    summary = {
        "voter_budget_start": b0,
        "voter_budget": per_voter,
        "increments": k,
        "stop": stop,
    }
    if not greedy:
        return _explain(name, prep, fast, per_voter, summary, funded=order)
    chosen = list(order)
    spent = sum((prep.costs[j] for j in chosen), 0)
    # pabutools checks exhaustiveness against *all* projects before completing
    extra: list[int] = []
    steps: list[dict[str, Any]] = []
    if any(j not in chosen and spent + prep.costs[j] <= prep.budget for j in range(len(prep.ids))):
        # greedy_cost from the MES outcome (README: utilitarian completion with Cost_Sat)
        completion_prep = prep if measure == "cost" else None
        score = None if completion_prep is not None else [prep.supporters[j] * prep.costs[j] for j in range(len(prep.ids))]
        extra, steps = greedy_walk(prep, chosen, prep.budget - spent, score=score)
    summary["completion"] = "greedy_cost"
    return _explain(name, prep, fast, per_voter, summary, extra=extra, greedy_steps=steps, funded=order)


def _make(name: str, measure: str, add1: bool, kinds: tuple[str, ...], sat: str, greedy: bool = False) -> None:
    title, description = mes_texts(measure, add1, greedy)
    if greedy:
        call = ('completion_by_rule_combination(instance, profile, [method_of_equal_shares, '
                'greedy_utilitarian_welfare], [{"sat_class": Cost_Sat, "voter_budget_increment": 1}, '
                '{"sat_class": Cost_Sat}])')
    else:
        call = f"method_of_equal_shares(instance, profile, sat_class={sat}" + (
            ", voter_budget_increment=1)" if add1 else ")")

    @register(name, kind="budgeting", ballot_kinds=kinds, title=title, description=description,
              tie_breaking=TIE_LEXICO, pabutools_call=call)
    def rule(instance: Instance, profile: Profile, *, tie_breaking: Any = None, **params: Any) -> Outcome:
        return _mes(name, measure, add1, greedy, instance, profile, tie_breaking, params)

    rule.__name__ = name
    rule.__doc__ = f"{title['en']}: {description['en']}"
    globals()[name] = rule


_make("mes_cost", "cost", False, ("approval",), "Cost_Sat")
_make("mes_card", "card", False, ("approval",), "Cardinality_Sat")
_make("mes_cost_add1", "cost", True, ("approval",), "Cost_Sat")
_make("mes_card_add1", "card", True, ("approval",), "Cardinality_Sat")
_make("mes_cost_add1_greedy", "cost", True, ("approval",), "Cost_Sat", greedy=True)
_make("mes_cardinal", "cardinal", False, ("cumulative",), "Additive_Cardinal_Sat")
_make("mes_cardinal_add1", "cardinal", True, ("cumulative",), "Additive_Cardinal_Sat")
_make("mes_borda", "borda", False, ("ordinal",), "Additive_Borda_Sat")
_make("mes_borda_add1", "borda", True, ("ordinal",), "Additive_Borda_Sat")
