"""Single-winner and ranking rules for consultations.

Candidates are the projects of an :class:`~app.tallying.model.Instance` (costs
and budget are ignored; ``Instance.candidates(["a", "b"])`` builds one). Every
rule returns an :class:`~app.tallying.outcome.Outcome` whose ``selected`` is
the winner, ``ranking`` the full order of candidates, and ``explanation``:

* ``plurality`` / ``approval`` / ``borda``: ``candidates`` with ``score`` and
  ``rank``;
* ``irv``: ``rounds``, each with the ``tallies`` of continuing candidates,
  ``exhausted`` ballots, the ``eliminated`` candidate (and ``tied`` ones) or
  the ``winner`` with its ``majority`` threshold;
* ``schulze``: ``pairwise`` (``d[a][b]``: voters ranking ``a`` above ``b``),
  ``strongest_paths`` (``p[a][b]``) and ``beats`` per candidate.

Tie-breaking (default lexicographic by id, or an explicit order): in rankings,
equal results are ordered by the tie-breaking order; in IRV, among the
candidates with the fewest votes the one that comes *last* in the tie-breaking
order is eliminated.

Borda (consultations): on a ballot ranking ``L`` of the ``m`` candidates, the
candidate at 0-based position ``i`` scores ``m - 1 - i``; unranked candidates
score 0. A full ranking therefore gives the classic Borda count.
"""

from __future__ import annotations

from typing import Any

from ..errors import IncompatibleBallots, InvalidBallot
from ..model import Instance, Profile
from ..outcome import Outcome, TieBreaking
from ..registry import register
from .common import check_params
from .texts import TIE_IRV, TIE_RANKING


def _setup(instance: Instance, profile: Profile, tie_breaking: Any, params: dict) -> tuple[list[str], dict[str, int], TieBreaking]:
    params.pop("progress", None)
    check_params(params)
    if not len(instance):
        raise InvalidBallot("there are no candidates")
    profile.require_nonempty()
    profile.validate(instance)
    tb = TieBreaking.coerce(tie_breaking)
    ids = instance.ids
    return ids, tb.ranks(ids), tb


def _ranked_outcome(name: str, ids: list[str], score: dict[str, Any], rank: dict[str, int], tb: TieBreaking,
                    extra: dict[str, Any] | None = None) -> Outcome:
    ranking = sorted(ids, key=lambda c: (-score[c], rank[c]))
    candidates = []
    for position, c in enumerate(ranking, start=1):
        tied = [o for o in ids if o != c and score[o] == score[c]]
        candidates.append({"candidate": c, "project": c, "score": score[c], "rank": position,
                           "selected": position == 1, "tied_with": sorted(tied)})
    explanation: dict[str, Any] = {"kind": name, "candidates": candidates, "projects": candidates, "rounds": []}
    explanation.update(extra or {})
    return Outcome(rule=name, selected=(ranking[0],), cost=None, explanation=explanation, tie_breaking=tb,
                   ranking=tuple(ranking))


@register("plurality", kind="single_winner", ballot_kinds=("approval", "ordinal"),
          title={"lt": "Daugiausia balsų (paprastoji dauguma)", "en": "Plurality"},
          description={
              "lt": "Kiekvienas biuletenis skiria vieną balsą: pasirinktam kandidatui arba, jei kandidatai "
              "surikiuoti, pirmajam sąraše. Laimi daugiausia balsų surinkęs kandidatas.",
              "en": "Each ballot gives one vote: to the chosen candidate or, on a ranked ballot, to the first "
              "one. The candidate with most votes wins.",
          },
          tie_breaking=TIE_RANKING)
def plurality(instance: Instance, profile: Profile, *, tie_breaking: Any = None, **params: Any) -> Outcome:
    """Plurality: one vote per ballot (single choice, or first preference of a ranking)."""
    ids, rank, tb = _setup(instance, profile, tie_breaking, params)
    score = dict.fromkeys(ids, 0)
    blank = 0
    for ballot, count in profile.items():
        if not ballot:
            blank += count
            continue
        if profile.kind == "approval" and len(ballot) > 1:
            raise InvalidBallot(f"plurality counts one choice per ballot, but a ballot chooses {len(ballot)}: "
                                f"{', '.join(ballot)}")
        score[ballot[0]] += count
    return _ranked_outcome("plurality", ids, score, rank, tb, {"summary": {"ballots": len(profile), "blank": blank}})


