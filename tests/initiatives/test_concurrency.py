"""Real parallel requests on PostgreSQL: one signature per person, exact counts."""
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from sqlalchemy import func, select

from app.core.audit import AuditEvent
from app.extensions import db
from app.initiatives.models import Initiative, Signature
from tests.conftest import CSRF_RE
from tests.initiatives.helpers import initiative

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres_only(is_postgres):
    if not is_postgres:
        pytest.skip("Concurrency tests need PostgreSQL (set TEST_DATABASE_URL); SQLite serialises every writer.")


def _signed_in_client(app, user):
    """A client with a signed-in session (set directly: the sign-in form is rate limited)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    token = CSRF_RE.search(client.get("/").get_data(as_text=True)).group(1)
    return client, token


def test_fifty_parallel_signatures_from_the_same_person_make_one(app, make):
    m = make.municipality("kaunas")
    i = initiative(m, make.user(m), required=1000)
    user = make.user(m)
    # 50 separate clients sharing one session, as a person hammering the button in many tabs would.
    client, token = _signed_in_client(app, user)
    cookie = client.get_cookie("session").value
    clients = []
    for _ in range(50):
        c = app.test_client()
        c.set_cookie("session", cookie)
        clients.append(c)
    barrier = Barrier(50)
    url = f"/kaunas/initiatives/{i.id}/sign"  # read before the threads: they have no app context

    def post(c):
        barrier.wait()
        with app.app_context():  # TalkaClient expires the session of the calling context
            return c.post(url, data={"csrf_token": token}).status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        codes = list(pool.map(post, clients))
    assert codes.count(303) == 1, codes
    assert set(codes) <= {303, 409}
    db.session.expire_all()
    assert db.session.execute(select(func.count(Signature.id))).scalar() == 1
    assert db.session.get(Initiative, i.id).signature_count == 1


def test_many_people_at_once_cross_the_threshold_exactly_once(app, make):
    m = make.municipality("taurage")
    i = initiative(m, make.user(m), required=20)
    users = [make.user(m) for _ in range(40)]
    sessions = [_signed_in_client(app, u) for u in users]
    barrier = Barrier(len(sessions))
    url = f"/taurage/initiatives/{i.id}/sign"

    def post(pair):
        c, token = pair
        barrier.wait()
        with app.app_context():  # TalkaClient expires the session of the calling context
            return c.post(url, data={"csrf_token": token}).status_code

    with ThreadPoolExecutor(max_workers=40) as pool:
        codes = list(pool.map(post, sessions))
    assert codes == [303] * 40
    db.session.expire_all()
    i = db.session.get(Initiative, i.id)
    assert i.signature_count == 40 == db.session.execute(select(func.count(Signature.id))).scalar()
    assert i.status == "threshold_reached"
    assert db.session.execute(select(func.count(AuditEvent.id))
                              .where(AuditEvent.action == "initiative.threshold_reached")).scalar() == 1


def test_signing_and_withdrawing_at_once_keeps_the_count_exact(app, make):
    m = make.municipality("birzai")
    i = initiative(m, make.user(m), required=1000)
    sessions = [_signed_in_client(app, make.user(m)) for _ in range(24)]
    sign_url, unsign_url = f"/birzai/initiatives/{i.id}/sign", f"/birzai/initiatives/{i.id}/unsign"
    barrier = Barrier(len(sessions))

    def churn(pair):
        c, token = pair
        barrier.wait()
        with app.app_context():
            # sign, withdraw, sign again, and a duplicate: 3 changes count, 1 is refused
            return [c.post(url, data={"csrf_token": token}).status_code
                    for url in (sign_url, unsign_url, sign_url, sign_url)]

    with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
        results = list(pool.map(churn, sessions))
    assert all(codes == [303, 303, 303, 409] for codes in results), results
    db.session.expire_all()
    rows = db.session.execute(select(func.count(Signature.id))).scalar()
    assert rows == len(sessions) == db.session.get(Initiative, i.id).signature_count
