"""Project ideas: submission, support, feasibility review, merging and edits with versions."""
from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.budgeting.models import (
    FEASIBLE, IDEAS, INFEASIBLE, MERGED, SUBMITTED, PBIdea, PBIdeaVersion, PBPot, PBProcess, PBSupport,
)
from app.budgeting.services import PBError, process_municipality
from app.core.audit import record
from app.core.models import utcnow
from app.extensions import db
from app.i18n import _
from app.municipalities.models import Municipality


def check_cost(cost, pot: PBPot, field: str = "estimated_cost") -> int:
    """Whole euros, more than zero and not more than the pot."""
    if cost is None or not isinstance(cost, int) or isinstance(cost, bool):
        raise PBError(_("Enter the cost in whole euros."), field=field)
    if cost <= 0:
        raise PBError(_("The cost must be more than zero euros."), field=field)
    if cost > pot.budget:
        from app.core.formatting import _money

        raise PBError(_("The cost is more than the whole pot (%(budget)s): split the idea or choose "
                        "another pot.", budget=_money(pot.budget)), field=field)
    return cost


def submit_idea(process: PBProcess, pot: PBPot, author: User, data: dict) -> PBIdea:
    """A resident submits an idea during the submission phase."""
    municipality = process_municipality(process)
    if process.phase() != IDEAS:
        raise PBError(_("Ideas can only be submitted while submission is open."), status=409)
    if not author.is_resident_of(municipality):
        raise PBError(_("Only confirmed residents of this municipality can submit ideas."), status=403)
    if pot.process_id != process.id:
        raise PBError(_("Choose a pot of this process."), field="pot_id")
    cost = check_cost(data.get("estimated_cost"), pot)
    idea = PBIdea(municipality_id=process.municipality_id, process_id=process.id, pot_id=pot.id,
                  author_id=author.id, title=data["title"].strip(), description=data["description"],
                  location=(data.get("location") or "").strip(), estimated_cost=cost,
                  contact=(data.get("contact") or "").strip(), status=SUBMITTED)
    db.session.add(idea)
    db.session.flush()
    record("pb.idea_submitted", actor=author, municipality=municipality, obj=idea)
    db.session.commit()
    return idea


def get_idea(process: PBProcess, idea_id: int) -> PBIdea | None:
    return db.session.execute(
        db.select(PBIdea).filter_by(id=idea_id, process_id=process.id, municipality_id=process.municipality_id)
    ).scalar_one_or_none()


def ideas_of(process: PBProcess, statuses: tuple[str, ...] | None = None) -> list[PBIdea]:
    query = db.select(PBIdea).filter_by(process_id=process.id, municipality_id=process.municipality_id)
    if statuses:
        query = query.where(PBIdea.status.in_(statuses))
    return list(db.session.execute(query.order_by(PBIdea.pot_id, PBIdea.id)).scalars())


def ballot_projects(pot: PBPot) -> list[PBIdea]:
    """Projects on the ballot of a pot: feasible, with a final cost."""
    return list(db.session.execute(
        db.select(PBIdea).filter_by(pot_id=pot.id, status=FEASIBLE).where(PBIdea.final_cost.is_not(None))
        .order_by(PBIdea.id)
    ).scalars())


def support_counts(idea_ids: list[int]) -> dict[int, int]:
    if not idea_ids:
        return {}
    return dict(db.session.execute(
        db.select(PBSupport.idea_id, func.count(PBSupport.id)).where(PBSupport.idea_id.in_(idea_ids))
        .group_by(PBSupport.idea_id)).all())


def idea_counts(municipality_ids: list[int]) -> dict[int, int]:
    """Ideas per municipality (for the home pages), merged duplicates not counted."""
    return dict(db.session.execute(
        db.select(PBIdea.municipality_id, func.count(PBIdea.id))
        .where(PBIdea.municipality_id.in_(municipality_ids), PBIdea.status != MERGED)
        .group_by(PBIdea.municipality_id)).all())


def has_supported(idea: PBIdea, user: User) -> bool:
    if not user.is_authenticated:
        return False
    return db.session.execute(db.select(PBSupport.id).filter_by(idea_id=idea.id, user_id=user.id)).first() is not None