@register("approval", kind="single_winner", ballot_kinds=("approval",),
          title={"lt": "Pritarimo balsavimas", "en": "Approval voting"},
          description={
              "lt": "Balsuotojas gali pritarti keliems kandidatams. Laimi kandidatas, kuriam pritarė daugiausia "
              "balsuotojų.",
              "en": "Voters may approve several candidates. The candidate approved by most voters wins.",
          },
          tie_breaking=TIE_RANKING)
def approval(instance: Instance, profile: Profile, *, tie_breaking: Any = None, **params: Any) -> Outcome:
    """Approval voting: the candidate approved by most voters wins."""
    ids, rank, tb = _setup(instance, profile, tie_breaking, params)
    score = dict.fromkeys(ids, 0)
    for ballot, count in profile.items():
        for c in ballot:
            score[c] += count
    return _ranked_outcome("approval", ids, score, rank, tb, {"summary": {"ballots": len(profile)}})


def _need_ordinal(profile: Profile, rule: str) -> None:
    if profile.kind != "ordinal":
        raise IncompatibleBallots(f"{rule} needs ranked ballots, not {profile.kind} ballots")


@register("borda", kind="single_winner", ballot_kinds=("ordinal",),
          title={"lt": "Bordos taškų skaičiavimas", "en": "Borda count"},
          description={
              "lt": "Balsuotojai surikiuoja kandidatus. Kai kandidatų yra m, pirmoje vietoje esantis gauna m − 1 "
              "tašką, antras m − 2 ir t. t.; nesurikiuoti negauna taškų. Laimi daugiausia taškų surinkęs.",
              "en": "Voters rank the candidates. With m candidates, the first place earns m − 1 points, the second "
              "m − 2, and so on; unranked candidates earn nothing. Most points wins.",
          },
          tie_breaking=TIE_RANKING)
def borda(instance: Instance, profile: Profile, *, tie_breaking: Any = None, **params: Any) -> Outcome:
    """Borda count with m - 1 - i points for position i (unranked: 0)."""
    _need_ordinal(profile, "borda")
    ids, rank, tb = _setup(instance, profile, tie_breaking, params)
    m = len(ids)
    score = dict.fromkeys(ids, 0)
    for ballot, count in profile.items():
        for i, c in enumerate(ballot):
            score[c] += count * (m - 1 - i)
    return _ranked_outcome("borda", ids, score, rank, tb, {"summary": {"ballots": len(profile), "points_first": m - 1}})


@register("irv", kind="single_winner", ballot_kinds=("ordinal",),
          title={"lt": "Momentinis antrasis turas", "en": "Instant-runoff voting"},
          description={
              "lt": "Skaičiuojami pirmieji pasirinkimai. Jei niekas neturi daugiau nei pusės balsų, mažiausiai "
              "surinkęs kandidatas pašalinamas, o jo biuleteniai atiduodami kitam juose nurodytam kandidatui. "
              "Kartojama, kol kas nors surenka daugiau nei pusę galiojančių balsų.",
              "en": "First choices are counted. If nobody has more than half of the votes, the candidate with the "
              "fewest is eliminated and their ballots go to the next choice on each. This repeats until someone "
              "has more than half of the ballots still in the count.",
          },
          tie_breaking=TIE_IRV)
