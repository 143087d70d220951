"""Equal Shares in floating point, with a proof of every decision, and its exact replay.

Why
---
An exact MES run spends most of its time in ``Fraction`` arithmetic, yet the
only things that decide an outcome are comparisons: which project has the
lowest price per unit of satisfaction (rho) this round, and whether a
project's supporters can still afford it. :class:`FloatMES` runs the method in
floating point and carries, round by round, a bound on how far every float
differs from the exact value it stands for. A decision is taken only when the
two sides are further apart than their error bounds. A comparison too close to
call (a tie, or a near-tie) is decided exactly: from ``cost / utility`` when
nobody paying is capped (the usual tie: two projects with as many
supporters), otherwise on an :class:`ExactState` brought up to date for the
occasion. So the outcome is always the exact one; floats only decide *faster*
when the answer is not in doubt.

:class:`ExactState` (money as integers over one common denominator, voters
with equal payment histories in classes) recomputes exactly the prices and
payments of the projects funded, which is what the explanation shows.

Error model
-----------
``T`` bounds the sum over all voters of |float budget - exact budget| (the
error *mass*). A price is the root of ``sum min(b_i, rho*u_i) = cost``; only
capped supporters' budgets move it, by at most ``T / U`` where ``U`` is the
utility of the supporters surely not capped (those too close to the cap to
classify are counted as capped). Paying then zeroes the capped supporters'
errors and moves at most that much error onto the payers, so ``T`` grows only
by rounding (and by itself again in the rare round where some supporter sat
too close to the cap). Every rounding is bounded by four units in the last
place per operation, on magnitudes bounded by the budgets.

Ranges of budgets
-----------------
:meth:`FloatMES.run_interval` runs the method on per-voter budgets known only
to lie in ``[b_lo, b_hi]``: prices fall when budgets rise, and a budget after
paying rises with the budget before and falls with the price, so lower and
upper bounds of every budget and price can be carried through the rounds. If
every decision holds on the whole range, one run proves the outcome of all the
Add1 increments in it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from fractions import Fraction
from math import gcd, lcm
from heapq import heapify, heappop, heappush
from collections import deque
from bisect import bisect_left, bisect_right
from itertools import accumulate, chain, compress, repeat
from operator import add, itemgetter, lt, mul, not_, sub, truediv
from typing import Any

from ..model import Number
from .common import APPROVAL_MEASURES, Prepared
from .mes_engine import RunResult

__all__ = ["ExactState", "FloatMES"]

_FIRST = itemgetter(0)
_EPS = 4.5e-16  # four times the double-precision unit roundoff
_INF = float("inf")
_ANCHOR = 1e-9  # error mass, relative to all the money, at which float budgets are re-read exactly


class FloatMES:
    """Fast MES runs on a prepared election; ``run`` returns the funded projects or ``None``."""

    def __init__(self, prep: Prepared, candidates: list[int]) -> None:
        self.prep = prep
        self.candidates = candidates
        J = len(prep.ids)
        self.costs_f = prep.costs_f
        self.uniform_f: list[float | None] = [None if u is None else float(u) for u in prep.uniform]
        # per project: the supporters' groups repeated by multiplicity (so Counter counts voters),
        # split by utility when supporters value the project differently
        self.voters: list[list[tuple[float, Number, list[int]]]] = [[] for _ in range(J)]
        self.sup_groups: list[list[int]] = [[] for _ in range(J)]
        self.sup_utils: list[list[float]] = [[] for _ in range(J)]
        self.M = [0] * J
        self.U = [0.0] * J
        self.umax = [0.0] * J
        self.umin = [0.0] * J
        mult = prep.group_mults
        single = max(mult, default=1) == 1
        proj_group_ids = prep.proj_group_ids
        self.group_projects: list[tuple[int, ...]] = prep.group_projects
        # approval (every project uniform): the voters beyond the first of each group, per
        # project, appended to its group list; other ballots expand each project's list
        extra: list[list[int]] = [[] for _ in range(J)]
        by_extra = prep.measure in APPROVAL_MEASURES
        if by_extra and not single:
            group_projects = self.group_projects
            for g, m in enumerate(mult):
                if m > 1:
                    more = (g,) * (m - 1)
                    for j in group_projects[g]:
                        extra[j].extend(more)
        for j in candidates:
            sg = self.sup_groups[j] = proj_group_ids[j]
            self.M[j] = prep.supporters[j]
            self.U[j] = float(prep.score[j])
            u0 = prep.uniform[j]
            if u0 is not None:
                if single:
                    lst = sg
                elif by_extra:
                    lst = sg + extra[j] if extra[j] else sg
                else:
                    lst = _expand(sg, mult)
                self.voters[j] = [(float(u0), u0, lst)]
                self.umax[j] = float(u0)
                continue
            pg = prep.proj_groups[j]
            by_u: dict[Number, list[int]] = {}
            for g, u in pg:
                lst = by_u.get(u)
                if lst is None:
                    lst = by_u[u] = []
                lst.append(g)
            self.voters[j] = [(float(u), u, lst if single else _expand(lst, mult)) for u, lst in by_u.items()]
            self.sup_utils[j] = [float(u) for _, u in pg]
            self.umax[j] = float(max(by_u))
            self.umin[j] = float(min(by_u))
        self.voters_total = sum(mult)
        # explanations: every amount a capped supporter paid (else the capped together)
        self.each_payment = False
        self._neigh: dict[int, frozenset[int]] = {}  # per project asked about twice: its neighbours
        self._asked: set[int] = set()
        self._near_cap: set[int] = set()  # projects with a supporter near the cap in this run
        self._sorted: list[float] | None = None  # the budgets the last _evaluate sorted (approval)
        self._round = -1  # the round of the run going on (-1: not counted)
        self._pre: list[float] = []  # and their prefix sums
        self._zeros = 0  # and how many budgets of 0.0 came before them
        self._flat: float | None = None  # the budget of every voter, while they all have the same
        self._perm: dict[int, list[int]] = {}  # per project, its supporters in a recent budget order
        self._tick = 0  # sorts so far
        self._near_from: dict[int, int] = {}  # round of the last run where a supporter was near the cap
        self._tight: set[int] = set()  # projects whose supporters had little more than the cost
        self._static: _Static | None = None  # the rounds no per-voter budget can change (lazy)
        # per number of static rounds: each project's tangent (budget, price there, slope) at the
        # first round after them, where budgets are exact lines (mes_affine)
        self._tangents: dict[int, dict[int, tuple[float, float, float]]] = {}

    def _touched(self, w: int, among: Collection[int]) -> Collection[int]:
        """The projects of ``among`` that some supporter of ``w`` also supports (their prices
        change when ``w`` is funded).

        All of them are worked out (and kept) for a project asked about before; the first
        time, the ballots are read only until every project of ``among`` is found (a plain
        run funds each project once)."""
        got = self._neigh.get(w)
        if got is not None:
            return got.intersection(among)
        first = w not in self._asked
        self._asked.add(w)
        # in chunks of doubling size, stopping once every project looked for is in (often
        # after a few dozen ballots)
        sg = self.sup_groups[w]
        gp = self.group_projects.__getitem__
        found: set[int] = set()
        wanted = set(among) if first else set(range(len(self.prep.ids)))
        a, step = 0, 32
        while a < len(sg) and not wanted <= found:
            found.update(*map(gp, sg[a:a + step]))
            a += step
            step *= 2
        if a >= len(sg) or not first:
            self._neigh[w] = frozenset(found)
        return found.intersection(among)

    # ------------------------------------------------------------------
    def _evaluate(self, j: int, bud: list[float], bmax: float, T: float):
        """Price of ``j`` in floating point.

        ``None`` if the supporters' money is short of the cost in floating point
        (``_pending_short`` tells by how much), else
        ``(rho, A, B, gap, near, T, paying, zeros)``: the error of rho is at most
        ``A + B * T'`` for any later error mass ``T' >= T``; ``near`` is the
        utility of supporters too close to the cap to classify, relative to the
        surely uncapped. When the only capped supporters are those with nothing
        left, ``gap`` is how far the poorest paying supporter is above paying
        (else -1), ``paying`` the exact utility of those who pay and ``zeros``
        whether some supporters have nothing left: then, if ``gap`` beats the
        error bounds, rho is exactly cost / paying.
        """
        cost = self.costs_f[j]
        uni = self.uniform_f[j]
        get = bud.__getitem__
        band = 2 * T + 4 * _EPS * bmax  # how far a budget may be from its exact value
        if uni is not None:
            lst = self.voters[j][0][2]
            x = cost / self.M[j]
            # (skip this test once some supporter was near the cap in this run, or from the
            # round where one was in the last run: it would fail again)
            if j not in self._near_cap and self._round < self._near_from.get(j, self._round + 1):
                poorest = min(map(get, lst)) if self._flat is None else self._flat
                if poorest > x + band:
                    # nobody is near the cap: everyone pays x (no need to sort the budgets)
                    fixed = 3 * _EPS * (cost + self.M[j] * bmax)
                    self._pending = (self.M[j] * (poorest - x), fixed, None, 0, 0.0, None)
                    self._sorted = None
                    return x / uni, fixed / self.U[j], 1 / self.U[j], poorest - x, 0.0, T, self.prep.score[j], False
                self._near_cap.add(j)
                if self._round >= 0:  # (interval runs do not count rounds)
                    self._near_from[j] = self._round
            # sorted budgets and their prefix sums (C loops); the first i poorest are capped
            # where vals[i] * (M - i) + pre[i] >= cost first holds, which only grows with i.
            # Supporters with nothing left (an exact 0.0) are always capped and add nothing:
            # only the others are sorted (``vals``, ``pre``), after the z zeros
            if j in self._tight:  # short of money not long ago: a sum tells it without sorting
                total = sum(map(get, lst))
                if total < cost:
                    return self._unaffordable(j, cost - total, len(lst), cost, bmax)
            # (taken in the order of the budgets some evaluations ago, they are nearly sorted, which
            # sorts faster; every 32nd sort takes that order again)
            ids = self._perm.get(j)
            if ids is None:
                # (the first time, the budgets alone: a plain run prices most projects once or twice)
                self._perm[j] = lst
                vals = sorted(filter(None, map(get, lst)))
            elif self._tick % 32 == 0 or ids is lst:
                ids = self._perm[j] = sorted(lst, key=get)
                vals = list(filter(None, map(get, ids)))
            else:
                vals = sorted(filter(None, map(get, ids)))
            self._sorted = vals
            self._tick += 1
            pre = self._pre = list(accumulate(vals, initial=0.0))
            M = len(lst)
            z = self._zeros = M - len(vals)
            Mv = M - z
            if pre[Mv] < 1.5 * cost:
                self._tight.add(j)
            else:
                self._tight.discard(j)
            a, zz = 0, Mv
            while a < zz:
                mid = (a + zz) >> 1
                if vals[mid] * (Mv - mid) + pre[mid] >= cost:
                    zz = mid
                else:
                    a = mid + 1
            i = a  # (of the sorted non-zero budgets: z + i are capped)
            rem = cost - pre[i]
            if i == Mv:
                return self._unaffordable(j, rem, M, cost, bmax)
            N = Mv - i
            x = rem / N
            v = vals[i]
            while v < x:  # (rounding at the boundary: the root is further on)
                i += 1
                if i == Mv:
                    return self._unaffordable(j, cost - pre[i], M, cost, bmax)
                rem = cost - pre[i]
                N = Mv - i
                x = rem / N
                v = vals[i]
            fixed = (z + i + 3) * _EPS * (cost + M * bmax)
            self._pending = (N * (v - x), fixed, None, 0, 0.0, pre[Mv] - pre[i] - rem)
            b = bisect_left(vals, x + band, i)
            near = (i - bisect_right(vals, x - band, 0, i)) + (b - i)
            if x - band < 0.0:
                near += z  # (the zeros too)
            sure = Mv - b
            if sure <= 0:
                return x / uni, fixed / (N * uni), _INF, -1.0, _INF, T, None, False
            su = sure * uni
            zeros = i == 0 and z > 0
            gap = v - x if i == 0 else -1.0
            return (x / uni, fixed / su, 1 / su, gap, near / sure, T, N * self.voters[j][0][1], zeros)
        if j in self._tight:  # short of money last time: a sum tells it without counting
            total = sum(sum(map(get, lst)) for _u, _ue, lst in self.voters[j])
            if total < cost:
                return self._unaffordable(j, cost - total, self.M[j], cost, bmax)
        items = []
        for u, ue, lst in self.voters[j]:
            for v, m in Counter(map(get, lst)).items():
                items.append((v / u, v, u, m, ue))
        items.sort()
        rem = cost
        Ut = self.U[j]
        for i, (key, v, u, m, _ue) in enumerate(items):
            rho = rem / Ut
            if key >= rho:
                self._tight.discard(j)
                fixed = (len(items) + 2) * _EPS * (cost + self.M[j] * bmax)
                self._pending = (Ut * (key - rho), fixed, items, i, rem, None)
                near = 0.0
                sure = Ut
                # near the cap: |v - rho u| < band, so |key - rho| < band / u: a window of keys
                reach = band / self.umin[j]
                keys = list(map(_FIRST, items))
                for key2, v2, u2, m2, _ in items[bisect_right(keys, rho - reach):bisect_left(keys, rho + reach)]:
                    if abs(v2 - rho * u2) < band:
                        near += u2 * m2
                        if key2 >= rho:
                            sure -= u2 * m2
                if sure <= 0:
                    return rho, fixed / Ut, _INF, -1.0, _INF, T, None, False
                zeros = i > 0
                if all(it[1] == 0.0 for it in items[:i]):
                    gap = min(it[1] - rho * it[2] for it in items[i:])
                    paying = sum(it[3] * it[4] for it in items[i:])
                else:
                    gap, paying = -1.0, None
                return rho, fixed / sure, 1 / sure, gap, near / sure, T, paying, zeros
            rem -= v * m
            Ut -= u * m
            if Ut <= 0:
                break
        self._tight.add(j)
        return self._unaffordable(j, rem, len(items), cost, bmax)

    def _unaffordable(self, j: int, rem: float, S: int, cost: float, bmax: float):
        # money = cost - rem; surely short of the cost only beyond every error
        self._pending_short = (rem, (S + 2) * _EPS * (cost + self.M[j] * bmax))
        return None

    def _affordable_for_sure(self, T: float) -> bool | None:
        """After a successful evaluation: is the money surely enough? (None: cannot tell)."""
        # (slack, error, sorted items or None, capped count, cost left, money beyond the cost
        # when already worked out)
        slack, fixed, items, i, rem, extra = self._pending
        margin = fixed + T
        if slack > margin:
            return True
        if items is not None:
            extra = sum(it[1] * it[3] for it in items[i:]) - rem
        elif extra is None:
            return None
        return True if extra > margin else None

    def _charge(self, bud: list[float], w: int, rho: float) -> None:
        """``w``'s supporters pay ``rho`` x utility, or everything they have if that is less."""
        uni = self.uniform_f[w]
        if uni is not None:
            x = rho * uni
            for g in self.sup_groups[w]:
                v = bud[g]
                bud[g] = v - x if v > x else 0.0
        else:
            for g, u in zip(self.sup_groups[w], self.sup_utils[w]):
                p = rho * u
                v = bud[g]
                bud[g] = v - p if v > p else 0.0

    def static_prefix(self, b: Number) -> tuple[list[int], list[float]]:
        """``(order, paid)``: the first rounds of MES with per-voter budget ``b`` (or any more),
        the ones nobody is capped in and whose winner has the lowest price any project could
        have; ``paid[g]`` is what each voter of group ``g`` paid in them (a float sum of the
        rounded shares: within ``len(order) + 1`` roundings).

        A project's price is never below ``cost / utility`` (its price when nobody is capped),
        so a project whose supporters all pay that, and whose ``cost / utility`` is the lowest
        left (ties by the tie-breaking order), wins its round for every budget at which its
        supporters can pay it. Taking such projects in the order of ``cost / utility``, the
        ``r``-th wins for every ``b >= theta_r`` (the most any of its supporters paid before,
        plus their share now), so these rounds are the same for every budget of a run and
        every later one, and need not be decided, nor paid one by one, again.
        """
        st = self._static
        if st is None:
            st = self._static = _Static(self)
        return st.prefix(b)

    # ------------------------------------------------------------------
    def run(self, b: Number, *, exact: bool = False, static: bool = False) -> tuple[list[int], "ExactState | None"]:
        """Projects funded by MES with per-voter budget ``b``, in order, and the exact state.

        ``static``: start after :meth:`static_prefix`. Decisions too close to call in
        floating point are taken exactly, on an :class:`ExactState` created on demand
        (from the start with ``exact=True``) and then kept in step: the float budgets
        are re-read from it whenever their error bound grows. The state is returned
        (``None`` if no decision needed it) so the caller can explain the outcome from it.
        """
        prep = self.prep
        state: ExactState | None = ExactState(prep, self, b) if exact else None
        self._near_cap = set()
        rank = prep.rank
        costs_f = self.costs_f
        umax = self.umax
        bf = float(b)
        bud = [bf] * len(prep.group_mults)
        self._flat = bf  # (everyone has bf until the first project is funded)
        bmax = bf
        T0 = self.voters_total * _EPS * bf  # every voter's float budget starts within one rounding
        T = T0  # bound on the sum over voters of |float budget - exact budget|
        remaining = set(self.candidates)
        heap = [(costs_f[j] / self.U[j] * (1 - 1e-12), rank[j], j) for j in self.candidates]
        heapify(heap)
        cache: dict[int, tuple] = {}
        # with ``static``: the first rounds that are the same from some budget on, nobody capped
        # in them (static_prefix), are taken as they are (worth it when runs are many: finding
        # them costs about what deciding them does once)
        order, paid = self.static_prefix(b) if static else ([], None)
        if order:
            order = list(order)
            remaining.difference_update(order)
            bud = [bf - x for x in paid]
            self._flat = None
            # (each voter's budget within len(order) + 3 roundings: twice that)
            T = (len(order) + 3) * self.voters_total * _EPS * bf / 2
            if state is not None:
                for w in order:
                    state.fund(w)
        zeros_exact = True  # a float budget of 0 is an exact 0 (no doubtful cap so far)
        while True:
            self._round = len(order)
            # candidates: (lo, hi, rank, j, rho or None if affordability is in doubt,
            #              exact rho when it is simply cost / paying utility, else None)
            cands = []
            min_hi = _INF
            while (popped := _pop_below(heap, remaining, min_hi)) is not None:
                key, r, j = popped
                info = cache.get(j)
                if info is None or info[5] * 2 < T:
                    res = self._evaluate(j, bud, bmax, T)
                    if res is None:
                        rem, fixed = self._pending_short
                        if rem > fixed + T:
                            remaining.discard(j)  # surely unaffordable, now and later
                        else:
                            cands.append((key, _INF, r, j, None, None))
                        continue
                    if self._affordable_for_sure(T) is None:
                        cands.append((max(key, res[0] - res[1] - res[2] * T), _INF, r, j, None, None))
                        continue
                    info = cache[j] = res
                rho, A, B, gap, _near, _t, paying, zeros = info
                err = A + B * T + 1e-15 * rho
                hi = rho + err
                simple = None
                if paying is not None and gap > 2 * T + A * umax[j] and (zeros_exact or not zeros):
                    simple = Fraction(prep.costs[j]) / paying
                cands.append((rho - err, hi, r, j, rho, simple))
                if hi < min_hi:
                    min_hi = hi
            if not cands:
                self._flat = None
                return order, state
            contenders = [c for c in cands if c[0] <= min_hi]
            anchor = False
            if len(contenders) == 1 and contenders[0][4] is not None:
                w, rho = contenders[0][3], contenders[0][4]
            else:
                # too close to call: decide exactly, from cost / paying utility where
                # that is the price, else on the exact state brought up to date
                best = None
                for c in contenders:
                    q = c[3]
                    rq = c[5]
                    if rq is None:
                        if state is None:
                            state = ExactState(prep, self, b)
                            for x in order:
                                state.fund(x)
                        rq = state.rho(q)
                    if rq is None:
                        remaining.discard(q)
                    elif best is None or (rq, c[2]) < best[:2]:
                        best = (rq, c[2], q)
                if best is None:
                    for c in cands:
                        if c[3] in remaining:
                            heappush(heap, (c[0], c[2], c[3]))
                    continue
                w = best[2]
                rho = float(best[0])
            info = cache.get(w)
            if info is None:
                anchor = True  # no float bound for this price: re-read the budgets below
                if state is None:
                    state = ExactState(prep, self, b)
                    for x in order:
                        state.fund(x)
            else:
                # Error mass after paying: the capped supporters' errors vanish (they
                # are left with exactly 0) and move, through rho, onto the uncapped
                # ones, so the mass only grows by rounding, unless some supporters
                # were too close to the cap to classify.
                near = info[4]
                T += info[1] * self.U[w] + 2 * _EPS * self.M[w] * bmax + (T * (1 + near) if near else 0.0)
                if near:
                    zeros_exact = False
            for c in cands:
                if c[3] != w and c[3] in remaining:
                    heappush(heap, (c[0], c[2], c[3]))
            remaining.discard(w)
            order.append(w)
            self._flat = None
            self._charge(bud, w, rho)
            _forget(cache, w, self._touched(w, cache))
            if state is not None:
                state.fund(w, rho)
                if anchor or T > _ANCHOR * self.voters_total * bmax:
                    bud = state.float_budgets()
                    T = T0
                    zeros_exact = True
                    cache.clear()


    # ------------------------------------------------------------------
    def run_interval(self, b_lo: Number, b_hi: Number) -> list[int] | None:
        """The funded projects, in order, if MES funds the same ones for every per-voter
        budget between ``b_lo`` and ``b_hi``; ``None`` if that cannot be shown this way.

        Runs MES on budget intervals: a price only falls when budgets rise, and a
        budget after paying only rises with the budget before and falls with the
        price, so pricing with the lowest budgets gives an upper bound of the price
        and with the highest a lower bound, and paying the highest price from the
        lowest budgets (and the lowest from the highest) keeps the bounds. A
        decision is taken when one project's highest possible price is below every
        other's lowest (or both are exactly cost / utility, nobody being capped).
        """
        prep = self.prep
        rank = prep.rank
        umax = self.umax
        blo, bhi = float(b_lo), float(b_hi)
        G = len(prep.groups)
        lo = [blo] * G
        hi = [bhi] * G
        bmax = bhi
        T_lo = T_hi = self.voters_total * _EPS * bhi
        remaining = set(self.candidates)
        heap = [(self.costs_f[j] / self.U[j] * (1 - 1e-12), rank[j], j) for j in self.candidates]
        heapify(heap)
        cache: dict[int, tuple] = {}
        # the static rounds at b_lo hold at every larger budget (static_prefix): taken as they are,
        # each budget then lies between the two ends less what it paid in them
        order, paid = self.static_prefix(b_lo)
        if order:
            order = list(order)
            remaining.difference_update(order)
            lo = [blo - x for x in paid]
            hi = [bhi - x for x in paid]
            # (each voter's budget within len(order) + 3 roundings: twice that)
            T_lo = T_hi = (len(order) + 3) * self.voters_total * _EPS * bhi / 2
        T_seen = T_hi
        self._near_cap = set()
        self._round = -1
        self._flat = None
        while True:
            if T_lo > 2 * T_seen or T_hi > 2 * T_seen:
                cache.clear()  # bounds in the cache were computed with a smaller error mass
                T_seen = max(T_lo, T_hi)
            cands = []  # (lowest price, highest price, rank, j, exact price if constant)
            min_hi = _INF
            while (popped := _pop_below(heap, remaining, min_hi)) is not None:
                key, r, j = popped
                c = cache.get(j)
                # the highest price (from the lowest budgets) is worked out only for projects
                # that may win the round: c[1] is None until then
                if c is None or (c[1] is None and c[0] <= min_hi):
                    if c is None:
                        res = self._evaluate(j, hi, bmax, T_hi)
                        if res is None:
                            rem, fixed = self._pending_short
                            if rem > fixed + T_hi:
                                remaining.discard(j)  # short of money even with the most
                                continue
                            return None
                        low = max(key, res[0] - res[1] - res[2] * 2 * T_hi - 1e-15 * res[0])
                        if low > min_hi:  # loses this round to a project already looked at
                            c = cache[j] = (low, None, r, j, None)
                            cands.append(c)
                            continue
                    else:
                        low = c[0]
                    top = _INF
                    const = None
                    res2 = self._evaluate(j, lo, bmax, T_lo)
                    if res2 is not None and self._affordable_for_sure(T_lo):
                        rho, A, B, gap = res2[:4]
                        top = rho + A + B * 2 * T_lo + 1e-15 * rho
                        if not res2[7] and res2[6] == prep.score[j] and gap > 2 * T_lo + A * umax[j]:
                            const = Fraction(prep.costs[j], prep.score[j])  # nobody capped, ever
                    c = cache[j] = (low, top, r, j, const)
                cands.append(c)
                if c[1] is not None and c[1] < min_hi:
                    min_hi = c[1]
            if not cands:
                return order
            contenders = [c for c in cands if c[0] <= min_hi]
            if len(contenders) == 1 and contenders[0][1] < _INF:
                w = contenders[0][3]
                rho_lo, rho_hi = contenders[0][0], contenders[0][1]
            elif all(c[4] is not None for c in contenders):
                best = min(contenders, key=lambda c: (c[4], c[2]))
                w = best[3]
                rho_lo = rho_hi = float(best[4])
                rho_lo -= 2 * _EPS * rho_lo
                rho_hi += 2 * _EPS * rho_hi
            else:
                return None
            for c in cands:
                if c[3] != w:
                    heappush(heap, (c[0], c[2], c[3]))
            remaining.discard(w)
            order.append(w)
            self._charge(lo, w, rho_hi)  # lowest budgets pay the highest price
            self._charge(hi, w, rho_lo)
            step = 2 * _EPS * self.M[w] * bmax
            T_lo += step
            T_hi += step
            _forget(cache, w, self._touched(w, cache))


