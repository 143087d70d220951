"""``flask consultations send-reminders`` — run by a scheduler (e.g. cron, every hour or daily)."""
from __future__ import annotations

import click
from flask import current_app

from app.consultations import bp


@bp.cli.command("send-reminders")
def send_reminders_command() -> None:
    """E-mail participants of tomorrow's events (each person once, however often this runs)."""
    from app.consultations.reminders import send_reminders

    # No request exists here: links in the e-mails use PUBLIC_URL.
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        sent = send_reminders()
    current_app.logger.info("Consultation reminders sent: %d", sent)
    click.echo(f"Reminders sent: {sent}")
