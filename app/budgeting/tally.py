"""Counting through the tallying module, stored results and the open data exports."""
from __future__ import annotations

import csv
import io
import json
import time
from typing import Any

from flask import current_app
from sqlalchemy import delete, select

from app.accounts.models import User
from app.budgeting.ideas import ballot_projects
from app.budgeting.models import (
    COUNTING, CUMULATIVE, K_APPROVAL, RANKED, RESULTS, VOTING, PBBallot, PBChoice, PBPot, PBProcess, PBResult,
)
from app.budgeting.services import PBError, profile_kind, process_municipality
from app.core.audit import record
from app.core.models import utcnow
from app.extensions import db
from app.i18n import _
from app.tallying import (
    ApprovalProfile, CumulativeProfile, Instance, OrdinalProfile, Profile, Project, RuleInfo, TallyingError, get_rule,
    list_rules, write_pabulib,
)

# The rules compared side by side with the official one, per kind of ballot: the usual
# greedy count, Equal Shares (with and without Add1), Phragmén and maximum welfare.
COMPARED = {
    "approval": ("greedy_cost", "greedy_card", "mes_cost_add1", "mes_cost", "phragmen", "maxwelfare_cost"),
    "cumulative": ("greedy_points", "greedy_cardinal", "mes_cardinal_add1", "mes_cardinal", "maxwelfare_cardinal"),
    "ordinal": ("greedy_borda", "mes_borda_add1", "mes_borda", "maxwelfare_borda"),
}
PREFERRED_ORDER = tuple(name for names in COMPARED.values() for name in names)


def applicable_rules(ballot_type: str) -> list[RuleInfo]:
    """Registered budgeting rules that can count this ballot type (the administrator's choice)."""
    kind = profile_kind(ballot_type)
    rules = [r for r in list_rules("budgeting") if kind in r.ballot_kinds]
    order = {name: i for i, name in enumerate(PREFERRED_ORDER)}
    return sorted(rules, key=lambda r: (order.get(r.name, len(order)), r.name))


def compared_rules(ballot_type: str) -> list[str]:
    """The registered rules to compare with the official one."""
    available = {r.name for r in applicable_rules(ballot_type)}
    return [name for name in COMPARED[profile_kind(ballot_type)] if name in available]


def rule_info(name: str) -> RuleInfo | None:
    try:
        return get_rule(name)
    except TallyingError:
        return None


def election(process: PBProcess, pot: PBPot) -> tuple[Instance, Profile]:
    """The pot as a tallying instance (projects by id) and profile (anonymous ballots)."""
    projects = ballot_projects(pot)
    instance = Instance([Project(str(p.id), p.final_cost, name=p.title) for p in projects], pot.budget,
                        meta={"description": pot.name_lt})
    kind = profile_kind(process.ballot_type)
    ballots: dict[int, list[tuple[int, int]]] = {}
    rows = db.session.execute(
        select(PBChoice.ballot_id, PBChoice.project_id, PBChoice.value)
        .join(PBBallot, PBBallot.id == PBChoice.ballot_id).where(PBBallot.pot_id == pot.id)
        .order_by(PBChoice.ballot_id))
    for ballot_id, project_id, value in rows:
        ballots.setdefault(ballot_id, []).append((project_id, value))
    counts: dict[Any, int] = {}
    for choices in ballots.values():
        if kind == "approval":
            key: Any = tuple(sorted(str(p) for p, _v in choices))
        elif kind == "cumulative":
            key = tuple(sorted((str(p), v) for p, v in choices))
        else:
            key = tuple(str(p) for p, _v in sorted(choices, key=lambda c: c[1]))
        counts[key] = counts.get(key, 0) + 1
    if kind == "approval":
        profile: Profile = ApprovalProfile.from_counts(counts)
    elif kind == "cumulative":
        profile = CumulativeProfile.from_counts(counts, max_points=process.points)
    else:
        profile = OrdinalProfile.from_counts(counts)
    profile.vote_type = kind
    return instance, profile


def _empty_outcome(rule: str, budget: int) -> dict[str, Any]:
    return {"rule": rule, "selected": [], "cost": 0, "budget": budget, "empty": True,
            "explanation": {"kind": "empty", "projects": [], "summary": {"budget": budget, "spent": 0,
                                                                         "left": budget}}}


def tally_pot(process: PBProcess, pot: PBPot) -> dict[str, float]:
    """Count one pot under the configured rule and every other applicable rule; store them."""
    instance, profile = election(process, pot)
    db.session.execute(delete(PBResult).where(PBResult.pot_id == pot.id))
    timings: dict[str, float] = {}
    names = [process.rule] + [name for name in compared_rules(process.ballot_type) if name != process.rule]
    for name in names:
        official = name == process.rule
        started = time.perf_counter()
        if len(profile) == 0 or len(instance) == 0:
            outcome = _empty_outcome(name, pot.budget)
        else:
            try:
                outcome = get_rule(name)(instance, profile).to_dict()
            except TallyingError:
                if official:
                    raise
                current_app.logger.warning("Rule %s could not count pot %s; left out of the comparison.",
                                           name, pot.id, exc_info=True)
                continue
        timings[name] = time.perf_counter() - started
        db.session.add(PBResult(municipality_id=pot.municipality_id, pot_id=pot.id, rule=name, official=official,
                                outcome=outcome, ballots=len(profile), computed_at=utcnow()))
    return timings


