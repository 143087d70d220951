"""A small hand-built data set and test-only metrics for the pilot dashboard.

Period under test: 2026-03-01 … 2026-03-31 (Lithuanian time; summer time starts on
2026-03-29, so the last day ends at 2026-03-31 21:00 UTC).
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import case, func, literal, select

from app.core import metrics as registry
from app.core.audit import AuditEvent
from app.core.metrics import Metric, grouped_counts, register_metric
from app.extensions import db
from app.municipalities.models import Municipality

PERIOD = {"start": "2026-03-01", "end": "2026-03-31"}


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.fixture
def restore_registry():
    """Test-only metrics and report sections disappear after the test."""
    metrics, sections = list(registry.METRICS), list(registry.REPORT_SECTIONS)
    yield
    registry.METRICS[:] = metrics
    registry.REPORT_SECTIONS[:] = sections


def _by_slug(values: dict[str, float | None]):
    """A test metric that still runs ONE grouped SQL query, like a real one."""
    def compute(ids, start, end):
        value = case(*[(Municipality.slug == slug, literal(v)) for slug, v in values.items() if v is not None],
                     else_=None)
        rows = db.session.execute(select(Municipality.id, value).where(Municipality.id.in_(ids))).all()
        return {mid: v for mid, v in rows if v is not None}
    return compute


@pytest.fixture
def fake_metrics(restore_registry):
    """A days metric (less is better, a tie), a percent metric, and a private count."""
    register_metric(Metric(
        key="test.days", group="Test", label="Median days to a decision", kind="days", better="lower",
        definition="Test: days.", order=60,
        compute=_by_slug({"alytus": 2.5, "birzai": 7.4, "ciobiskis": None, "dusetos": 2.5})))
    register_metric(Metric(
        key="test.turnout", group="Test", label="Turnout", kind="percent", definition="Test: percent.",
        order=61, compute=_by_slug({"alytus": 12.5, "birzai": 40.0, "ciobiskis": 0.0, "dusetos": 33.333})))
    register_metric(Metric(
        key="test.private", group="Test", label="Private count", public=False, definition="Test: private.",
        order=62, compute=_by_slug({"alytus": 3, "birzai": 1})))
    register_metric(Metric(
        key="test.zero", group="Test", label="Nothing happened", definition="Test: zero.", order=63,
        compute=lambda ids, start, end: grouped_counts(
            select(AuditEvent.municipality_id, func.count(AuditEvent.id))
            .where(AuditEvent.municipality_id.in_(ids), AuditEvent.action == "never")
            .group_by(AuditEvent.municipality_id))))


@pytest.fixture
def dataset(make):
    """Four municipalities: populations 10,000, 0, unknown and 20,000."""
    a = make.municipality("alytus", name_lt="Alytaus r.", name_en="Alytus district", population=10_000)
    b = make.municipality("birzai", name_lt="Biržų r.", name_en="Biržai district", population=0)
    c = make.municipality("ciobiskis", name_lt="Čiobiškio sen.", name_en="Čiobiškis", population=None)
    d = make.municipality("dusetos", name_lt="Dusetų sen.", name_en="Dusetos", population=20_000)

    def resident(m, created, confirmed=None):
        user = make.user(m, confirmed=False)
        user.created_at = created
        user.confirmed_at = confirmed
        db.session.commit()
        return user

    # Alytus: 4 registered in March (one at 23:30 on 31 March, Lithuanian time), 2 confirmed.
    resident(a, utc(2026, 3, 10, 9), utc(2026, 3, 11, 9))
    resident(a, utc(2026, 3, 10, 10), utc(2026, 3, 12, 9))
    resident(a, utc(2026, 3, 15, 10))
    resident(a, utc(2026, 3, 31, 20, 30))          # 23:30 in Vilnius: inside
    resident(a, utc(2026, 3, 31, 21, 30))          # 00:30 on 1 April in Vilnius: outside
    resident(a, utc(2026, 2, 10, 10), utc(2026, 3, 2, 9))  # registered before, confirmed inside
    # Biržai: 1 registered; Dusetos: 2 registered, both confirmed; Čiobiškis: nothing.
    resident(b, utc(2026, 3, 5, 12))
    resident(d, utc(2026, 3, 20, 12), utc(2026, 3, 20, 13))
    resident(d, utc(2026, 3, 21, 12), utc(2026, 3, 21, 13))
    # Moderation actions: two public in Alytus, one private (not counted), one in February.
    for when, public in [(utc(2026, 3, 3), True), (utc(2026, 3, 4), True), (utc(2026, 3, 5), False),
                         (utc(2026, 2, 5), True)]:
        db.session.add(AuditEvent(action="initiative.approved", municipality_id=a.id, public=public,
                                  created_at=when))
    db.session.add(AuditEvent(action="initiative.approved", municipality_id=d.id, public=True,
                              created_at=utc(2026, 3, 6)))
    db.session.commit()
    return {"a": a, "b": b, "c": c, "d": d}