def toggle_support(idea: PBIdea, user: User, municipality: Municipality) -> bool:
    """Show or withdraw support (not a vote). Returns True when the user now supports it."""
    if not user.is_resident_of(municipality):
        raise PBError(_("Only confirmed residents of this municipality can support ideas."), status=403)
    if idea.status == MERGED:
        raise PBError(_("This idea was merged into another; support that one."), status=409)
    existing = db.session.execute(db.select(PBSupport).filter_by(idea_id=idea.id, user_id=user.id)).scalar_one_or_none()
    if existing is not None:
        db.session.delete(existing)
        db.session.commit()
        return False
    db.session.add(PBSupport(idea_id=idea.id, user_id=user.id))
    try:
        db.session.commit()
    except IntegrityError:  # a double click: the support is already there
        db.session.rollback()
    return True


def review_idea(idea: PBIdea, feasible: bool, reason: str, final_cost: int | None, actor: User) -> None:
    """Record the feasibility review: a public reason, and a final cost for feasible ideas."""
    process = db.session.get(PBProcess, idea.process_id)
    if process.voting_has_opened():
        raise PBError(_("Voting has opened: the projects on the ballot can no longer change."), status=409)
    if idea.status == MERGED:
        raise PBError(_("This idea was merged into another."), status=409)
    if not reason.strip():
        raise PBError(_("Give the public reason for the decision."), field="reason")
    if feasible:
        final_cost = check_cost(final_cost, idea.pot, field="final_cost")
    idea.status = FEASIBLE if feasible else INFEASIBLE
    idea.final_cost = final_cost if feasible else None
    idea.review_reason = reason.strip()
    idea.reviewed_at = utcnow()
    record("pb.idea_feasible" if feasible else "pb.idea_infeasible", actor=actor,
           municipality=process_municipality(process), obj=idea, reason=idea.review_reason, public=True,
           final_cost=final_cost)
    db.session.commit()


def edit_idea(idea: PBIdea, title: str, description: str, location: str, actor: User) -> bool:
    """Edit an idea for clarity; the previous wording is kept as a version."""
    process = db.session.get(PBProcess, idea.process_id)
    if process.voting_has_opened():
        raise PBError(_("Voting has opened: the projects on the ballot can no longer change."), status=409)
    if (idea.title, idea.description, idea.location) == (title.strip(), description, (location or "").strip()):
        return False
    db.session.add(PBIdeaVersion(idea_id=idea.id, version=idea.version, title=idea.title,
                                 description=idea.description, location=idea.location, edited_by_id=actor.id))
    idea.title, idea.description, idea.location = title.strip(), description, (location or "").strip()
    idea.version += 1
    record("pb.idea_edited", actor=actor, municipality=process_municipality(process), obj=idea, public=True,
           version=idea.version)
    db.session.commit()
    return True


def versions_of(idea: PBIdea) -> list[PBIdeaVersion]:
    return list(db.session.execute(
        db.select(PBIdeaVersion).filter_by(idea_id=idea.id).order_by(PBIdeaVersion.version.desc())).scalars())


def merge_idea(duplicate: PBIdea, target: PBIdea, reason: str, actor: User) -> None:
    """Merge a duplicate into another idea of the same pot; both keep a link to each other."""
    process = db.session.get(PBProcess, duplicate.process_id)
    if process.voting_has_opened():
        raise PBError(_("Voting has opened: the projects on the ballot can no longer change."), status=409)
    if duplicate.id == target.id:
        raise PBError(_("An idea cannot be merged into itself."), field="target_id")
    if target.process_id != duplicate.process_id or target.pot_id != duplicate.pot_id:
        raise PBError(_("Ideas can only be merged within the same pot."), field="target_id")
    if target.status == MERGED:
        raise PBError(_("The chosen idea was itself merged; choose the idea it was merged into."),
                      field="target_id")
    duplicate.status = MERGED
    duplicate.merged_into_id = target.id
    duplicate.review_reason = reason.strip() or None
    duplicate.reviewed_at = utcnow()
    # Ideas merged earlier into the duplicate now point at the target as well.
    for earlier in db.session.execute(db.select(PBIdea).filter_by(merged_into_id=duplicate.id)).scalars():
        earlier.merged_into_id = target.id
    record("pb.idea_merged", actor=actor, municipality=process_municipality(process), obj=duplicate,
           reason=duplicate.review_reason, public=True, into=target.id, into_title=target.title)
    db.session.commit()


def merged_ideas(idea: PBIdea) -> list[PBIdea]:
    return list(db.session.execute(db.select(PBIdea).filter_by(merged_into_id=idea.id).order_by(PBIdea.id)).scalars())
