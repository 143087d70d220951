"""Creating and configuring municipalities and their staff."""
from __future__ import annotations

from sqlalchemy import func

from app.accounts.models import Membership, User
from app.core.audit import record
from app.extensions import db
from app.municipalities.models import Municipality

SETTINGS_FIELDS = (
    "slug", "name_lt", "name_en", "population", "default_locale", "signature_threshold",
    "signature_threshold_percent", "signature_period_days", "active",
)


def _apply(municipality: Municipality, data: dict) -> dict:
    changes = {}
    for field in SETTINGS_FIELDS:
        if field in data and getattr(municipality, field) != data[field]:
            changes[field] = str(data[field])
            setattr(municipality, field, data[field])
    if "locales" in data:
        locales = ",".join(data["locales"])
        if municipality.locales != locales:
            changes["locales"] = locales
            municipality.locales = locales
    return changes


def create_municipality(data: dict, actor: User) -> Municipality:
    """Create a municipality from validated form data and log it."""
    municipality = Municipality()
    _apply(municipality, data)
    db.session.add(municipality)
    db.session.flush()
    record("municipality.created", actor=actor, municipality=municipality, obj=municipality,
           label=municipality.name_lt, public=True)
    db.session.commit()
    return municipality


def update_municipality(municipality: Municipality, data: dict, actor: User) -> dict:
    """Change settings; returns the fields that changed (also in the audit log)."""
    changes = _apply(municipality, data)
    if changes:
        record("municipality.updated", actor=actor, municipality=municipality, obj=municipality,
               label=municipality.name_lt, public=True, changes=changes)
    db.session.commit()
    return changes


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(
        db.select(User).where(func.lower(User.email) == email.strip().lower())
    ).scalar_one_or_none()


def assign_role(municipality: Municipality, user: User, role: str, actor: User) -> bool:
    """Give ``user`` a staff role; False when they already have it."""
    exists = db.session.execute(
        db.select(Membership).filter_by(user_id=user.id, municipality_id=municipality.id, role=role)
    ).scalar_one_or_none()
    if exists:
        return False
    db.session.add(Membership(user_id=user.id, municipality_id=municipality.id, role=role))
    record("staff.assigned", actor=actor, municipality=municipality, obj=user, label=user.name,
           public=True, role=role)
    db.session.commit()
    return True


def remove_role(membership: Membership, actor: User) -> None:
    municipality = membership.municipality
    user = membership.user
    record("staff.removed", actor=actor, municipality=municipality, obj=user, label=user.name,
           public=True, role=membership.role)
    db.session.delete(membership)
    db.session.commit()


def resident_counts(municipality_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(
        db.select(User.home_municipality_id, func.count(User.id))
        .where(User.home_municipality_id.in_(municipality_ids), User.confirmed_at.is_not(None))
        .group_by(User.home_municipality_id)
    ).all()
    return {mid: n for mid, n in rows}
