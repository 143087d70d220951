"""Shared preparation of an election for the budgeting rules.

A *measure* turns each ballot into a satisfaction (utility) per project, as
pabutools' satisfaction classes do:

========== =========== ==============================================
measure    ballots     utility of a supported project
========== =========== ==============================================
``cost``   approval    the project's cost (pabutools ``Cost_Sat``)
``card``   approval    1 (``Cardinality_Sat``)
``cardinal`` cumulative the points given (``Additive_Cardinal_Sat``)
``points_cost`` cumulative points x cost (README's ``Points_Times_Cost_Sat``)
``borda``  ordinal     L - 1 - i for position i of a ballot of length L
========== =========== ==============================================

The prepared election keeps identical ballots as one *group* with a
multiplicity, and uses project indices instead of ids in inner loops.

The per-project totals (``score``, ``supporters``) are counted with
:class:`collections.Counter` over the ballots of each multiplicity, which runs
at C speed; the per-group structures (``groups``, ``proj_groups``, and
``uniform`` for point and rank ballots) are built on first access, so rules
that only need the totals (greedy, knapsack) never pay for them. For approval
ballots the utility-free ones are built in C loops (``map``/``zip`` over all
ballots at once), and Equal Shares needs no more.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable
from functools import cached_property
from fractions import Fraction
from itertools import chain, compress, repeat
from operator import itemgetter
from typing import Any

from ..errors import IncompatibleBallots, TallyingError, UnknownProject
from ..model import Instance, Number, Profile
from ..outcome import TieBreaking

MEASURE_KINDS = {
    "cost": "approval",
    "card": "approval",
    "cardinal": "cumulative",
    "points_cost": "cumulative",
    "borda": "ordinal",
}

_first = itemgetter(0)

APPROVAL_MEASURES = ("cost", "card")  # every supporter of a project has the same utility

Progress = Callable[[dict[str, Any]], None]

Group = tuple[int, tuple[tuple[int, Number], ...]]


class Prepared:
    """An election ready for the inner loops of a budgeting rule.

    Attributes:

    * ``instance``, ``ids``, ``costs``, ``budget``, ``measure``, ``tie_breaking``;
    * ``n``: number of ballots, empty ones included;
    * ``score``: total utility per project; ``supporters``: voters with positive
      utility per project;
    * ``rank``: tie-breaking priority per project (0 wins);
    * ``groups`` (lazy): ``(multiplicity, ((project, utility), ...))`` per distinct
      ballot with some positive utility, in profile order;
    * ``proj_groups`` (lazy): project -> ``[(group, utility)]``;
    * ``group_mults``, ``group_projects``, ``proj_group_ids`` (lazy): the same
      without utilities (multiplicity per group, projects per group, groups per
      project); for approval ballots these are built first, and cheaply, and
      ``groups``/``proj_groups`` only when a rule asks for them;
    * ``uniform`` (lazy for point and rank ballots): the utility every supporter
      has, when it is the same for all, else ``None``;
    * ``costs_f`` (lazy): costs as floats.
    """

    def __init__(
        self,
        instance: Instance,
        profile: Profile,
        index: dict[str, int],
        costs: list[Number],
        score: list[Number],
        supporters: list[int],
        rank: list[int],
        tie_breaking: TieBreaking,
        measure: str,
    ) -> None:
        self.instance = instance
        self.ids: list[str] = list(index)
        self.costs = costs
        self.budget: Number = instance.budget  # type: ignore[assignment]
        self.n = len(profile)
        self.score = score
        self.supporters = supporters
        self.rank = rank
        self.tie_breaking = tie_breaking
        self.measure = measure
        self._profile = profile
        self._index = index

    def __repr__(self) -> str:
        return f"Prepared(measure={self.measure!r}, projects={len(self.ids)}, n={self.n})"

    def _utilities(self, ballot: Any) -> tuple[tuple[int, Number], ...]:
        index, costs, measure = self._index, self.costs, self.measure
        if measure == "card":
            return tuple((index[p], 1) for p in ballot)
        if measure == "cost":
            return tuple((index[p], costs[index[p]]) for p in ballot)
        if measure == "cardinal":
            return tuple((index[p], v) for p, v in ballot if v > 0)
        if measure == "points_cost":
            return tuple((index[p], v * costs[index[p]]) for p, v in ballot if v > 0)
        L = len(ballot)  # borda
        return tuple((index[p], L - 1 - i) for i, p in enumerate(ballot) if L - 1 - i > 0)

    def _build_groups(self) -> None:
        """Set both ``groups`` and ``proj_groups`` (whichever is asked for first builds the two)."""
        groups: list[Group] = []
        proj_groups: list[list[tuple[int, Number]]] = [[] for _ in self.ids]
        for ballot, mult in self._profile.items():
            utils = self._utilities(ballot)
            if not utils:
                continue
            g = len(groups)
            groups.append((mult, utils))
            for j, u in utils:
                proj_groups[j].append((g, u))
        self.__dict__["groups"] = groups
        self.__dict__["proj_groups"] = proj_groups

    def _build_approval_groups(self) -> None:
        """For approval ballots (every supporter of a project has the same utility): set
        ``group_mults``, ``group_projects`` and ``proj_group_ids``, in C loops (``map`` and
        ``zip`` over all ballots at once). ``groups`` and ``proj_groups`` derive from them."""
        ballots = list(self._profile.ballots())
        mults = list(self._profile.counts())
        if ballots and not min(map(len, ballots)):  # empty ballots: no group (they still count in n)
            keep = list(map(bool, ballots))
            ballots = list(compress(ballots, keep))
            mults = list(compress(mults, keep))
        # each ballot's projects, as indices in ballot order
        try:
            js_all = list(map(tuple, map(map, repeat(self._index.__getitem__), ballots)))
        except KeyError as missing:
            raise UnknownProject(missing.args[0]) from None
        sup: list[list[int]] = [[] for _ in self.ids]
        pairs_j = chain.from_iterable(js_all)
        pairs_g = chain.from_iterable(map(repeat, range(len(js_all)), map(len, js_all)))
        deque(map(list.append, map(sup.__getitem__, pairs_j), pairs_g), maxlen=0)
        self.__dict__["group_mults"] = mults
        self.__dict__["group_projects"] = js_all
        self.__dict__["proj_group_ids"] = sup

    # cached_property: once built, all are plain instance attributes (no call per access)
    @cached_property
    def groups(self) -> list[Group]:
        if self.measure in APPROVAL_MEASURES:
            js_all = self.group_projects
            if self.measure == "card":
                utils = map(zip, js_all, repeat(repeat(1)))
            else:
                utils = map(zip, js_all, map(map, repeat(self.costs.__getitem__), js_all))
            return list(zip(self.group_mults, map(tuple, utils)))
        self._build_groups()
        return self.__dict__["groups"]

    @cached_property
    def proj_groups(self) -> list[list[tuple[int, Number]]]:
        if self.measure in APPROVAL_MEASURES:
            return list(map(list, map(zip, self.proj_group_ids, map(repeat, self.uniform))))
        self._build_groups()
        return self.__dict__["proj_groups"]

    @cached_property
    def group_mults(self) -> list[int]:
        if self.measure in APPROVAL_MEASURES:
            self._build_approval_groups()
            return self.__dict__["group_mults"]
        return list(map(_first, self.groups))

    @cached_property
    def group_projects(self) -> list[tuple[int, ...]]:
        if self.measure in APPROVAL_MEASURES:
            self._build_approval_groups()
            return self.__dict__["group_projects"]
        return [tuple(map(_first, utils)) for _, utils in self.groups]

    @cached_property
    def proj_group_ids(self) -> list[list[int]]:
        if self.measure in APPROVAL_MEASURES:
            self._build_approval_groups()
            return self.__dict__["proj_group_ids"]
        return [list(map(_first, pg)) for pg in self.proj_groups]

    @cached_property
    def uniform(self) -> list[Number | None]:
        if self.measure == "cost":
            return list(self.costs)
        if self.measure == "card":
            return [1] * len(self.ids)
        uniform: list[Number | None] = []
        for pg in self.proj_groups:
            us = {u for _, u in pg}
            uniform.append(us.pop() if len(us) == 1 else None)
        return uniform

    @cached_property
    def costs_f(self) -> list[float]:
        return [float(c) for c in self.costs]


def _by_multiplicity(items: Iterable[tuple[Any, int]], key: Callable[[Any], Any] | None = None) -> dict[Any, list[Any]]:
    """Distinct ballots bucketed by multiplicity (or by ``(multiplicity, key(ballot))``)."""
    buckets: dict[Any, list[Any]] = {}
    for ballot, mult in items:
        k = mult if key is None else (mult, key(ballot))
        bucket = buckets.get(k)
        if bucket is None:
            buckets[k] = [ballot]
        else:
            bucket.append(ballot)
    return buckets


def _totals(profile: Profile, measure: str, index: dict[str, int],
            costs: list[Number]) -> tuple[list[Number], list[int]]:
    """Per-project total utility and number of supporters, counted at C speed.

    Raises :class:`UnknownProject` for a ballot that names a project not in the instance.
    """
    J = len(index)
    score: list[Number] = [0] * J
    supporters = [0] * J

    def col(pid: str) -> int:
        j = index.get(pid)
        if j is None:
            raise UnknownProject(pid)
        return j

    if measure in ("cost", "card"):
        for mult, ballots in _by_multiplicity(profile.items()).items():
            for pid, c in Counter(chain.from_iterable(ballots)).items():
                supporters[col(pid)] += mult * c
        for j in range(J):
            score[j] = supporters[j] * costs[j] if measure == "cost" else supporters[j]
    elif measure in ("cardinal", "points_cost"):
        for mult, ballots in _by_multiplicity(profile.items()).items():
            for (pid, v), c in Counter(chain.from_iterable(ballots)).items():
                j = col(pid)
                if v > 0:
                    score[j] += mult * c * (v * costs[j] if measure == "points_cost" else v)
                    supporters[j] += mult * c
    else:  # borda: bucket by length too, then count each position (column) separately
        for (mult, L), ballots in _by_multiplicity(profile.items(), len).items():
            for i, column in enumerate(zip(*ballots)):
                u = L - 1 - i
                for pid, c in Counter(column).items():
                    j = col(pid)
                    if u > 0:
                        score[j] += mult * c * u
                        supporters[j] += mult * c
    return [_norm(s) for s in score], supporters


def prepare(
    instance: Instance,
    profile: Profile,
    measure: str,
    tie_breaking: TieBreaking | Any = None,
    groups: bool = False,
) -> Prepared:
    """Validate the input and build the compact representation used by the rules.

    ``groups``: the rule will need the per-group structures; for approval ballots they
    are then built first and the totals counted from them (one pass over the ballots)."""
    expected = MEASURE_KINDS[measure]
    if profile.kind != expected:
        raise IncompatibleBallots(f"this rule counts {expected} ballots, not {profile.kind} ballots")
    instance.require_budgeting()
    profile.require_nonempty()
    tb = TieBreaking.coerce(tie_breaking)
    ids = instance.ids
    index = {pid: j for j, pid in enumerate(ids)}
    costs: list[Number] = [p.cost for p in instance.projects]  # type: ignore[misc]
    ranks = tb.ranks(ids)
    rank = [ranks[pid] for pid in ids]
    if groups and measure in APPROVAL_MEASURES:
        prep = Prepared(instance, profile, index, costs, [], [], rank, tb, measure)
        prep._build_approval_groups()  # (also validates the ballots' ids)
        mult = prep.group_mults
        supporters = [sum(map(mult.__getitem__, sg)) for sg in prep.proj_group_ids]
        prep.supporters = supporters
        prep.score = list(supporters) if measure == "card" else [_norm(m * c) for m, c in zip(supporters, costs)]
        return prep
    score, supporters = _totals(profile, measure, index, costs)  # also validates the ballots' ids
    return Prepared(instance, profile, index, costs, score, supporters, rank, tb, measure)


def _norm(x: Number) -> Number:
    if isinstance(x, Fraction) and x.denominator == 1:
        return x.numerator
    return x


def norm(x: Number) -> Number:
    """Return ``int`` for whole fractions (so JSON shows ``12`` rather than ``12/1``)."""
    return _norm(x)


def check_params(params: dict[str, Any], allowed: tuple[str, ...] = ()) -> None:
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise TallyingError(f"unknown parameter(s) for this rule: {', '.join(unknown)}")
