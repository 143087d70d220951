"""Consultation figures for the pilot dashboard, and the demo data."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from app.consultations.models import Event, Questionnaire, Response, SignUp
from app.core.metrics import METRICS
from app.core.models import utcnow
from app.extensions import db


def _metric(key):
    return next(m for m in METRICS if m.key == key)


def test_consultation_figures_on_a_small_data_set(make, build):
    a, b = make.municipality("a-miestas"), make.municipality("b-miestas")
    org_a, org_b = build.organisation(a), build.organisation(b, name="Kita")
    q = build.questionnaire(org_a)
    users = [make.user(a) for _ in range(4)]
    for user in users[:3]:
        db.session.add(Response(municipality_id=a.id, questionnaire_id=q.id, user_id=user.id))
    past = build.event(org_a, capacity=5, starts_in=timedelta(days=-2), deadline_in=timedelta(days=-3))
    upcoming = build.event(org_b, capacity=5)
    db.session.flush()
    for i, user in enumerate(users):
        db.session.add(SignUp(event_id=past.id, user_id=user.id, municipality_id=a.id, status="confirmed",
                              attended=i < 3))
    db.session.add(SignUp(event_id=upcoming.id, user_id=make.user(b).id, municipality_id=b.id, status="confirmed"))
    past.attendance_marked_at = utcnow()
    db.session.commit()
    start, end = utcnow() - timedelta(days=30), utcnow() + timedelta(days=1)
    ids = [a.id, b.id]
    assert _metric("consultations.responses").compute(ids, start, end) == {a.id: 3}
    assert _metric("consultations.signups").compute(ids, start, end) == {a.id: 4, b.id: 1}
    assert _metric("consultations.attendance_rate").compute(ids, start, end) == {a.id: 75.0}  # percent
    monthly = _metric("consultations.responses").monthly(ids, start, end)
    assert sum(monthly[a.id].values()) == 3
    # Outside the period: nothing.
    long_ago = datetime(2020, 1, 1, tzinfo=timezone.utc)
    assert _metric("consultations.signups").compute(ids, long_ago, long_ago + timedelta(days=30)) == {}


def test_demo_data(app):
    from app.demo import seed

    seed()
    assert db.session.execute(select(func.count(Questionnaire.id))).scalar_one() == 2
    states = sorted(q.state() for q in db.session.execute(select(Questionnaire)).scalars())
    assert states == ["closed", "open"]
    assert db.session.execute(select(func.count(Response.id))).scalar_one() == 10
    focus = db.session.execute(select(Event).filter_by(kind="focus_group")).scalar_one()
    assert not focus.is_past()
    assert [s.status for s in focus.signups].count("waitlisted") == 2
    debate = db.session.execute(select(Event).filter_by(kind="debate")).scalar_one()
    assert debate.is_past() and debate.summary_published_at is not None
