"""Reminder e-mails the day before an event; safe to run twice (or twice at once)."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from flask import url_for
from sqlalchemy import select, update

from app.accounts.models import User
from app.consultations.models import CONFIRMED, Event, SignUp
from app.consultations.services import VILNIUS
from app.core import mail
from app.core.models import utcnow
from app.extensions import db
from app.i18n import _l, localized
from app.municipalities.models import Municipality


def reminder_window(now: datetime) -> tuple[datetime, datetime]:
    """From now to the end of tomorrow (Europe/Vilnius): a daily run reminds everyone the day before;
    people who signed up late for an event later today are reminded too."""
    local_tomorrow = (now.astimezone(VILNIUS) + timedelta(days=1)).date()
    end = datetime.combine(local_tomorrow + timedelta(days=1), time(0, 0), tzinfo=VILNIUS)
    return now, end.astimezone(timezone.utc)


def send_reminders(now: datetime | None = None) -> int:
    """E-mail every confirmed participant of events in the window who has not been reminded.

    Each reminder is claimed with a conditional UPDATE (``reminder_sent_at IS NULL``) and
    committed before the message goes out, so a second run, even a concurrent one, never
    sends it again. Needs a request context for the links (the CLI provides one).
    """
    now = now or utcnow()
    start, end = reminder_window(now)
    candidates = db.session.execute(
        select(SignUp.id).join(Event, Event.id == SignUp.event_id)
        .where(SignUp.status == CONFIRMED, SignUp.reminder_sent_at.is_(None), Event.cancelled_at.is_(None),
               Event.starts_at > start, Event.starts_at < end)
        .order_by(SignUp.id)).scalars().all()
    sent = 0
    for signup_id in candidates:
        claimed = db.session.execute(
            update(SignUp).where(SignUp.id == signup_id, SignUp.reminder_sent_at.is_(None),
                                 SignUp.status == CONFIRMED)
            .values(reminder_sent_at=now).execution_options(synchronize_session=False)).rowcount
        db.session.commit()
        if claimed != 1:
            continue
        signup = db.session.get(SignUp, signup_id)
        event, user = signup.event, db.session.get(User, signup.user_id)
        slug = db.session.get(Municipality, event.municipality_id).slug
        link = url_for("consultations.event", municipality=slug, event_id=event.id, _external=True)
        ics = url_for("consultations.event_ics", municipality=slug, event_id=event.id, _external=True)
        mail.send_template(user.email, user.locale or "lt",
                           lambda: str(_l("Tomorrow: %(title)s", title=localized(event, "title"))),
                           "consultations/mail/reminder.txt", user=user, event=event, link=link, ics_link=ics)
        sent += 1
    return sent
