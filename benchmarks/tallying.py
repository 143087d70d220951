"""Benchmark Talka's tallying rules against pabutools on the shared pabulib instances.

Usage (from the repository root)::

    python benchmarks/tallying.py                      # default: all instances and rules, see below
    python benchmarks/tallying.py --instances Netherlands_Assen_2024.pb --rules mes_cost_add1
    python benchmarks/tallying.py --measure-all        # run pabutools for every case (25-40 min on a 2-core machine)
    python benchmarks/tallying.py --parse              # parse a synthetic file with 100,000 ballots
    python benchmarks/tallying.py --all                # include Add1 where pabutools never finished (minutes)

For every (instance, rule) the table shows Talka's time, pabutools' time, the
ratio and whether the two selected sets agree (for the knapsack rules: the same
welfare). pabutools' time is *measured* in this run when reference.json says it
took at most ``--pabutools-limit`` seconds (default 30); for slower cases the
time recorded in reference.json is shown, labelled ``recorded``, and Talka's
result is compared with the recorded set. Both sides time the rule call only
(file parsing excluded; pabutools' satisfaction profile included, as in the
README's reference timings), each after a ``gc.collect()`` so that neither pays
for collecting the garbage the other left. A call that takes less than half a
second is repeated, on either side alike, up to 7 calls or 1 s in all, and the
*median* is shown: one short call is at the mercy of whatever else the machine
does (about +-8% here for a 0.15 s call), the median of several is not, and it
is not the best of several either.

pabutools is only needed here and in the tests, never by the app.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.tallying import get_rule, read_pabulib  # noqa: E402

DEFAULT_DIR = REPO.parent / "shared" / "pabulib"


def _timed(call):
    """``(seconds, result)``: the median time of ``call()``, repeated (each after a
    ``gc.collect()``) while calls are short: up to 7 calls and 1 s in all."""
    times = []
    while True:
        gc.collect()  # neither side pays for collecting the other's garbage
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
        if times[0] >= 0.5 or len(times) >= 7 or sum(times) >= 1.0:
            break
    times.sort()
    mid = len(times) // 2
    return (times[mid] if len(times) % 2 else (times[mid - 1] + times[mid]) / 2), result


def _pabutools_call(rule: str, path: Path):
    """Run the pabutools call of reference.json for ``rule``; return (seconds, selected ids, welfare)."""
    from pabutools.election import (  # noqa: F401  (names used by eval)
        AdditiveSatisfaction,
        Additive_Borda_Sat,
        Additive_Cardinal_Sat,
        Cardinality_Sat,
        Cost_Sat,
        parse_pabulib,
    )
    from pabutools.rules import (  # noqa: F401
        completion_by_rule_combination,
        greedy_utilitarian_welfare,
        max_additive_utilitarian_welfare,
        method_of_equal_shares,
        sequential_phragmen,
    )

    def points_times_cost(instance, profile, ballot, project, precomputed_values):
        return ballot.get(project, 0) * project.cost

    class Points_Times_Cost_Sat(AdditiveSatisfaction):
        def __init__(self, instance, profile, ballot):
            AdditiveSatisfaction.__init__(self, instance, profile, ballot, points_times_cost)

    instance, profile = parse_pabulib(str(path))
    call = get_rule(rule).pabutools_call
    scope = dict(locals())
    scope.update(globals())
    # the exact call written in reference.json / the rule registry
    seconds, outcome = _timed(lambda: eval(call, scope))
    welfare = None
    if rule.startswith("maxwelfare"):
        sat = {"cost": Cost_Sat, "card": Cardinality_Sat, "cardinal": Additive_Cardinal_Sat,
               "borda": Additive_Borda_Sat}[rule.split("_")[1]]
        welfare = Fraction(str(profile.as_sat_profile(sat).total_satisfaction(outcome)))
    return seconds, sorted(p.name for p in outcome), welfare


def _fmt(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:.3f}" if x < 100 else f"{x:.1f}"


def benchmark(args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    ref = json.loads((folder / "reference.json").read_text(encoding="utf-8"))
    files = args.instances or sorted(ref)
    try:
        import pabutools  # noqa: F401

        have_pabutools = True
    except ImportError:
        have_pabutools = False
        print("pabutools is not installed: showing recorded pabutools times only", file=sys.stderr)
    header = f"{'instance':58s} {'rule':22s} {'talka s':>9s} {'pabutools s':>12s} {'source':>9s} {'ratio':>9s} agree"
    print(header)
    print("-" * len(header))
    worst: dict[str, float] = {}
    for file_name in files:
        path = folder / "instances" / file_name
        if not path.is_file():
            path = folder / file_name
        instance, profile = read_pabulib(path)
        for rule, entry in sorted(ref.get(file_name, {}).items()):
            if args.rules and rule not in args.rules:
                continue
            recorded = entry.get("pabutools_seconds")
            if not args.all and "add1" in rule and recorded is None:
                print(f"{file_name[:58]:58s} {rule:22s} {'skipped':>9s} {_fmt(recorded):>12s} "
                      f"{('recorded' if recorded else entry.get('status', '-')):>9s} {'-':>9s} "
                      "(pabutools never finished: no reference; --all runs Talka)", flush=True)
                continue
            talka, outcome = _timed(lambda: get_rule(rule)(instance, profile))
            measure = have_pabutools and entry.get("selected") is not None and (
                args.measure_all or (recorded is not None and recorded <= args.pabutools_limit))
            if measure:
                pabu_s, pabu_sel, pabu_welfare = _pabutools_call(rule, path)
                source = "measured"
            else:
                pabu_s, pabu_sel = recorded, entry.get("selected")
                pabu_welfare = entry.get("welfare")
                source = "recorded" if recorded is not None else entry.get("status", "-")
            if pabu_sel is None:
                agree = "n/a (pabutools did not finish)"
            elif rule.startswith("maxwelfare"):
                agree = "yes" if outcome.explanation["summary"]["welfare"] == pabu_welfare else "NO"
            else:
                agree = "yes" if sorted(outcome.selected) == sorted(pabu_sel) else "NO"
            ratio = (pabu_s / talka) if pabu_s else None
            if ratio is not None and pabu_s and pabu_s > 1:
                kind = "add1" if "add1" in rule else "other"
                worst[kind] = min(worst.get(kind, float("inf")), ratio)
            print(f"{file_name[:58]:58s} {rule:22s} {_fmt(talka):>9s} {_fmt(pabu_s):>12s} {source:>9s} "
                  f"{(f'{ratio:.1f}x' if ratio else '-'):>9s} {agree}", flush=True)
    if worst:
        print()
        for kind, ratio in sorted(worst.items()):
            print(f"smallest speed-up where pabutools needs > 1 s ({kind} rules): {ratio:.1f}x")
    return 0


# ---------------------------------------------------------------------------
# Parsing a large file
# ---------------------------------------------------------------------------
_CHILD = r"""
import resource, sys, time, tracemalloc
sys.path.insert(0, sys.argv[2])
from app.tallying import read_pabulib
tracemalloc.start()
t = time.perf_counter()
inst, prof = read_pabulib(sys.argv[1])
elapsed = time.perf_counter() - t
peak = tracemalloc.get_traced_memory()[1]
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(elapsed, peak, rss, len(prof), prof.distinct())
"""


def write_synthetic(path: Path, voters: int, projects: int = 150, seed: int = 7) -> None:
    import random

    rng = random.Random(seed)
    weights = [1.0 / (i + 1) ** 0.7 for i in range(projects)]
    ids = [str(200 + i) for i in range(projects)]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("META\nkey;value\ndescription;synthetic benchmark\nnum_projects;%d\nnum_votes;%d\n"
                "budget;10000000\nvote_type;approval\nmax_length;10\n" % (projects, voters))
        f.write("PROJECTS\nproject_id;cost;name\n")
        for pid in ids:
            f.write(f"{pid};{rng.randrange(10, 500) * 1000};Project {pid}\n")
        f.write("VOTES\nvoter_id;vote;age\n")
        for v in range(voters):
            k = rng.randint(1, 10)
            chosen = set(rng.choices(ids, weights=weights, k=k))
            f.write(f"{v};{','.join(sorted(chosen))};{rng.randint(16, 90)}\n")


def parse_benchmark(voters: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic.pb"
        write_synthetic(path, voters)
        size = path.stat().st_size
        # without tracemalloc (its bookkeeping slows allocation down) for the time...
        res = subprocess.run([sys.executable, "-c", _CHILD.replace("tracemalloc.start()", ""), str(path), str(REPO)],
                             capture_output=True, text=True, check=True)
        elapsed, _, rss, n, distinct = res.stdout.split()
        # ...and with it for the Python-level peak
        res2 = subprocess.run([sys.executable, "-c", _CHILD, str(path), str(REPO)],
                              capture_output=True, text=True, check=True)
        _, peak, _, _, _ = res2.stdout.split()
    print(f"synthetic approval file: {voters:,} ballots ({int(distinct):,} distinct), {size / 1e6:.1f} MB")
    print(f"parse time: {float(elapsed):.2f} s (target < 2 s)")
    print(f"peak traced Python memory: {int(peak) / 1e6:.1f} MB; process max RSS: {int(rss) / 1024:.1f} MB "
          f"(target < 300 MB)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", default=os.environ.get("TALKA_PABULIB_DIR", str(DEFAULT_DIR)),
                        help="folder with reference.json and instances/ (default ../shared/pabulib)")
    parser.add_argument("--instances", nargs="*", help="file names to run (default: all in reference.json)")
    parser.add_argument("--rules", nargs="*", help="rules to run (default: all in reference.json)")
    parser.add_argument("--pabutools-limit", type=float, default=30.0,
                        help="run pabutools only where reference.json recorded at most this many seconds")
    parser.add_argument("--measure-all", action="store_true", help="run pabutools for every case")
    parser.add_argument("--all", action="store_true",
                        help="also run Talka's Add1 where pabutools took > 150 s or did not finish (minutes each)")
    parser.add_argument("--parse", action="store_true", help="only run the parsing benchmark")
    parser.add_argument("--voters", type=int, default=100_000, help="ballots in the synthetic file (--parse)")
    args = parser.parse_args(argv)
    if args.parse:
        return parse_benchmark(args.voters)
    return benchmark(args)


if __name__ == "__main__":
    sys.exit(main())
