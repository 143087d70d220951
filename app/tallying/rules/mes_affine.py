"""Equal Shares over a range of per-voter budgets, with budget bounds that are lines.

:func:`run_affine` proves that MES funds the same projects, in the same order,
for every per-voter budget ``b + t``, ``t = 0 .. w``, and finds ``w`` (at most
the width asked for) as it goes. It is what lets the Add1 search skip
increments on elections where the outcome changes every few increments.

Why lines
---------
:meth:`FloatMES.run_interval` carries a lowest and a highest budget per voter,
from the two ends of the range, and compares the winner's highest price with
every other project's lowest. Near a change of outcome (where every new
segment of increments starts) two prices are close at ``t = 0`` and the
comparison of one end with the other fails for any width. Here, every voter's
budget is bounded by two *lines* in ``t``, ``L(t) <= b(t) <= U(t)``, both
(nearly) exact at ``t = 0``. The argument, with ``b(t)`` the exact budgets of
a fixed sequence of winners:

* budgets rise with ``t`` and prices fall with it (more money, same payments);
* for budget lines, the price ``rho(t)`` (the root of
  ``sum min(L_i(t), rho * u_i) = cost``) is a convex function of ``t``: the set
  where that sum reaches the cost is convex, the sum being concave in
  ``(rho, t)``. So the winner's price lies below the *chord* between its
  prices on ``L(0)`` and ``L(W)``, and every other project's above the
  *tangent* of its price on ``U`` at ``t = 0``; the slope of that tangent is
  ``-(sum of the capped supporters' budget slopes) / (utility of the
  others)``, bounded safely by counting every supporter near the cap as capped;
* a decision holds for every ``t`` where the chord is below every tangent: a
  comparison of lines, so the range shrinks exactly to where it stops. Where
  the tangent at 0 is not enough, the tangent at ``t = W`` is added (its slope
  bounded the other way, counting only supporters surely capped there);
* after paying, ``max(0, b - rho * u)`` is bounded above by the chord of
  ``max(0, U - tangent * u)`` (a convex function) and below by
  ``L - chord * u`` where the supporter surely pays in full at ``t = 0``, by
  ``0`` where surely capped, and by the lesser of the two in between. The
  lines stay exact at ``t = 0``: the tangent and the chord start at the exact
  price there;
* a project its supporters cannot afford at ``t = 0`` may become affordable
  further on: their money is at most a line too, so it stays short up to where
  that line reaches the cost; beyond, its price is above the tangent at ``W``
  (a convex function where finite);
* exact ties at ``t = 0`` (prices that are simply cost / paying utility) are
  broken by the tie-breaking order, and hold further on when the loser's price
  cannot fall (nobody capped, or a flat tangent).

The budgets at ``t = 0`` are one float list with an error mass (as in
:meth:`FloatMES.run`), the lines' ends at ``t = W`` two more lists with their
own error masses. A decision too close to call at ``t = 0`` gives up (``None``):
the caller then runs :meth:`FloatMES.run`, which settles it exactly.

A run also tells how far each round's decision was proven; the next run, which
starts where this one's range ended, takes the rounds proven over its whole
range as known and only pays them (about half the cost of deciding them).

Before any of that, the *static* rounds (:meth:`FloatMES.static_prefix`: the
project with the lowest ``cost / utility`` left, its supporters all able to pay
that share) are taken as they are: they hold for every budget from ``b`` on, so
they are neither decided nor paid round by round, and the budgets after them are
exact lines ``b + t - paid``. Two things follow from those exact lines:

* a project whose supporters have less than its cost at the range's end right
  after the static rounds cannot be afforded anywhere on the range (later rounds
  only take money away): it leaves at once;
* a project's price right after the static rounds is convex in the budget for
  every later run too, so its tangent from an earlier run is a lower bound at
  every larger budget, and at every later round (prices only rise round by
  round). Those tangents are kept on the :class:`FloatMES` and tighten the lower
  bounds a run starts from. (The lower bounds a run records at a round's start
  hold only on the range that run had then, which it records with them: a later
  run takes them over only where they hold on all of its own range.)

Only for elections where every supporter of a project has the same utility
(approval ballots), where the capped supporters are simply the poorest.
"""

