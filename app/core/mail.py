"""Outgoing mail in one place.

With ``MAIL_SERVER`` set, messages go out over SMTP. Otherwise each message is
written to ``instance/outbox/`` as an ``.eml`` file and logged, so that the demo and
the tests can read confirmation links; nothing can leave the machine.
"""
from __future__ import annotations

import smtplib
import uuid
from functools import partial
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import Flask, current_app, g, render_template
from flask_babel import force_locale


def outbox_dir() -> Path:
    path = Path(current_app.config.get("OUTBOX_DIR") or Path(current_app.instance_path) / "outbox")
    path.mkdir(parents=True, exist_ok=True)
    return path


def send(to: str, subject: str, body: str) -> None:
    """Send one plain-text message.

    Over SMTP, a message sent while a request is handled goes out after the response
    (with every other message of that request, over one connection), so a slow or
    unreachable mail server never delays nor breaks what the person did; what the server
    does not take is kept for ``flask mail retry`` (:mod:`app.core.mail_queue`).
    """
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="talka.local")
    msg.set_content(body)
    if _over_smtp(current_app.config):
        pending = g.get("_mail_pending")
        if pending is not None:
            pending.append(msg)
        else:
            deliver([msg])
        return
    path = outbox_dir() / f"{uuid.uuid4().hex}.eml"
    path.write_bytes(bytes(msg))
    current_app.logger.info("Mail to %s written to %s: %s", to, path, subject)


def deliver_now(messages: list[EmailMessage]) -> list[str | None]:
    """Send over one SMTP connection; per message ``None`` if the server took it, else why not."""
    cfg = current_app.config
    errors: list[str | None] = [None] * len(messages)
    i = 0
    try:
        smtp_cls = smtplib.SMTP_SSL if cfg.get("MAIL_USE_SSL") else smtplib.SMTP
        with smtp_cls(cfg["MAIL_SERVER"], int(cfg.get("MAIL_PORT") or 25), timeout=20) as smtp:
            if cfg.get("MAIL_USE_TLS"):
                smtp.starttls()
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
            for i, msg in enumerate(messages):
                try:
                    smtp.send_message(msg)
                except smtplib.SMTPServerDisconnected:
                    raise
                except smtplib.SMTPException as exc:  # this message refused; the others may go
                    errors[i] = _describe(exc)
                else:
                    current_app.logger.info("Mail sent to %s: %s", msg["To"], msg["Subject"])
            i = len(messages)
    except OSError as exc:  # (smtplib's errors too) no connection, or it broke at message i
        for k in range(i, len(messages)):
            errors[k] = errors[k] or _describe(exc)
    return errors


def deliver(messages: list[EmailMessage]) -> None:
    """Send now; keep what could not be sent for ``flask mail retry`` (never raises)."""
    errors = deliver_now(messages)
    failed = [(msg, error) for msg, error in zip(messages, errors) if error is not None]
    if not failed:
        return
    current_app.logger.warning("Mail server did not take %d message(s) (%s); queued for a retry",
                               len(failed), failed[0][1])
    try:
        from app.core.mail_queue import keep

        keep(failed)
    except Exception:  # the database too: say who missed what, at least
        current_app.logger.exception("Could not queue mail to %s", ", ".join(str(m["To"]) for m, _ in failed))


def _over_smtp(cfg) -> bool:
    """Whether mail goes to an SMTP server (else to the outbox folder)."""
    return bool(cfg.get("MAIL_SERVER")) and not cfg.get("MAIL_SUPPRESS")


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def init_mail(app: Flask) -> None:
    """Messages of a request go out once its response is sent (over SMTP only)."""

    @app.before_request
    def _collect() -> None:
        if _over_smtp(app.config):
            g._mail_pending = []

    @app.after_request
    def _after_response(response):
        pending = g.pop("_mail_pending", None)
        if pending:
            response.call_on_close(partial(_deliver_later, app, pending))
        return response

    @app.teardown_request
    def _leftover(_exc) -> None:  # (a response that never went through after_request)
        pending = g.pop("_mail_pending", None)
        if pending:
            deliver(pending)


def _deliver_later(app: Flask, messages: list[EmailMessage]) -> None:
    try:
        with app.app_context():
            deliver(messages)
    except Exception:  # pragma: no cover - never let the server's close() fail
        app.logger.exception("Sending mail after the response failed")


def send_template(to: str, locale: str, subject: str, template: str, **context) -> None:
    """Render ``template`` in the recipient's language and send it.

    ``subject`` is a callable (or lazy string) evaluated under the recipient's locale.
    """
    with force_locale(locale or "lt"):
        body = render_template(template, **context)
        send(to, str(subject() if callable(subject) else subject), body)


def read_outbox() -> list[EmailMessage]:
    """Messages in the outbox, oldest first (for the demo and the tests)."""
    from email import policy
    from email.parser import BytesParser

    files = sorted(outbox_dir().glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(p.read_bytes()) for p in files]