class _Static:
    """The rounds of :meth:`FloatMES.static_prefix`, worked out as far as asked.

    Round ``r`` funds ``seq[r]`` (the projects by their lowest possible price,
    ``cost / utility``, exactly; ties by the tie-breaking order) at that price, each
    supporter paying it times their utility: one share for all of them on approval
    ballots, one per utility on point and rank ballots. What each group has paid is a
    float sum of the correctly rounded shares (so within ``r + 1`` roundings of the exact
    amount after ``r`` rounds); whether a round holds for a budget is decided on those
    floats when they are clear of it, else exactly, from the groups that may have paid
    the most. The float payments are kept per length of prefix.
    """

    def __init__(self, fast: FloatMES) -> None:
        prep = fast.prep
        self.fast = fast
        lowest = {j: Fraction(prep.costs[j]) / prep.score[j] for j in fast.candidates}
        self.seq = sorted(fast.candidates, key=lambda j: (lowest[j], prep.rank[j]))
        self.pos = {j: r for r, j in enumerate(self.seq)}
        self.prices = [lowest[j] for j in self.seq]
        # per round, made when first asked about: (exact share, float share, groups paying it)
        self.parts: list[list[tuple[Fraction, float, list[int]]]] = []
        self.paid = [0.0] * len(prep.group_mults)  # per group, over the first `applied` rounds
        self.applied = 0
        # per round worked out: theta_r (the least per-voter budget the round holds for) lies in
        # [low, high], ``mid`` the float sum it was read from
        self.bounds: list[tuple[float, float, float]] = []
        self.exact: dict[int, Fraction] = {}  # theta_r, where it had to be worked out
        self.floats: dict[int, list[float]] = {0: [0.0] * len(prep.group_mults)}
        self.sums: dict[int, list[float]] = {}
        self.last: tuple[Number, int] | None = None  # the last budget asked about, and its answer

    def _parts(self, r: int) -> list[tuple[Fraction, float, list[int]]]:
        prep = self.fast.prep
        while len(self.parts) <= r:
            q = len(self.parts)
            j, price = self.seq[q], self.prices[q]
            u0 = prep.uniform[j]
            if u0 is not None:
                share = price * u0
                self.parts.append([(share, float(share), self.fast.sup_groups[j])])
                continue
            by_u: dict[Number, list[int]] = {}
            for g, u in prep.proj_groups[j]:
                lst = by_u.get(u)
                if lst is None:
                    lst = by_u[u] = []
                lst.append(g)
            self.parts.append([(price * u, float(price * u), gs) for u, gs in by_u.items()])
        return self.parts[r]

    def _share(self, q: int, g: int) -> Fraction:
        """What group ``g`` paid, exactly, in the static round that funded project ``q``."""
        r = self.pos[q]
        parts = self._parts(r)
        if len(parts) == 1:
            return parts[0][0]
        return self.prices[r] * dict(self.fast.prep.groups[g][1])[q]

    def _holds(self, r: int, b: Number) -> bool:
        low, high, mid = self.bounds[r]
        bf = float(b)
        if high < bf * (1 - 1e-15):
            return True
        if low > bf * (1 + 1e-15):
            return False
        theta = self.exact.get(r)
        if theta is None:  # too close to tell in floats: what those supporters paid, exactly
            pos, paid = self.pos, self.paid
            gp = self.fast.group_projects
            theta = Fraction(0)
            for share, share_f, near in self._parts(r):
                if self.applied == r:  # (else every supporter: rare)
                    near = [g for g in near if paid[g] + share_f >= mid - 2 * (high - low)]
                for g in near:
                    before = sum((self._share(q, g) for q in gp[g] if pos.get(q, r) < r), Fraction(0))
                    theta = max(theta, before + share)
            self.exact[r] = theta
        return theta <= b

    def prefix(self, b: Number) -> tuple[list[int], list[float]]:
        paid = self.paid
        bounds = self.bounds
        r = self.last[1] if self.last is not None and b >= self.last[0] else 0
        while r < len(self.seq):
            if r == len(bounds):  # (then applied == r)
                mid = max(max(map(paid.__getitem__, gs), default=0.0) + x for _s, x, gs in self._parts(r))
                err = (r + 2) * 2.3e-16 * mid  # (twice the roundings' bound)
                bounds.append((mid - err, mid + err, mid))
            if not self._holds(r, b):
                break
            if self.applied == r:
                for _s, x, gs in self._parts(r):  # (paid[g] += share for each, in C loops)
                    deque(map(paid.__setitem__, gs, map(add, map(paid.__getitem__, gs), repeat(x))), maxlen=0)
                self.applied += 1
            r += 1
        self.last = (b, r)
        got = self.floats.get(r)
        if got is None and r == self.applied:
            got = self.floats[r] = paid[:]
        if got is None:  # (an earlier, shorter prefix: add its payments up again)
            acc = [0.0] * len(paid)
            for q in range(r):
                for _s, x, gs in self._parts(q):
                    for g in gs:
                        acc[g] += x
            got = self.floats[r] = acc
        return self.seq[:r], got

    def paid_by_supporters(self, r: int) -> list[float]:
        """Per project, what its supporters paid together in the first ``r`` static rounds
        (a float sum of the rounded payments; ``prefix`` must have given those rounds)."""
        got = self.sums.get(r)
        if got is None:
            paid = self.floats[r]
            voters = self.fast.voters
            got = self.sums[r] = [sum(map(paid.__getitem__, voters[j][0][2])) if voters[j] else 0.0
                                  for j in range(len(voters))]
        return got