def irv(instance: Instance, profile: Profile, *, tie_breaking: Any = None, **params: Any) -> Outcome:
    """Instant-runoff voting, round by round; eliminations continue to rank every candidate."""
    _need_ordinal(profile, "irv")
    ids, rank, tb = _setup(instance, profile, tie_breaking, params)
    continuing = set(ids)
    eliminated: list[str] = []
    rounds: list[dict[str, Any]] = []
    winner: str | None = None
    ballots = list(profile.items())
    while continuing:
        tallies = dict.fromkeys(continuing, 0)
        exhausted = 0
        for ballot, count in ballots:
            for c in ballot:
                if c in continuing:
                    tallies[c] += count
                    break
            else:
                exhausted += count
        active = sum(tallies.values())
        order = sorted(continuing, key=lambda c: (-tallies[c], rank[c]))
        entry: dict[str, Any] = {"round": len(rounds) + 1,
                                 "tallies": [{"candidate": c, "votes": tallies[c]} for c in order],
                                 "exhausted": exhausted, "active": active, "majority": active // 2 + 1}
        if winner is None and (tallies[order[0]] * 2 > active or len(continuing) == 1):
            winner = order[0]
            entry["winner"] = winner
        if len(continuing) == 1:
            rounds.append(entry)
            break
        fewest = min(tallies.values())
        tied = [c for c in continuing if tallies[c] == fewest]
        out = max(tied, key=lambda c: rank[c])  # last in the tie-breaking order goes out
        entry["eliminated"] = out
        if len(tied) > 1:
            entry["tied"] = sorted(tied, key=lambda c: rank[c])
        rounds.append(entry)
        continuing.discard(out)
        eliminated.append(out)
    last = next(iter(continuing))
    ranking = [last] + eliminated[::-1]
    assert winner is not None
    if ranking[0] != winner:  # cannot happen: a majority candidate is never the one eliminated
        ranking.remove(winner)
        ranking.insert(0, winner)
    candidates = []
    elim_round = {r["eliminated"]: r["round"] for r in rounds if "eliminated" in r}
    for position, c in enumerate(ranking, start=1):
        candidates.append({"candidate": c, "project": c, "rank": position, "selected": c == winner,
                           "eliminated_in_round": elim_round.get(c)})
    return Outcome(rule="irv", selected=(winner,), cost=None, tie_breaking=tb, ranking=tuple(ranking),
                   explanation={"kind": "irv", "rounds": rounds, "candidates": candidates, "projects": candidates,
                                "summary": {"ballots": len(profile)}})


@register("schulze", kind="single_winner", ballot_kinds=("ordinal",),
          title={"lt": "Schulze metodas", "en": "Schulze method"},
          description={
              "lt": "Kiekviena kandidatų pora palyginama: kiek balsuotojų vieną surikiavo aukščiau už kitą. "
              "Iš šių palyginimų sudaromos stipriausios pergalių grandinės; laimi kandidatas, kurio grandinės "
              "prieš kiekvieną kitą yra bent tokios pat stiprios kaip priešingos.",
              "en": "Every pair of candidates is compared: how many voters ranked one above the other. From these "
              "comparisons the strongest chains of wins are built; the winner is the candidate whose chains "
              "against every other are at least as strong as the chains against them.",
          },
          tie_breaking=TIE_RANKING)
def schulze(instance: Instance, profile: Profile, *, tie_breaking: Any = None, **params: Any) -> Outcome:
    """Schulze method (winning votes), with the pairwise matrix and strongest paths."""
    _need_ordinal(profile, "schulze")
    ids, rank, tb = _setup(instance, profile, tie_breaking, params)
    pos = {c: i for i, c in enumerate(ids)}
    m = len(ids)
    d = [[0] * m for _ in range(m)]
    for ballot, count in profile.items():
        ranked = [pos[c] for c in ballot]
        seen = set()
        for a in ranked:
            seen.add(a)
            row = d[a]
            for b in range(m):
                if b not in seen:
                    row[b] += count  # a is ranked above b (b later or unranked)
    p = [[d[i][j] if d[i][j] > d[j][i] else 0 for j in range(m)] for i in range(m)]
    for i in range(m):
        p[i][i] = 0
    for k in range(m):
        for i in range(m):
            if i == k:
                continue
            pik = p[i][k]
            if not pik:
                continue
            for j in range(m):
                if j != i and j != k:
                    v = min(pik, p[k][j])
                    if v > p[i][j]:
                        p[i][j] = v
    beats = {ids[i]: sorted(ids[j] for j in range(m) if p[i][j] > p[j][i]) for i in range(m)}
    ranking = sorted(ids, key=lambda c: (-len(beats[c]), rank[c]))
    candidates = [{"candidate": c, "project": c, "rank": n, "selected": n == 1, "beats": beats[c],
                   "is_schulze_winner": all(p[pos[c]][j] >= p[j][pos[c]] for j in range(m) if j != pos[c])}
                  for n, c in enumerate(ranking, start=1)]
    pairwise = {ids[i]: {ids[j]: d[i][j] for j in range(m) if j != i} for i in range(m)}
    paths = {ids[i]: {ids[j]: p[i][j] for j in range(m) if j != i} for i in range(m)}
    return Outcome(rule="schulze", selected=(ranking[0],), cost=None, tie_breaking=tb, ranking=tuple(ranking),
                   explanation={"kind": "schulze", "candidates": candidates, "projects": candidates, "rounds": [],
                                "pairwise": pairwise, "strongest_paths": paths,
                                "summary": {"ballots": len(profile)}})
