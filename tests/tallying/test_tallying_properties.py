"""Properties of every registered budgeting rule on random small elections (hypothesis).

* the budget is never exceeded;
* the result is deterministic;
* a project nobody supports is never chosen ahead of a supported one that fits;
* counting every ballot twice changes no proportional outcome;
* Equal Shares: nobody pays more than their share;
* Add1 gives exactly the one-unit-at-a-time result of the exact engine;
* the rounds taken as the same for every budget from some budget on are the
  first rounds of the exact engine at that budget and above, nobody capped in them;
* a run over budget lines funds, for every budget it claims, what the exact engine funds,
  also in a chain of runs that each take what the one before proved;
* the floating-point Equal Shares with proven decisions funds exactly what the
  exact engine funds, and its exact replay explains it identically;
* and, when pabutools is installed, the same outcomes as pabutools.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.tallying import ApprovalProfile, CumulativeProfile, Instance, OrdinalProfile, Project, list_rules, run
from app.tallying.rules.common import prepare
from app.tallying.rules.mes import add1_search
from app.tallying.rules.mes_affine import run_affine
from app.tallying.rules.mes_engine import MESEngine
from app.tallying.rules.mes_float import ExactState, FloatMES

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

IDS = ["1", "2", "10", "a", "b", "c"]


@st.composite
def elections(draw, kind: str):
    m = draw(st.integers(2, 6))
    ids = IDS[:m]
    costs = draw(st.lists(st.integers(1, 12), min_size=m, max_size=m))
    budget = draw(st.integers(1, sum(costs)))
    instance = Instance([Project(i, c) for i, c in zip(ids, costs)], budget=budget)
    n = draw(st.integers(1, 9))
    if kind == "approval":
        ballots = draw(st.lists(st.sets(st.sampled_from(ids)), min_size=n, max_size=n))
        profile = ApprovalProfile.from_ballots(ballots)
    elif kind == "cumulative":
        ballots = draw(st.lists(st.dictionaries(st.sampled_from(ids), st.integers(0, 4)), min_size=n, max_size=n))
        profile = CumulativeProfile.from_ballots(ballots)
    else:
        ballots = draw(st.lists(st.lists(st.sampled_from(ids), unique=True), min_size=n, max_size=n))
        profile = OrdinalProfile.from_ballots(ballots)
    return instance, profile


def budgeting_rules(kind: str) -> list[str]:
    return [r.name for r in list_rules("budgeting") if kind in r.ballot_kinds]


KINDS = ["approval", "cumulative", "ordinal"]
MEASURE = {"cost": "approval", "card": "approval", "cardinal": "cumulative", "borda": "ordinal"}


def _supported(outcome, instance) -> set[str]:
    return {e["project"] for e in outcome.explanation["projects"] if (e.get("score") or e.get("votes", 0)) > 0
            and e.get("score", 1) > 0}


@pytest.mark.parametrize("kind", KINDS)
@SETTINGS
@given(data=st.data())
def test_budget_determinism_and_unsupported(kind: str, data):
    instance, profile = data.draw(elections(kind))
    for rule in budgeting_rules(kind):
        out = run(rule, instance, profile)
        again = run(rule, instance, profile)
        assert out.selected == again.selected and out.to_dict() == again.to_dict(), rule
        assert out.cost == instance.cost_of(out.selected) <= instance.budget, rule
        supported = _supported(out, instance)
        spent_before = 0
        for pid in out.selected:
            if pid not in supported:
                # every supported project left out must not have fitted at that point
                for other in instance.ids:
                    if other in supported and other not in out.selected:
                        assert instance[other].cost > instance.budget - spent_before, (rule, pid, other)
            spent_before += instance[pid].cost


@pytest.mark.parametrize("kind", KINDS)
@SETTINGS
@given(data=st.data())
def test_counting_every_ballot_twice_changes_nothing(kind: str, data):
    instance, profile = data.draw(elections(kind))
    doubled = type(profile).from_counts({b: 2 * c for b, c in profile.items()})
    for rule in budgeting_rules(kind):
        if "add1" in rule:
            continue  # Add1 adds one currency unit per voter: not scale-free by definition
        a, b = run(rule, instance, profile), run(rule, instance, doubled)
        if rule.startswith("maxwelfare"):
            assert 2 * a.explanation["summary"]["welfare"] == b.explanation["summary"]["welfare"], rule
        else:
            assert a.selected == b.selected, rule


def _utilities(kind: str, measure: str, ballot, instance) -> dict[str, Fraction]:
    if kind == "approval":
        return {p: Fraction(instance[p].cost if measure == "cost" else 1) for p in ballot}
    if kind == "cumulative":
        return {p: Fraction(v) for p, v in ballot if v > 0}
    L = len(ballot)
    return {p: Fraction(L - 1 - i) for i, p in enumerate(ballot) if L - 1 - i > 0}


@pytest.mark.parametrize("rule,kind,measure", [
    ("mes_cost", "approval", "cost"), ("mes_card", "approval", "card"), ("mes_cost_add1", "approval", "cost"),
    ("mes_cardinal", "cumulative", "cardinal"), ("mes_borda_add1", "ordinal", "borda"),
])
@SETTINGS
@given(data=st.data())
def test_equal_shares_nobody_pays_more_than_their_share(rule, kind, measure, data):
    instance, profile = data.draw(elections(kind))
    out = run(rule, instance, profile)
    b = Fraction(out.explanation["summary"]["voter_budget"])
    voters = [(_utilities(kind, measure, ballot, instance), count) for ballot, count in profile.items()]
    money = [b] * len(voters)
    for rnd in out.explanation["rounds"]:
        pid, rho = rnd["project"], Fraction(rnd["rho"])
        paid_total = Fraction(0)
        for i, (utils, count) in enumerate(voters):
            u = utils.get(pid, 0)
            if not u:
                continue
            pay = min(money[i], rho * u)  # never more than rho x utility, never more than what is left
            money[i] -= pay
            paid_total += count * pay
        assert paid_total == instance[pid].cost
        assert sum(Fraction(g["paid_total"]) if g.get("all_they_had") else g["group_size"] * Fraction(g["paid_each"])
                   for g in rnd["payments"]) == instance[pid].cost
    assert all(m >= 0 for m in money)  # total paid by each voter <= their share b


@pytest.mark.parametrize("measure", ["cost", "card", "cardinal", "borda"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_add1_skipping_equals_one_unit_at_a_time(measure: str, data):
    kind = MEASURE[measure]
    instance, profile = data.draw(elections(kind))
    prep = prepare(instance, profile, measure)
    engine = MESEngine(prep)
    fast = FloatMES(prep, engine.candidates)
    order, per_voter, k, stop, _ = add1_search(fast)
    # the definition: b0, b0 + 1, b0 + 2, ... one run each
    b0 = Fraction(prep.budget) / prep.n
    prev = None
    for step in range(10_000):
        chosen = engine.run(b0 + step).order
        spent = sum(prep.costs[j] for j in chosen)
        if spent > prep.budget:
            expected, expected_k = prev, step - 1
            break
        if all(j in chosen or spent + prep.costs[j] > prep.budget for j in engine.candidates):
            expected, expected_k = chosen, step
            break
        prev = chosen
    assert order == expected and k == expected_k


def _both_engines(data, measure: str):
    """A random election's exact engine, float engine, and a per-voter budget a few units above the start."""
    instance, profile = data.draw(elections(MEASURE[measure]))
    prep = prepare(instance, profile, measure)
    engine = MESEngine(prep)
    return engine, FloatMES(prep, engine.candidates), Fraction(prep.budget) / prep.n + data.draw(st.integers(0, 5))


