"""Participation figures for the pilot comparison (see app/core/metrics.py).

Each ``compute`` is one SQL aggregate grouped by municipality over [start, end).
"""
from __future__ import annotations

from sqlalchemy import func, select

from app.core.metrics import Metric, grouped_counts, grouped_monthly, month_bucket, register_metric
from app.extensions import db
from app.i18n import _l
from app.initiatives.models import Initiative, Signature


def _count(column, ids, start, end, model=Initiative):
    return grouped_counts(
        select(model.municipality_id, func.count(model.id))
        .where(model.municipality_id.in_(ids), column >= start, column < end)
        .group_by(model.municipality_id))


def _monthly(column, ids, start, end, model=Initiative):
    month = month_bucket(column)
    return grouped_monthly(
        select(model.municipality_id, month, func.count(model.id))
        .where(model.municipality_id.in_(ids), column >= start, column < end)
        .group_by(model.municipality_id, month))


def _days_between(later, earlier):
    """Days (fractional) between two timestamp columns, in SQL on both databases."""
    if db.engine.dialect.name == "postgresql":
        return func.extract("epoch", later - earlier) / 86400.0
    return func.julianday(later) - func.julianday(earlier)


def _median_days(later, earlier, ids, start, end) -> dict:
    """Median of (later - earlier) in days per municipality, for rows whose ``later`` is in the period."""
    days = _days_between(later, earlier)
    where = (Initiative.municipality_id.in_(ids), later >= start, later < end, earlier.is_not(None))
    if db.engine.dialect.name == "postgresql":
        query = (select(Initiative.municipality_id,
                        func.percentile_cont(0.5).within_group(days.asc()))
                 .where(*where).group_by(Initiative.municipality_id))
        return {mid: round(float(v), 1) for mid, v in db.session.execute(query).all() if v is not None}
    # SQLite: number the values per municipality and average the middle one or two.
    ranked = (select(Initiative.municipality_id.label("mid"), days.label("days"),
                     func.row_number().over(partition_by=Initiative.municipality_id, order_by=days).label("rn"),
                     func.count().over(partition_by=Initiative.municipality_id).label("cnt"))
              .where(*where).subquery())
    query = (select(ranked.c.mid, func.avg(ranked.c.days))
             .where(ranked.c.rn.in_([(ranked.c.cnt + 1) // 2, (ranked.c.cnt + 2) // 2]))
             .group_by(ranked.c.mid))
    return {mid: round(float(v), 1) for mid, v in db.session.execute(query).all() if v is not None}


def register() -> None:
    group = _l("Civic initiatives")
    register_metric(Metric(
        key="initiatives.submitted", group=group, order=20, per_capita=True, label=_l("Initiatives submitted"),
        compute=lambda ids, s, e: _count(Initiative.submitted_at, ids, s, e),
        monthly=lambda ids, s, e: _monthly(Initiative.submitted_at, ids, s, e),
        definition=_l("Initiatives first sent to the moderators in the period (date of the first submission).")))
    register_metric(Metric(
        key="initiatives.published", group=group, order=21, per_capita=True, label=_l("Initiatives published"),
        compute=lambda ids, s, e: _count(Initiative.published_at, ids, s, e),
        definition=_l("Initiatives a moderator approved for signing in the period (date of publication).")))
    register_metric(Metric(
        key="initiatives.threshold_reached", group=group, order=22, per_capita=True,
        label=_l("Initiatives reaching the threshold"),
        compute=lambda ids, s, e: _count(Initiative.threshold_reached_at, ids, s, e),
        definition=_l("Initiatives that gathered the required number of signatures in the period "
                      "(date the threshold was reached).")))
    register_metric(Metric(
        key="initiatives.answered", group=group, order=23, label=_l("Initiatives answered"),
        compute=lambda ids, s, e: _count(Initiative.answered_at, ids, s, e),
        definition=_l("Official municipal responses published in the period (date of the response).")))
    register_metric(Metric(
        key="initiatives.signatures", group=group, order=24, per_capita=True, label=_l("Signatures"),
        compute=lambda ids, s, e: _count(Signature.created_at, ids, s, e, model=Signature),
        monthly=lambda ids, s, e: _monthly(Signature.created_at, ids, s, e, model=Signature),
        additive=True,  # the same filter: the total is the sum of the months, one heavy query less
        definition=_l("Signatures given in the period and not withdrawn (date of signing).")))
    register_metric(Metric(
        key="initiatives.days_to_decision", group=group, order=25, kind="days", better="lower",
        label=_l("Median days from submission to moderation decision"),
        compute=lambda ids, s, e: _median_days(Initiative.decided_at, Initiative.submitted_at, ids, s, e),
        definition=_l("Median time between the first submission and the first decision (approval or "
                      "rejection), for decisions taken in the period.")))
    register_metric(Metric(
        key="initiatives.days_to_answer", group=group, order=26, kind="days", better="lower",
        label=_l("Median days from threshold to official response"),
        compute=lambda ids, s, e: _median_days(Initiative.answered_at, Initiative.threshold_reached_at, ids, s, e),
        definition=_l("Median time between reaching the threshold and the official response, for responses "
                      "published in the period.")))
