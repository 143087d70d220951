"""An event as an iCalendar file (RFC 5545), written by hand: CRLF lines, escaped text,
lines folded at 75 octets, times in UTC."""
from __future__ import annotations

from datetime import datetime, timezone

from app.consultations.models import Event
from app.core.models import utcnow


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets (never splitting a UTF-8 character)."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        limit = 75 if not out else 74  # continuation lines start with a space
        if len(current) + len(encoded) > limit:
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _utc(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def event_ics(event: Event, *, title: str, description: str, url: str, organiser_name: str,
              host: str, now: datetime | None = None) -> str:
    """The calendar text for one event, in the reader's language (title and description given)."""
    location = event.place or ""
    if event.online_url:
        location = f"{location} ({event.online_url})" if location else event.online_url
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Talka//Consultations//LT",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:talka-event-{event.id}@{host}",
        f"DTSTAMP:{_utc(now or utcnow())}",
        f"DTSTART:{_utc(event.starts_at)}",
        f"DTEND:{_utc(event.ends_at)}",
        f"SUMMARY:{_escape(title)}",
        f"DESCRIPTION:{_escape(description + chr(10) + chr(10) + url if description else url)}",
        f"LOCATION:{_escape(location)}",
        f"ORGANIZER;CN={_escape(organiser_name).replace(':', ' ')}:mailto:{event.organisation.contact_email}",
        f"URL:{url}",
        "STATUS:CANCELLED" if event.cancelled else "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)