from __future__ import annotations

from fractions import Fraction
from heapq import heapify, heappush
from bisect import bisect_left
from math import ceil
from typing import Sequence

from ..model import Number
from .mes_float import _EPS, _INF, FloatMES, _pop_below

__all__ = ["run_affine"]

_SAFE = 1e-12  # relative slack on every line compared (far above any rounding)


class _Bounds:
    """What a run knows of one project's price ``rho(t)`` on the range.

    ``lo <= rho(0) <= hi`` (``hi`` only while ``fresh``: no neighbour funded since; ``inf``
    when the project is short of money at ``t = 0``, then up to ``t_a`` at least);
    ``rho(t) >= lo + g * t`` (the tangent at 0) and, once worked out, ``>= a_W + s_W * t``
    (the tangent at the range's end); ``const``: the price is the same at every ``t``
    (nobody capped); ``exact0``: the exact price at ``t = 0`` as ``(cost, paying
    utility)``; ``rho``, ``A``, ``near``: the float price at ``t = 0`` and its error terms
    (``FloatMES._evaluate``), for paying it.
    """

    __slots__ = ("lo", "hi", "g", "const", "exact0", "rho", "A", "near", "t_a", "a_W", "s_W", "fresh")

    def __init__(self, lo: float, hi: float, g: float, const: bool | None, exact0: tuple | None,
                 rho: float, A: float, near: float, t_a: float = 0.0) -> None:
        self.lo, self.hi, self.g, self.const, self.exact0 = lo, hi, g, const, exact0
        self.rho, self.A, self.near, self.t_a = rho, A, near, t_a
        self.a_W: float | None = None
        self.s_W = 0.0
        self.fresh = True


# (winner, proven up to t, (b, w, heap): lower bounds at the round's start, valid for the
# per-voter budgets up to b + w, in the run's own terms; None for a static round)
Round = tuple[int, int, tuple | None]


