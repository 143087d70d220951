"""Foundation figures: registered and confirmed residents, moderation actions."""
from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import User
from app.core.audit import AuditEvent
from app.core.metrics import Metric, grouped_counts, grouped_monthly, month_bucket, register_metric
from app.i18n import _l


def _registered(ids, start, end):
    return grouped_counts(
        select(User.home_municipality_id, func.count(User.id))
        .where(User.home_municipality_id.in_(ids), User.created_at >= start, User.created_at < end)
        .group_by(User.home_municipality_id))


def _registered_monthly(ids, start, end):
    month = month_bucket(User.created_at)
    return grouped_monthly(
        select(User.home_municipality_id, month, func.count(User.id))
        .where(User.home_municipality_id.in_(ids), User.created_at >= start, User.created_at < end)
        .group_by(User.home_municipality_id, month))


def _confirmed(ids, start, end):
    return grouped_counts(
        select(User.home_municipality_id, func.count(User.id))
        .where(User.home_municipality_id.in_(ids), User.confirmed_at >= start, User.confirmed_at < end)
        .group_by(User.home_municipality_id))


def _confirmed_monthly(ids, start, end):
    month = month_bucket(User.confirmed_at)
    return grouped_monthly(
        select(User.home_municipality_id, month, func.count(User.id))
        .where(User.home_municipality_id.in_(ids), User.confirmed_at >= start, User.confirmed_at < end)
        .group_by(User.home_municipality_id, month))


def _moderation_actions_monthly(ids, start, end):
    month = month_bucket(AuditEvent.created_at)
    return grouped_monthly(
        select(AuditEvent.municipality_id, month, func.count(AuditEvent.id))
        .where(AuditEvent.municipality_id.in_(ids), AuditEvent.public.is_(True),
               AuditEvent.created_at >= start, AuditEvent.created_at < end)
        .group_by(AuditEvent.municipality_id, month))


def _moderation_actions(ids, start, end):
    return grouped_counts(
        select(AuditEvent.municipality_id, func.count(AuditEvent.id))
        .where(AuditEvent.municipality_id.in_(ids), AuditEvent.public.is_(True),
               AuditEvent.created_at >= start, AuditEvent.created_at < end)
        .group_by(AuditEvent.municipality_id))


def register() -> None:
    group = _l("Residents")
    register_metric(Metric(
        key="residents.registered", group=group, order=10, per_capita=True, additive=True,
        label=_l("Residents who registered"), compute=_registered, monthly=_registered_monthly,
        definition=_l("Accounts created in the period by people who declared this municipality as home.")))
    register_metric(Metric(
        key="residents.confirmed", group=group, order=11, per_capita=True, additive=True,
        label=_l("Residents who confirmed their e-mail"), compute=_confirmed, monthly=_confirmed_monthly,
        definition=_l("Accounts of this municipality whose e-mail address was confirmed in the period.")))
    register_metric(Metric(
        key="moderation.actions", group=_l("Moderation"), order=90, better=None, additive=True,
        label=_l("Moderation actions"), compute=_moderation_actions, monthly=_moderation_actions_monthly,
        definition=_l("Public entries in the audit log in the period: approvals, rejections, answers, hidden content, settings.")))
