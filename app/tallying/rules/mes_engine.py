"""Exact Method of Equal Shares (MES) and its Add1 completion.

Representation (why it is fast)
-------------------------------
Voters who have paid exactly the same amounts so far have the same money left,
so they form one *class* with one budget. Every project keeps, for its
supporters, a small map ``class -> number of supporters`` (or
``(class, utility) -> number`` when supporters value it differently), so the
price of a project is computed from a handful of classes instead of thousands
of voters. Funding a project moves its supporters into a new class; when a
whole class supports it, the class budget is simply updated in place.
Arithmetic is exact (``int`` / ``Fraction``) everywhere.

Add1 without running MES hundreds of thousands of times
-------------------------------------------------------
Add1 runs MES with per-voter budget ``b0 = budget/n``, then ``b0 + 1``,
``b0 + 2``... and stops at the first exhaustive outcome (or returns the
previous outcome if one overspends). With budgets in forints that is hundreds
of thousands of runs. We run MES *parametrically*: with per-voter budget
``b + t`` every quantity of the run (class budgets, the price ``rho`` of the
winner of each round) is an affine function of ``t`` as long as the run takes
the same decisions. Each decision is a comparison of affine (or, for the
projects that lose a round, concave piecewise-affine) functions of ``t``, so
we can compute exactly the largest integer ``T`` such that every run with
``t = 0, 1, ..., T`` takes the same decisions and therefore has the same
outcome. The next run that can differ is ``b + T + 1``: all increments in
between are skipped *with proof*, and the returned outcome is exactly the one
of the one-unit-at-a-time definition (tests compare both on random elections).

The bound is conservative (it may stop earlier than necessary, never later):

* winner's price: with fixed sets of capped/uncapped supporter classes, rho is
  affine; the classification stays valid while each affine inequality
  ``budget <= rho * u`` (capped) or ``>=`` (uncapped) holds;
* a losing project ``q`` keeps losing while
  ``g(t) = sum_i min(budget_i(t), rho_winner(t) * u_i) < cost(q)``; ``g`` is
  concave, so its tangent at ``t = 0`` bounds it from above for all ``t``;
* a project that its supporters cannot afford stays so while
  ``sum_i budget_i(t) < cost`` (affine).
"""

from __future__ import annotations

from fractions import Fraction
from heapq import heapify, heappop, heappush
from typing import Any

from ..model import Number
from .common import Prepared

INF = None  # "no limit" for the stability bound

__all__ = ["MESEngine", "RunResult"]


class RunResult:
    """What one MES run produced."""

    __slots__ = ("order", "rhos", "limit", "rounds", "money_left", "dropped")

    def __init__(self) -> None:
        self.order: list[int] = []  # funded projects, in order
        self.rhos: list[Number] = []  # price per unit of satisfaction of each
        self.limit: int | None = INF  # largest integer t with the same decisions (parametric runs)
        self.rounds: list[dict[str, Any]] = []  # explanation of each round (recorded runs)
        self.money_left: dict[int, Number] = {}  # supporters' money left at the end, per unfunded project
        self.dropped: dict[int, int] = {}  # round in which a project became unaffordable


