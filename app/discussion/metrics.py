"""Discussion figures for the pilot comparison: flagged items."""
from __future__ import annotations

from sqlalchemy import func, select

from app.core.metrics import Metric, grouped_counts, register_metric
from app.discussion.models import Flag
from app.i18n import _l


def _flags(ids, start, end):
    return grouped_counts(
        select(Flag.municipality_id, func.count(Flag.id))
        .where(Flag.municipality_id.in_(ids), Flag.created_at >= start, Flag.created_at < end)
        .group_by(Flag.municipality_id))


def register() -> None:
    register_metric(Metric(
        key="discussion.flags", group=_l("Moderation"), order=91, better=None, label=_l("Flagged items"),
        compute=_flags,
        definition=_l("Reports of comments, initiatives or other items sent to the moderators in the period "
                      "(at most one per person and item; date of the report).")))
