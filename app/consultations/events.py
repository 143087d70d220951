"""Events (public debates, focus groups, workshops): sign-up, waitlist, attendance, summary.

Capacity holds under concurrency because every change to the seats of an event
(sign-up, cancellation, organiser's selection, capacity change) first locks the
event row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises write
transactions), then counts and decides inside that one transaction.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.consultations.models import (
    APPLIED, AUTOMATIC, BY_ORGANISER, CANCELLED, CONFIRMED, DECLINED, WAITLISTED, Event, EventQuestion, SignUp,
)
from app.consultations.services import VILNIUS, get_event, require_runner
from app.core import mail
from app.core.audit import record
from app.core.models import utcnow
from app.extensions import db
from app.i18n import _, _l, localized
from app.organisations.errors import Refused

EVENT_FIELDS = ("kind", "title_lt", "title_en", "description_lt", "description_en", "starts_at", "ends_at",
                "place", "online_url", "capacity", "signup_deadline", "selection")
ACTIVE = (CONFIRMED, WAITLISTED, APPLIED)


def event_problems(data: dict, creating: bool) -> dict[str, str]:
    """Field -> translated error for event data (shared by the form and the service)."""
    problems: dict[str, str] = {}
    starts, ends, deadline = data.get("starts_at"), data.get("ends_at"), data.get("signup_deadline")
    if starts and ends and ends <= starts:
        problems["ends_at"] = _("The end must be after the start.")
    if starts and deadline and deadline > starts:
        problems["signup_deadline"] = _("The sign-up deadline must be before the event starts.")
    if creating and starts and starts <= utcnow():
        problems["starts_at"] = _("The start must be in the future.")
    if not (data.get("place") or "").strip() and not (data.get("online_url") or "").strip():
        problems["place"] = _("Give a place or an online link.")
    capacity = data.get("capacity")
    if capacity is not None and capacity < 1:
        problems["capacity"] = _("The capacity must be at least 1.")
    return problems


def _counts(event: Event) -> dict[str, int]:
    rows = db.session.execute(select(SignUp.status, func.count(SignUp.id))
                              .where(SignUp.event_id == event.id).group_by(SignUp.status)).all()
    return {status: n for status, n in rows}


def seat_counts(event: Event) -> dict[str, int]:
    counts = _counts(event)
    attended = db.session.execute(select(func.count(SignUp.id)).where(
        SignUp.event_id == event.id, SignUp.attended.is_(True))).scalar_one()
    return {"confirmed": counts.get(CONFIRMED, 0), "waitlisted": counts.get(WAITLISTED, 0),
            "applied": counts.get(APPLIED, 0), "attended": attended,
            "free": max(0, event.capacity - counts.get(CONFIRMED, 0))}


def create_event(municipality, organisation, user, data: dict) -> Event:
    """A member of an approved organisation creates an event (published at once)."""
    require_runner(user, organisation)
    problems = event_problems(data, creating=True)
    if problems:
        raise Refused(next(iter(problems.values())), 400)
    event = Event(municipality_id=municipality.id, organisation_id=organisation.id, created_by_id=user.id,
                  **{k: data.get(k) for k in EVENT_FIELDS})
    db.session.add(event)
    db.session.flush()
    record("event.created", actor=user, municipality=municipality, obj=event, public=True)
    db.session.commit()
    return event


def update_event(municipality, event_id: int, user, data: dict) -> tuple[Event, list[SignUp]]:
    """Change an event. A larger capacity promotes people from the waitlist (returned)."""
    event = get_event(municipality, event_id, lock=True)
    require_runner(user, event.organisation)
    if event.cancelled:
        raise Refused(_("This event was cancelled."), 409)
    problems = event_problems(data, creating=False)
    if problems:
        raise Refused(next(iter(problems.values())), 400)
    confirmed = _counts(event).get(CONFIRMED, 0)
    if data.get("capacity") is not None and data["capacity"] < confirmed:
        raise Refused(ngettext_seats(confirmed), 409)
    for key in EVENT_FIELDS:
        if key in data:
            setattr(event, key, data[key])
    promoted = _promote(event) if event.selection == AUTOMATIC else []
    record("event.updated", actor=user, municipality=municipality, obj=event)
    db.session.commit()
    for signup in promoted:
        _mail(signup, lambda: str(_l("You have a seat: %(title)s", title=localized(signup.event, 'title'))), "promoted")
    return event, promoted


def ngettext_seats(n: int) -> str:
    from app.i18n import ngettext

    return ngettext("%(num)d person is already confirmed; the capacity cannot be smaller.",
                    "%(num)d people are already confirmed; the capacity cannot be smaller.", n)


def add_question(municipality, event: Event, user, data: dict) -> EventQuestion:
    require_runner(user, event.organisation)
    lt, en = (data.get("options_lt") or ""), (data.get("options_en") or "")
    n_lt = len([x for x in lt.splitlines() if x.strip()])
    n_en = len([x for x in en.splitlines() if x.strip()])
    if n_lt == 1:
        raise Refused(_("A choice question needs at least two options, one per line."), 400)
    if n_en and n_en != n_lt:
        raise Refused(_("Give the English options in the same order and number as the Lithuanian ones, or none."), 400)
    question = EventQuestion(event_id=event.id, text_lt=data["text_lt"], text_en=data.get("text_en") or "",
                             options_lt=lt, options_en=en, required=bool(data.get("required")),
                             position=max((x.position for x in event.questions), default=0) + 1)
    event.questions.append(question)
    db.session.commit()
    return question


def delete_question(municipality, event: Event, user, question_id: int) -> None:
    require_runner(user, event.organisation)
    question = next((x for x in event.questions if x.id == question_id), None)
    if question is None:
        raise Refused(_("There is no such question."), 404)
    event.questions.remove(question)
    db.session.commit()


def parse_signup_answers(event: Event, form, locale: str) -> tuple[dict[str, Any], dict[int, str]]:
    """Answers to the sign-up questions: choice answers are stored as the option's number."""
    values: dict[str, Any] = {}
    errors: dict[int, str] = {}
    for question in event.questions:
        raw = (form.get(f"eq{question.id}") or "").strip()
        options = question.options(locale)
        if options and raw:
            try:
                index = int(raw)
            except ValueError:
                index = -1
            if not 0 <= index < len(options):
                errors[question.id] = _("Choose one of the options.")
            values[str(question.id)] = index
        elif raw:
            if len(raw) > 500:
                errors[question.id] = _("At most %(max)d characters (now %(n)d).", max=500, n=len(raw))
            values[str(question.id)] = raw
        if question.required and not raw and question.id not in errors:
            errors[question.id] = _("This question is required.")
    return values, errors


