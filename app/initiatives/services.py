"""The life of an initiative: draft, submission, moderation, response, withdrawal, expiry.

Each function takes the municipality and the acting user, checks the move is allowed
from the current status, changes the state, writes the audit event and commits.
Signing lives in :mod:`app.initiatives.signing`; lists and exports in ``queries``.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from app.core.audit import record
from app.core.models import utcnow
from app.extensions import db
from app.i18n import _
from app.initiatives import notify
from app.initiatives.models import (
    ANSWERED, CHANGES_REQUESTED, DRAFT, EDITABLE, EXPIRED, PUBLISHED, REJECTED, SUBMITTED,
    THRESHOLD_REACHED, WITHDRAWN, Category, Initiative, InitiativeVersion,
)

TEXT_FIELDS = ("title", "summary", "body", "location", "links", "category_id", "language")


class InitiativeError(Exception):
    """A move that is not allowed now, with a translated message and an HTTP status."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.message = message
        self.status = status


def get_initiative(municipality, initiative_id: int) -> Initiative | None:
    """The initiative with this id in this municipality (never another's)."""
    return db.session.execute(
        select(Initiative).where(Initiative.id == initiative_id, Initiative.municipality_id == municipality.id)
    ).scalar_one_or_none()


def categories(municipality) -> list[Category]:
    return list(db.session.execute(
        select(Category).where(Category.municipality_id == municipality.id)
        .order_by(Category.position, Category.id)).scalars())


def _clean(data: dict) -> dict:
    values = {k: data.get(k) for k in TEXT_FIELDS if k in data}
    for key in ("title", "summary", "body", "location", "links"):
        if isinstance(values.get(key), str):
            values[key] = values[key].strip() or None
    if values.get("links"):
        values["links"] = "\n".join(line.strip() for line in values["links"].splitlines() if line.strip())
    if not values.get("category_id"):
        values["category_id"] = None
    return values


def _snapshot(initiative: Initiative, author) -> None:
    db.session.add(InitiativeVersion(
        initiative_id=initiative.id, municipality_id=initiative.municipality_id, number=initiative.version,
        author_id=author.id, title=initiative.title, summary=initiative.summary, body=initiative.body,
        location=initiative.location, links=initiative.links, category_id=initiative.category_id))


def create_draft(municipality, author, data: dict) -> Initiative:
    """A confirmed resident starts an initiative; it is saved as a private draft (version 1)."""
    if not author.is_resident_of(municipality):
        raise InitiativeError(_("Only confirmed residents of this municipality can propose initiatives here."), 403)
    initiative = Initiative(municipality_id=municipality.id, author_id=author.id, status=DRAFT, version=1,
                            **_clean(data))
    db.session.add(initiative)
    db.session.flush()
    _snapshot(initiative, author)
    record("initiative.created", actor=author, municipality=municipality, obj=initiative)
    db.session.commit()
    return initiative


def update_draft(municipality, author, initiative: Initiative, data: dict) -> bool:
    """Save the author's changes as a new version; False when nothing changed."""
    if initiative.author_id != author.id:
        raise InitiativeError(_("Only the author can edit this initiative."), 403)
    if initiative.status not in EDITABLE:
        raise InitiativeError(_("This initiative can no longer be edited."), 409)
    values = _clean(data)
    if all(getattr(initiative, k) == v for k, v in values.items()):
        return False
    for key, value in values.items():
        setattr(initiative, key, value)
    initiative.version += 1
    _snapshot(initiative, author)
    record("initiative.edited", actor=author, municipality=municipality, obj=initiative, version=initiative.version)
    db.session.commit()
    return True


def submit(municipality, author, initiative: Initiative) -> None:
    """Send a draft (or a corrected text) to the moderators."""
    if initiative.author_id != author.id:
        raise InitiativeError(_("Only the author can submit this initiative."), 403)
    if initiative.status not in EDITABLE:
        raise InitiativeError(_("This initiative has already been submitted."), 409)
    now = utcnow()
    initiative.status = SUBMITTED
    initiative.submitted_at = initiative.submitted_at or now  # the first submission counts
    record("initiative.submitted", actor=author, municipality=municipality, obj=initiative)
    db.session.commit()


def withdraw(municipality, author, initiative: Initiative) -> None:
    """The author withdraws the initiative (before the threshold is reached)."""
    if initiative.author_id != author.id:
        raise InitiativeError(_("Only the author can withdraw this initiative."), 403)
    if initiative.status not in (DRAFT, SUBMITTED, CHANGES_REQUESTED, PUBLISHED):
        raise InitiativeError(_("This initiative can no longer be withdrawn."), 409)
    was_public = initiative.published_at is not None
    initiative.status = WITHDRAWN
    initiative.closed_at = utcnow()
    record("initiative.withdrawn", actor=author, municipality=municipality, obj=initiative, public=was_public)
    db.session.commit()


def _require_submitted(initiative: Initiative) -> None:
    if initiative.status != SUBMITTED:
        raise InitiativeError(_("This initiative is not waiting for a moderation decision."), 409)