def _pop_below(heap: list, remaining: set[int], bound: float) -> tuple | None:
    """The next project still in the running whose lower bound is at most ``bound``."""
    while heap:
        entry = heap[0]
        if entry[2] not in remaining:
            heappop(heap)
        elif entry[0] > bound:
            return None
        else:
            return heappop(heap)
    return None


def _forget(cache: dict, winner: int, touched: Collection[int]) -> None:
    """Drop the cached prices of the winner and of the projects its supporters support
    (``touched``: those of them in the cache)."""
    cache.pop(winner, None)
    for q in touched:
        cache.pop(q, None)


def _expand(groups: list[int], mult: list[int]) -> list[int]:
    """Each group repeated as many times as it has voters."""
    return list(chain.from_iterable(map(repeat, groups, map(mult.__getitem__, groups))))


_ZERO = 1  # the class of voters with no money left (capped payers join it)


class ExactState:
    """Exact MES state for per-voter budget ``b``, advanced one funded project at a time.

    Money is kept as integers over one common denominator ``D`` (a multiple of
    every cost's denominator), refined when a price needs a finer unit, so
    every comparison and sum is integer arithmetic. Voters who have paid the
    same amounts form one class; a class's numerator is brought to the current
    unit only when it is next looked at. Paying always moves the payers to new
    classes (the old class may keep voters who did not pay), and voters left
    with nothing share class ``_ZERO``. Per-class work is done with ``map`` and
    friends, in C loops.
    """

    def __init__(self, prep: Prepared, fast: "FloatMES", b: Number) -> None:
        self.prep = prep
        self.fast = fast
        self.each = fast.each_payment
        b = Fraction(b)
        costs = prep.costs
        self.D = lcm(b.denominator, *{costs[j].denominator for j in fast.candidates})
        self.scales: list[int] = [1]  # product of the refinements up to each epoch
        self.beta: list[int] = [b.numerator * (self.D // b.denominator), 0]  # class 0: everyone; 1: _ZERO
        self.epoch: list[int] = [0, 0]
        # every class in use but _ZERO has money (nobody does if b = 0)
        self.class_of = [_ZERO if b == 0 else 0] * len(prep.group_mults)
        self._floats: list[float] = []  # each class's budget as a float, up to the last float_budgets()
        self._budgets_f: list[float] | None = None  # each group's, as of the last float_budgets()
        self._paid_since: list[list[int]] = []  # supporters of the projects funded since then
        self.rounds: list[dict[str, Any]] = []
        self.order: list[int] = []
        self.rhos: list[Number] = []

    def _classes(self, voters: list[int]) -> tuple[list[int], list[int], list[int]]:
        """``(classes, budget numerators in the current unit, voters)`` of the voters (groups
        repeated by multiplicity) who have money."""
        beta = self.beta
        epoch = self.epoch
        count = Counter(map(self.class_of.__getitem__, voters))
        count.pop(_ZERO, None)
        ks = list(count)
        cs = list(count.values())
        bks = list(map(beta.__getitem__, ks))
        eps = list(map(epoch.__getitem__, ks))
        now = len(self.scales) - 1
        if eps.count(now) != len(eps):
            scales = self.scales
            top = scales[now]
            fac = {e: top // scales[e] for e in set(eps)}
            bks = list(map(mul, bks, map(fac.__getitem__, eps)))
        return ks, bks, cs

    def price(self, j: int, hint: float | None = None) -> tuple | None:
        """The supporters of ``j`` who can pay, or ``None`` if they cannot afford it.

        ``hint``: a close float value of the price (rho), which lets the capped supporters
        be found without sorting them (same utility for all).

        Same utility for all: ``(rem, N, capped, ks, bks, cs)``, rho = rem / (N * u * D),
        each of the ``N`` uncapped voters paying ``rem / N``. Otherwise ``(rem, U, capped,
        items)``, rho = rem / (U * D). ``capped`` are the classes that pay all they have.
        """
        cost = self.prep.costs[j]
        rem = cost.numerator * (self.D // cost.denominator)  # an int, even for a Fraction cost
        if self.prep.uniform[j] is not None:
            ks, bks, cs = self._classes(self.fast.voters[j][0][2])
            if not ks:
                return None
            N = sum(cs)
            if rem <= min(bks) * N:  # nobody is capped: no need to sort
                return rem, N, (), ks, bks, cs
            low = None if hint is None else _capped_from(hint * float(self.prep.uniform[j]), self.D, rem, N, bks, cs)
            if low is not None:
                rem, N, low = low
            # the poorest pay all they have, until the others can share the rest; sort the
            # budgets alone (plain ints compare fastest) when every class is one voter
            elif N == len(bks):
                for bk in sorted(bks):
                    if rem <= bk * N:
                        break
                    rem -= bk
                    N -= 1
                else:
                    return None
            else:
                for bk, cnt in sorted(zip(bks, cs)):
                    if rem <= bk * N:
                        break
                    rem -= cnt * bk
                    N -= cnt
                else:
                    return None
            if low is None:
                # equal budgets are all capped or all not, so the capped are those below bk
                low = list(map(lt, bks, repeat(bk)))
            capped = list(zip(compress(bks, low), compress(ks, low), compress(cs, low)))
            high = list(map(not_, low))
            return rem, N, capped, list(compress(ks, high)), list(compress(bks, high)), list(compress(cs, high))
        items = []
        for _uf, u, lst in self.fast.voters[j]:
            ks, bks, cs = self._classes(lst)
            items.extend(zip(bks, ks, repeat(u), cs))
        L = lcm(*{it[2] for it in items}) if items else 1
        items.sort(key=lambda it: it[0] * (L // it[2]))
        total_u = sum(cnt * u for _, _, u, cnt in items)
        for idx, (bk, _k, u, cnt) in enumerate(items):
            if rem * u <= bk * total_u:
                return rem, total_u, items[:idx], items[idx:]
            rem -= cnt * bk
            total_u -= cnt * u
        return None

    def rho(self, j: int) -> Fraction | None:
        p = self.price(j)
        if p is None:
            return None
        u = self.prep.uniform[j]
        if u is None:
            return Fraction(p[0], p[1] * self.D)
        return Fraction(p[0], p[1] * self.D) / u

    def fund(self, w: int, hint: float | None = None) -> None:
        """Fund ``w`` at its price: capped supporters pay all they have, the others rho x utility
        (``hint``: as for :meth:`price`)."""
        p = self.price(w, hint)
        if p is None:
            raise ArithmeticError("a funded project is not affordable")  # never: decisions were proven
        beta = self.beta
        epoch = self.epoch
        scales = self.scales
        class_of = self.class_of
        u = self.prep.uniform[w]
        paid: dict[int, int] = {}  # amount -> voters, of those who pay rho x utility
        all_left: dict[int, int] = {}  # amount -> voters, of the capped (who pay all they have)
        if u is not None:
            rem, N, capped, ks, bks, cs = p
            rho = Fraction(rem, N * self.D) / u
            # each uncapped voter pays rem / N: refine the unit by f so that it is whole
            g = gcd(rem, N)
            f = N // g
            pay = rem // g
            paid[pay] = N
            # money before, in the new unit (every class is one voter, most often)
            before = f * (sum(bks) if N == len(bks) else sum(map(mul, bks, cs)))
            n0 = len(beta)
            if f != 1:
                self.D *= f
                scales.append(scales[-1] * f)
                beta.extend(map(sub, map(mul, bks, repeat(f)), repeat(pay)))
            else:
                beta.extend(map(sub, bks, repeat(pay)))
            epoch.extend(repeat(len(scales) - 1, len(bks)))
            moves = dict(zip(ks, range(n0, n0 + len(ks))))
            if not pay % f and pay // f in bks:  # some pay all they have: they join _ZERO
                for k, bk in zip(ks, bks):
                    if bk * f == pay:
                        moves[k] = _ZERO
            for bk, k, cnt in capped:
                bk *= f
                before += cnt * bk
                all_left[bk] = all_left.get(bk, 0) + cnt
                moves[k] = _ZERO
            moves[_ZERO] = _ZERO  # now every supporter's class has a move
            sg = self.fast.sup_groups[w]
            deque(map(class_of.__setitem__, sg, map(moves.__getitem__, map(class_of.__getitem__, sg))), maxlen=0)
        else:
            rem, U, capped, items = p
            rho = Fraction(rem, U * self.D)
            # payments rem * u / U must be whole numbers of the unit: refine it by f
            f = U // gcd(rem, U)
            if f != 1:
                self.D *= f
                scales.append(scales[-1] * f)
            now = len(scales) - 1
            unit = rem * f // U  # payment per unit of utility, in the (new) unit
            umoves: dict[tuple[int, Number], int] = {}
            before = 0
            for bk, k, uk, cnt in capped:
                bk *= f
                before += cnt * bk
                all_left[bk] = all_left.get(bk, 0) + cnt
                umoves[(k, uk)] = _ZERO
            for bk, k, uk, cnt in items:
                bk *= f
                before += cnt * bk
                pay = unit * uk
                paid[pay] = paid.get(pay, 0) + cnt
                nb = bk - pay
                if nb:
                    umoves[(k, uk)] = len(beta)
                    beta.append(nb)
                    epoch.append(now)
                else:
                    umoves[(k, uk)] = _ZERO
            for g, ug in self.prep.proj_groups[w]:
                k2 = umoves.get((class_of[g], ug))
                if k2 is not None:
                    class_of[g] = k2
        self._paid_since.append(self.fast.sup_groups[w])
        self.order.append(w)
        self.rhos.append(_num(rho))
        D = self.D
        if self.each:  # every distinct amount, the capped voters' too (mostly one per capped voter)
            for a, c in all_left.items():
                paid[a] = paid.get(a, 0) + c
        payments = [{"group_size": c, "paid_each": _num(Fraction(a, D))}
                    for a, c in sorted(paid.items(), reverse=True)]
        if all_left and not self.each:  # the capped voters together: how many, what they paid in all
            payments.append({"group_size": sum(all_left.values()), "all_they_had": True,
                             "paid_total": _num(Fraction(sum(map(mul, all_left, all_left.values())), D))})
        self.rounds.append({
            "round": len(self.order),
            "project": self.prep.ids[w],
            "rho": _num(rho),
            "payments": payments,
            "supporters_money_before": _num(Fraction(before, D)),
        })

    def float_budgets(self) -> list[float]:
        """Every group's budget as the nearest float (a new list: the caller may change it).

        A class's value never changes (paying moves voters to new classes), so each class
        is converted once, and only the groups that paid since the last call are looked up."""
        beta = self.beta
        floats = self._floats
        n = len(floats)
        if n < len(beta):
            scales = self.scales
            D0 = self.D // scales[-1]
            dens = [D0 * s for s in scales]
            floats.extend(map(truediv, beta[n:], map(dens.__getitem__, self.epoch[n:])))
        class_of = self.class_of
        budgets = self._budgets_f
        if budgets is None:
            budgets = self._budgets_f = list(map(floats.__getitem__, class_of))
        else:
            for sg in self._paid_since:
                deque(map(budgets.__setitem__, sg, map(floats.__getitem__, map(class_of.__getitem__, sg))),
                      maxlen=0)
        self._paid_since.clear()
        return list(budgets)

    def result(self) -> RunResult:
        """The run so far, with the money each unfunded project's supporters have left."""
        res = RunResult()
        res.order = list(self.order)
        res.rhos = list(self.rhos)
        res.rounds = self.rounds
        scales = self.scales
        top = scales[-1]
        factors = [top // s for s in scales]
        class_of = self.class_of
        alive = list(set(class_of))
        epochs = map(self.epoch.__getitem__, alive)
        per_class = dict(zip(alive, map(mul, map(self.beta.__getitem__, alive), map(factors.__getitem__, epochs))))
        money = list(map(per_class.__getitem__, class_of)).__getitem__  # per group, in the current unit
        funded = set(self.order)
        D = self.D
        for j in self.fast.candidates:
            if j not in funded:
                total = sum(sum(map(money, lst)) for _uf, _u, lst in self.fast.voters[j])
                res.money_left[j] = _num(Fraction(total, D))
        return res


def _capped_from(pay: float, D: int, rem: int, N: int, bks: list[int], cs: list[int]) -> tuple | None:
    """The classes that pay all they have for a cost of ``rem`` (in units ``1 / D``) shared by
    ``N`` voters in classes with budgets ``bks`` and sizes ``cs``, found from ``pay``, a close
    float value of what each of the others pays: ``(rem, N, low)`` for the others, ``low``
    marking the capped classes; ``None`` if that does not settle it.

    The capped are the classes below the share of the others, ``ceil(rem' / N')``: start
    from those below a little less than ``pay`` and take that share again until the
    classes below it do not change. Such a set is the only one (it solves
    ``sum min(b, share) = cost``), wherever the search starts; in C loops, without sorting.
    """
    num, den = (pay * (1 - 1e-9)).as_integer_ratio()
    low = list(map(lt, bks, repeat(num * D // den)))
    single = N == len(bks)
    for _ in range(4):
        if single:
            n = N - low.count(True)
            r = rem - sum(compress(bks, low))
        else:
            n = N - sum(compress(cs, low))
            r = rem - sum(map(mul, compress(bks, low), compress(cs, low)))
        if n <= 0:
            return None
        again = list(map(lt, bks, repeat(-(-r // n))))
        if again == low:
            return r, n, low
        low = again
    return None


def _num(x: Fraction) -> Number:
    return x.numerator if x.denominator == 1 else x