def signup_refusal(event: Event, user, now: datetime | None = None) -> str | None:
    now = now or utcnow()
    if event.cancelled:
        return _("This event was cancelled.")
    if now > event.signup_deadline:
        return _("Sign-up for this event closed on %(date)s.",
                 date=event.signup_deadline.astimezone(VILNIUS).strftime("%Y-%m-%d %H:%M"))
    if user is not None and user.is_authenticated and not user.confirmed:
        return _("Confirm your e-mail address to sign up.")
    return None


def sign_up(municipality, event_id: int, user, answers: dict | None = None) -> SignUp:
    """Sign a person up: confirmed while seats are free, else on the waitlist (or "applied"
    when the organiser selects participants). Never exceeds the capacity."""
    event = get_event(municipality, event_id, lock=True)
    now = utcnow()
    refusal = signup_refusal(event, user, now)
    if refusal:
        db.session.rollback()
        raise Refused(refusal, 409 if event.cancelled or now > event.signup_deadline else 403)
    signup = db.session.execute(select(SignUp).where(SignUp.event_id == event.id, SignUp.user_id == user.id)
                                ).scalar_one_or_none()
    if signup is not None and signup.status == DECLINED:
        db.session.rollback()
        raise Refused(_("The organiser did not select you for this event."), 409)
    if signup is not None and signup.status != CANCELLED:
        db.session.rollback()
        raise Refused(_("You are already signed up for this event."), 409)
    # Decide inside the locked transaction, before the new row exists.
    counts = _counts(event)
    position = None
    if event.selection == BY_ORGANISER:
        status = APPLIED
    elif counts.get(CONFIRMED, 0) < event.capacity:
        status = CONFIRMED
    else:
        status = WAITLISTED
        last = db.session.execute(select(func.max(SignUp.waitlist_position))
                                  .where(SignUp.event_id == event.id)).scalar_one()
        position = (last or 0) + 1
    if signup is None:
        signup = SignUp(event_id=event.id, user_id=user.id, municipality_id=municipality.id)
        db.session.add(signup)
    signup.status, signup.waitlist_position = status, position
    signup.confirmed_at = now if status == CONFIRMED else None
    signup.answers = answers or None
    signup.created_at = now
    signup.cancelled_at = None
    signup.attended = None
    signup.reminder_sent_at = None
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Refused(_("You are already signed up for this event."), 409) from None
    subject = {CONFIRMED: lambda: str(_l("You are signed up: %(title)s", title=localized(event, 'title'))),
               WAITLISTED: lambda: str(_l("You are on the waitlist: %(title)s", title=localized(event, 'title'))),
               APPLIED: lambda: str(_l("Application received: %(title)s", title=localized(event, 'title')))}[signup.status]
    _mail(signup, subject, "signup", position=waitlist_rank(signup))
    return signup


