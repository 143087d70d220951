"""Signing: the hot path when an initiative goes viral.

One signature is an INSERT (the UNIQUE (initiative_id, user_id) constraint refuses a
second one) plus ``UPDATE … SET signature_count = signature_count + 1`` guarded by the
status and the deadline, in one transaction. The threshold transition is a conditional
``UPDATE … WHERE status = 'published'``: whichever transaction crosses the line first
moves the initiative, exactly once, however many sign at the same moment.

On PostgreSQL the common case (a signature that does not cross the threshold) is one
statement that counts and stores together, sent with its COMMIT in one round trip
(:func:`_sign_in_one_round_trip`): the initiative's row lock is then held only inside
the database, never while the application waits for a reply, so that signers of one
viral initiative do not queue behind each other's round trips.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import psycopg
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.core.audit import AuditEvent
from app.core.models import utcnow
from app.extensions import db
from app.i18n import _
from app.initiatives.models import COLLECTING, PUBLISHED, REJECTED, THRESHOLD_REACHED, Initiative, Signature

_PIPELINE_SUPPORTED = psycopg.Pipeline.is_supported()  # libpq 14 or later


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


# PostgreSQL: count and store in one statement. The UPDATE takes the row lock and checks
# the same guards as _COUNT_UP (re-checked on the newest row version after a lock wait);
# the INSERT only happens when the UPDATE counted, and a duplicate (UNIQUE
# (initiative_id, user_id)) fails the whole statement. It declines (count NULL, nothing
# changed) when the resident has already signed (then "already" is true) and whenever
# the careful path must decide: the signature would reach the threshold while the
# initiative is still 'published', or the initiative is not collecting.
_SIGN_IN_ONE_STATEMENT = f"""
WITH counted AS (
    UPDATE initiatives SET signature_count = signature_count + 1, updated_at = %(now)s
    WHERE id = %(iid)s AND municipality_id = %(mid)s
      AND status IN ({", ".join(f"'{status}'" for status in COLLECTING)})
      AND hidden_at IS NULL AND signature_deadline > %(now)s
      AND (status <> '{PUBLISHED}' OR required_signatures IS NULL
           OR signature_count + 1 < required_signatures)
      AND NOT EXISTS (SELECT 1 FROM signatures WHERE initiative_id = %(iid)s AND user_id = %(uid)s)
    RETURNING id, signature_count
), signed AS (
    INSERT INTO signatures (initiative_id, user_id, municipality_id, show_name, created_at)
    SELECT id, %(uid)s, %(mid)s, %(show)s, %(now)s FROM counted
    RETURNING initiative_id
)
SELECT (SELECT counted.signature_count FROM counted JOIN signed ON signed.initiative_id = counted.id),
       EXISTS (SELECT 1 FROM signatures WHERE initiative_id = %(iid)s AND user_id = %(uid)s)
"""


def _sign_in_one_round_trip(params: dict) -> tuple[int | None, bool]:
    """The signature and its COMMIT in one pipeline (one round trip). Returns the new
    count (None when the statement declined and nothing changed) and whether the
    resident had already signed before.

    It commits the session's transaction (so far only the reads of the municipality and
    the user; anything pending is flushed into it first) below the ORM, so the loaded
    objects stay loaded. A concurrent duplicate raises psycopg's IntegrityError: the
    transaction is then aborted, and the caller rolls the session back.
    """
    db.session.flush()
    raw = db.session.connection().connection.dbapi_connection
    with raw.pipeline():
        cursor = raw.execute(_SIGN_IN_ONE_STATEMENT, params)
        raw.commit()
    count, already = cursor.fetchone()
    return count, already


def _one_round_trip_possible() -> bool:
    dialect = db.engine.dialect
    return dialect.name == "postgresql" and dialect.driver == "psycopg" and _PIPELINE_SUPPORTED


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

    Without loading the initiative: the guarded UPDATE checks municipality, status,
    visibility and deadline itself. On PostgreSQL the common case is one statement sent
    with its COMMIT; the careful path (count, store, maybe move the threshold, commit)
    takes the rest, and every signature on SQLite. Raises :class:`NotFound`, or
    :class:`SigningRefused` with the specific reason (already signed: 409; not confirmed
    or another municipality: 403; closed or rejected: 409).
    """
    now = utcnow()
    if not user.confirmed or user.home_municipality_id != municipality.id:
        initiative = _load_public(municipality.id, initiative_id)
        error = SigningRefused(sign_refusal(initiative, user, now))
        error.initiative = initiative
        raise error
    params = {"iid": initiative_id, "uid": user.id, "mid": municipality.id, "show": bool(show_name), "now": now}
    if _one_round_trip_possible():
        try:
            count, already = _sign_in_one_round_trip(params)
        except psycopg.IntegrityError:  # signed at the same moment in another request
            raise _refused(municipality.id, initiative_id, user, _already()) from None
        if already:
            raise _refused(municipality.id, initiative_id, user, _already())
        if count is not None:
            return count, False
    # The careful path. Like the statement above it locks the initiative's row (UPDATE)
    # before it stores the signature, so that the two never wait for each other in turn.
    connection = db.session.connection()  # Core statements on the session's transaction: no ORM overhead
    row = connection.execute(_COUNT_UP, params).first()
    if row is None:
        # Not collecting (any more), or not in this municipality: nothing is stored.
        raise _refused(municipality.id, initiative_id, user, Refusal(
            "not_open", _("This initiative is not collecting signatures."), 409))
    try:
        connection.execute(_INSERT_SIGNATURE, params)
    except IntegrityError:
        # The UNIQUE (initiative_id, user_id) constraint refused it; the count goes back too.
        raise _refused(municipality.id, initiative_id, user, _already()) from None
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