@pytest.mark.parametrize("measure", ["cost", "card", "cardinal", "borda"])
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_float_equal_shares_decides_exactly(measure: str, data):
    """Small elections are full of exact ties: every one must be decided as the exact engine does."""
    engine, fast, b = _both_engines(data, measure)
    expected = engine.run(b, record=True)
    order, _ = fast.run(b, static=data.draw(st.booleans()))  # (starting after the static rounds, or not)
    assert order == expected.order
    fast.each_payment = True  # (every amount paid on its own, as the exact engine lists them)
    order2, state = fast.run(b, exact=True)
    explained = state.result()
    assert order2 == expected.order
    assert explained.rounds == expected.rounds
    assert explained.money_left == expected.money_left
    # by default the voters who paid all they had are shown together: the same money in all
    fast.each_payment = False
    _order3, state = fast.run(b, exact=True)
    for together, each in zip(state.result().rounds, expected.rounds):
        assert {k: v for k, v in together.items() if k != "payments"} == {k: v for k, v in each.items() if k != "payments"}
        assert (sum(g["paid_total"] if g.get("all_they_had") else g["group_size"] * g["paid_each"] for g in together["payments"])
                == sum(g["group_size"] * g["paid_each"] for g in each["payments"]))
        assert sum(g["group_size"] for g in together["payments"]) == sum(g["group_size"] for g in each["payments"])