def tally_process(process: PBProcess, actor: User | None = None) -> dict[int, dict[str, float]]:
    """Count every pot once voting has closed and publish the results (also `flask pb tally`)."""
    phase = process.phase()
    if phase not in (COUNTING, RESULTS):
        raise PBError(_("Voting is still open or has not started: results can be counted only after it closes."),
                      status=409)
    timings = {}
    try:
        for pot in process.pots:
            timings[pot.id] = tally_pot(process, pot)
    except TallyingError as exc:
        db.session.rollback()
        current_app.logger.error("Tally of process %s failed: %s", process.id, exc)
        raise PBError(_("The count failed: %(reason)s", reason=str(exc)), status=409) from exc
    process.results_published_at = utcnow()
    record("pb.results_published", actor=actor, municipality=process_municipality(process), obj=process,
           label=process.title_lt, public=True, rule=process.rule)
    db.session.commit()
    return timings


def stored_results(pot: PBPot) -> tuple[PBResult | None, list[PBResult]]:
    """The official result of a pot and the comparison results (in display order)."""
    results = list(db.session.execute(select(PBResult).filter_by(pot_id=pot.id)).scalars())
    official = next((r for r in results if r.official), None)
    order = {name: i for i, name in enumerate(PREFERRED_ORDER)}
    others = sorted((r for r in results if not r.official), key=lambda r: (order.get(r.rule, 99), r.rule))
    return official, others


def results_public(process: PBProcess) -> bool:
    return process.phase() == RESULTS


def turnout_public(process: PBProcess) -> bool:
    return process.phase() in (VOTING, COUNTING, RESULTS)


# --- open data ----------------------------------------------------------------------

def pabulib_text(process: PBProcess, pot: PBPot) -> str:
    """The pot's anonymised ballots as a pabulib .pb file (no identity, no receipt codes)."""
    instance, profile = election(process, pot)
    municipality = process_municipality(process)
    meta: dict[str, Any] = {
        "description": f"{process.title_lt} — {pot.name_lt}",
        "country": "Lithuania",
        "unit": municipality.name_lt,
        "instance": f"{process.id}-{pot.id}",
        "date_begin": process.voting_open_at.date().isoformat(),
        "date_end": process.voting_ends_at.date().isoformat(),
        "rule": process.rule,
        "language": "lt",
        "currency": "EUR",
    }
    if process.ballot_type in (K_APPROVAL, RANKED) and process.max_choices:
        meta["max_length"] = process.max_choices
    if process.ballot_type == CUMULATIVE and process.points:
        meta["max_sum_points"] = process.points
    if process.ballot_type == "knapsack":
        meta["max_sum_cost"] = pot.budget
    out = io.StringIO()
    write_pabulib(out, instance, profile, meta=meta)
    return out.getvalue()


def result_rows(pot: PBPot, result: PBResult | None) -> list[dict[str, Any]]:
    """One row per project of the pot: cost, votes, selected, the rule's reason."""
    entries = {e.get("project"): e for e in (result.outcome.get("explanation", {}).get("projects", [])
                                            if result else [])}
    selected = set(result.outcome.get("selected", [])) if result else set()
    rows = []
    for project in ballot_projects(pot):
        entry = entries.get(str(project.id), {})
        rows.append({"project": project, "entry": entry, "selected": str(project.id) in selected,
                     "votes": entry.get("votes", 0), "score": entry.get("score")})
    order = {pid: i for i, pid in enumerate(result.outcome.get("selected", []))} if result else {}
    rows.sort(key=lambda r: (not r["selected"], order.get(str(r["project"].id), 0), -int(r["votes"] or 0),
                             r["project"].id))
    return rows


def _cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def results_csv(process: PBProcess) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["pot_id", "pot", "project_id", "title", "cost", "votes", "selected", "rule", "reason"])
    for pot in process.pots:
        official, _others = stored_results(pot)
        for row in result_rows(pot, official):
            writer.writerow([pot.id, _cell(pot.name_lt), row["project"].id, _cell(row["project"].title),
                             row["project"].final_cost, row["votes"], int(row["selected"]), process.rule,
                             row["entry"].get("reason", "")])
    return out.getvalue()


def results_json(process: PBProcess) -> str:
    pots = []
    for pot in process.pots:
        official, others = stored_results(pot)
        pots.append({
            "pot_id": pot.id, "name_lt": pot.name_lt, "name_en": pot.name_en, "budget": pot.budget,
            "ballots": official.ballots if official else 0,
            "official": official.outcome if official else None,
            "comparison": {r.rule: r.outcome for r in others},
        })
    return json.dumps({"process_id": process.id, "title_lt": process.title_lt, "title_en": process.title_en,
                       "ballot_type": process.ballot_type, "rule": process.rule, "pots": pots},
                      ensure_ascii=False, indent=1)


def projects_rows(process: PBProcess) -> list[dict[str, Any]]:
    from app.budgeting.ideas import ideas_of

    return [{"id": i.id, "pot_id": i.pot_id, "title": i.title, "location": i.location, "status": i.status,
             "estimated_cost": i.estimated_cost, "final_cost": i.final_cost, "review_reason": i.review_reason,
             "merged_into": i.merged_into_id, "submitted_at": i.created_at.isoformat()}
            for i in ideas_of(process)]


def projects_csv(process: PBProcess) -> str:
    out = io.StringIO()
    rows = projects_rows(process)
    writer = csv.DictWriter(out, fieldnames=["id", "pot_id", "title", "location", "status", "estimated_cost",
                                             "final_cost", "review_reason", "merged_into", "submitted_at"])
    writer.writeheader()
    writer.writerows({key: _cell(value) for key, value in row.items()} for row in rows)
    return out.getvalue()