def approve(municipality, moderator, initiative: Initiative) -> None:
    """Publish: fix the threshold in force and the deadline from the municipality's settings."""
    _require_submitted(initiative)
    now = utcnow()
    initiative.status = PUBLISHED
    initiative.published_at = now
    initiative.decided_at = initiative.decided_at or now
    initiative.required_signatures = municipality.required_signatures()
    initiative.signature_deadline = now + timedelta(days=municipality.signature_period_days or 90)
    initiative.moderator_message = None
    record("initiative.approved", actor=moderator, municipality=municipality, obj=initiative, public=True,
           required_signatures=initiative.required_signatures)
    db.session.commit()
    notify.author_approved(initiative)


def request_changes(municipality, moderator, initiative: Initiative, message: str) -> None:
    """Send the submission back to its author with a message."""
    _require_submitted(initiative)
    initiative.status = CHANGES_REQUESTED
    initiative.moderator_message = message.strip()
    record("initiative.changes_requested", actor=moderator, municipality=municipality, obj=initiative,
           reason=message.strip())
    db.session.commit()
    notify.author_changes_requested(initiative)


def reject(municipality, moderator, initiative: Initiative, reason: str) -> None:
    """Reject with a reason that is shown publicly."""
    _require_submitted(initiative)
    now = utcnow()
    initiative.status = REJECTED
    initiative.rejection_reason = reason.strip()
    initiative.decided_at = initiative.decided_at or now
    initiative.closed_at = now
    record("initiative.rejected", actor=moderator, municipality=municipality, obj=initiative,
           reason=reason.strip(), public=True)
    db.session.commit()
    notify.author_rejected(initiative)


def respond(municipality, moderator, initiative: Initiative, decision: str, text: str) -> int:
    """Publish the municipality's official response; e-mails signers and the author.

    Returns the number of people e-mailed.
    """
    if initiative.status != THRESHOLD_REACHED:
        raise InitiativeError(_("An official response can be published only after the threshold is reached."), 409)
    initiative.status = ANSWERED
    initiative.answered_at = utcnow()
    initiative.response_decision = decision
    initiative.response_text = text.strip()
    initiative.responder_id = moderator.id
    record("initiative.answered", actor=moderator, municipality=municipality, obj=initiative, public=True,
           decision=decision)
    db.session.commit()
    return notify.response_published(initiative)


def hide(initiative: Initiative, moderator, reason: str) -> None:
    """Discussion hook: a moderator hides a flagged initiative (the caller audits and commits)."""
    initiative.hidden_at = utcnow()
    initiative.hidden_by_id = moderator.id
    initiative.hidden_reason = reason


def expire_due(now=None) -> int:
    """Close every collection whose deadline passed without the threshold (run daily)."""
    now = now or utcnow()
    due = db.session.execute(
        select(Initiative).where(Initiative.status == PUBLISHED, Initiative.signature_deadline <= now)
    ).scalars().all()
    count = 0
    for initiative in due:
        moved = db.session.execute(
            update(Initiative).where(Initiative.id == initiative.id, Initiative.status == PUBLISHED)
            .values(status=EXPIRED, closed_at=now).execution_options(synchronize_session=False))
        if moved.rowcount:
            count += 1
            record("initiative.expired", municipality=initiative.municipality, obj=initiative, public=True,
                   signatures=initiative.signature_count)
    db.session.commit()
    return count


# --- categories ----------------------------------------------------------------------

def add_category(municipality, admin, name_lt: str, name_en: str, position: int | None) -> Category:
    if position is None:
        position = (db.session.execute(select(func.max(Category.position))
                                       .where(Category.municipality_id == municipality.id)).scalar() or 0) + 10
    category = Category(municipality_id=municipality.id, name_lt=name_lt.strip(), name_en=name_en.strip(),
                        position=position)
    db.session.add(category)
    db.session.flush()
    record("category.created", actor=admin, municipality=municipality, obj=category, label=category.name_lt,
           public=True)
    db.session.commit()
    return category


def update_category(municipality, admin, category: Category, name_lt: str, name_en: str, position: int) -> None:
    category.name_lt, category.name_en, category.position = name_lt.strip(), name_en.strip(), position
    record("category.updated", actor=admin, municipality=municipality, obj=category, label=category.name_lt,
           public=True)
    db.session.commit()


def delete_category(municipality, admin, category: Category) -> None:
    used = db.session.execute(select(func.count(Initiative.id)).where(Initiative.category_id == category.id)).scalar()
    used = used or db.session.execute(
        select(func.count(InitiativeVersion.id)).where(InitiativeVersion.category_id == category.id)).scalar()
    if used:
        raise InitiativeError(_("This category is used by initiatives and cannot be deleted; rename it instead."))
    record("category.deleted", actor=admin, municipality=municipality, obj=category, label=category.name_lt,
           public=True)
    db.session.delete(category)
    db.session.commit()
