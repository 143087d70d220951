"""Capacity under concurrency: 100 people sign up at once for a 10-seat focus group."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from app.consultations.models import SignUp
from app.extensions import db


def _client_for(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        # Signed in as Flask-Login does it (the sign-in form is rate limited per address).
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    return client


@pytest.mark.postgres
def test_100_parallel_signups_to_10_seats(app, make, build, is_postgres):
    if not is_postgres:
        pytest.skip("Real parallel sign-ups need PostgreSQL (TEST_DATABASE_URL); SQLite serialises writers.")
    m = make.municipality("kaunas")
    org = build.organisation(m)
    event = build.event(org, capacity=10)
    users = [make.user(m) for _ in range(100)]
    clients = [(user, _client_for(app, user)) for user in users]
    tokens = {user.id: client.csrf_token() for user, client in clients}
    barrier = threading.Barrier(20)
    url = f"/kaunas/consultations/events/{event.id}/signup"

    def sign_up(pair):
        user, client = pair
        try:
            barrier.wait(timeout=10)
        except threading.BrokenBarrierError:
            pass
        with app.app_context():
            return client.post(url, data={"csrf_token": tokens[user.id]}).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(sign_up, clients))
    assert statuses == [302] * 100
    db.session.expire_all()
    signups = db.session.execute(select(SignUp).where(SignUp.event_id == event.id)).scalars().all()
    confirmed = [s for s in signups if s.status == "confirmed"]
    waiting = sorted((s for s in signups if s.status == "waitlisted"), key=lambda s: s.waitlist_position)
    assert len(confirmed) == 10 and len(waiting) == 90
    # Waitlist positions are 1…90 without gaps, in order of arrival.
    assert [s.waitlist_position for s in waiting] == list(range(1, 91))
    assert [s.created_at for s in waiting] == sorted(s.created_at for s in waiting)

    # Three confirmed people cancel at the same time: the first three waiting take the seats.
    cancelling = confirmed[:3]
    by_user = dict(clients)

    def cancel(signup):
        client = by_user[next(u for u in users if u.id == signup.user_id)]
        with app.app_context():
            return client.post(f"/kaunas/consultations/events/{event.id}/cancel-signup",
                               data={"csrf_token": tokens[signup.user_id]}).status_code

    with ThreadPoolExecutor(max_workers=3) as pool:
        assert list(pool.map(cancel, cancelling)) == [302, 302, 302]
    db.session.expire_all()
    after = {s.id: s.status for s in db.session.execute(select(SignUp)).scalars()}
    assert sum(1 for status in after.values() if status == "confirmed") == 10
    assert all(after[s.id] == "confirmed" for s in waiting[:3])
    assert all(after[s.id] == "waitlisted" for s in waiting[3:])


def _questionnaire(build, org):
    return build.questionnaire(org, questions=[("single", "Ar reikia naujos stotelės?", "Do we need a new stop?",
                                                [("Taip", "Yes"), ("Ne", "No")], {"required": True})])


@pytest.mark.postgres
def test_one_response_per_person_under_parallel_posts(app, make, build, is_postgres):
    if not is_postgres:
        pytest.skip("Real parallel requests need PostgreSQL (TEST_DATABASE_URL).")
    from app.consultations.models import Response

    m = make.municipality("kaunas")
    q = _questionnaire(build, build.organisation(m))
    option = q.questions[0].options[0].id
    user = make.user(m)
    clients = [_client_for(app, user) for _ in range(8)]
    tokens = [client.csrf_token() for client in clients]
    barrier = threading.Barrier(8)

    def answer(i):
        barrier.wait(timeout=10)
        with app.app_context():
            return clients[i].post(f"/kaunas/consultations/questionnaires/{q.id}/respond",
                                   data={"csrf_token": tokens[i], f"q{q.questions[0].id}": str(option),
                                         "editing": "0"}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(answer, range(8)))
    assert statuses.count(302) == 1 and statuses.count(409) == 7
    db.session.expire_all()
    assert len(db.session.execute(select(Response)).scalars().all()) == 1


@pytest.mark.postgres
def test_two_reminder_runs_at_once_send_each_reminder_once(app, make, build, is_postgres):
    if not is_postgres:
        pytest.skip("Concurrent reminder runs need PostgreSQL (TEST_DATABASE_URL).")
    from datetime import timedelta

    from app.consultations.reminders import send_reminders
    from app.core.mail import read_outbox

    m = make.municipality("kaunas")
    event = build.event(build.organisation(m), starts_in=timedelta(hours=18), capacity=30)
    for _ in range(30):
        db.session.add(SignUp(event_id=event.id, user_id=make.user(m).id, municipality_id=m.id, status="confirmed"))
    db.session.commit()
    barrier = threading.Barrier(2)

    def run(_):
        with app.app_context(), app.test_request_context(base_url=app.config["PUBLIC_URL"]):
            barrier.wait(timeout=10)
            return send_reminders()

    with ThreadPoolExecutor(max_workers=2) as pool:
        sent = list(pool.map(run, range(2)))
    assert sum(sent) == 30
    assert len(read_outbox()) == 30


@pytest.mark.postgres
def test_parallel_edits_of_one_response_replace_the_answers_cleanly(app, make, build, is_postgres):
    if not is_postgres:
        pytest.skip("Real parallel requests need PostgreSQL (TEST_DATABASE_URL).")
    from app.consultations.models import Answer

    m = make.municipality("kaunas")
    q = _questionnaire(build, build.organisation(m))
    question = q.questions[0]
    yes, no = (o.id for o in question.options)
    user = make.user(m)
    first = _client_for(app, user)
    with app.app_context():
        assert first.post(f"/kaunas/consultations/questionnaires/{q.id}/respond",
                          data={"csrf_token": first.csrf_token(), f"q{question.id}": str(yes),
                                "editing": "0"}).status_code == 302
    clients = [_client_for(app, user) for _ in range(6)]
    tokens = [client.csrf_token() for client in clients]
    barrier = threading.Barrier(6)

    def edit(i):
        barrier.wait(timeout=10)
        with app.app_context():
            return clients[i].post(f"/kaunas/consultations/questionnaires/{q.id}/respond",
                                   data={"csrf_token": tokens[i], f"q{question.id}": str(no if i % 2 else yes),
                                         "editing": "1"}).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(edit, range(6))) == [302] * 6
    db.session.expire_all()
    assert len(db.session.execute(select(Answer)).scalars().all()) == 1