@pytest.mark.parametrize("measure", ["cost", "card", "cardinal", "borda"])
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_interval_equal_shares_holds_for_every_budget_in_it(measure: str, data):
    """When a run over a range of per-voter budgets answers, every budget in the range funds that."""
    engine, fast, start = _both_engines(data, measure)
    width = data.draw(st.integers(1, 12))
    order = fast.run_interval(start, start + width)
    if order is not None:
        for t in range(width + 1):
            assert engine.run(start + t).order == order


@pytest.mark.parametrize("measure", ["cost", "card", "cardinal", "borda"])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_static_rounds_open_every_run_from_their_budget_on(measure: str, data):
    """``FloatMES.static_prefix(b)``: the exact engine funds those projects first at ``b``
    and at every larger budget, each supporter paying an equal share in full."""
    engine, fast, b = _both_engines(data, measure)
    order, paid = fast.static_prefix(b)
    for t in (0, 1, data.draw(st.integers(2, 40))):
        assert engine.run(b + t).order[:len(order)] == order
    state = ExactState(fast.prep, fast, b)
    for w in order:
        state.fund(w)
    assert state.float_budgets() == pytest.approx([float(b) - x for x in paid], rel=1e-12, abs=1e-12)
    # asked again with less, it gives a prefix of that (worked out again, not remembered)
    shorter, paid2 = fast.static_prefix(b - 1) if b >= 1 else (order, paid)
    assert shorter == order[:len(shorter)] and len(paid2) == len(paid)


def test_static_rounds_on_point_ballots_pay_each_supporter_by_their_points():
    """Point ballots: a static round's supporters pay price x their own points, and a round
    whose threshold a budget meets exactly (a float tie, worked out exactly) holds there and
    not a hair below. B costs 3 for 3 points (1 a point), A 6 for 3 points (2 a point):
    v1 pays 1 for B, then 4 for A, so A's round holds from a per-voter budget of 5."""
    instance = Instance([Project("A", 6), Project("B", 3)], budget=15)
    profile = CumulativeProfile.from_counts({(("A", 2), ("B", 1)): 1, (("A", 1),): 1, (("B", 2),): 1},
                                            max_points=3)
    prep = prepare(instance, profile, "cardinal")
    engine = MESEngine(prep)
    fast = FloatMES(prep, engine.candidates)
    A, B = prep.ids.index("A"), prep.ids.index("B")
    order, paid = fast.static_prefix(Fraction(5))
    assert order == [B, A] == engine.run(Fraction(5)).order
    assert sorted(paid) == [2.0, 2.0, 5.0]  # v3 paid 2 for B, v2 2 for A, v1 1 + 4
    fast2 = FloatMES(prep, engine.candidates)  # (a fresh one: nothing remembered)
    assert fast2.static_prefix(Fraction(5) - Fraction(1, 10**12))[0] == [B]
    assert fast2.run_interval(Fraction(5), Fraction(7)) == engine.run(Fraction(6)).order == [B, A]
    # too close for floats the other way: v1's share of B is 1e-17, so A's round needs a budget
    # of 4 + 1e-17 (4.0 in floats), and does not hold at 4
    many = 10**17
    instance = Instance([Project("A", 6), Project("B", 1)], budget=12)
    profile = CumulativeProfile.from_counts({(("A", 2), ("B", 1)): 1, (("A", 1),): 1, (("B", many - 1),): 1},
                                            max_points=many)
    prep = prepare(instance, profile, "cardinal")
    engine = MESEngine(prep)
    fast = FloatMES(prep, engine.candidates)
    A, B = prep.ids.index("A"), prep.ids.index("B")
    assert fast.static_prefix(Fraction(4))[0] == [B]
    assert fast.run(Fraction(4), static=True)[0] == engine.run(Fraction(4)).order == [B, A]
    assert fast.static_prefix(4 + Fraction(1, many))[0] == [B, A]