def waitlist_rank(signup: SignUp) -> int | None:
    """1 for the first person waiting, 2 for the next…"""
    if signup.status != WAITLISTED or signup.waitlist_position is None:
        return None
    return db.session.execute(select(func.count(SignUp.id)).where(
        SignUp.event_id == signup.event_id, SignUp.status == WAITLISTED,
        SignUp.waitlist_position <= signup.waitlist_position)).scalar_one()


def _promote(event: Event) -> list[SignUp]:
    """Move people from the head of the waitlist to free seats (caller holds the event lock)."""
    promoted = []
    free = event.capacity - _counts(event).get(CONFIRMED, 0)
    if free <= 0:
        return promoted
    waiting = db.session.execute(select(SignUp).where(SignUp.event_id == event.id, SignUp.status == WAITLISTED)
                                 .order_by(SignUp.waitlist_position, SignUp.id).limit(free)).scalars().all()
    now = utcnow()
    for signup in waiting:
        signup.status, signup.waitlist_position, signup.confirmed_at = CONFIRMED, None, now
        promoted.append(signup)
    db.session.flush()
    return promoted


def my_signup(event: Event, user) -> SignUp | None:
    if user is None or not user.is_authenticated:
        return None
    return db.session.execute(select(SignUp).where(SignUp.event_id == event.id, SignUp.user_id == user.id)
                              ).scalar_one_or_none()


def cancel_signup(municipality, event_id: int, user) -> list[SignUp]:
    """Cancel a person's sign-up; the first on the waitlist takes the seat and is e-mailed.

    Returns the promoted sign-ups.
    """
    event = get_event(municipality, event_id, lock=True)
    signup = my_signup(event, user)
    if signup is None:
        db.session.rollback()
        raise Refused(_("You are not signed up for this event."), 404)
    if signup.status == CANCELLED:
        db.session.rollback()
        raise Refused(_("You have already cancelled your sign-up."), 409)
    if signup.status == DECLINED:
        db.session.rollback()
        raise Refused(_("The organiser did not select you for this event; there is nothing to cancel."), 409)
    if event.is_past():
        db.session.rollback()
        raise Refused(_("The event has already started."), 409)
    was_confirmed = signup.status == CONFIRMED
    signup.status, signup.waitlist_position, signup.cancelled_at = CANCELLED, None, utcnow()
    db.session.flush()
    promoted = _promote(event) if was_confirmed and event.selection == AUTOMATIC and not event.cancelled else []
    db.session.commit()
    for other in promoted:
        _mail(other, lambda: str(_l("You have a seat: %(title)s", title=localized(event, 'title'))), "promoted")
    return promoted


def _get_signup(event: Event, signup_id: int) -> SignUp:
    signup = db.session.execute(select(SignUp).where(SignUp.id == signup_id, SignUp.event_id == event.id)
                                ).scalar_one_or_none()
    if signup is None:
        raise Refused(_("There is no such sign-up for this event."), 404)
    return signup


