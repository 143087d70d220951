"""PostgreSQL's one-statement signature: it counts and stores together, or changes nothing
and leaves the decision to the careful path (threshold, refusals)."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.audit import AuditEvent
from app.core.models import utcnow
from app.extensions import db
from app.initiatives import signing
from app.initiatives.models import Initiative, Signature
from tests.initiatives.helpers import add_signatures, initiative

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres_only(is_postgres):
    if not is_postgres:
        pytest.skip("The one-round-trip signature is PostgreSQL's (SQLite takes the careful path).")


def _state(i) -> tuple[int, int, str]:
    db.session.expire_all()
    rows = db.session.execute(select(func.count(Signature.id)).where(Signature.initiative_id == i.id)).scalar()
    fresh = db.session.get(Initiative, i.id)
    return fresh.signature_count, rows, fresh.status


def _try(i, user, municipality_id=None):
    params = {"iid": i.id, "uid": user.id, "mid": municipality_id or i.municipality_id, "show": False,
              "now": utcnow()}
    return signing._sign_in_one_round_trip(params)


@pytest.fixture
def spy(monkeypatch):
    """Record what the one-statement path answered for each signature through the web."""
    answers = []
    real = signing._sign_in_one_round_trip

    def recording(params):
        answers.append(real(params))
        return answers[-1]

    monkeypatch.setattr(signing, "_sign_in_one_round_trip", recording)
    return answers


def test_a_signature_below_the_threshold_is_one_statement(client, auth, make, spy):
    m = make.municipality("kelme")
    i = initiative(m, make.user(m), required=3)
    auth.login(make.user(m))
    assert client.post_form(f"/kelme/initiatives/{i.id}/sign").status_code == 303
    assert spy == [(1, False)]
    assert _state(i) == (1, 1, "published")


def test_the_signature_that_reaches_the_threshold_takes_the_careful_path(client, auth, make, spy):
    m = make.municipality("raseiniai")
    i = initiative(m, make.user(m), required=2)
    add_signatures(i, [make.user(m)])
    auth.login(make.user(m))
    assert client.post_form(f"/raseiniai/initiatives/{i.id}/sign").status_code == 303
    assert spy == [(None, False)]  # declined, then counted by the careful path
    assert _state(i) == (2, 2, "threshold_reached")
    assert db.session.execute(select(func.count(AuditEvent.id))
                              .where(AuditEvent.action == "initiative.threshold_reached")).scalar() == 1


def test_after_the_threshold_signatures_are_one_statement_again(client, auth, make, spy):
    m = make.municipality("silale")
    i = initiative(m, make.user(m), status="threshold_reached", required=1, count=0)
    auth.login(make.user(m))
    assert client.post_form(f"/silale/initiatives/{i.id}/sign").status_code == 303
    assert spy == [(1, False)]
    assert _state(i) == (1, 1, "threshold_reached")


@pytest.mark.parametrize("case", ["hidden", "closed", "rejected", "other_municipality", "already"])
def test_it_declines_without_changing_anything(make, case):
    m = make.municipality()
    signer = make.user(m)
    i = initiative(m, make.user(m), required=10)
    other = make.municipality()
    if case == "hidden":
        i.hidden_at = utcnow()
    elif case == "closed":
        i.signature_deadline = utcnow() - timedelta(minutes=1)
    elif case == "rejected":
        i.status = "rejected"
    elif case == "already":
        add_signatures(i, [signer])
    db.session.commit()
    before = _state(i)
    count, already = _try(i, signer, other.id if case == "other_municipality" else None)
    assert count is None
    assert already is (case == "already")
    assert _state(i) == before
