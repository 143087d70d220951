"""Shared helpers for consultations: loading objects in the municipality, access, listings."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.consultations.models import CONFIRMED, Event, Questionnaire, Response, SignUp
from app.core.models import utcnow
from app.extensions import db
from app.i18n import _
from app.organisations.errors import Refused
from app.organisations.services import memberships_of, require_member

VILNIUS = ZoneInfo("Europe/Vilnius")


def local_to_utc(value: datetime | None) -> datetime | None:
    """A naive Europe/Vilnius wall-clock time from a form, as an aware UTC datetime."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=VILNIUS)
    return value.astimezone(timezone.utc)


def utc_to_local(value: datetime | None) -> datetime | None:
    """An aware datetime as naive Europe/Vilnius wall-clock time, to fill a form."""
    if value is None:
        return None
    return value.astimezone(VILNIUS).replace(tzinfo=None)


def get_questionnaire(municipality, questionnaire_id: int) -> Questionnaire:
    q = db.session.execute(select(Questionnaire).where(
        Questionnaire.id == questionnaire_id, Questionnaire.municipality_id == municipality.id)).scalar_one_or_none()
    if q is None:
        raise Refused(_("There is no such questionnaire in this municipality."), 404)
    return q


def get_event(municipality, event_id: int, lock: bool = False) -> Event:
    query = select(Event).where(Event.id == event_id, Event.municipality_id == municipality.id)
    if lock:
        # Serialises sign-ups and cancellations of one event (PostgreSQL row lock;
        # SQLite serialises write transactions anyway).
        query = query.with_for_update(of=Event)
    event = db.session.execute(query).scalar_one_or_none()
    if event is None:
        raise Refused(_("There is no such event in this municipality."), 404)
    return event


def can_manage(user, organisation) -> bool:
    try:
        require_member(user, organisation)
    except Refused:
        return False
    return True


def require_runner(user, organisation) -> None:
    """Members (organisers or members) of the approved organisation run its consultations."""
    require_member(user, organisation)


def runner_organisations(user, municipality) -> list:
    return [m.organisation for m in memberships_of(user, municipality, approved_only=True)]


def listing(municipality, now: datetime | None = None) -> dict:
    """What the consultations page shows: open and closed questionnaires, upcoming and past events."""
    now = now or utcnow()
    questionnaires = db.session.execute(
        select(Questionnaire).where(Questionnaire.municipality_id == municipality.id,
                                    Questionnaire.published_at.is_not(None))
        .order_by(Questionnaire.closes_at.desc())).scalars().all()
    events = db.session.execute(
        select(Event).where(Event.municipality_id == municipality.id).order_by(Event.starts_at)).scalars().all()
    upcoming = [e for e in events if not e.is_past(now) and not e.cancelled]
    return {
        "free_seats": free_seats(upcoming),
        "open": [q for q in questionnaires if q.state(now) in ("open", "scheduled")],
        "closed": [q for q in questionnaires if q.state(now) == "closed"],
        "upcoming": upcoming,
        "past": list(reversed([e for e in events if e.is_past(now) and not e.cancelled])),
    }


def organisation_activity(municipality, organisation) -> dict:
    questionnaires = db.session.execute(
        select(Questionnaire).where(Questionnaire.municipality_id == municipality.id,
                                    Questionnaire.organisation_id == organisation.id,
                                    Questionnaire.published_at.is_not(None))
        .order_by(Questionnaire.closes_at.desc())).scalars().all()
    events = db.session.execute(
        select(Event).where(Event.municipality_id == municipality.id, Event.organisation_id == organisation.id)
        .order_by(Event.starts_at.desc())).scalars().all()
    return {"questionnaires": questionnaires, "events": events}


def managed_items(user, municipality) -> dict:
    """Questionnaires and events of the organisations the user runs things for."""
    organisations = runner_organisations(user, municipality)
    ids = [o.id for o in organisations]
    if not ids:
        return {"organisations": [], "questionnaires": [], "events": []}
    questionnaires = db.session.execute(
        select(Questionnaire).where(Questionnaire.municipality_id == municipality.id,
                                    Questionnaire.organisation_id.in_(ids))
        .order_by(Questionnaire.created_at.desc())).scalars().all()
    events = db.session.execute(
        select(Event).where(Event.municipality_id == municipality.id, Event.organisation_id.in_(ids))
        .order_by(Event.starts_at.desc())).scalars().all()
    return {"organisations": organisations, "questionnaires": questionnaires, "events": events}


def response_counts(municipality_ids: list[int]) -> dict[int, int]:
    """Questionnaire responses per municipality, for the home pages (one query)."""
    return dict(db.session.execute(
        select(Response.municipality_id, func.count(Response.id))
        .where(Response.municipality_id.in_(municipality_ids)).group_by(Response.municipality_id)).all())


def free_seats(events: list[Event]) -> dict[int, int]:
    """Free seats per event, in one grouped query."""
    if not events:
        return {}
    confirmed = dict(db.session.execute(
        select(SignUp.event_id, func.count(SignUp.id))
        .where(SignUp.event_id.in_([e.id for e in events]), SignUp.status == CONFIRMED)
        .group_by(SignUp.event_id)).all())
    return {e.id: max(0, e.capacity - confirmed.get(e.id, 0)) for e in events}
