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

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.core.audit import AuditEvent
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
        self.initiative: Initiative | None = None


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


# Built once: the hot path only binds parameters (iid, uid, mid, show, now).
_signatures = Signature.__table__
_initiatives = Initiative.__table__
_INSERT_SIGNATURE = insert(_signatures).values(
    initiative_id=bindparam("iid"), user_id=bindparam("uid"), municipality_id=bindparam("mid"),
    show_name=bindparam("show"), created_at=bindparam("now"))
_COUNT_UP = (
    update(_initiatives)
    .where(_initiatives.c.id == bindparam("iid"), _initiatives.c.municipality_id == bindparam("mid"),
           _initiatives.c.status.in_(COLLECTING), _initiatives.c.hidden_at.is_(None),
           _initiatives.c.signature_deadline > bindparam("now"))
    .values(signature_count=_initiatives.c.signature_count + 1)
    .returning(_initiatives.c.signature_count, _initiatives.c.status, _initiatives.c.required_signatures,
               _initiatives.c.title))
# The threshold transition: only the transaction that finds it still 'published' moves it.
_THRESHOLD_REACHED = (
    update(_initiatives)
    .where(_initiatives.c.id == bindparam("iid"), _initiatives.c.status == PUBLISHED)
    .values(status=THRESHOLD_REACHED, threshold_reached_at=bindparam("now")))


class NotFound(Exception):
    """No public initiative with this id in this municipality."""


def _load_public(municipality_id: int, initiative_id: int) -> Initiative:
    initiative = db.session.execute(
        select(Initiative).where(Initiative.id == initiative_id, Initiative.municipality_id == municipality_id)
    ).scalar_one_or_none()
    if initiative is None or not initiative.is_public:
        raise NotFound()
    return initiative


def _refused(municipality_id: int, initiative_id: int, user, fallback: Refusal) -> SigningRefused:
    """After a rollback: find out why, from the initiative as it is now."""
    db.session.rollback()
    initiative = _load_public(municipality_id, initiative_id)
    error = SigningRefused(sign_refusal(initiative, user) or fallback)
    error.initiative = initiative
    return error


def sign(municipality, initiative_id: int, user, show_name: bool = False) -> tuple[int, bool]:
    """Add ``user``'s signature; returns (new count, whether this crossed the threshold).

    The happy path is two statements and a commit, without loading the initiative: the
    guarded UPDATE checks municipality, status, visibility and deadline itself. Raises
    :class:`NotFound`, or :class:`SigningRefused` with the specific reason (already
    signed: 409; not confirmed or another municipality: 403; closed or rejected: 409).
    """
    now = utcnow()
    if not user.confirmed or user.home_municipality_id != municipality.id:
        initiative = _load_public(municipality.id, initiative_id)
        error = SigningRefused(sign_refusal(initiative, user, now))
        error.initiative = initiative
        raise error
    params = {"iid": initiative_id, "uid": user.id, "mid": municipality.id, "show": bool(show_name), "now": now}
    connection = db.session.connection()  # Core statements on the session's transaction: no ORM overhead
    try:
        connection.execute(_INSERT_SIGNATURE, params)
    except IntegrityError:
        # The UNIQUE (initiative_id, user_id) constraint (or a missing initiative) refused it.
        raise _refused(municipality.id, initiative_id, user, _already()) from None
    row = connection.execute(_COUNT_UP, params).first()
    if row is None:
        # Not collecting (any more), or not in this municipality: nothing is stored.
        raise _refused(municipality.id, initiative_id, user, Refusal(
            "not_open", _("This initiative is not collecting signatures."), 409))
    count, status, required, title = row
    crossed = False
    if status == PUBLISHED and required is not None and count >= required:
        moved = connection.execute(_THRESHOLD_REACHED, params)
        crossed = moved.rowcount == 1
        if crossed:
            db.session.add(AuditEvent(action="initiative.threshold_reached", municipality_id=municipality.id,
                                      object_type="Initiative", object_id=initiative_id, object_label=title,
                                      public=True, data={"signatures": count}, created_at=now))
    db.session.commit()
    return count, crossed


def _already() -> Refusal:
    return Refusal("already", _("You have already signed this initiative. Each resident can sign once."), 409)


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