@pytest.mark.parametrize("measure", ["cost", "card"])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_runs_over_budget_lines_hold_for_every_budget_they_claim(measure: str, data):
    """A run over budget lines claims one outcome for ``b .. b + w``: every budget there funds it."""
    engine, fast, start = _both_engines(data, measure)
    width = data.draw(st.integers(0, 12))
    got = run_affine(fast, start, width)
    if got is not None:
        order, proved, rounds = got
        assert 0 <= proved <= width and [r[0] for r in rounds] == order
        assert all(until >= proved for _w, until, _heap in rounds)
        for t in range(proved + 1):
            assert engine.run(start + t).order == order
        # a later run that takes the rounds proven on its range as known funds the same
        shift = data.draw(st.integers(0, proved + 1))
        known = [(w, until - shift, heap) for w, until, heap in rounds]
        got2 = run_affine(fast, start + shift, data.draw(st.integers(0, 12)), known)
        if got2 is not None:
            for t in range(got2[1] + 1):
                assert engine.run(start + shift + t).order == got2[0]


@pytest.mark.parametrize("measure", ["cost", "card"])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_chains_of_runs_over_budget_lines_hold(measure: str, data):
    """Runs over budget lines one after the other, as the Add1 search makes them (each taking
    what the one before proved as known, and the lower bounds kept on the float engine): every
    budget each one claims funds what the exact engine funds."""
    # (larger elections than elsewhere: a chain needs several rounds that hold for any budget
    # and others that do not)
    m = data.draw(st.integers(4, 12))
    ids = [f"p{i}" for i in range(m)]
    costs = data.draw(st.lists(st.integers(1, 60), min_size=m, max_size=m))
    instance = Instance([Project(i, c) for i, c in zip(ids, costs)], budget=data.draw(st.integers(1, sum(costs))))
    ballots = data.draw(st.lists(st.sets(st.sampled_from(ids), max_size=6), min_size=4, max_size=40))
    prep = prepare(instance, ApprovalProfile.from_ballots(ballots), measure)
    engine = MESEngine(prep)
    fast = FloatMES(prep, engine.candidates)
    start = Fraction(prep.budget) / prep.n
    k, known, known_at = 0, [], 0
    for _ in range(8):
        shifted = [(w, until - (k - known_at), heap) for w, until, heap in known]
        got = run_affine(fast, start + k, data.draw(st.integers(0, 16)), shifted)
        if got is None:
            known = []
            k += 1
            continue
        order, proved, rounds = got
        for t in range(proved + 1):
            assert engine.run(start + k + t).order == order, (k, t)
        known, known_at = rounds, k
        k += proved + 1


