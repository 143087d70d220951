"""Messages the SMTP server did not take, kept until ``flask mail retry`` delivers them.

:func:`app.core.mail.deliver` puts a message here when the server cannot be reached or
refuses it for the moment, so that nothing a person is owed (a confirmation link, an
official response) is lost when the mail server is down. ``flask mail retry`` (cron,
every few minutes) sends what is due over one connection, with a growing pause between
tries; a message that still fails after :data:`MAX_ATTEMPTS` tries stays in the table,
no longer tried, for an administrator to look at (``flask mail retry --list``).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import Parser

from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.models import UTCDateTime, utcnow
from app.extensions import db

MAX_ATTEMPTS = 12  # with the pauses below: tries over about two and a half days (57 h)


class QueuedMail(db.Model):
    __tablename__ = "mail_queue"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    recipient: Mapped[str] = mapped_column(String(320), nullable=False)
    subject: Mapped[str] = mapped_column(String(500), nullable=False)
    message: Mapped[str] = mapped_column(Text, nullable=False)  # the whole message, as sent
    attempts: Mapped[int] = mapped_column(default=1, nullable=False)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True, nullable=False)
    last_error: Mapped[str | None] = mapped_column(String(500))

    def as_message(self) -> EmailMessage:
        return Parser(policy=policy.default).parsestr(self.message)


def pause(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed try: 5 min, 10, 20, ... at most 12 h."""
    return min(timedelta(minutes=5 * 2 ** (attempts - 1)), timedelta(hours=12))


def keep(failed: list[tuple[EmailMessage, str]]) -> None:
    """Store messages that could not be sent now (first try), in a transaction of their own."""
    now = utcnow()
    # (a session of its own: whatever the caller has under way is neither committed nor lost)
    with Session(db.engine) as session:
        session.add_all([QueuedMail(recipient=str(msg["To"]), subject=str(msg["Subject"])[:500],
                                    message=msg.as_string(policy=policy.SMTP), attempts=1,
                                    next_attempt_at=now + pause(1), last_error=error[:500])
                         for msg, error in failed])
        session.commit()


def retry_due(now: datetime | None = None) -> tuple[int, int]:
    """Send the queued messages that are due; ``(sent, still queued)``."""
    from app.core.mail import deliver_now

    now = now or utcnow()
    due = db.session.execute(
        select(QueuedMail).where(QueuedMail.next_attempt_at <= now, QueuedMail.attempts < MAX_ATTEMPTS)
        .order_by(QueuedMail.id)
    ).scalars().all()
    if not due:
        return 0, 0
    errors = deliver_now([row.as_message() for row in due])
    for row, error in zip(due, errors):
        if error is None:
            db.session.delete(row)
        else:
            row.attempts += 1
            row.next_attempt_at = now + pause(row.attempts)
            row.last_error = error[:500]
    db.session.commit()
    return sum(e is None for e in errors), sum(e is not None for e in errors)
