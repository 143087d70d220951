"""Signing: who may, once per person, exact counts, and the threshold rule."""
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.core.audit import AuditEvent
from app.extensions import db
from app.initiatives.models import Initiative, Signature
from tests.initiatives.helpers import add_signatures, initiative


def _rows(i) -> int:
    return db.session.execute(select(func.count(Signature.id)).where(Signature.initiative_id == i.id)).scalar()


@pytest.fixture
def setup(make):
    m = make.municipality("jurbarkas")
    author = make.user(m)
    return m, initiative(m, author, required=3)


def test_resident_signs_once_and_name_is_hidden_by_default(client, auth, make, setup):
    m, i = setup
    resident = make.user(m, name="Ona Pasirašiusi")
    auth.login(resident)
    assert client.post_form(f"/jurbarkas/initiatives/{i.id}/sign").status_code == 303
    page = client.get(f"/jurbarkas/initiatives/{i.id}").get_data(as_text=True)
    assert "Ačiū: jūsų parašas įskaitytas." in page and "1 parašas" in page
    assert "Ona Pasirašiusi" not in page.split("Pasirašiusieji")[-1] if "Pasirašiusieji" in page else True
    signature = db.session.execute(select(Signature)).scalar_one()
    assert signature.show_name is False

    response = client.post_form(f"/jurbarkas/initiatives/{i.id}/sign")
    assert response.status_code == 409
    assert "Šią iniciatyvą jau pasirašėte." in response.get_data(as_text=True)
    assert _rows(i) == 1 and db.session.get(Initiative, i.id).signature_count == 1


def test_withdraw_signature_and_withdraw_one_that_does_not_exist(client, auth, make, setup):
    m, i = setup
    auth.login(make.user(m))
    response = client.post_form(f"/jurbarkas/initiatives/{i.id}/unsign")
    assert response.status_code == 409
    assert "Šios iniciatyvos nepasirašėte" in response.get_data(as_text=True)
    client.post_form(f"/jurbarkas/initiatives/{i.id}/sign", {"show_name": "y"})
    assert client.post_form(f"/jurbarkas/initiatives/{i.id}/unsign").status_code == 303
    assert _rows(i) == 0 and db.session.get(Initiative, i.id).signature_count == 0
    # and sign again
    assert client.post_form(f"/jurbarkas/initiatives/{i.id}/sign").status_code == 303
    assert db.session.get(Initiative, i.id).signature_count == 1


def test_signing_after_the_deadline_is_refused(client, auth, make):
    m = make.municipality("birzai")
    i = initiative(m, make.user(m), days_left=-1, count=2)
    auth.login(make.user(m))
    response = client.post_form(f"/birzai/initiatives/{i.id}/sign")
    assert response.status_code == 409
    assert "Parašų rinkimas baigėsi" in response.get_data(as_text=True)
    assert _rows(i) == 0 and db.session.get(Initiative, i.id).signature_count == 2
    assert client.post_form(f"/birzai/initiatives/{i.id}/unsign").status_code == 409


def test_signing_a_rejected_initiative_is_refused(client, auth, make):
    m = make.municipality("zarasai")
    i = initiative(m, make.user(m), status="rejected")
    auth.login(make.user(m, locale="en"))
    response = client.post_form(f"/zarasai/initiatives/{i.id}/sign")
    assert response.status_code == 409
    assert "rejected by a moderator, so it cannot be signed" in response.get_data(as_text=True)
    assert _rows(i) == 0


def test_draft_cannot_be_signed_or_seen(client, auth, make):
    m = make.municipality("zarasai")
    i = initiative(m, make.user(m), status="draft")
    auth.login(make.user(m))
    assert client.post_form(f"/zarasai/initiatives/{i.id}/sign").status_code == 404
    assert client.get(f"/zarasai/initiatives/{i.id}").status_code == 404


