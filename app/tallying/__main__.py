"""Command line: ``python -m app.tallying FILE.pb --rule NAME [--json]``.

Prints the winning project ids (as in the file) and their total cost; with
``--json`` the full outcome with its explanation. ``--list-rules`` lists the
registry. Bad input gives a one-line error on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from .errors import TallyingError
from .pabulib import read_pabulib
from .registry import get_rule, list_rules


def _progress_printer(enabled: bool) -> Any:
    if not enabled:
        return None
    started = time.monotonic()

    def show(info: dict[str, Any]) -> None:
        elapsed = time.monotonic() - started
        text = (f"\r[{elapsed:7.1f}s] Add1 run {info.get('run')}: +{info.get('increment')} per voter, "
                f"{info.get('selected')} projects, spent {float(info.get('spent', 0)):.0f}")
        sys.stderr.write(text[:120].ljust(100))
        sys.stderr.flush()

    return show


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.tallying",
        description="Count a pabulib .pb election with a Talka rule.",
    )
    parser.add_argument("file", nargs="?", help="the .pb file")
    parser.add_argument("--rule", "-r", help="rule name (see --list-rules)")
    parser.add_argument("--json", action="store_true", help="print the full outcome with its explanation as JSON")
    parser.add_argument("--list-rules", action="store_true", help="list the registered rules and exit")
    parser.add_argument("--lang", default="en", choices=("en", "lt"), help="language of --list-rules titles")
    parser.add_argument("--tie-breaking", help="'lexicographic' (default), 'reverse', or comma-separated ids")
    parser.add_argument("--progress", action="store_true", default=None,
                        help="show progress on stderr (default: only when stderr is a terminal)")
    parser.add_argument("--no-progress", dest="progress", action="store_false")
    parser.add_argument("--payments-each", action="store_true",
                        help="Equal Shares: in --json, every amount a capped supporter paid "
                             "(default: the supporters who paid all they had, together)")
    args = parser.parse_args(argv)

    try:
        if args.list_rules:
            for info in list_rules():
                kinds = ",".join(sorted(info.ballot_kinds))
                print(f"{info.name:24s} {info.kind:14s} {kinds:22s} {info.title.get(args.lang, '')}")
            return 0
        if not args.file or not args.rule:
            parser.print_usage(sys.stderr)
            print("error: give a .pb file and --rule NAME (or --list-rules)", file=sys.stderr)
            return 2
        info = get_rule(args.rule)
        instance, profile = read_pabulib(args.file)
        show = args.progress if args.progress is not None else sys.stderr.isatty()
        progress = _progress_printer(bool(show))
        tie: Any = None
        if args.tie_breaking:
            tie = args.tie_breaking
            if tie not in ("lexicographic", "reverse", "reverse_lexicographic"):
                tie = [t.strip() for t in tie.split(",") if t.strip()]
        kwargs: dict[str, Any] = {"tie_breaking": tie}
        if progress is not None:
            kwargs["progress"] = progress
        if args.payments_each:
            kwargs["payments"] = "each"
        outcome = info(instance, profile, **kwargs)
        if progress is not None:
            sys.stderr.write("\n")
    except TallyingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130

    if args.json:
        data = outcome.to_dict()
        out = {"rule": data["rule"], "selected": data["selected"], "cost": data["cost"],
               "explanation": data["explanation"]}
        out.update({k: v for k, v in data.items() if k not in out})
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print(" ".join(outcome.selected))
        if outcome.cost is not None:
            print(f"cost: {outcome.cost}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
