"""Mail over SMTP: after the response, one connection per request, nothing lost when the
server is down (kept for ``flask mail retry``)."""
from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.mail_queue import MAX_ATTEMPTS, QueuedMail, retry_due
from app.core.models import utcnow
from app.extensions import db
from app.initiatives.models import Initiative
from tests.initiatives import helpers


class FakeSMTP:
    """Stands in for ``smtplib.SMTP``: records connections and messages; ``down`` refuses to
    connect, ``refuse`` names recipients the server turns away."""

    down = False
    refuse: set[str] = set()
    connections = 0
    sent: list = []

    def __init__(self, host, port, timeout=None):
        if FakeSMTP.down:
            raise ConnectionRefusedError(111, "Connection refused")
        FakeSMTP.connections += 1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_message(self, msg):
        if msg["To"] in FakeSMTP.refuse:
            raise smtplib.SMTPRecipientsRefused({msg["To"]: (450, b"mailbox busy")})
        FakeSMTP.sent.append(msg)


@pytest.fixture
def smtp(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.lt")
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    FakeSMTP.down, FakeSMTP.refuse, FakeSMTP.connections, FakeSMTP.sent = False, set(), 0, []
    return FakeSMTP


def _register(client, m, email="ruta@example.lt"):
    return client.post_form("/account/register", {
        "name": "Rūta Petrauskienė", "email": email, "password": "labai slaptas žodis",
        "password_confirm": "labai slaptas žodis", "home_municipality": m.id})


def _answer(client, auth, make, slug, signer_count, decision, before_answer=lambda signers: None):
    """An initiative over its threshold, answered by a moderator: (response, people told)."""
    m = make.municipality(slug)
    moderator = make.user(m, role="moderator")
    author = make.user(m)
    signers = [make.user(m) for _ in range(signer_count)]
    initiative = helpers.initiative(m, author, status="threshold_reached", required=signer_count)
    helpers.add_signatures(initiative, signers)
    before_answer(signers)
    auth.login(moderator)
    FakeSMTP.connections = 0
    response = client.post_form(f"/{slug}/initiatives/{initiative.id}/moderation/respond",
                                {"decision": decision, "text": "Savivaldybės atsakymas."})
    assert response.status_code == 303
    return response, initiative, [author, *signers]


def test_official_response_mail_goes_after_the_response_over_one_connection(client, auth, make, smtp):
    response, initiative, people = _answer(client, auth, make, "kaunas", 5, "accepted")
    assert db.session.get(Initiative, initiative.id).status == "answered"
    assert smtp.sent == []  # the moderator's page did not wait for the mail server
    response.close()  # (what the WSGI server does once the response is sent)
    assert sorted(msg["To"] for msg in smtp.sent) == sorted(u.email for u in people)
    assert smtp.connections == 1


def test_mail_server_down_loses_nothing_and_breaks_nothing(app, client, make, smtp):
    m = make.municipality("birzai")
    smtp.down = True
    response = _register(client, m)
    assert response.status_code == 302  # the account is made; no error page
    response.close()
    assert db.session.execute(select(User).filter_by(email="ruta@example.lt")).scalar_one()
    [queued] = db.session.execute(select(QueuedMail)).scalars().all()
    assert queued.recipient == "ruta@example.lt" and "ConnectionRefusedError" in queued.last_error
    link_text = queued.as_message().get_content()
    assert "/account/confirm/" in link_text

    # Not due yet: nothing is tried.
    assert retry_due() == (0, 0)
    # Due, server still down: tried again later, with a longer pause.
    later = utcnow() + timedelta(minutes=6)
    assert retry_due(later) == (0, 1)
    db.session.refresh(queued)
    assert queued.attempts == 2 and queued.next_attempt_at > later + timedelta(minutes=9)
    # The server is back: the very message goes out, and leaves the queue.
    smtp.down = False
    runner = app.test_cli_runner()
    result = runner.invoke(args=["mail", "retry", "--list"])
    assert "ruta@example.lt" in result.output and "Queued: 1" in result.output
    assert retry_due(later + timedelta(hours=1)) == (1, 0)
    [sent] = smtp.sent
    assert sent["To"] == "ruta@example.lt" and sent.get_content() == link_text
    assert db.session.scalar(select(func.count()).select_from(QueuedMail)) == 0


def test_a_refused_recipient_does_not_stop_the_others(client, auth, make, smtp):
    refused = []

    def refuse_second(signers):
        refused.append(signers[1].email)
        smtp.refuse = set(refused)

    response, _initiative, people = _answer(client, auth, make, "zarasai", 3, "not_accepted", refuse_second)
    response.close()
    assert sorted(msg["To"] for msg in smtp.sent) == sorted(u.email for u in people if u.email not in refused)
    [queued] = db.session.execute(select(QueuedMail)).scalars().all()
    assert queued.recipient == refused[0] and "SMTPRecipientsRefused" in queued.last_error


def test_the_queue_gives_up_after_its_last_try(make, smtp):
    smtp.down = True
    db.session.add(QueuedMail(recipient="x@example.lt", subject="S", message="To: x@example.lt\n\nbody\n",
                              attempts=MAX_ATTEMPTS - 1, next_attempt_at=utcnow()))
    db.session.commit()
    assert retry_due(utcnow() + timedelta(seconds=1)) == (0, 1)
    assert retry_due(utcnow() + timedelta(days=30)) == (0, 0)  # no more tries
    assert db.session.scalar(select(QueuedMail.attempts)) == MAX_ATTEMPTS


def test_outside_a_request_mail_is_sent_at_once(app, make, smtp):
    from app.core import mail

    with app.test_request_context():  # (as the cron commands run: no response to wait for)
        mail.send("ona@example.lt", "Priminimas", "Rytoj 18 val.")
    assert [msg["To"] for msg in smtp.sent] == ["ona@example.lt"]
