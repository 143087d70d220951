"""Flask CLI commands: ``flask seed-demo``, ``flask create-admin``, ``flask mail retry``."""
from __future__ import annotations

import click
from flask import Flask

from app.extensions import db


def register_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Do nothing when municipalities already exist.")
    def seed_demo(if_empty: bool) -> None:
        """Create the five pilot municipalities with demo people and content."""
        from app.demo import seed
        from app.municipalities.models import Municipality

        if if_empty and db.session.execute(db.select(Municipality.id).limit(1)).first():
            click.echo("Demo data already present; nothing to do.")
            return
        credentials = seed()
        click.echo("Demo data created. Sign in with (password for all: %s):" % credentials["password"])
        for email, role in credentials["accounts"]:
            click.echo(f"  {email:38} {role}")

    @app.cli.command("create-admin")
    @click.argument("email")
    @click.argument("name")
    @click.password_option()
    def create_admin(email: str, name: str, password: str) -> None:
        """Create a confirmed pilot administrator."""
        from app.accounts.models import User
        from app.core.models import utcnow

        user = User(email=email.lower(), name=name, is_pilot_admin=True, confirmed_at=utcnow(), locale="lt")
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        click.echo(f"Pilot administrator {email} created.")

    @app.cli.group("mail")
    def mail_group() -> None:
        """Outgoing mail."""

    @mail_group.command("retry")
    @click.option("--list", "show", is_flag=True, help="Only list what is queued, with the last error.")
    def mail_retry(show: bool) -> None:
        """Send the messages the mail server did not take before (cron: every few minutes)."""
        from app.core.mail_queue import MAX_ATTEMPTS, QueuedMail, retry_due

        if show:
            rows = db.session.execute(db.select(QueuedMail).order_by(QueuedMail.id)).scalars().all()
            for row in rows:
                state = "gave up" if row.attempts >= MAX_ATTEMPTS else f"next {row.next_attempt_at:%Y-%m-%d %H:%M} UTC"
                click.echo(f"{row.id:6d}  {row.recipient}  {row.subject!r}  tries {row.attempts}, {state}: "
                           f"{row.last_error}")
            click.echo(f"Queued: {len(rows)}")
            return
        sent, left = retry_due()
        click.echo(f"Sent: {sent}; still queued: {left}")
