"""Outgoing mail in one place.

With ``MAIL_SERVER`` set, messages go out over SMTP. Otherwise each message is
written to ``instance/outbox/`` as an ``.eml`` file and logged, so that the demo and
the tests can read confirmation links; nothing can leave the machine.
"""
from __future__ import annotations

import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale


def outbox_dir() -> Path:
    path = Path(current_app.config.get("OUTBOX_DIR") or Path(current_app.instance_path) / "outbox")
    path.mkdir(parents=True, exist_ok=True)
    return path


def send(to: str, subject: str, body: str) -> None:
    """Send one plain-text message."""
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="talka.local")
    msg.set_content(body)
    cfg = current_app.config
    if cfg.get("MAIL_SERVER") and not cfg.get("MAIL_SUPPRESS"):
        smtp_cls = smtplib.SMTP_SSL if cfg.get("MAIL_USE_SSL") else smtplib.SMTP
        with smtp_cls(cfg["MAIL_SERVER"], int(cfg.get("MAIL_PORT") or 25), timeout=20) as smtp:
            if cfg.get("MAIL_USE_TLS"):
                smtp.starttls()
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
            smtp.send_message(msg)
        current_app.logger.info("Mail sent to %s: %s", to, subject)
        return
    path = outbox_dir() / f"{uuid.uuid4().hex}.eml"
    path.write_bytes(bytes(msg))
    current_app.logger.info("Mail to %s written to %s: %s", to, path, subject)


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
