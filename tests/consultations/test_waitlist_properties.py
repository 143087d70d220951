"""Property: whatever the order of sign-ups and cancellations, seats and the waitlist behave
like a simple queue — capacity never exceeded, first come first served, no gaps."""
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.consultations import events
from app.consultations.models import SignUp
from app.extensions import db
from app.organisations.errors import Refused

PEOPLE = 6
operations = st.lists(st.tuples(st.sampled_from(["signup", "cancel"]), st.integers(0, PEOPLE - 1)),
                      min_size=1, max_size=25)


@pytest.fixture
def world(make, build):
    """Shared by every generated example; each example gets a fresh event."""
    m = make.municipality()
    return m, build.organisation(m), [make.user(m) for _ in range(PEOPLE)]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(capacity=st.integers(1, 4), ops=operations)
def test_seats_and_waitlist_follow_a_queue(app, build, world, capacity, ops):
    m, org, people = world
    event = build.event(org, capacity=capacity, starts_in=timedelta(days=2))
    confirmed: set[int] = set()
    waiting: list[int] = []
    cancelled: set[int] = set()
    with app.test_request_context():
        for op, i in ops:
            user = people[i]
            if op == "signup":
                active = i in confirmed or i in waiting
                try:
                    events.sign_up(m, event.id, user)
                except Refused as error:
                    assert active and error.status == 409
                else:
                    assert not active
                    cancelled.discard(i)
                    (confirmed.add(i) if len(confirmed) < capacity else waiting.append(i))
            else:
                try:
                    events.cancel_signup(m, event.id, user)
                except Refused as error:
                    assert i not in confirmed and i not in waiting
                    assert error.status == (409 if i in cancelled else 404)
                else:
                    cancelled.add(i)
                    if i in confirmed:
                        confirmed.discard(i)
                        if waiting:
                            confirmed.add(waiting.pop(0))
                    else:
                        waiting.remove(i)
            rows = db.session.execute(select(SignUp).where(SignUp.event_id == event.id)).scalars().all()
            by_user = {people.index(next(p for p in people if p.id == r.user_id)): r for r in rows}
            assert {k for k, r in by_user.items() if r.status == "confirmed"} == confirmed
            queue = sorted((r.waitlist_position, k) for k, r in by_user.items() if r.status == "waitlisted")
            assert [k for _pos, k in queue] == waiting
            assert len(confirmed) <= capacity
            assert not waiting or len(confirmed) == capacity