def _floor_div(a: Number, b: Number) -> int:
    """floor(a / b) for b > 0, exact."""
    return int(Fraction(a) // Fraction(b)) if not (isinstance(a, int) and isinstance(b, int)) else a // b


def _strict_limit(a: Number, b: Number) -> int | None:
    """Largest integer t >= 0 with a - b * t > 0, given a > 0 (``None`` if b <= 0)."""
    if b <= 0:
        return None
    # t < a / b  ->  ceil(a / b) - 1
    return -_floor_div(-a, b) - 1


def _g_at(entries: list, rho0: Number, rho1: Number, t: Number) -> tuple[Number, Number]:
    """Value and right slope at ``t`` of g(t) = sum cnt * min(b + s t, (rho0 + rho1 t) u)."""
    rho = rho0 + rho1 * t
    g: Number = 0
    gs: Number = 0
    for bk, sk, u, cnt in entries:
        bt = bk + sk * t if t else bk
        pay = rho * u
        if bt < pay:
            g += cnt * bt
            gs += cnt * sk
        elif bt > pay:
            g += cnt * pay
            gs += cnt * rho1 * u
        else:
            g += cnt * bt
            gs += cnt * min(sk, rho1 * u)
    return g, gs


_UNSURE = object()
_REL = 1e-9  # relative error margin, far above double rounding (~1e-16 per operation)


def _strict_limit_f(a: float, b: float) -> int | None:
    """Safe version of :func:`_strict_limit` in floats: largest t with a - b t > 0 (a > 0)."""
    if b <= 0:
        return None
    x = a / b
    if x > 1e15:
        return None if b < 1e-300 else int(1e15)
    return max(int(x * (1 - 1e-12) - 1e-9), 0)


def _winner_limit_fast(items, n_capped: int, rho: float, rho1: float, beta_f, slope_f) -> int | None:
    """Largest t for which the winner's capped/uncapped split stays valid (safe, in floats)."""
    limit: int | None = None
    for idx, (_bk, k, u, _cnt) in enumerate(items):
        b = beta_f[k]
        s = slope_f[k]
        pay = rho * u
        pay1 = rho1 * u
        if idx < n_capped:
            a, sl = pay - b, pay1 - s
        else:
            a, sl = b - pay, s - pay1
        ea = (abs(b) + abs(pay)) * _REL + 1e-12
        es = (abs(s) + abs(pay1)) * _REL + 1e-15
        if sl - es >= 0:
            continue  # surely non-decreasing gap
        a -= ea
        if a <= 0:
            return 0
        cap = int(a / (es - sl) * (1 - 1e-12))
        if limit is None or cap < limit:
            limit = cap
            if cap == 0:
                return 0
    return limit


def _loser_limit_fast(cost: float, uni, Eq, beta_f, slope_f, rho0, rho1, current):
    """Floating-point version of ``MESEngine._loser_limit`` with safe margins.

    Returns ``_UNSURE`` when the margins are too thin to decide; the caller
    then uses the exact computation.
    """
    A0 = A1 = g0 = g1 = 0.0
    mag0 = mag1 = 0.0
    entries = []
    for key, cnt in Eq.items():
        if uni is not None:
            k, u = key, uni
        else:
            k, u = key
        bk = beta_f[k]
        sk = slope_f[k]
        if bk == 0.0 and sk == 0.0:
            continue
        A0 += cnt * bk
        A1 += cnt * sk
        entries.append((bk, sk, u, cnt))
        if rho0 is not None:
            pay = rho0 * u
            pay1 = rho1 * u
            tol = (bk + abs(pay)) * 1e-12
            if bk < pay - tol:
                g0 += cnt * bk
                g1 += cnt * sk
            elif bk > pay + tol:
                g0 += cnt * pay
                g1 += cnt * pay1
            else:  # too close to tell which is smaller: take safe upper bounds
                g0 += cnt * max(bk, pay)
                g1 += cnt * max(sk, pay1)
            mag0 += cnt * (abs(bk) + abs(pay))
            mag1 += cnt * (abs(sk) + abs(pay1))
        else:
            mag0 += cnt * abs(bk)
            mag1 += cnt * abs(sk)
    e0 = mag0 * _REL + 1e-9
    e1 = mag1 * _REL + 1e-12
    if A0 + e0 < cost:
        lim_a = _strict_limit_f(cost - (A0 + e0), A1 + e1)
    elif A0 - e0 >= cost:
        lim_a = -1
    else:
        return _UNSURE
    if rho0 is None or lim_a is None:
        return lim_a
    if g0 + e0 >= cost:
        return _UNSURE  # a tie (or nearly): decide exactly
    lim_g = _strict_limit_f(cost - (g0 + e0), g1 + e1)
    for _ in range(6):
        if lim_g is None or (current is not None and lim_g >= current) or lim_g < lim_a:
            break
        t1 = lim_g + 1
        rho_t = rho0 + rho1 * t1
        gt = gs = m0 = m1 = 0.0
        for bk, sk, u, cnt in entries:
            bt = bk + sk * t1
            pay = rho_t * u
            tol = (abs(bt) + abs(pay)) * 1e-12
            if bt < pay - tol:
                gt += cnt * bt
                gs += cnt * sk
            elif bt > pay + tol:
                gt += cnt * pay
                gs += cnt * rho1 * u
            else:
                gt += cnt * max(bt, pay)
                gs += cnt * max(sk, rho1 * u)
            m0 += cnt * (abs(bk) + abs(sk * t1) + abs(pay))
            m1 += cnt * (abs(sk) + abs(rho1 * u))
        gt += m0 * _REL + 1e-9
        gs += m1 * _REL + 1e-12
        if gt >= cost:
            break
        further = _strict_limit_f(cost - gt, gs)
        lim_g = None if further is None else t1 + further
    if lim_g is None:
        return None
    return max(lim_a, lim_g)


class MESEngine:
    """Runs MES on a prepared election for any per-voter budget."""

    def __init__(self, prep: Prepared, candidates: list[int] | None = None) -> None:
        self.prep = prep
        J = len(prep.ids)
        # MES ignores projects nobody supports (pabutools does the same).
        self.candidates = candidates if candidates is not None else [j for j in range(J) if prep.score[j] > 0]
        self.total_util = [sum(prep.groups[g][0] * u for g, u in prep.proj_groups[j]) for j in range(J)]
        self.active_voters = sum(m for m, _ in prep.groups)
        self.debug: list | None = None  # set to [] to record which decision bounds each Add1 skip

    # ------------------------------------------------------------------
    def run(self, b: Number, *, param: bool = False, record: bool = False) -> RunResult:
        """Run MES with per-voter budget ``b``.

        With ``param=True`` also compute ``result.limit``: the largest integer
        ``T`` such that MES with per-voter budget ``b + t`` takes exactly the
        same decisions for every integer ``0 <= t <= T`` (``None`` = no limit).
        """
        prep = self.prep
        costs = prep.costs
        uniform = prep.uniform
        rank = prep.rank
        groups = prep.groups
        proj_groups = prep.proj_groups
        res = RunResult()

        # class state: budget value at t=0, slope in t, number of voters
        beta: list[Number] = [b]
        slope: list[Number] = [1]
        # float mirrors: the stability bounds are computed in floating point with
        # generous error margins (a bound only has to be safe, not tight)
        beta_f: list[float] = [float(b)]
        slope_f: list[float] = [1.0]
        size: list[int] = [self.active_voters]
        class_of = [0] * len(groups)
        BROKE = -1

        E: list[dict[Any, int] | None] = [None] * len(costs)
        remaining: set[int] = set()
        heap: list[tuple[Number, int, int, int]] = []
        for j in self.candidates:
            if uniform[j] is not None:
                E[j] = {0: sum(groups[g][0] for g, _ in proj_groups[j])}
            else:
                d: dict[Any, int] = {}
                for g, u in proj_groups[j]:
                    key = (0, u)
                    d[key] = d.get(key, 0) + groups[g][0]
                E[j] = d
            remaining.add(j)
            # rho can only grow during a run, so cost / total utility is a lower bound
            heap.append((Fraction(costs[j], self.total_util[j]), rank[j], j, -1))
        heapify(heap)

        limit: int | None = INF
        unfunded = list(self.candidates)
        round_no = 0
        while True:
            round_no += 1
            winner = -1
            info: tuple | None = None
            while heap:
                key, r, j, stamp = heappop(heap)
                if j not in remaining:
                    continue
                if stamp == round_no:
                    winner = j
                    break
                # fast look in floating point; exact arithmetic only where it decides
                fast = self._price_float(j, E[j], beta, slope, beta_f, param)
                if fast is None:
                    remaining.discard(j)
                    res.dropped[j] = round_no
                    continue
                if fast is not _UNSURE and heap and stamp != -2 - round_no:
                    low = fast[0] * (1 - 1e-9)
                    if low > heap[0][0]:
                        # surely dearer than the best lower bound: put back with a safe lower bound
                        heappush(heap, (low, r, j, -2 - round_no))
                        continue
                info = None if fast is _UNSURE else self._exact_from(j, fast, beta, slope, param)
                if info is None:
                    info = self._price(j, E[j], beta, slope, param)
                if info is None:
                    remaining.discard(j)
                    res.dropped[j] = round_no
                    continue
                rho = info[0]
                if not heap or (rho, r) < heap[0][:2]:
                    winner = j
                    break
                heappush(heap, (rho, r, j, round_no))
                info = None
            if winner >= 0 and info is None:
                info = self._price(winner, E[winner], beta, slope, param)
            if param:
                # every project not yet funded must keep not winning this round
                rho0, rho1 = (info[0], info[1]) if info is not None else (None, None)
                rho0_f = None if rho0 is None else float(rho0)
                rho1_f = None if rho1 is None else float(rho1)
                for q in unfunded:
                    if q == winner:
                        continue
                    Eq = E[q]
                    if Eq is None:
                        continue
                    first = winner < 0 or rank[winner] < rank[q]
                    lim = _loser_limit_fast(self.prep.costs_f[q], self.prep.uniform[q], Eq, beta_f, slope_f,
                                            rho0_f, rho1_f, limit)
                    if lim is _UNSURE:
                        lim = self._loser_limit(q, Eq, beta, slope, rho0, rho1, limit, first)
                    if lim is not None and (limit is None or lim < limit):
                        limit = lim
                        if self.debug is not None:
                            self.debug.append((round_no, lim, "loser", q))
                    if limit == 0:
                        break
                if limit == 0:
                    param = False  # nothing more to learn: finish as a plain run
            if winner < 0:
                break

            rho, rho1, items, n_capped, uni_u = info  # type: ignore[misc]
            if param:
                lim = _winner_limit_fast(items, n_capped, float(rho), float(rho1), beta_f, slope_f)
                if lim is not None and (limit is None or lim < limit):
                    limit = lim
                    if self.debug is not None:
                        self.debug.append((round_no, lim, "winner", winner))
            remaining.discard(winner)
            if param:
                unfunded.remove(winner)
            res.order.append(winner)
            res.rhos.append(rho)
            if record:
                res.rounds.append(self._record_round(winner, rho, items, n_capped, round_no))

            # --- charge the supporters, moving them to new classes -------------
            moves: dict[Any, int] = {}
            for idx, (bk, k, u, cnt) in enumerate(items):
                key = k if uni_u is not None else (k, u)
                if idx < n_capped:
                    nb: Number = 0
                    ns: Number = 0
                    broke = True
                else:
                    nb = bk - rho * u
                    ns = slope[k] - rho1 * u if param else 0
                    broke = nb == 0 and ns == 0
                if cnt == size[k]:
                    beta[k] = nb
                    slope[k] = ns
                    beta_f[k] = float(nb)
                    if param:
                        slope_f[k] = float(ns)
                    moves[key] = k
                else:
                    size[k] -= cnt
                    if broke:
                        moves[key] = BROKE
                    else:
                        beta.append(nb)
                        slope.append(ns)
                        beta_f.append(float(nb))
                        slope_f.append(float(ns) if param else 0.0)
                        size.append(cnt)
                        moves[key] = len(beta) - 1
            Ew = E[winner]
            E[winner] = None
            for g, u in proj_groups[winner]:
                k = class_of[g]
                if k == BROKE:
                    continue
                key = k if uni_u is not None else (k, u)
                k2 = moves.get(key)
                if k2 is None or k2 == k:
                    continue
                class_of[g] = k2
                m, utils = groups[g]
                for q, uq in utils:
                    Eq = E[q]
                    if Eq is None:
                        continue
                    if uniform[q] is not None:
                        old, new = k, k2
                    else:
                        old, new = (k, uq), (k2, uq)
                    left = Eq.get(old, 0) - m
                    if left > 0:
                        Eq[old] = left
                    else:
                        Eq.pop(old, None)
                    if k2 != BROKE:
                        Eq[new] = Eq.get(new, 0) + m
            del Ew

        res.limit = limit
        if record:
            for j in self.candidates:
                Ej = E[j]
                if Ej is None:
                    continue
                res.money_left[j] = sum((cnt * beta[key if uniform[j] is not None else key[0]] for key, cnt in Ej.items()), 0)
        return res

    # ------------------------------------------------------------------
    def _price_float(self, j: int, Ej, beta, slope, beta_f, param: bool):
        """Price of ``j`` in floating point: ``None`` if surely unaffordable,
        ``_UNSURE`` if too close to call, else ``(rho, items, n_capped)`` with
        items ``(key, class, utility, count)`` sorted by budget / utility."""
        assert Ej is not None
        uni = self.prep.uniform[j]
        items = []
        dead = []
        total_u: Number = 0
        A = 0.0
        if uni is not None:
            uf = float(uni)
            for k, cnt in Ej.items():
                bf = beta_f[k]
                if bf == 0.0 and beta[k] == 0 and (not param or slope[k] == 0):
                    dead.append(k)
                    continue
                items.append((bf / uf, k, uni, cnt))
                A += cnt * bf
                total_u += cnt
            total_u *= uni
        else:
            for key, cnt in Ej.items():
                k, u = key
                bf = beta_f[k]
                if bf == 0.0 and beta[k] == 0 and (not param or slope[k] == 0):
                    dead.append(key)
                    continue
                items.append((bf / float(u), k, u, cnt))
                A += cnt * bf
                total_u += cnt * u
        for key in dead:
            del Ej[key]
        cost_f = self.prep.costs_f[j]
        if A < cost_f * (1 - 1e-9):
            return None
        if A <= cost_f * (1 + 1e-9):
            return _UNSURE
        items.sort(key=lambda it: it[0])
        rem = cost_f
        tu = float(total_u)
        for idx, (key, k, u, cnt) in enumerate(items):
            if rem <= key * tu:
                return rem / tu, items, idx
            uf = float(u)
            rem -= cnt * key * uf
            tu -= cnt * uf
        return _UNSURE

    def _exact_from(self, j: int, fast, beta, slope, param: bool):
        """Exact price from the split found in floating point, checked exactly
        near the boundary; ``None`` if the check fails (then use ``_price``)."""
        _rho_f, fitems, idx = fast
        cost = self.prep.costs[j]
        capped: Number = 0
        for it in fitems[:idx]:
            capped += it[3] * beta[it[1]]
        U: Number = 0
        for it in fitems[idx:]:
            U += it[3] * it[2]
        if U <= 0 or capped > cost:
            return None
        rho = Fraction(cost - capped) / U
        if rho.denominator == 1:
            rho = rho.numerator
        rho_f = float(rho)
        hi = rho_f * (1 + 1e-9)
        lo = rho_f * (1 - 1e-9)
        i = idx - 1
        while i >= 0 and fitems[i][0] >= lo:
            _, k, u, _ = fitems[i]
            if beta[k] > rho * u:
                return None
            i -= 1
        i = idx
        while i < len(fitems) and fitems[i][0] <= hi:
            _, k, u, _ = fitems[i]
            if beta[k] < rho * u:
                return None
            i += 1
        items = [(beta[k], k, u, cnt) for _, k, u, cnt in fitems]
        rho1: Number = 0
        if param and idx:
            s: Number = 0
            for it in fitems[:idx]:
                s += it[3] * slope[it[1]]
            rho1 = Fraction(-s) / U if s else 0
        uni = self.prep.uniform[j]
        return rho, rho1, items, idx, uni

    def _price(self, j: int, Ej: dict[Any, int] | None, beta: list[Number], slope: list[Number], param: bool):
        """Smallest rho such that the supporters of ``j`` can pay its cost.

        Returns ``None`` when they cannot (not enough money left), else
        ``(rho, rho_slope, items, n_capped, uniform_utility)`` where ``items``
        are ``(budget, class, utility, count)`` sorted by budget / utility and
        the first ``n_capped`` of them pay everything they have.
        """
        assert Ej is not None
        cost = self.prep.costs[j]
        uni = self.prep.uniform[j]
        items: list[tuple[Number, int, Number, int]] = []
        dead = []
        if uni is not None:
            for k, cnt in Ej.items():
                bk = beta[k]
                if bk == 0 and (not param or slope[k] == 0):
                    dead.append(k)
                    continue
                items.append((bk, k, uni, cnt))
            for k in dead:
                del Ej[k]
            items.sort(key=lambda it: it[0])
        else:
            for key, cnt in Ej.items():
                k, u = key
                bk = beta[k]
                if bk == 0 and (not param or slope[k] == 0):
                    dead.append(key)
                    continue
                items.append((bk, k, u, cnt))
            for key in dead:
                del Ej[key]
            items.sort(key=lambda it: Fraction(it[0]) / it[2])
        total_u: Number = 0
        for _, _, u, cnt in items:
            total_u += cnt * u
        rem: Number = cost
        for idx, (bk, k, u, cnt) in enumerate(items):
            # candidate rho = rem / total_u is affordable for this class iff rho * u <= bk
            if rem * u <= bk * total_u:
                rho = Fraction(rem) / total_u
                if rho.denominator == 1:
                    rho = rho.numerator
                rho1: Number = 0
                if param and idx:
                    s = 0
                    for it in items[:idx]:
                        s += it[3] * slope[it[1]]
                    rho1 = Fraction(-s) / total_u if s else 0
                return rho, rho1, items, idx, uni
            rem -= cnt * bk
            total_u -= cnt * u
        return None

    def _loser_limit(self, q, Eq, beta, slope, rho0, rho1, current, winner_first=True) -> int | None:
        """Largest integer ``t`` up to which project ``q`` keeps not winning this round.

        ``rho0 is None`` means the round has no winner (the run ends): then
        ``q`` must stay unaffordable. Otherwise ``q`` must keep losing to the
        winner, whose price is ``rho0 + rho1 * t``: with
        ``g(t) = sum_i min(budget_i(t), rho(t) * u_i)``, ``q`` loses while
        ``g(t) < cost(q)`` (it won a tie at ``t = 0`` only if ``g(0) = cost``).
        Returns ``None`` for "no limit".
        """
        cost = self.prep.costs[q]
        uni = self.prep.uniform[q]
        entries = []
        A0: Number = 0
        A1: Number = 0
        for key, cnt in Eq.items():
            if uni is not None:
                k, u = key, uni
            else:
                k, u = key
            bk = beta[k]
            sk = slope[k]
            if bk == 0 and sk == 0:
                continue
            A0 += cnt * bk
            A1 += cnt * sk
            entries.append((bk, sk, u, cnt))
        lim_a: int | None = -1
        if A0 < cost:
            lim_a = _strict_limit(cost - A0, A1)
        if rho0 is None or lim_a is None:
            return lim_a
        g0, g1 = _g_at(entries, rho0, rho1, 0)
        if g0 >= cost:
            # q ties with the winner at t = 0 and loses the tie-break. It keeps
            # losing while g(t) <= cost (concave g: its slope at 0 must not be
            # positive) and, when g(t) = cost, while at least one supporter is
            # not capped (otherwise q's price would drop below the winner's).
            if not winner_first or g1 > 0:
                return 0
            if g1 < 0:
                return None
            best: int | None = -1
            for bk, sk, u, cnt in entries:
                gap0 = bk - rho0 * u
                if gap0 < 0:
                    continue
                gap1 = sk - rho1 * u
                if gap1 >= 0:
                    return None
                cap = _floor_div(gap0, -gap1)
                if best is not None and cap > best:
                    best = cap
            return max(best, 0) if best is not None else None
        lim_g = _strict_limit(cost - g0, g1)
        # g is concave: its tangent at t bounds it for all later t; move along
        # a few tangents when this bound is the one that matters
        for _ in range(6):
            if lim_g is None or (current is not None and lim_g >= current) or lim_g < lim_a:
                break
            t1 = lim_g + 1
            gt, gs = _g_at(entries, rho0, rho1, t1)
            if gt >= cost:
                break
            further = _strict_limit(cost - gt, gs)
            lim_g = None if further is None else t1 + further
        if lim_g is None:
            return None
        return max(lim_a, lim_g)

    def _record_round(self, winner: int, rho: Number, items, n_capped: int, round_no: int) -> dict[str, Any]:
        paid: dict[Number, int] = {}
        before: Number = 0
        share: dict[Number, Number] = {}
        for idx, (bk, k, u, cnt) in enumerate(items):
            if idx < n_capped:
                amount = bk
            else:
                amount = share.get(u)
                if amount is None:
                    amount = share[u] = rho * u
            paid[amount] = paid.get(amount, 0) + cnt
            before += cnt * bk
        norm = {a: (a.numerator if isinstance(a, Fraction) and a.denominator == 1 else a) for a in paid}
        return {
            "round": round_no,
            "project": self.prep.ids[winner],
            "rho": rho,
            "payments": [{"group_size": c, "paid_each": norm[a]} for a, c in sorted(paid.items(), reverse=True)],
            "supporters_money_before": before,
        }