def test_a_chain_does_not_take_lower_bounds_beyond_the_range_they_held_for():
    """Found by the property above: a run of width 0 took a round an earlier run had proven
    further as known, and its lower bounds for the next round (valid for that one budget)
    were then taken over by a run one budget further on, which funded the wrong project."""
    ids = [f"p{i}" for i in range(11)]
    costs = [1, 39, 1, 1, 1, 9, 1, 19, 32, 35, 60]
    instance = Instance([Project(i, c) for i, c in zip(ids, costs)], budget=199)
    ballots = [set(), set(), set(), {"p0", "p9", "p1"}, {"p9", "p8", "p2"}, {"p1"}, {"p8"}, {"p0", "p5"},
               {"p2", "p0", "p9", "p8", "p5"}]
    prep = prepare(instance, ApprovalProfile.from_ballots(ballots), "cost")
    engine = MESEngine(prep)
    fast = FloatMES(prep, engine.candidates)
    start = Fraction(prep.budget) / prep.n
    k, known, known_at = 0, [], 0
    for width in (0, 4, 0, 0, 0):
        got = run_affine(fast, start + k, width, [(w, until - (k - known_at), s) for w, until, s in known])
        assert got is not None
        order, proved, known = got
        assert all(engine.run(start + k + t).order == order for t in range(proved + 1)), k
        known_at = k
        k += proved + 1


# --------------------------------------------------------------------------
# Same outcomes as pabutools (when installed)
# --------------------------------------------------------------------------
def _pabutools_outcome(rule: str, instance: Instance, profile):
    pb = pytest.importorskip("pabutools")
    from pabutools.election import (
        AdditiveSatisfaction, Additive_Borda_Sat, Additive_Cardinal_Sat, Cardinality_Sat, Cost_Sat,
        ApprovalBallot, ApprovalProfile as PApproval, CumulativeBallot, CumulativeProfile as PCumulative,
        OrdinalBallot, OrdinalProfile as POrdinal, Instance as PInstance, Project as PProject,
    )
    from pabutools.rules import (
        completion_by_rule_combination, greedy_utilitarian_welfare, max_additive_utilitarian_welfare,
        method_of_equal_shares, sequential_phragmen,
    )
    del pb
    projects = {p.id: PProject(p.id, p.cost) for p in instance}
    inst = PInstance(projects.values(), budget_limit=instance.budget)
    if profile.kind == "approval":
        prof = PApproval([ApprovalBallot(projects[i] for i in b) for b in profile])
    elif profile.kind == "cumulative":
        prof = PCumulative([CumulativeBallot({projects[i]: v for i, v in b}) for b in profile])
    else:
        prof = POrdinal([OrdinalBallot(projects[i] for i in b) for b in profile])

    def points_times_cost(instance, profile, ballot, project, precomputed_values):
        return ballot.get(project, 0) * project.cost

    class PointsTimesCost(AdditiveSatisfaction):
        def __init__(self, instance, profile, ballot):
            AdditiveSatisfaction.__init__(self, instance, profile, ballot, points_times_cost)

    sat = {"cost": Cost_Sat, "card": Cardinality_Sat, "cardinal": Additive_Cardinal_Sat, "borda": Additive_Borda_Sat,
           "points": PointsTimesCost}
    name = rule.split("_")
    measure = name[1] if len(name) > 1 else ""
    if rule == "mes_cost_add1_greedy":
        out = completion_by_rule_combination(inst, prof, [method_of_equal_shares, greedy_utilitarian_welfare],
                                             [{"sat_class": Cost_Sat, "voter_budget_increment": 1},
                                              {"sat_class": Cost_Sat}])
    elif name[0] == "greedy":
        out = greedy_utilitarian_welfare(inst, prof, sat_class=sat[measure])
    elif name[0] == "mes":
        kwargs = {"voter_budget_increment": 1} if rule.endswith("add1") else {}
        out = method_of_equal_shares(inst, prof, sat_class=sat[measure], **kwargs)
    elif rule == "phragmen":
        out = sequential_phragmen(inst, prof)
    else:
        out = max_additive_utilitarian_welfare(inst, prof, sat_class=sat[measure])
        sp = prof.as_sat_profile(sat[measure])
        return {p.name for p in out}, sp.total_satisfaction(out)
    return {p.name for p in out}, None


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_same_as_pabutools(kind: str, data):
    pytest.importorskip("pabutools")
    instance, profile = data.draw(elections(kind))
    for rule in budgeting_rules(kind):
        expected, welfare = _pabutools_outcome(rule, instance, profile)
        out = run(rule, instance, profile)
        if welfare is not None:
            assert out.explanation["summary"]["welfare"] == welfare, rule
        else:
            assert set(out.selected) == expected, rule