def test_resident_of_another_municipality_is_told_why(client, auth, make, setup):
    m, i = setup
    other = make.municipality("taurage")
    auth.login(make.user(other))
    page = client.get(f"/jurbarkas/initiatives/{i.id}").get_data(as_text=True)
    assert "kita gyvenamoji savivaldybė" in page and "Atverti mano profilį" in page
    response = client.post_form(f"/jurbarkas/initiatives/{i.id}/sign")
    assert response.status_code == 403
    assert "pakeiskite savivaldybę savo profilyje" in response.get_data(as_text=True)
    assert _rows(i) == 0


def test_unconfirmed_resident_is_asked_to_confirm(client, auth, make, setup):
    m, i = setup
    auth.login(make.user(m, confirmed=False, locale="en"))
    response = client.post_form(f"/jurbarkas/initiatives/{i.id}/sign")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "Confirm your e-mail address first" in html and "/account/confirm/resend" in html
    assert _rows(i) == 0


def test_visitor_is_sent_to_sign_in(client, setup):
    _m, i = setup
    page = client.get(f"/jurbarkas/initiatives/{i.id}").get_data(as_text=True)
    assert "Prisijunkite, kad galėtumėte pasirašyti" in page
    response = client.post_form(f"/jurbarkas/initiatives/{i.id}/sign")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_threshold_as_a_fixed_number(client, auth, make):
    m = make.municipality("kaunas", population=100_000, signature_threshold=2, signature_threshold_percent=None)
    i = initiative(m, make.user(m), required=m.required_signatures())
    assert i.required_signatures == 2
    for _ in range(2):
        auth.login(make.user(m))
        client.post_form(f"/kaunas/initiatives/{i.id}/sign")
        auth.logout()
    i = db.session.get(Initiative, i.id)
    assert i.status == "threshold_reached" and i.threshold_reached_at is not None
    # signing goes on after the threshold until the deadline; the transition is not repeated
    auth.login(make.user(m))
    client.post_form(f"/kaunas/initiatives/{i.id}/sign")
    assert db.session.get(Initiative, i.id).signature_count == 3
    events = db.session.execute(select(func.count(AuditEvent.id))
                                .where(AuditEvent.action == "initiative.threshold_reached")).scalar()
    assert events == 1


def test_threshold_as_a_share_of_population_the_larger_applies(client, auth, make):
    # 0.01 % of 30,000 = 3 signatures beats the fixed 2.
    m = make.municipality("birzai", population=30_000, signature_threshold=2,
                          signature_threshold_percent=Decimal("0.01"))
    author, moderator = make.user(m), make.user(m, role="moderator")
    i = initiative(m, author, status="submitted")
    auth.login(moderator)
    client.post_form(f"/birzai/initiatives/{i.id}/moderation/approve")
    auth.logout()
    i = db.session.get(Initiative, i.id)
    assert i.required_signatures == 3
    assert "iš 3 reikalingų" in client.get(f"/birzai/initiatives/{i.id}").get_data(as_text=True)
    for n in range(3):
        auth.login(make.user(m))
        client.post_form(f"/birzai/initiatives/{i.id}/sign")
        auth.logout()
        assert db.session.get(Initiative, i.id).status == ("threshold_reached" if n == 2 else "published")
    # a later change of the settings does not move the goal of a running collection
    m.signature_threshold = 1000
    db.session.commit()
    assert db.session.get(Initiative, i.id).required_signatures == 3


def test_threshold_notifies_the_moderators(client, auth, make):
    from app.core.mail import read_outbox

    m = make.municipality("taurage")
    make.user(m, role="moderator", email="moderatorius@taurage.lt", locale="lt")
    i = initiative(m, make.user(m), required=2, count=0)
    add_signatures(i, [make.user(m)])
    auth.login(make.user(m))
    client.post_form(f"/taurage/initiatives/{i.id}/sign")
    mails = [msg for msg in read_outbox() if msg["To"] == "moderatorius@taurage.lt"]
    assert len(mails) == 1
    assert "Iniciatyva surinko reikalingą parašų skaičių" == str(mails[0]["Subject"])
    page = client.get(f"/taurage/initiatives/{i.id}").get_data(as_text=True)
    assert "Reikalingas parašų skaičius pasiektas" in page
