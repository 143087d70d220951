"""Every rule on small elections whose outcomes were worked out by hand.

The arithmetic behind each expected outcome is written next to it, so a
reader can check it without running anything.
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from app.tallying import (
    ApprovalProfile,
    CumulativeProfile,
    Instance,
    OrdinalProfile,
    Project,
    TallyingError,
    TieBreaking,
    get_rule,
    list_rules,
    run,
)


def sel(outcome) -> set[str]:
    return set(outcome.selected)


# --------------------------------------------------------------------------
# Election A (approval): budget 100; a=60, b=50, c=40, d=30
# 4x{a}, 3x{b,c}, 2x{c,d}, 1x{d}; n = 10. Votes: a 4, b 3, c 5, d 3.
# --------------------------------------------------------------------------
@pytest.fixture
def election_a():
    inst = Instance([Project("a", 60), Project("b", 50), Project("c", 40), Project("d", 30)], budget=100)
    prof = ApprovalProfile.from_counts([(("a",), 4), (("b", "c"), 3), (("c", "d"), 2), (("d",), 1)])
    return inst, prof


def test_greedy_cost_a(election_a):
    # order by votes: c 5, a 4, b 3 = d 3 ("b" < "d"): c (left 60), a (left 0), b, d skipped
    out = run("greedy_cost", *election_a)
    assert out.selected == ("c", "a") and out.cost == 100
    b = out.project("b")
    assert b["reason"] == "skipped_no_fit" and b["remaining_budget"] == 0 and b["rank"] == 3


def test_greedy_card_a(election_a):
    # votes per euro: c 5/40, d 3/30, a 4/60, b 3/50 -> c (60 left), d (30 left), a, b skipped
    out = run("greedy_card", *election_a)
    assert out.selected == ("c", "d") and out.cost == 70
    assert out.project("a")["remaining_budget"] == 30


@pytest.mark.parametrize("rule", ["mes_cost", "mes_card", "mes_cost_add1"])
def test_mes_empty_ballots_count_as_voters(rule):
    # budget 10, a = 6, b = 6; 2x{a}, 1x{b} and one empty ballot: n = 4, so each voter has
    # 10/4 = 5/2 and a's two supporters have 5 < 6: nothing is funded (without the empty
    # ballot each would have 10/3 and a would be). Add1: one unit more, 7/2 each, and a's
    # supporters have 7: a is funded (left 4 < 6: exhaustive).
    inst = Instance([Project("a", 6), Project("b", 6)], budget=10)
    prof = ApprovalProfile.from_counts([(("a",), 2), (("b",), 1), ((), 1)])
    out = run(rule, inst, prof)
    assert out.explanation["summary"]["voters"] == 4
    if rule.endswith("add1"):
        assert out.selected == ("a",) and out.explanation["summary"]["voter_budget"] == Fraction(7, 2)
    else:
        assert out.selected == ()
        assert out.project("a")["supporters_money_left"] == 5
    without = ApprovalProfile.from_counts([(("a",), 2), (("b",), 1)])
    assert run("mes_cost", inst, without).selected == ("a",)


@pytest.mark.parametrize("rule", ["mes_cost", "mes_card"])
def test_mes_a(election_a, rule):
    # each voter has 10. c: 5 supporters pay 8 each (rho 1/5 with cost utility).
    # then d's supporters have 2+2+10 = 14 < 30, b's 6 < 50, a's 40 < 60: stop.
    out = run(rule, *election_a)
    assert out.selected == ("c",)
    c = out.project("c")
    assert c["reason"] == "funded" and c["payments"] == [{"group_size": 5, "paid_each": 8}]
    assert c["rho"] == (Fraction(1, 5) if rule == "mes_cost" else 8)
    d = out.project("d")
    assert d["reason"] == "not_affordable_by_supporters" and d["supporters_money_left"] == 14
    assert out.explanation["summary"]["voter_budget"] == 10


@pytest.mark.parametrize("rule", ["mes_cost_add1", "mes_card_add1", "mes_cost_add1_greedy"])
def test_add1_a(election_a, rule):
    # per-voter budget 10..14: only c (a needs 4 voters x 15). At 15: c, then a (4 x 15 = 60)
    # spends 100 = budget: exhaustive -> stop with 5 increments.
    out = run(rule, *election_a)
    assert sel(out) == {"a", "c"} and out.cost == 100
    summary = out.explanation["summary"]
    assert summary["voter_budget"] == 15 and summary["increments"] == 5 and summary["stop"] == "exhaustive"


def test_phragmen_a(election_a):
    # loads: c 40/5 = 8 first; then a 60/4 = 15 < d (16+30)/3 = 46/3 < b (24+50)/3;
    # a fits (100); next d does not fit: stop.
    out = run("phragmen", *election_a)
    assert out.selected == ("c", "a")
    assert out.project("d")["reason"] == "stopped"
    assert out.explanation["rounds"][1]["load"] == 15


@pytest.mark.parametrize("rule,welfare", [("maxwelfare_cost", 440), ("maxwelfare_card", 9)])
def test_maxwelfare_a(election_a, rule, welfare):
    # {a, c} costs 100: 4*60 + 5*40 = 440 (cost utility), 4 + 5 = 9 approvals; no set does better
    out = run(rule, *election_a)
    assert sel(out) == {"a", "c"}
    assert out.explanation["summary"]["welfare"] == welfare


# --------------------------------------------------------------------------
# Election B (proportionality): budget 100; x1, x2, x3, y1 cost 30 each.
# 6x{x1,x2,x3}, 4x{y1}. Each voter has 10.
# --------------------------------------------------------------------------
@pytest.fixture
def election_b():
    inst = Instance([Project(p, 30) for p in ("x1", "x2", "x3", "y1")], budget=100)
    prof = ApprovalProfile.from_ballots([{"x1", "x2", "x3"}] * 6 + [{"y1"}] * 4)
    return inst, prof


def test_greedy_b_ignores_minority(election_b):
    assert run("greedy_cost", *election_b).selected == ("x1", "x2", "x3")


@pytest.mark.parametrize("rule", ["mes_cost", "mes_cost_add1", "mes_card_add1"])
def test_mes_b_is_proportional(election_b, rule):
    # majority pays 5 each for x1 then x2 (money gone); minority pays 7.5 each for y1.
    # 90 spent, x3 (30) does not fit in the 10 left: exhaustive at once.
    out = run(rule, *election_b)
    assert out.selected == ("x1", "x2", "y1")
    assert out.project("x3")["supporters_money_left"] == 0


def test_mes_fractional_costs():
    # a = 12.5, c = 7.5, b = 10; budget 30, 2x{a,c}, 1x{b}: 10 each.
    # mes_cost: a and c both at rho 1/2 ("a" first): 6.25 each, then 3.75 each; b at rho 1.
    # mes_card: c first (3.75 each), then a (6.25 each, all they have left), then b (10).
    inst = Instance([Project("a", Fraction(25, 2)), Project("b", 10), Project("c", Fraction(15, 2))], budget=30)
    prof = ApprovalProfile.from_counts([(("a", "c"), 2), (("b",), 1)])
    cost = run("mes_cost", inst, prof)
    assert cost.selected == ("a", "c", "b")
    assert cost.project("a")["payments"] == [{"group_size": 2, "paid_each": Fraction(25, 4)}]
    assert cost.project("c")["rho"] == Fraction(1, 2)
    card = run("mes_card", inst, prof)
    assert card.selected == ("c", "a", "b")
    assert card.project("a")["rho"] == Fraction(25, 4)


def test_phragmen_b(election_b):
    # x1 load 5; then y1 7.5 < x2 10; then x2 (ties x3, "x2" first) at 10; x3 at 15 does not fit
    out = run("phragmen", *election_b)
    assert out.selected == ("x1", "y1", "x2")


def test_tie_breaking_order_b(election_b):
    out = run("mes_cost", *election_b, tie_breaking=["x3", "x2", "x1"])
    assert out.selected == ("x3", "x2", "y1")
    out = run("mes_cost", *election_b, tie_breaking="reverse")
    assert out.selected == ("x3", "x2", "y1")


# --------------------------------------------------------------------------
# Election C (cumulative, at most 4 points): budget 10; p=6, q=5, r=4.
# 2x{p:3, q:1}, 1x{q:4}, 1x{r:4}; n = 4. Points: p 6, q 6, r 4.
# --------------------------------------------------------------------------
@pytest.fixture
def election_c():
    inst = Instance([Project("p", 6), Project("q", 5), Project("r", 4)], budget=10)
    prof = CumulativeProfile.from_ballots([{"p": 3, "q": 1}] * 2 + [{"q": 4}, {"r": 4}], max_points=4)
    return inst, prof


def test_greedy_points_c(election_c):
    # p 6 = q 6 ("p" first): p (4 left), q skipped, r fits
    assert run("greedy_points", *election_c).selected == ("p", "r")


def test_greedy_cardinal_c(election_c):
    # points per cost: q 6/5, then p = r = 1 ("p" first): q (5 left), p skipped, r fits
    assert run("greedy_cardinal", *election_c).selected == ("q", "r")


def test_maxwelfare_cardinal_c(election_c):
    out = run("maxwelfare_cardinal", *election_c)
    assert out.explanation["summary"]["welfare"] == 10  # {p, r} or {q, r}
    assert out.cost <= 10


def test_mes_cardinal_c(election_c):
    # budget 5/2 each. p: 2 voters x 3 points need 3 each -> only 5 < 6. q: the 4-point voter is
    # capped at 5/2, the two others pay rho = 5/4 each: rho = 5/4. r: 5/2 < 4. Then nothing.
    out = run("mes_cardinal", *election_c)
    assert out.selected == ("q",)
    assert out.project("q")["rho"] == Fraction(5, 4)
    # the capped voter is shown with the others who paid all they had (here none), together
    assert out.project("q")["payments"] == [{"group_size": 2, "paid_each": Fraction(5, 4)},
                                            {"group_size": 1, "all_they_had": True, "paid_total": Fraction(5, 2)}]
    # and, when asked, every amount on its own line (largest first)
    each = run("mes_cardinal", *election_c, payments="each")
    assert each.project("q")["payments"] == [{"group_size": 1, "paid_each": Fraction(5, 2)},
                                             {"group_size": 2, "paid_each": Fraction(5, 4)}]
    assert each.selected == out.selected


def test_mes_payments_option_is_checked(election_c):
    with pytest.raises(TallyingError, match="payments"):
        run("mes_cardinal", *election_c, payments="all")


def test_mes_cardinal_add1_returns_previous_when_overspending(election_c):
    # +1 (7/2 each): q at rho 5/6, then p unaffordable: {q}, r still fits -> go on.
    # +2 (9/2 each): q, then p and r tie at rho 1 ("p" first), then r: costs 15 > 10,
    # so the previous outcome {q} is returned.
    out = run("mes_cardinal_add1", *election_c)
    assert out.selected == ("q",)
    summary = out.explanation["summary"]
    assert summary["stop"] == "overspent_previous_returned"
    assert summary["voter_budget"] == Fraction(7, 2) and summary["increments"] == 1


# --------------------------------------------------------------------------
# Election D (ordinal, Borda L-1-i): budget 10; a, b, c cost 5.
# 3x[a, b, c], 2x[c, b], 1x[b]; scores a 6, b 3, c 2.
# --------------------------------------------------------------------------
@pytest.fixture
def election_d():
    inst = Instance([Project("a", 5), Project("b", 5), Project("c", 5)], budget=10)
    prof = OrdinalProfile.from_ballots([["a", "b", "c"]] * 3 + [["c", "b"]] * 2 + [["b"]])
    return inst, prof


def test_greedy_borda_d(election_d):
    assert run("greedy_borda", *election_d).selected == ("a", "b")


def test_maxwelfare_borda_d(election_d):
    out = run("maxwelfare_borda", *election_d)
    assert sel(out) == {"a", "b"} and out.explanation["summary"]["welfare"] == 9


def test_mes_borda_d(election_d):
    # 5/3 each: a's 3 voters (2 points each) pay 5/3 (rho 5/6); then b's supporters are broke
    assert run("mes_borda", *election_d).selected == ("a",)


def test_mes_borda_add1_d(election_d):
    # +1 (8/3 each): a (rho 5/6, its voters keep 1), b: 3 < 5, c: 2 voters pay 5/2: {a, c}, exhaustive
    out = run("mes_borda_add1", *election_d)
    assert out.selected == ("a", "c")
    assert out.explanation["summary"]["increments"] == 1


# --------------------------------------------------------------------------
# Single-winner rules: 4x[x, y, z], 3x[y, z, x], 2x[z, y, x]
# --------------------------------------------------------------------------
@pytest.fixture
def consultation():
    inst = Instance.candidates(["x", "y", "z"])
    prof = OrdinalProfile.from_counts([(("x", "y", "z"), 4), (("y", "z", "x"), 3), (("z", "y", "x"), 2)])
    return inst, prof


def test_plurality(consultation):
    out = run("plurality", *consultation)
    assert out.selected == ("x",) and out.ranking == ("x", "y", "z")


def test_borda(consultation):
    # x 4*2 = 8; y 4 + 6 + 2 = 12; z 3 + 4 = 7
    out = run("borda", *consultation)
    assert out.ranking == ("y", "x", "z")
    assert [c["score"] for c in out.explanation["candidates"]] == [12, 8, 7]


def test_irv(consultation):
    # round 1: x 4, y 3, z 2 -> z out, its 2 ballots go to y: y 5 of 9 wins
    out = run("irv", *consultation)
    assert out.selected == ("y",) and out.ranking == ("y", "x", "z")
    r1, r2 = out.explanation["rounds"][:2]
    assert r1["eliminated"] == "z" and r1["majority"] == 5
    assert r2["winner"] == "y" and r2["tallies"][0] == {"candidate": "y", "votes": 5}


def test_irv_elimination_tie_removes_last_in_order():
    inst = Instance.candidates(["a", "b", "c"])
    prof = OrdinalProfile.from_ballots([["a"], ["b"], ["c", "a"]])
    out = run("irv", inst, prof)
    assert out.explanation["rounds"][0]["eliminated"] == "c"
    assert out.explanation["rounds"][0]["tied"] == ["a", "b", "c"]
    assert out.selected == ("a",)


def test_schulze(consultation):
    # d[y][x] = 5 > 4, d[z][x] = 5 > 4, d[y][z] = 7 > 2: y beats both, z beats x
    out = run("schulze", *consultation)
    assert out.ranking == ("y", "z", "x")
    assert out.explanation["pairwise"]["y"]["z"] == 7
    assert out.explanation["strongest_paths"]["z"]["x"] == 5


def test_approval_single_winner_tie():
    inst = Instance.candidates(["x", "y", "z"])
    prof = ApprovalProfile.from_ballots([{"x", "y"}] * 2 + [{"y"}] + [{"z"}] * 3)
    out = run("approval", inst, prof)
    assert out.selected == ("y",)  # y 3 = z 3, "y" first
    assert run("approval", inst, prof, tie_breaking=["z"]).selected == ("z",)


def test_single_choice_plurality():
    from app.tallying import single_choice_profile

    inst = Instance.candidates(["1", "2"])
    prof = single_choice_profile(["1", "2", "2", None])
    out = run("plurality", inst, prof)
    assert out.selected == ("2",) and out.explanation["summary"]["blank"] == 1


# --------------------------------------------------------------------------
# Registry, outcome serialisation, texts
# --------------------------------------------------------------------------
BUDGETING = {
    "greedy_cost", "greedy_card", "mes_cost", "mes_card", "mes_cost_add1", "mes_card_add1",
    "mes_cost_add1_greedy", "phragmen", "maxwelfare_cost", "maxwelfare_card", "greedy_points",
    "greedy_cardinal", "mes_cardinal", "mes_cardinal_add1", "maxwelfare_cardinal", "greedy_borda",
    "mes_borda", "mes_borda_add1", "maxwelfare_borda",
}


def test_registry_has_every_rule_with_texts():
    names = {info.name for info in list_rules()}
    assert BUDGETING | {"plurality", "approval", "borda", "irv", "schulze"} <= names
    for info in list_rules():
        for field in (info.title, info.description, info.tie_breaking):
            assert field["lt"].strip() and field["en"].strip(), info.name
    assert get_rule("mes_cost").kind == "budgeting"
    assert get_rule("irv").kind == "single_winner"


def test_outcome_to_dict_is_json_and_exact(election_c):
    out = run("mes_cardinal", *election_c)
    data = json.loads(json.dumps(out.to_dict()))
    assert data["rule"] == "mes_cardinal" and data["selected"] == ["q"] and data["cost"] == 5
    rho = data["explanation"]["projects"][1]["rho"]
    assert rho == {"exact": "5/4", "approx": 1.25}
    from app.tallying import number_from_json

    assert number_from_json(rho) == Fraction(5, 4)
    assert data["tie_breaking"] == {"kind": "lexicographic"}


def test_tie_breaking_is_string_order():
    inst = Instance([Project("9", 10), Project("10", 10)], budget=10)
    prof = ApprovalProfile.from_ballots([{"9", "10"}, {"9", "10"}])
    for rule in ("greedy_cost", "mes_cost", "phragmen"):
        assert run(rule, inst, prof).selected == ("10",), rule
    assert TieBreaking.coerce(None).ranks(["9", "10"]) == {"10": 0, "9": 1}
