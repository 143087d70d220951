"""Consultation figures for the pilot comparison: responses, sign-ups, attendance rate."""
from __future__ import annotations

from sqlalchemy import Float, case, cast, func, select

from app.consultations.models import CONFIRMED, Event, Response, SignUp
from app.core.metrics import Metric, grouped_counts, grouped_monthly, month_bucket, register_metric
from app.core.models import utcnow
from app.i18n import _l


def _responses(ids, start, end):
    return grouped_counts(
        select(Response.municipality_id, func.count(Response.id))
        .where(Response.municipality_id.in_(ids), Response.created_at >= start, Response.created_at < end)
        .group_by(Response.municipality_id))


def _responses_monthly(ids, start, end):
    month = month_bucket(Response.created_at)
    return grouped_monthly(
        select(Response.municipality_id, month, func.count(Response.id))
        .where(Response.municipality_id.in_(ids), Response.created_at >= start, Response.created_at < end)
        .group_by(Response.municipality_id, month))


def _signups(ids, start, end):
    return grouped_counts(
        select(SignUp.municipality_id, func.count(SignUp.id))
        .where(SignUp.municipality_id.in_(ids), SignUp.created_at >= start, SignUp.created_at < end)
        .group_by(SignUp.municipality_id))


def _signups_monthly(ids, start, end):
    month = month_bucket(SignUp.created_at)
    return grouped_monthly(
        select(SignUp.municipality_id, month, func.count(SignUp.id))
        .where(SignUp.municipality_id.in_(ids), SignUp.created_at >= start, SignUp.created_at < end)
        .group_by(SignUp.municipality_id, month))


def _attendance(ids, start, end):
    # Percentage (0–100) of confirmed sign-ups to past, not cancelled events whose attendance
    # was marked, that attended; events decide the period by their start.
    attended = func.sum(case((SignUp.attended.is_(True), 1), else_=0))
    rate = 100.0 * cast(attended, Float) / func.nullif(func.count(SignUp.id), 0)
    return grouped_counts(
        select(SignUp.municipality_id, rate)
        .join(Event, Event.id == SignUp.event_id)
        .where(SignUp.municipality_id.in_(ids), SignUp.status == CONFIRMED, Event.cancelled_at.is_(None),
               Event.attendance_marked_at.is_not(None), Event.starts_at >= start, Event.starts_at < end,
               Event.starts_at < utcnow())
        .group_by(SignUp.municipality_id))


def register() -> None:
    group = _l("Consultations")
    register_metric(Metric(
        key="consultations.responses", group=group, order=60, per_capita=True,
        label=_l("Questionnaire responses"), compute=_responses, monthly=_responses_monthly,
        definition=_l("Responses to questionnaires of the municipality first sent in the period "
                      "(one per person and questionnaire; later edits do not count again).")))
    register_metric(Metric(
        key="consultations.signups", group=group, order=61, per_capita=True,
        label=_l("Event sign-ups"), compute=_signups, monthly=_signups_monthly,
        definition=_l("Sign-ups for public debates, focus groups and workshops made in the period, "
                      "whatever their later status (confirmed, waitlist, cancelled).")))
    register_metric(Metric(
        key="consultations.attendance_rate", group=group, order=62, kind="percent",
        label=_l("Attendance rate"), compute=_attendance,
        definition=_l("Share of confirmed sign-ups that attended, for past events that started in the period "
                      "and whose attendance the organiser marked.")))
