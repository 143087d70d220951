"""The pilot dashboard's figures on a small hand-built data set (SQL on both databases)."""
from datetime import datetime, timedelta, timezone

from app.core.metrics import METRICS
from app.discussion.models import Flag
from app.extensions import db
from tests.initiatives.helpers import add_signatures, initiative

START = datetime(2026, 3, 1, tzinfo=timezone.utc)
END = datetime(2026, 4, 1, tzinfo=timezone.utc)


def _metric(key):
    return next(m for m in METRICS if m.key == key)


def test_initiative_figures(app, make):
    a, b = make.municipality("a"), make.municipality("b")
    author = make.user(a)
    t = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)
    # A: decisions after 1, 3 and 10 days (median 3); B: 2 and 4 days (median 3, the mean of the middle two)
    for m, days in ((a, (1, 3, 10)), (b, (2, 4))):
        for d in days:
            initiative(m, author, status="published", submitted_at=t, decided_at=t + timedelta(days=d),
                       published_at=t + timedelta(days=d))
    # one in A reached the threshold and was answered 6 days later
    answered = initiative(a, author, status="answered", submitted_at=t, decided_at=t + timedelta(days=1),
                          published_at=t + timedelta(days=1), threshold_reached_at=t + timedelta(days=5),
                          answered_at=t + timedelta(days=11))
    # outside the period: submitted in February, decided in May
    initiative(a, author, status="published", submitted_at=START - timedelta(days=3),
               decided_at=END + timedelta(days=30), published_at=END + timedelta(days=30))
    add_signatures(answered, [make.user(a) for _ in range(4)])
    db.session.add(Flag(municipality_id=b.id, target_type="initiative", target_id=answered.id,
                        user_id=author.id, reason="x", created_at=t))
    db.session.commit()
    ids = [a.id, b.id]

    assert _metric("initiatives.submitted").compute(ids, START, END) == {a.id: 4, b.id: 2}
    assert _metric("initiatives.published").compute(ids, START, END) == {a.id: 4, b.id: 2}
    assert _metric("initiatives.threshold_reached").compute(ids, START, END) == {a.id: 1}
    assert _metric("initiatives.answered").compute(ids, START, END) == {a.id: 1}
    signatures = _metric("initiatives.signatures").compute(ids, utcnow_minus(1), utcnow_plus(1))
    assert signatures == {a.id: 4}
    # A's decisions: 1, 3, 10 and the answered one after 1 day -> median of (1, 1, 3, 10) = 2
    assert _metric("initiatives.days_to_decision").compute(ids, START, END) == {a.id: 2.0, b.id: 3.0}
    assert _metric("initiatives.days_to_answer").compute(ids, START, END) == {a.id: 6.0}
    assert _metric("discussion.flags").compute(ids, START, END) == {b.id: 1}
    monthly = _metric("initiatives.submitted").monthly(ids, START, END)
    assert monthly == {a.id: {"2026-03": 4}, b.id: {"2026-03": 2}}


def utcnow_minus(days):
    return datetime.now(timezone.utc) - timedelta(days=days)


def utcnow_plus(days):
    return datetime.now(timezone.utc) + timedelta(days=days)
