"""Signing: the hot path when an initiative goes viral.

One signature is an INSERT (the UNIQUE (initiative_id, user_id) constraint refuses a
second one) plus ``UPDATE … SET signature_count = signature_count + 1`` guarded by the
status and the deadline, in one transaction. The threshold transition is a conditional
``UPDATE … WHERE status = 'published'``: whichever transaction crosses the line first
moves the initiative, exactly once, however many sign at the same moment.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from app.core.audit import record
from app.core.models import utcnow
from app.extensions import db
from app.i18n import _
from app.initiatives.models import COLLECTING, PUBLISHED, REJECTED, THRESHOLD_REACHED, Initiative, Signature


@dataclass
class Refusal:
    """Why someone cannot sign, what to do about it, and the HTTP status for a POST."""

    kind: str      # login | confirm | other_municipality | rejected | not_open | closed | already | not_signed
    message: str
    status: int


class SigningRefused(Exception):
    def __init__(self, refusal: Refusal):
        super().__init__(refusal.message)
        self.refusal = refusal


def sign_refusal(initiative: Initiative, user, now: datetime | None = None) -> Refusal | None:
    """None when ``user`` may sign ``initiative`` now; otherwise the specific reason."""
    now = now or utcnow()
    if user is None or not user.is_authenticated:
        return Refusal("login", _("Sign in to sign this initiative. No account yet? Register: it takes a minute."), 401)
    if initiative.status == REJECTED:
        return Refusal("rejected", _("This initiative was rejected by a moderator, so it cannot be signed."), 409)
    if initiative.status not in COLLECTING or initiative.hidden_at is not None:
        return Refusal("not_open", _("This initiative is not collecting signatures."), 409)
    if initiative.signature_deadline is None or now >= initiative.signature_deadline:
        return Refusal("closed", _("Signature collection closed on %(date)s.",
                                   date=_format_date(initiative.signature_deadline)), 409)
    if not user.confirmed:
        return Refusal("confirm", _("Confirm your e-mail address first: open the link we sent you, "
                                    "or ask for a new one below."), 403)
    if user.home_municipality_id != initiative.municipality_id:
        return Refusal("other_municipality", _(
            "Only residents of this municipality can sign its initiatives, and your account names another "
            "municipality as your home. If you live here, change your municipality in your profile."), 403)
    return None


def _format_date(value: datetime | None) -> str:
    from flask_babel import format_date

    return format_date(value, "yyyy-MM-dd") if value else ""


def _collecting_guard(initiative_id: int, now: datetime):
    return (Initiative.id == initiative_id, Initiative.status.in_(COLLECTING),
            Initiative.hidden_at.is_(None), Initiative.signature_deadline > now)


def sign(initiative: Initiative, user, show_name: bool = False) -> tuple[int, bool]:
    """Add ``user``'s signature; returns (new count, whether this crossed the threshold).

    Raises :class:`SigningRefused` (already signed: 409; not allowed: 403/409).
    """
    now = utcnow()
    refusal = sign_refusal(initiative, user, now)
    if refusal:
        raise SigningRefused(refusal)
    initiative_id, municipality_id = initiative.id, initiative.municipality_id
    db.session.add(Signature(initiative_id=initiative_id, user_id=user.id, municipality_id=municipality_id,
                             show_name=bool(show_name), created_at=now))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise SigningRefused(Refusal("already", _("You have already signed this initiative. "
                                                  "Each resident can sign once."), 409)) from None
    row = db.session.execute(
        update(Initiative).where(*_collecting_guard(initiative_id, now))
        .values(signature_count=Initiative.signature_count + 1)
        .returning(Initiative.signature_count, Initiative.status, Initiative.required_signatures)
        .execution_options(synchronize_session=False)
    ).first()
    if row is None:
        # The status or the deadline changed since we read it: nothing is stored.
        db.session.rollback()
        db.session.refresh(initiative)
        raise SigningRefused(sign_refusal(initiative, user) or Refusal(
            "not_open", _("This initiative is not collecting signatures."), 409))
    count, status, required = row
    crossed = False
    if status == PUBLISHED and required is not None and count >= required:
        moved = db.session.execute(
            update(Initiative).where(Initiative.id == initiative_id, Initiative.status == PUBLISHED)
            .values(status=THRESHOLD_REACHED, threshold_reached_at=now)
            .execution_options(synchronize_session=False))
        crossed = moved.rowcount == 1
        if crossed:
            record("initiative.threshold_reached", municipality=initiative.municipality, obj=initiative,
                   public=True, signatures=count)
    db.session.commit()
    return count, crossed


def withdraw_signature(initiative: Initiative, user) -> int:
    """Remove ``user``'s signature while collection is open; returns the new count."""
    now = utcnow()
    if not initiative.collection_open(now):
        raise SigningRefused(Refusal("closed", _(
            "Signature collection is closed, so signatures can no longer be withdrawn."), 409))
    deleted = db.session.execute(
        delete(Signature).where(Signature.initiative_id == initiative.id, Signature.user_id == user.id)
        .execution_options(synchronize_session=False))
    if deleted.rowcount != 1:
        db.session.rollback()
        raise SigningRefused(Refusal("not_signed", _("You have not signed this initiative, "
                                                     "so there is no signature to withdraw."), 409))
    row = db.session.execute(
        update(Initiative).where(*_collecting_guard(initiative.id, now))
        .values(signature_count=Initiative.signature_count - 1)
        .returning(Initiative.signature_count)
        .execution_options(synchronize_session=False)
    ).first()
    if row is None:
        db.session.rollback()
        raise SigningRefused(Refusal("closed", _(
            "Signature collection is closed, so signatures can no longer be withdrawn."), 409))
    db.session.commit()
    return row[0]


def signature_of(initiative: Initiative, user) -> Signature | None:
    if user is None or not user.is_authenticated:
        return None
    return db.session.execute(
        select(Signature).where(Signature.initiative_id == initiative.id, Signature.user_id == user.id)
    ).scalar_one_or_none()
