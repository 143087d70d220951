"""Equal Shares in floating point, with a proof of every decision, and its exact replay.

Why
---
An exact MES run spends most of its time in ``Fraction`` arithmetic, yet the
only things that decide an outcome are comparisons: which project has the
lowest price per unit of satisfaction (rho) this round, and whether a
project's supporters can still afford it. :class:`FloatMES` runs the method in
floating point and carries, round by round, a bound on how far every float
differs from the exact value it stands for. A decision is taken only when the
two sides are further apart than their error bounds; if any comparison is too
close to call (a tie, or a near-tie) the run answers ``None`` and the caller
runs the exact engine (:mod:`.mes_engine`) instead. So the outcome is always
the exact one; floats only decide *faster* when the answer is not in doubt.

:func:`replay` then recomputes, exactly, the prices and payments of the
projects the run funded (no search, just the winners in order), which is what
the explanation shows.

Error model
-----------
``E`` bounds the absolute error of every voter's budget. For a project with
``M`` supporters, ``S`` distinct (budget, utility) entries and ``U`` units of
satisfaction from supporters who are not capped, its money sum is off by at
most ``M*E`` plus the rounding of ``S`` additions, and rho (the root of
``sum min(b_i, rho*u_i) = cost``) by at most that divided by ``U``. Paying
``rho*u`` adds at most ``err(rho)*u`` plus one rounding to each payer's
budget error. Every bound is taken several times larger than the worst case.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from math import gcd, lcm
from heapq import heapify, heappop, heappush
from collections import deque
from itertools import chain, compress, repeat
from operator import lt, mul, not_, sub, truediv
from typing import Any

from ..model import Number
from .common import APPROVAL_MEASURES, Prepared
from .mes_engine import RunResult

__all__ = ["FloatMES", "replay"]

_EPS = 4.5e-16  # four times the double-precision unit roundoff
_INF = float("inf")
_ANCHOR = 1e-9  # relative budget error at which float budgets are re-read from the exact state


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
        self.voters_total = sum(mult)

    # ------------------------------------------------------------------
    def _evaluate(self, j: int, bud: list[float], bmax: float, T: float):
        """Price of ``j`` in floating point.

        ``None`` if the supporters' money is short of the cost in floating point
        (``_pending_short`` tells by how much), else ``(rho, A, B, gap, near, T)``:
        the error of rho is at most ``A + B * T'`` for any later error mass
        ``T' >= T``; ``gap`` is how far the poorest supporter is above paying
        (negative if someone is capped); ``near`` is the utility of supporters
        too close to the cap to classify, relative to the surely uncapped.
        """
        cost = self.costs_f[j]
        uni = self.uniform_f[j]
        get = bud.__getitem__
        band = 2 * T + 4 * _EPS * bmax  # how far a budget may be from its exact value
        if uni is not None:
            lst = self.voters[j][0][2]
            x = cost / self.M[j]
            poorest = min(map(get, lst))
            if poorest > x + band:
                # nobody is near the cap: everyone pays x (no need to sort the budgets)
                fixed = 3 * _EPS * (cost + self.M[j] * bmax)
                self._pending = (self.M[j] * (poorest - x), fixed, None, 0, cost, True)
                return x / uni, fixed / self.U[j], 1 / self.U[j], poorest - x, 0.0, T
            vals = sorted(Counter(map(get, lst)).items())
            rem = cost
            N = self.M[j]
            for i, (v, m) in enumerate(vals):
                x = rem / N
                if v >= x:
                    fixed = (len(vals) + 2) * _EPS * (cost + self.M[j] * bmax)
                    self._pending = (N * (v - x), fixed, vals, i, rem, True)
                    near = 0
                    k = i - 1
                    while k >= 0 and vals[k][0] > x - band:
                        near += vals[k][1]
                        k -= 1
                    sure = N
                    k = i
                    while k < len(vals) and vals[k][0] < x + band:
                        sure -= vals[k][1]
                        near += vals[k][1]
                        k += 1
                    if sure <= 0:
                        return x / uni, fixed / (N * uni), _INF, -1.0, _INF, T
                    su = sure * uni
                    return x / uni, fixed / su, 1 / su, (v - x if i == 0 else -1.0), near / sure, T
                rem -= v * m
                N -= m
                if N == 0:
                    break
            return self._unaffordable(j, rem, len(vals), cost, bmax)
        items = []
        for u, _, lst in self.voters[j]:
            for v, m in Counter(map(get, lst)).items():
                items.append((v / u, v, u, m))
        items.sort()
        rem = cost
        Ut = self.U[j]
        for i, (key, v, u, m) in enumerate(items):
            rho = rem / Ut
            if key >= rho:
                fixed = (len(items) + 2) * _EPS * (cost + self.M[j] * bmax)
                self._pending = (Ut * (key - rho), fixed, items, i, rem, False)
                near = 0.0
                sure = Ut
                for key2, v2, u2, m2 in items:
                    if abs(v2 - rho * u2) < band:
                        near += u2 * m2
                        if key2 >= rho:
                            sure -= u2 * m2
                if sure <= 0:
                    return rho, fixed / Ut, _INF, -1.0, _INF, T
                gap = min(it[1] - rho * it[2] for it in items) if i == 0 else -1.0
                return rho, fixed / sure, 1 / sure, gap, near / sure, T
            rem -= v * m
            Ut -= u * m
            if Ut <= 0:
                break
        return self._unaffordable(j, rem, len(items), cost, bmax)

    def _unaffordable(self, j: int, rem: float, S: int, cost: float, bmax: float):
        # money = cost - rem; surely short of the cost only beyond every error
        self._pending_short = (rem, (S + 2) * _EPS * (cost + self.M[j] * bmax))
        return None

    def _affordable_for_sure(self, T: float) -> bool | None:
        """After a successful evaluation: is the money surely enough? (None: cannot tell)."""
        slack, fixed, vals, i, rem, uniform = self._pending
        margin = fixed + T
        if slack > margin:
            return True
        if vals is None:
            return None
        if uniform:
            extra = sum(v * m for v, m in vals[i:]) - rem
        else:
            extra = sum(v * m for _, v, _, m in vals[i:]) - rem
        return True if extra > margin else None

    # ------------------------------------------------------------------
    def run(self, b: Number, *, exact: bool = False) -> tuple[list[int], "ExactState | None"]:
        """Projects funded by MES with per-voter budget ``b``, in order, and the exact state.

        Decisions too close to call in floating point are taken exactly, on an
        :class:`ExactState` created on demand (from the start with ``exact=True``)
        and then kept in step: the float budgets are re-read from it whenever
        their error bound grows. The state is returned (``None`` if no decision
        needed it) so the caller can explain the outcome from it.
        """
        prep = self.prep
        state: ExactState | None = ExactState(prep, self, b) if exact else None
        rank = prep.rank
        costs_f = self.costs_f
        umax = self.umax
        bf = float(b)
        bud = [bf] * len(prep.group_mults)
        bmax = bf
        T0 = self.voters_total * _EPS * bf  # every voter's float budget starts within one rounding
        T = T0  # bound on the sum over voters of |float budget - exact budget|
        remaining = set(self.candidates)
        heap = [(costs_f[j] / self.U[j] * (1 - 1e-12), rank[j], j) for j in self.candidates]
        heapify(heap)
        cache: dict[int, tuple] = {}
        order: list[int] = []
        sup_groups = self.sup_groups
        group_projects = self.group_projects
        while True:
            # candidates: (lo, hi, rank, j, rho or None if affordability is in doubt, nobody capped, near)
            cands = []
            min_hi = _INF
            while heap:
                key, r, j = heap[0]
                if j not in remaining:
                    heappop(heap)
                    continue
                if key > min_hi:
                    break
                heappop(heap)
                info = cache.get(j)
                if info is None or info[5] * 2 < T:
                    res = self._evaluate(j, bud, bmax, T)
                    if res is None:
                        rem, fixed = self._pending_short
                        if rem > fixed + T:
                            remaining.discard(j)  # surely unaffordable, now and later
                        else:
                            cands.append((key, _INF, r, j, None, False, 0.0))
                        continue
                    if self._affordable_for_sure(T) is None:
                        cands.append((max(key, res[0] - res[1] - res[2] * T), _INF, r, j, None, False, 0.0))
                        continue
                    info = cache[j] = res
                rho, A, B, gap, near, _t = info
                err = A + B * T + 1e-15 * rho
                hi = rho + err
                cands.append((rho - err, hi, r, j, rho, gap > 2 * T + A * umax[j], near))
                if hi < min_hi:
                    min_hi = hi
            if not cands:
                return order, state
            contenders = [c for c in cands if c[0] <= min_hi]
            anchor = False
            if len(contenders) == 1 and contenders[0][4] is not None:
                _lo, _hi, _r, w, rho, _free, near = contenders[0]
                # Error mass after paying: the capped supporters' errors vanish (they
                # are left with exactly 0) and move, through rho, onto the uncapped
                # ones, so the mass only grows by rounding, unless some supporters
                # were too close to the cap to classify.
                A = cache[w][1]
                T += A * self.U[w] + 2 * _EPS * self.M[w] * bmax + (T * (1 + near) if near else 0.0)
            else:
                # too close to call: decide exactly. When no supporter is capped, rho is
                # simply cost / total utility; otherwise bring the exact state up to date.
                best = None
                for c in contenders:
                    q = c[3]
                    if c[5]:
                        rq = Fraction(prep.costs[q], prep.score[q])
                    else:
                        if state is None:
                            state = ExactState(prep, self, b)
                            for x in order:
                                state.fund(x)
                        anchor = True
                        rq = state.rho(q)
                    if rq is None:
                        remaining.discard(q)
                    elif best is None or (rq, c[2]) < best[:2]:
                        best = (rq, c[2], q, c[5])
                if best is None:
                    for c in cands:
                        if c[3] in remaining:
                            heappush(heap, (c[0], c[2], c[3]))
                    continue
                w = best[2]
                rho = float(best[0])
                T += 4 * _EPS * (rho * self.U[w] + self.M[w] * bmax)
                if not best[3]:
                    anchor = True  # some supporters are capped: re-read the budgets below
            for c in cands:
                if c[3] != w and c[3] in remaining:
                    heappush(heap, (c[0], c[2], c[3]))
            remaining.discard(w)
            order.append(w)
            # charge the supporters
            uni = self.uniform_f[w]
            sg = sup_groups[w]
            if uni is not None:
                x = rho * uni
                for g in sg:
                    v = bud[g]
                    bud[g] = v - x if v > x else 0.0
            else:
                for g, u in zip(sg, self.sup_utils[w]):
                    p = rho * u
                    v = bud[g]
                    bud[g] = v - p if v > p else 0.0
            cache.pop(w, None)
            if cache:
                for q in set().union(*map(group_projects.__getitem__, sg)):
                    cache.pop(q, None)
            if state is not None:
                state.fund(w)
                if anchor or T > _ANCHOR * bmax:
                    bud = state.float_budgets()
                    T = T0
                    cache.clear()


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

    def price(self, j: int) -> tuple | None:
        """The supporters of ``j`` who can pay, or ``None`` if they cannot afford it.

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
            # the poorest pay all they have, until the others can share the rest; sort the
            # budgets alone (plain ints compare fastest) when every class is one voter
            if N == len(bks):
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

    def fund(self, w: int) -> None:
        """Fund ``w`` at its price: capped supporters pay all they have, the others rho x utility."""
        p = self.price(w)
        if p is None:
            raise ArithmeticError("a funded project is not affordable")  # never: decisions were proven
        beta = self.beta
        epoch = self.epoch
        scales = self.scales
        class_of = self.class_of
        u = self.prep.uniform[w]
        paid: dict[int, int] = {}
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
                paid[bk] = paid.get(bk, 0) + cnt
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
                paid[bk] = paid.get(bk, 0) + cnt
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
        self.rounds.append({
            "round": len(self.order),
            "project": self.prep.ids[w],
            "rho": _num(rho),
            "payments": [{"group_size": c, "paid_each": _num(Fraction(a, D))}
                         for a, c in sorted(paid.items(), reverse=True)],
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


def _num(x: Fraction) -> Number:
    return x.numerator if x.denominator == 1 else x


def replay(prep: Prepared, fast: "FloatMES", b: Number, order: list[int]) -> RunResult:
    """Exact prices, payments and money left of MES with per-voter budget ``b`` funding ``order``."""
    state = ExactState(prep, fast, b)
    for w in order:
        state.fund(w)
    return state.result()
