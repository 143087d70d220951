"""Processes and pots: creation, settings and the freeze once voting opens."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort

from app.accounts.models import User
from app.budgeting.models import CUMULATIVE, K_APPROVAL, RANKED, PBIdea, PBPot, PBProcess
from app.core.audit import record
from app.core.models import utcnow
from app.extensions import db
from app.i18n import _
from app.municipalities.models import Municipality

# Settings that decide how the vote is cast and counted: frozen once voting opens, so
# that no voter's ballot is judged by other rules than the ones it was cast under.
FROZEN_FIELDS = ("ballot_type", "max_choices", "points", "rule")
PROCESS_FIELDS = ("title_lt", "title_en", "description_lt", "description_en", "ideas_open_at",
                  "review_at", "voting_open_at", "voting_close_at", "min_age") + FROZEN_FIELDS
MAX_POT_BUDGET = 100_000_000  # whole euros; more than any municipal budget


class PBError(Exception):
    """A refused action, with a translated message, an HTTP status and maybe a form field."""

    def __init__(self, message: str, status: int = 400, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


def profile_kind(ballot_type: str) -> str:
    """The tallying profile kind a ballot type produces."""
    return {CUMULATIVE: "cumulative", RANKED: "ordinal"}.get(ballot_type, "approval")


def default_rule(ballot_type: str) -> str:
    return {CUMULATIVE: "greedy_points", RANKED: "greedy_borda"}.get(ballot_type, "greedy_cost")


def get_process(municipality: Municipality, process_id: int) -> PBProcess:
    """The process of this municipality, or 404 (never another municipality's)."""
    process = db.session.execute(
        db.select(PBProcess).filter_by(id=process_id, municipality_id=municipality.id)
    ).scalar_one_or_none()
    if process is None:
        abort(404, description=_("There is no such participatory budgeting process here."))
    return process


def get_pot(process: PBProcess, pot_id: int) -> PBPot:
    pot = db.session.execute(
        db.select(PBPot).filter_by(id=pot_id, process_id=process.id, municipality_id=process.municipality_id)
    ).scalar_one_or_none()
    if pot is None:
        abort(404, description=_("There is no such budget pot in this process."))
    return pot


def list_processes(municipality: Municipality) -> list[PBProcess]:
    return list(db.session.execute(
        db.select(PBProcess).filter_by(municipality_id=municipality.id)
        .order_by(PBProcess.voting_open_at.desc(), PBProcess.id.desc())
    ).scalars())


def check_settings(data: dict[str, Any]) -> None:
    """Refuse dates out of order and ballot limits that do not fit the ballot type."""
    if not (data["ideas_open_at"] < data["review_at"] < data["voting_open_at"] < data["voting_close_at"]):
        raise PBError(_("The dates must follow each other: ideas, review, voting opens, voting closes."),
                      field="voting_close_at")
    ballot_type = data["ballot_type"]
    if ballot_type in (K_APPROVAL, RANKED) and not data.get("max_choices"):
        raise PBError(_("Say how many projects a voter may choose (k)."), field="max_choices")
    if ballot_type == CUMULATIVE and not data.get("points"):
        raise PBError(_("Say how many points a voter may spread (N)."), field="points")
    from app.budgeting.tally import applicable_rules

    if data["rule"] not in {r.name for r in applicable_rules(ballot_type)}:
        raise PBError(_("This tallying rule cannot count this ballot type."), field="rule")


def _normalise(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    if data.get("ballot_type") not in (K_APPROVAL, RANKED):
        data["max_choices"] = None
    if data.get("ballot_type") != CUMULATIVE:
        data["points"] = None
    return data


def create_process(municipality: Municipality, data: dict[str, Any], actor: User) -> PBProcess:
    """Create a process from validated form data (one pot is added separately)."""
    data = _normalise(data)
    check_settings(data)
    process = PBProcess(municipality_id=municipality.id)
    for field in PROCESS_FIELDS:
        setattr(process, field, data.get(field))
    db.session.add(process)
    db.session.flush()
    record("pb.process_created", actor=actor, municipality=municipality, obj=process,
           label=process.title_lt, public=True)
    db.session.commit()
    return process


def update_process(process: PBProcess, data: dict[str, Any], actor: User) -> dict[str, str]:
    """Change settings; frozen ones are refused once voting has opened. Returns the changes."""
    data = _normalise(data)
    changes = {f: str(data.get(f)) for f in PROCESS_FIELDS if _differs(getattr(process, f), data.get(f))}
    if process.voting_has_opened():
        frozen = [f for f in changes if f in FROZEN_FIELDS or f == "voting_open_at"]
        if frozen:
            raise PBError(_("Voting has opened: the ballot type, its limits and the tallying rule can no "
                            "longer be changed."), status=409, field=frozen[0])
    check_settings(data)
    for field in changes:
        setattr(process, field, data.get(field))
    if changes:
        record("pb.process_updated", actor=actor, municipality=process_municipality(process), obj=process,
               label=process.title_lt, public=True, changes=changes)
    db.session.commit()
    return changes


def _differs(old: Any, new: Any) -> bool:
    """Dates typed in a form have minutes only: the same minute is no change."""
    if isinstance(old, datetime) and isinstance(new, datetime):
        return old.replace(second=0, microsecond=0) != new.replace(second=0, microsecond=0)
    return old != new


def process_municipality(process: PBProcess) -> Municipality:
    return db.session.get(Municipality, process.municipality_id)


def _refuse_if_frozen(process: PBProcess) -> None:
    if process.voting_has_opened():
        raise PBError(_("Voting has opened: budget pots can no longer be added, changed or removed."), status=409)


def _check_budget(budget: Any) -> int:
    if budget is None or not isinstance(budget, int) or isinstance(budget, bool):
        raise PBError(_("Enter the amount in whole euros."), field="budget")
    if budget <= 0:
        raise PBError(_("The amount must be more than zero."), field="budget")
    if budget > MAX_POT_BUDGET:
        raise PBError(_("This amount is not plausible for a municipal budget."), field="budget")
    return budget


def add_pot(process: PBProcess, name_lt: str, name_en: str, budget: int, actor: User) -> PBPot:
    """Add a budget pot (refused once voting has opened)."""
    _refuse_if_frozen(process)
    budget = _check_budget(budget)
    position = len(process.pots)
    pot = PBPot(process_id=process.id, municipality_id=process.municipality_id, name_lt=name_lt,
                name_en=name_en or "", budget=budget, position=position)
    db.session.add(pot)
    db.session.flush()
    record("pb.pot_added", actor=actor, municipality=process_municipality(process), obj=pot,
           label=f"{process.title_lt}: {name_lt}", public=True, budget=budget)
    db.session.commit()
    return pot


def update_pot(pot: PBPot, name_lt: str, name_en: str, budget: int, actor: User) -> None:
    _refuse_if_frozen(pot.process)
    budget = _check_budget(budget)
    changes = {}
    for field, value in (("name_lt", name_lt), ("name_en", name_en or ""), ("budget", budget)):
        if getattr(pot, field) != value:
            changes[field] = str(value)
            setattr(pot, field, value)
    if changes:
        record("pb.pot_updated", actor=actor, municipality=process_municipality(pot.process), obj=pot,
               label=f"{pot.process.title_lt}: {pot.name_lt}", public=True, changes=changes)
    db.session.commit()


def delete_pot(pot: PBPot, actor: User) -> None:
    """Remove an empty pot (one with ideas cannot be removed: they would be lost)."""
    _refuse_if_frozen(pot.process)
    has_ideas = db.session.execute(db.select(PBIdea.id).filter_by(pot_id=pot.id).limit(1)).first()
    if has_ideas:
        raise PBError(_("This pot already has ideas; move or reject them first."), status=409)
    record("pb.pot_removed", actor=actor, municipality=process_municipality(pot.process), obj=pot,
           label=f"{pot.process.title_lt}: {pot.name_lt}", public=True)
    db.session.delete(pot)
    db.session.commit()


def close_voting(process: PBProcess, actor: User) -> None:
    """Close voting now, before the planned date."""
    now = utcnow()
    if not (process.voting_open_at <= now < process.voting_ends_at):
        raise PBError(_("Voting is not open, so it cannot be closed."), status=409)
    process.closed_early_at = now
    record("pb.voting_closed", actor=actor, municipality=process_municipality(process), obj=process,
           label=process.title_lt, public=True)
    db.session.commit()


def is_eligible(process: PBProcess, municipality: Municipality, user: User) -> bool:
    """A confirmed resident of the municipality, old enough if the process says so."""
    if not user.is_authenticated or not user.is_resident_of(municipality):
        return False
    if process.min_age:
        if not user.birth_year:
            return False
        return utcnow().year - user.birth_year >= process.min_age
    return True

