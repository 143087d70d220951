"""pabulib I/O, bad input, the CLI, and the no-Flask import promise."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from app.tallying import (
    ApprovalProfile,
    CumulativeProfile,
    EmptyProfile,
    IncompatibleBallots,
    Instance,
    InvalidBallot,
    InvalidInstance,
    InvalidProject,
    OrdinalProfile,
    PabulibFormatError,
    Project,
    TallyingError,
    UnknownProject,
    UnknownRule,
    get_rule,
    number_from_json,
    parse_pabulib_text,
    read_pabulib,
    run,
    write_pabulib,
)
from tests.tallying.tally_helpers import REPO

MESSY = (
    "\ufeffMETA\r\n"
    "key;value\r\n"
    "description;\"A \"\"quoted\"\"; description\"\r\n"
    "budget;250000.0\r\n"
    "vote_type;approval\r\n"
    "\r\n"
    "PROJECTS\r\n"
    "project_id;cost;name;category;extra\r\n"
    "1;100000.0;\"Park; with a \"\"bench\"\"\";green,culture;x\r\n"
    "2;150000;Road\r\n"
    "10;50000,5;Tenth;;\r\n"
    "VOTES\r\n"
    "voter_id;vote;age\r\n"
    "v1;1,2;30\r\n"
    "v2;\"2, 10\"\r\n"
    "\r\n"
    "v3;;\r\n"
    "v4;1,2,1\r\n"
)


def test_reads_messy_file(tmp_path: Path):
    path = tmp_path / "messy.pb"
    path.write_bytes(MESSY.encode("utf-8"))
    inst, prof = read_pabulib(path)
    assert inst.budget == 250000 and isinstance(inst.budget, int)
    assert inst["10"].cost == Fraction(100001, 2)
    assert inst["1"].name == 'Park; with a "bench"' and inst["1"].categories == {"green", "culture"}
    assert inst["1"].meta["extra"] == "x"
    assert len(prof) == 4 and prof.distinct() == 3  # empty ballot counts as a voter
    assert dict(prof.items())[("1", "2")] == 2


@pytest.mark.parametrize(
    "text,line,fragment",
    [
        ("META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;-5\n", 7, "positive"),
        ("META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;0\n", 7, "positive"),
        ("META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;abc\n", 7, "not a number"),
        ("META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\n1;6\n", 8, "twice"),
        ("META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n"
         "a;1\nb;1,7\n", 11, "unknown project '7'"),
        ("META\nkey;value\nbudget;100\nvote_type;cumulative\nmax_sum_points;10\nPROJECTS\nproject_id;cost\n1;5\n"
         "VOTES\nvoter_id;vote;points\na;1;11\n", 11, "more than the limit"),
        ("META\nkey;value\nbudget;100\nvote_type;cumulative\nPROJECTS\nproject_id;cost\n1;5\n2;5\n"
         "VOTES\nvoter_id;vote;points\na;1,2;3\n", 11, "point values"),
        ("META\nkey;value\nbudget;100\nvote_type;weird\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n",
         4, "unsupported vote_type"),
        ("hello;world\n", 1, "before the META"),
    ],
)
def test_broken_files_name_the_line(text: str, line: int, fragment: str):
    with pytest.raises(PabulibFormatError) as err:
        parse_pabulib_text(text, "bad.pb")
    assert err.value.line == line
    assert fragment in str(err.value) and f"bad.pb:{line}" in str(err.value)


def test_file_level_errors(tmp_path: Path):
    with pytest.raises(PabulibFormatError, match="no budget"):
        parse_pabulib_text("META\nkey;value\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n")
    with pytest.raises(PabulibFormatError, match="budget must be positive"):
        parse_pabulib_text("META\nkey;value\nbudget;0\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n")
    with pytest.raises(PabulibFormatError, match="cannot read"):
        read_pabulib(tmp_path / "missing.pb")
    binary = tmp_path / "binary.pb"
    binary.write_bytes(b"META\n\xff\xfe\x00")
    with pytest.raises(PabulibFormatError, match="UTF-8"):
        read_pabulib(binary)


def _roundtrip_profiles():
    inst = Instance([Project("1", 10, name="One; two"), Project("b2", Fraction(21, 2)), Project("M/3", 7)],
                    budget=Fraction(100, 3))
    yield inst, ApprovalProfile.from_ballots([{"1", "b2"}, {"M/3"}, set(), {"1", "b2"}])
    yield inst, CumulativeProfile.from_ballots([{"1": 3, "b2": Fraction(1, 2)}, {}, {"M/3": 0, "1": 1}])
    yield inst, OrdinalProfile.from_ballots([["M/3", "1"], ["b2"], ["1", "b2", "M/3"], ["M/3", "1"]])


@pytest.mark.parametrize("case", range(3))
def test_roundtrip_keeps_every_ballot(tmp_path: Path, case: int):
    inst, prof = list(_roundtrip_profiles())[case]
    path = tmp_path / "out.pb"
    write_pabulib(path, inst, prof)
    inst2, prof2 = read_pabulib(path)
    assert inst2.budget == inst.budget
    assert [(p.id, p.cost, p.name) for p in inst2] == [(p.id, p.cost, p.name) for p in inst]
    assert prof2 == prof and len(prof2) == len(prof)


@pytest.mark.parametrize("case", range(3))
def test_pabutools_reads_what_we_write(tmp_path: Path, case: int):
    pabulib = pytest.importorskip("pabutools.election.pabulib")
    inst, prof = list(_roundtrip_profiles())[case]
    path = tmp_path / "out.pb"
    write_pabulib(path, inst, prof)
    p_inst, p_prof = pabulib.parse_pabulib(str(path))
    assert p_inst.budget_limit == inst.budget
    assert {p.name: Fraction(str(p.cost)) for p in p_inst} == {p.id: Fraction(p.cost) for p in inst}
    assert p_prof.num_ballots() == len(prof)
    if prof.kind == "approval":
        got = sorted(tuple(sorted(p.name for p in b)) for b in p_prof)
        want = sorted(b for b in prof)
    elif prof.kind == "ordinal":
        got = sorted(tuple(p.name for p in b) for b in p_prof)
        want = sorted(b for b in prof)
    else:
        got = sorted(tuple(sorted((p.name, Fraction(str(v))) for p, v in b.items())) for b in p_prof)
        want = sorted(tuple(sorted(b)) for b in prof)
    assert got == want


# --------------------------------------------------------------------------
# Bad input through the API
# --------------------------------------------------------------------------
def test_bad_input_errors_are_clear():
    inst = Instance([Project("a", 10)], budget=10)
    with pytest.raises(UnknownRule, match="unknown rule 'nope'"):
        get_rule("nope")
    with pytest.raises(UnknownProject, match="'zz'"):
        run("greedy_cost", inst, ApprovalProfile.from_ballots([{"a", "zz"}]))
    with pytest.raises(InvalidProject, match="must be positive"):
        Project("x", -1)
    with pytest.raises(InvalidProject, match="must be positive"):
        Project("x", 0)
    with pytest.raises(InvalidInstance, match="budget must be positive"):
        Instance([Project("a", 1)], budget=0)
    with pytest.raises(EmptyProfile):
        run("mes_cost", inst, ApprovalProfile())
    with pytest.raises(InvalidBallot, match="more than the limit"):
        CumulativeProfile.from_ballots([{"a": 11}], max_points=10)
    with pytest.raises(IncompatibleBallots):
        run("phragmen", inst, CumulativeProfile.from_ballots([{"a": 1}]))
    with pytest.raises(InvalidInstance, match="needs a budget"):
        run("greedy_cost", Instance.candidates(["a"]), ApprovalProfile.from_ballots([{"a"}]))
    with pytest.raises(TallyingError, match="unknown parameter"):
        run("greedy_cost", inst, ApprovalProfile.from_ballots([{"a"}]), colour="red")
    with pytest.raises(InvalidBallot, match="one choice"):
        run("plurality", Instance.candidates(["a", "b"]), ApprovalProfile.from_ballots([{"a", "b"}]))


# --------------------------------------------------------------------------
# CLI and import isolation
# --------------------------------------------------------------------------
def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.tallying", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=120)


def test_cli_plain_and_json(tmp_path: Path):
    inst = Instance([Project("a", 60), Project("b", 50), Project("c", 40), Project("d", 30)], budget=100)
    prof = ApprovalProfile.from_counts([(("a",), 4), (("b", "c"), 3), (("c", "d"), 2), (("d",), 1)])
    path = tmp_path / "a.pb"
    write_pabulib(path, inst, prof)
    res = _cli(str(path), "--rule", "greedy_cost")
    assert res.returncode == 0, res.stderr
    assert res.stdout.split("\n")[:2] == ["c a", "cost: 100"]
    res = _cli(str(path), "--rule", "mes_cost_add1", "--json", "--no-progress")
    data = json.loads(res.stdout)
    assert data["rule"] == "mes_cost_add1" and sorted(data["selected"]) == ["a", "c"] and data["cost"] == 100
    assert data["explanation"]["summary"]["increments"] == 5
    res = _cli(str(path), "--rule", "mes_cost_add1", "--progress")
    assert res.returncode == 0 and "Add1 run" in res.stderr
    res = _cli("--list-rules")
    assert "mes_cost_add1_greedy" in res.stdout and "schulze" in res.stdout


def test_cli_payments_together_or_each(tmp_path: Path):
    # 10 each; a (50): 7 supporters pay 50/7; c (35): the three who also backed a have 20/7 left
    # each and pay it all, the three others pay (35 - 60/7) / 3 = 185/21 each
    inst = Instance([Project("a", 50), Project("c", 35)], budget=100)
    prof = ApprovalProfile.from_counts([(("a",), 4), (("a", "c"), 3), (("c",), 3)])
    path = tmp_path / "capped.pb"
    write_pabulib(path, inst, prof)
    pay = {}
    for extra in ([], ["--payments-each"]):
        data = json.loads(_cli(str(path), "--rule", "mes_cost", "--json", *extra).stdout)
        entry = next(p for p in data["explanation"]["projects"] if p["project"] == "c")
        pay[bool(extra)] = [{k: (number_from_json(v) if k.startswith("paid") else v) for k, v in g.items()}
                            for g in entry["payments"]]
    assert pay[False] == [{"group_size": 3, "paid_each": Fraction(185, 21)},
                          {"group_size": 3, "all_they_had": True, "paid_total": Fraction(60, 7)}]
    assert pay[True] == [{"group_size": 3, "paid_each": Fraction(185, 21)},
                         {"group_size": 3, "paid_each": Fraction(20, 7)}]


def test_cli_errors_are_one_line(tmp_path: Path):
    bad = tmp_path / "bad.pb"
    bad.write_text("META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;-5\n")
    for args in ([str(bad), "--rule", "greedy_cost"], [str(tmp_path / "none.pb"), "--rule", "greedy_cost"],
                 [str(bad), "--rule", "nope"]):
        res = _cli(*args)
        assert res.returncode == 2
        assert "Traceback" not in res.stderr and res.stderr.startswith("error: ")
        assert len(res.stderr.strip().splitlines()) == 1
    assert "bad.pb:7" in _cli(str(bad), "--rule", "greedy_cost").stderr


def test_import_does_not_load_flask_or_sqlalchemy():
    code = (
        "import sys, app.tallying, app.tallying.rules, app.tallying.__main__\n"
        "app.tallying.list_rules()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'flask_sqlalchemy'))\n"
        "print(bad)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]"
    code = "import sys, app.tallying; print(sorted(m for m in sys.modules if m.startswith('pabutools')))"
    res = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert res.stdout.strip() == "[]"  # pabutools is a test dependency only


def test_entry_point_plugins_are_loaded(monkeypatch: pytest.MonkeyPatch):
    from app.tallying import registry

    def fake_rule(instance, profile, **kwargs):
        return run("greedy_cost", instance, profile)

    class FakeEP:
        name = "plugin_rule"
        value = "plugin:rule"

        def load(self):
            return registry.RuleInfo(name="plugin_rule", func=fake_rule, kind="budgeting",
                                     ballot_kinds=frozenset({"approval"}), title={"lt": "x", "en": "x"},
                                     description={"lt": "x", "en": "x"}, tie_breaking={"lt": "x", "en": "x"})

    import importlib.metadata

    monkeypatch.setattr(importlib.metadata, "entry_points",
                        lambda group=None: [FakeEP()] if group == registry.ENTRY_POINT_GROUP else [])
    monkeypatch.setattr(registry, "_entry_points_loaded", False)
    monkeypatch.delitem(registry._RULES, "plugin_rule", raising=False)
    info = get_rule("plugin_rule")
    inst = Instance([Project("a", 1)], budget=1)
    assert info(inst, ApprovalProfile.from_ballots([{"a"}])).selected == ("a",)
    registry._RULES.pop("plugin_rule", None)
