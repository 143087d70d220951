"""Signing without the CSRF token is refused (the app-wide CSRF protection covers it)."""
from sqlalchemy import func, select

from app.extensions import db
from app.initiatives.models import Signature
from tests.initiatives.helpers import initiative


def test_sign_without_csrf_token_is_refused(client, auth, make):
    m = make.municipality("kaunas")
    i = initiative(m, make.user(m))
    auth.login(make.user(m))
    response = client.post(f"/kaunas/initiatives/{i.id}/sign", data={"show_name": "y"})
    assert response.status_code == 400
    response = client.post(f"/kaunas/initiatives/{i.id}/sign", data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert db.session.execute(select(func.count(Signature.id))).scalar() == 0