def select_participant(municipality, event_id: int, user, signup_id: int, accept: bool) -> SignUp:
    """The organiser confirms (up to the capacity) or declines an application."""
    event = get_event(municipality, event_id, lock=True)
    require_runner(user, event.organisation)
    signup = _get_signup(event, signup_id)
    if event.selection != BY_ORGANISER:
        db.session.rollback()
        raise Refused(_("Seats at this event are given automatically in order of sign-up."), 409)
    if signup.status != APPLIED and not (not accept and signup.status == CONFIRMED):
        db.session.rollback()
        raise Refused(_("This sign-up cannot be changed any more."), 409)
    if accept:
        if _counts(event).get(CONFIRMED, 0) >= event.capacity:
            db.session.rollback()
            raise Refused(_("All seats are taken. Decline someone or raise the capacity first."), 409)
        signup.status, signup.waitlist_position, signup.confirmed_at = CONFIRMED, None, utcnow()
    else:
        signup.status, signup.waitlist_position = DECLINED, None
    record("event.participant_selected" if accept else "event.participant_declined", actor=user,
           municipality=municipality, obj=event)
    db.session.commit()
    if accept:
        _mail(signup, lambda: str(_l("You have a seat: %(title)s", title=localized(event, 'title'))), "promoted")
    else:
        _mail(signup, lambda: str(_l("About your application: %(title)s", title=localized(event, 'title'))), "declined")
    return signup


def cancel_event(municipality, event_id: int, user, reason: str) -> Event:
    event = get_event(municipality, event_id, lock=True)
    require_runner(user, event.organisation)
    if event.cancelled:
        db.session.rollback()
        raise Refused(_("This event is already cancelled."), 409)
    event.cancelled_at = utcnow()
    record("event.cancelled", actor=user, municipality=municipality, obj=event, reason=reason, public=True)
    db.session.commit()
    for signup in event.signups:
        if signup.status in ACTIVE:
            _mail(signup, lambda: str(_l("Cancelled: %(title)s", title=localized(event, 'title'))), "event_cancelled",
                  reason=reason)
    return event


def mark_attendance(municipality, event: Event, user, attended_ids: set[int]) -> int:
    """Record who came (among confirmed sign-ups); returns the number of participants."""
    require_runner(user, event.organisation)
    if not event.is_past():
        raise Refused(_("Attendance can be marked once the event has started."), 409)
    if event.cancelled:
        raise Refused(_("This event was cancelled."), 409)
    count = 0
    for signup in event.signups:
        if signup.status == CONFIRMED:
            signup.attended = signup.id in attended_ids
            count += signup.attended
    event.attendance_marked_at = utcnow()
    record("event.attendance_marked", actor=user, municipality=municipality, obj=event, participants=count)
    db.session.commit()
    return count


def publish_summary(municipality, event: Event, user, summary_lt: str, summary_en: str = "") -> None:
    """Publish the summary (Markdown, sanitised when shown) after the event."""
    require_runner(user, event.organisation)
    if not event.is_past():
        raise Refused(_("The summary can be published once the event has started."), 409)
    event.summary_lt = summary_lt.strip()
    event.summary_en = (summary_en or "").strip() or None
    event.summary_published_at = utcnow()
    record("event.summary_published", actor=user, municipality=municipality, obj=event, public=True)
    db.session.commit()


def _mail(signup: SignUp, subject, kind: str, **extra) -> None:
    user = signup.user
    event = signup.event
    link = url_for("consultations.event", municipality=event_municipality_slug(event), event_id=event.id,
                   _external=True)
    mail.send_template(user.email, user.locale or "lt", subject, f"consultations/mail/{kind}.txt",
                       user=user, event=event, signup=signup, link=link, **extra)


def event_municipality_slug(event: Event) -> str:
    from app.municipalities.models import Municipality

    return db.session.get(Municipality, event.municipality_id).slug


def can_download_ics(event: Event, user) -> bool:
    signup = my_signup(event, user)
    return signup is not None and signup.status in ACTIVE
