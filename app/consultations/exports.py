"""The sign-up list of an event as CSV (for its organisers only)."""
from __future__ import annotations

import csv
import io

from app.consultations.models import Event


def signups_csv(event: Event) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    questions = list(event.questions)
    writer.writerow(["name", "email", "status", "waitlist_position", "signed_up_at", "attended"] +
                    [q.text_lt for q in questions])
    for signup in event.signups:
        answers = signup.answers or {}
        row = [signup.user.name, signup.user.email, signup.status, signup.waitlist_position or "",
               signup.created_at.isoformat(timespec="seconds"),
               "" if signup.attended is None else ("yes" if signup.attended else "no")]
        for q in questions:
            value = answers.get(str(q.id), "")
            options = q.options("lt")
            if isinstance(value, int) and 0 <= value < len(options):
                value = options[value]
            row.append(value)
        writer.writerow(row)
    return out.getvalue()