def run_affine(fast: FloatMES, b: Number, width: int,
               known: Sequence[Round] = ()) -> tuple[list[int], int, list[Round]] | None:
    """``(order, w, rounds)``: MES funds ``order`` for every per-voter budget ``b + t``,
    ``0 <= t <= w``, with ``w <= width`` as large as this run could show; ``None`` if a
    decision at ``t = 0`` is too close to call in floating point.

    ``rounds[r]``: ``(winner, until, snapshot)``: the winner of round ``r`` is proven up to
    ``t = until`` (given the winners before it; at least ``w``), and ``snapshot`` is
    ``(b, w0, heap)``: ``heap`` holds lower bounds of every other project's price at the
    start of that round, valid for per-voter budgets up to ``b + w0`` (the range the run had
    then, which may be less than ``until`` for a round an earlier run proved).
    ``known``: such triples from an earlier run, ``until`` shifted to this ``b``; the rounds
    they prove on the whole range are only paid, not decided again, and the first round
    decided again starts from the lower bounds known for it if they hold that far.
    """
    prep = fast.prep
    rank = prep.rank
    U, M, uni_f, costs_f = fast.U, fast.M, fast.uniform_f, fast.costs_f
    voters = fast.voters
    evaluate = fast._evaluate
    G = len(prep.group_mults)
    n = fast.voters_total
    W = width
    top = b + width
    bmax = float(top)
    B0 = [float(b)] * G  # budgets at t = 0 (error mass T0)
    LW = [bmax] * G  # the lower line's end at t = W (error mass TL)
    UW = [bmax] * G  # the upper line's end at t = W (error mass TU)
    T0 = TL = TU = n * _EPS * bmax
    step_mass = 2 * _EPS * bmax
    remaining = set(fast.candidates)
    # cost / utility: the lowest price a project can ever have, a lower bound for any t
    heap = [(costs_f[j] / U[j] * (1 - _SAFE), rank[j], j) for j in fast.candidates]
    heapify(heap)
    info: dict[int, _Bounds] = {}
    # the first rounds are the same for every budget from b on (FloatMES.static_prefix): they
    # are taken as they are, and the budgets after them are exact lines (b + t - paid)
    static, paid = fast.static_prefix(b)
    order = list(static)
    rounds: list[Round] = [(w, _INF, None) for w in order]
    b_f = float(b)
    if order:
        remaining.difference_update(order)
        B0 = [b_f - x for x in paid]
        LW = [bmax - x for x in paid]
        UW = LW[:]
        # (each voter's budget within len(order) + 3 roundings: twice that)
        T0 = TL = TU = (len(order) + 3) * n * _EPS * bmax / 2
    # a project whose supporters have less than its cost even at the range's end, right after
    # the static rounds, never has more on this range (later rounds only take money away)
    owed = fast._static.paid_by_supporters(len(order))
    Mv = fast.M
    remaining.difference_update([j for j in remaining if Mv[j] * bmax * (1 + 1e-9) - owed[j] < costs_f[j]])
    zeros_exact = True  # a float budget of 0 at t = 0 is an exact 0 (no doubtful cap so far)
    fast._near_cap = set()
    fast._flat = None

    def price(j: int) -> _Bounds | None | bool:
        """Fresh bounds of ``j``; ``False`` if ``j`` cannot be afforded on the range
        (after shrinking it if need be); ``None`` if that cannot be told at ``t = 0``."""
        res = evaluate(j, B0, bmax, T0)
        if res is None:
            rem, fixed = fast._pending_short
            if rem <= fixed + T0:
                return None
            if not W:
                return False
            # short at t = 0; the supporters' money is at most a line in t: short for t < t_a
            lst = voters[j][0][2]
            cost = costs_f[j]
            m0 = cost - rem + fixed + T0  # most money at t = 0
            mW = sum(map(UW.__getitem__, lst)) * (1 + _SAFE) + TU + len(lst) * step_mass
            if mW < cost:
                return False  # short on the whole range
            t_a = W * (cost - m0) / (mW - m0)
            resW = evaluate(j, UW, bmax, TU)
            if resW is None:
                rem, fixed = fast._pending_short
                if rem > fixed + TU:
                    return False
            elif fast._affordable_for_sure(TU):
                # where affordable, its price is at least its price on the most money, and
                # above the tangent there (the price is convex where finite)
                q = resW[0] - resW[1] - resW[2] * TU - 1e-15 * resW[0]
                c = _Bounds(q, _INF, 0.0, None, None, 0.0, 0.0, None, t_a)
                far_tangent(j, c)
                return c
            _shrink(t_a)
            return False
        if fast._affordable_for_sure(T0) is None:
            return None
        rho, A, B, gap, _near, _t, paying, zeros = res
        err = A + B * T0 + 1e-15 * rho
        if not zeros and paying == prep.score[j] and gap > 2 * T0 + A * fast.umax[j]:
            # nobody capped, now or at any t: the price is cost / utility (as a Fraction only
            # if a tie needs it: exact0 is the pair)
            q = costs_f[j] / U[j]
            pair = (prep.costs[j], prep.score[j])
            return _Bounds(q * (1 - _SAFE), q * (1 + _SAFE), 0.0, True, pair, q, A, 0.0)
        g = 0.0
        if W and B != _INF:
            # supporters that may be capped at t = 0; their budgets' slopes move the price
            uni = uni_f[j]
            lst = voters[j][0][2]
            thr = rho * uni + 2 * err * uni + 2 * T0 + 4 * _EPS * bmax
            vals = fast._sorted  # the budgets _evaluate sorted, None if it found the poorest only
            if vals is not None:  # (the non-zero ones, after fast._zeros zeros; thr > 0)
                cnt = fast._zeros + bisect_left(vals, thr)
            else:
                cnt = 0 if rho * uni + gap > thr else len(lst) - sum(B0[gi] >= thr for gi in lst)
            sure = len(lst) - cnt
            if sure == 0:
                g = -_INF
            elif cnt:
                # exact slopes are >= 0 (U(W) >= b(W) >= b(0) = U(0)): no need to clip the floats;
                # the capped budgets at t = 0 are the first cnt sorted ones
                if vals is not None:
                    ends = [UW[gi] for gi in lst if B0[gi] < thr]  # the capped ones' upper ends
                    below = fast._pre[cnt - fast._zeros]
                else:
                    capped = [gi for gi in lst if B0[gi] < thr]
                    ends = list(map(UW.__getitem__, capped))
                    below = sum(map(B0.__getitem__, capped))
                rise = sum(ends) - below
                rise += T0 + TU + len(ends) * step_mass
                g = -(rise / W) / (sure * uni) * (1 + _SAFE)
        elif W:
            g = -_INF
        # the exact price at t = 0 when it is simply cost / paying utility (the only capped
        # supporters having exactly nothing): ties at t = 0 are decided from it
        exact0 = None
        if paying is not None and gap > 2 * T0 + A * fast.umax[j] and (zeros_exact or not zeros):
            exact0 = (prep.costs[j], paying)
        return _Bounds(rho - err, rho + err, g, None, exact0, rho, A, _near)

    def reprice(j: int) -> _Bounds | None | bool:
        """``price(j)``, kept; a project that cannot be afforded leaves the running."""
        c = price(j)
        if c is False:
            remaining.discard(j)
        elif c is not None:
            info[j] = c
            if tangents is not None and W and c.hi != _INF and c.g != -_INF:
                tangents[j] = (b_f, c.lo, c.g)
        return c

    def _shrink(t_stop: float) -> None:
        """Shrink the range to the integers below ``t_stop`` (the lines' ends move to the new end)."""
        nonlocal W, LW, UW, TL, TU
        new = min(W, ceil(t_stop * (1 - 1e-9)) - 1)
        if new >= W:
            return
        if new <= 0:
            W = 0  # one budget left: the lines' ends are of no more use
            return
        lam = new / W
        LW = [x + lam * (y - x) for x, y in zip(B0, LW)]
        UW = [x + lam * (y - x) for x, y in zip(B0, UW)]
        TL = (1 - lam) * T0 + lam * TL + n * 3 * _EPS * bmax
        TU = (1 - lam) * T0 + lam * TU + n * 3 * _EPS * bmax
        W = new

    def far_tangent(j: int, c: _Bounds) -> None:
        """Add to ``c`` a second lower line of ``j``'s price: the tangent at ``t = W``, whose slope
        is bounded above by counting only the supporters surely capped there (``c.a_W + c.s_W t``)."""
        res = evaluate(j, UW, bmax, TU)
        if res is None or not fast._affordable_for_sure(TU):
            return
        rho, A, B = res[:3]
        q = rho - A - B * TU - 1e-15 * rho
        uni = uni_f[j]
        lst = voters[j][0][2]
        thr = (rho - (A + B * TU + 1e-15 * rho)) * uni - 2 * TU - 4 * _EPS * bmax
        vals = fast._sorted  # (the non-zero ones, after fast._zeros zeros)
        cnt = 0 if vals is None else (fast._zeros if thr > 0.0 else 0) + bisect_left(vals, thr)
        s_W = 0.0
        if cnt:
            capped = [gi for gi in lst if UW[gi] < thr]
            rise = sum(map(UW.__getitem__, capped)) - sum(map(B0.__getitem__, capped))
            rise -= T0 + TU + len(capped) * step_mass
            if rise > 0.0:
                s_W = -(rise / W) / ((len(lst) - len(capped)) * uni) * (1 - _SAFE)
        c.a_W, c.s_W = q - s_W * W - _SAFE * q, s_W

    def beaten(ub0: float, m: float, c: _Bounds, win: int, j: int) -> float:
        """Up to which ``t`` the winner's line ``ub0 + m t`` stays below ``j``'s lower lines
        (the first ``t`` where it may not; ``inf``: never)."""
        e0, e = info[win].exact0, c.exact0
        if e0 is not None and e is not None and rank[win] < rank[j] and e[0] * e0[1] == e0[0] * e[1]:
            # a tie at t = 0 that the order breaks for the winner: the winner's price only
            # falls from there, and j's does not if it is constant or its tangent is flat
            return _INF if c.const is not None or c.g == 0.0 else 0.5
        p, g = c.lo, c.g
        if c.hi == _INF:  # short of money at t = 0, at least up to t_a
            cur = c.t_a
        elif ub0 >= p:
            return -1.0
        else:
            cur = _INF if m <= g else (p - ub0) / (m - g)  # below the tangent at 0 up to cur
        if cur > W:
            return cur
        # further on, below the tangent at W (or its constant price, for a short project)
        # wherever (ub0 - a) + (m - s) t < 0: a half-line
        if c.a_W is not None:
            d0, slope = ub0 - c.a_W, m - c.s_W
        elif c.hi == _INF:
            d0, slope = ub0 - p, m
        else:
            return cur
        if slope > 0.0:
            return max(cur, -d0 / slope)
        if slope < 0.0:
            return _INF if -d0 / slope < cur else cur
        return _INF if d0 < 0.0 else cur

    def chord(win: int, cw: _Bounds) -> float:
        """The slope of the winner's upper line from ``cw.hi`` at ``t = 0`` (its price on the
        lower lines' ends, at most; 0 if that is not lower or not known)."""
        if cw.g == -_INF and W:
            _shrink(0.5)  # every supporter near the cap: no tangent, only t = 0
        if not W or cw.const is not None:
            return 0.0
        res = evaluate(win, LW, bmax, TL)
        if res is None or not fast._affordable_for_sure(TL):
            return 0.0
        rhoW, A, B = res[:3]
        ubW = rhoW + A + B * TL + 1e-15 * rhoW
        if ubW >= cw.hi:
            return 0.0
        return min((ubW - cw.hi) / W + _SAFE * cw.hi / W, 0.0)  # (rounded up: the line stays above)

    def pay(win: int, cw: _Bounds, m: float, snapshot: tuple | None) -> bool:
        """Fund ``win``. At t = 0 at the float price, with the error mass of FloatMES.run (the
        lines are exact there: they pass through the exact budgets). The upper line's end pays
        the tangent's end; the lower line's end the chord's end where the supporter surely pays
        in full at t = 0, nothing where surely capped, and the lesser of the two where it
        cannot be told. False if the error mass has grown too much to go on."""
        nonlocal T0, TL, TU, zeros_exact, tangents
        tangents = None  # (budgets are no longer exact lines)
        remaining.discard(win)
        order.append(win)
        rounds.append((win, W, snapshot))
        uni = uni_f[win]
        x0 = cw.rho * uni
        if W:  # (once the range is one budget, the lines' ends are of no more use)
            band = (cw.hi - cw.lo) * uni + T0 + 4 * _EPS * bmax
            x_W = (cw.hi + m * W) * uni
            x_U = (cw.lo + cw.g * W) * uni
            b0, lw, uw = B0, LW, UW  # (locals: faster in the loop than the enclosing names)
            for gi in fast.sup_groups[win]:  # (one loop for the three lists)
                v = b0[gi] - x0
                if v > band:  # (the usual case)
                    b0[gi] = v
                    lw[gi] -= x_W
                else:
                    b0[gi] = v if v > 0.0 else 0.0
                    if v < -band:
                        lw[gi] = 0.0
                    else:
                        y = lw[gi] - x_W
                        lw[gi] = y if y < 0.0 else 0.0
                y = uw[gi] - x_U
                uw[gi] = y if y > 0.0 else 0.0
        else:
            fast._charge(B0, win, cw.rho)
        near = cw.near
        T0 += cw.A * U[win] + M[win] * step_mass + (T0 * (1 + near) if near else 0.0)
        if near:
            zeros_exact = False  # a float 0 may no longer be an exact 0
        TL += M[win] * step_mass
        TU += M[win] * step_mass
        # the neighbours' bounds are now stale, not wrong: their lines still hold, p_hi not
        info.pop(win, None)
        for q in fast._touched(win, info):
            info[q].fresh = False
        return T0 <= 1e-9 * n * bmax

    # rounds already decided on the whole range by an earlier run: only their payments
    for r, (win, until, snapshot) in enumerate(known):
        if until < W:
            break
        if r < len(order):
            if win != order[r]:
                return None  # (cannot happen: both are exact)
            continue
        fast._round = len(order)
        cw = price(win)
        if not isinstance(cw, _Bounds) or cw.hi == _INF:
            return None  # (cannot happen: the earlier run proved it affordable on the range)
        info[win] = cw
        if not pay(win, cw, chord(win, cw), snapshot):
            return None
        rounds[-1] = (win, until, snapshot)
    if 0 < len(rounds) < len(known) and (snap := known[len(rounds)][2]) is not None and snap[0] + snap[1] >= b + W:
        # the earlier run's lower bounds at the start of the next round (its decisions so far
        # held on all of this range), where they hold on all of this range too
        heap = list(snap[2])
    # right after the static rounds the budgets are exact lines in t, for this run and every
    # later one, so each project's price there is convex in the budget: its tangent at an
    # earlier run's budget is a lower bound at every larger one (kept on ``fast``)
    tangents = fast._tangents.setdefault(len(static), {})
    if tangents:  # (valid lower bounds in every later round too: prices only rise round by round)
        end = b_f + W
        heap = [(max(key, (t[1] + t[2] * (end - t[0])) * (1 - _SAFE))
                 if (t := tangents.get(j)) is not None and t[0] <= b_f else key, r, j)
                for key, r, j in heap]
        heapify(heap)
    if len(order) != len(static):
        tangents = None  # (only the first round after the static ones is priced on exact lines)

    while True:
        fast._round = len(order)
        snapshot = (b, W, list(heap))
        popped = []
        min_hi = _INF
        while (e := _pop_below(heap, remaining, min_hi)) is not None:
            key, r, j = e
            c = info.get(j)
            if c is None or (not c.fresh and c.lo <= min_hi):
                c = reprice(j)
                if c is None:
                    return None
                if c is False:
                    continue
            popped.append((key, r, j))
            if c.fresh and c.hi < min_hi:
                min_hi = c.hi
        if not popped:
            return order, W, rounds
        contenders = [p for p in popped if info[p[2]].lo <= min_hi and info[p[2]].hi < _INF]
        if not contenders:  # nothing affordable at t = 0; some project may be further on
            _shrink(min(info[p[2]].t_a for p in popped))
            return order, W, rounds
        if len(contenders) == 1:
            win = contenders[0][2]
            if not info[win].fresh:
                return None  # (cannot happen: a contender is fresh)
        elif all(info[p[2]].exact0 is not None for p in contenders):
            win = min(contenders, key=lambda p: (Fraction(*info[p[2]].exact0), p[1]))[2]
        else:
            return None
        cw = info[win]
        m = chord(win, cw)
        ub0 = cw.hi
        # every other project popped must stay above the winner's line on the whole range
        for key, r, j in popped:
            if j == win:
                continue
            c = info[j]
            t_stop = beaten(ub0, m, c, win, j)
            if t_stop <= W and not c.fresh:
                c = reprice(j)
                if c is None:
                    return None
                if c is False:
                    continue
                t_stop = beaten(ub0, m, c, win, j)
            if 0 <= t_stop <= W and c.a_W is None and c.hi != _INF:
                far_tangent(j, c)
                t_stop = beaten(ub0, m, c, win, j)
            if t_stop <= W:
                if t_stop < 0:
                    return None
                _shrink(t_stop)
        for key, r, j in popped:
            if j != win and j in remaining:
                c = info[j]
                heappush(heap, (max(key, c.lo + c.g * W) if c.g != -_INF else key, r, j))
        if not pay(win, cw, m, snapshot):
            return None
