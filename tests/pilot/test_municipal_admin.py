"""The municipal administrator's own settings page: thresholds, languages, moderators."""
from __future__ import annotations

from decimal import Decimal

import pytest

from app.accounts.models import Membership
from app.core.audit import AuditEvent
from app.extensions import db

SETTINGS = {"signature_threshold": "250", "signature_threshold_percent": "1.5", "signature_period_days": "60",
            "default_locale": "lt", "locales": ["lt", "en"]}


def _events(action):
    return db.session.execute(db.select(AuditEvent).filter_by(action=action)).scalars().all()


def test_only_the_municipality_admin_reaches_the_page(client, auth, make):
    a = make.municipality("a-miestas")
    make.municipality("b-miestas")
    assert client.get("/a-miestas/admin/").status_code == 302
    auth.login(make.user(a, role="moderator"))
    assert client.get("/a-miestas/admin/").status_code == 403
    auth.logout()
    auth.login(make.user(a, role="admin", locale="en"))
    assert client.get("/a-miestas/admin/").status_code == 200
    assert client.get("/b-miestas/admin/").status_code == 403
    assert client.post_form("/b-miestas/admin/", SETTINGS).status_code == 403
    assert client.post_form("/b-miestas/admin/moderators", {"email": "x@example.lt"}).status_code == 403


def test_admin_changes_thresholds_and_languages_audit_logged(client, auth, make):
    a = make.municipality("a-miestas", population=40_000, signature_threshold=100)
    admin = make.user(a, role="admin", locale="en")
    auth.login(admin)
    response = client.post_form("/a-miestas/admin/", SETTINGS)
    assert response.status_code == 302
    db.session.refresh(a)
    assert (a.signature_threshold, a.signature_threshold_percent, a.signature_period_days) == (250, Decimal("1.50"), 60)
    assert a.required_signatures() == 600
    [event] = _events("municipality.updated")
    assert event.actor_id == admin.id and event.municipality_id == a.id and event.public
    assert event.data["changes"]["signature_threshold"] == "250"
    html = client.get("/a-miestas/admin/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Settings saved." in html and "An initiative now needs 600 signatures." in html
    # the public audit log shows it
    assert "changed the municipality" in client.get("/a-miestas/audit", headers={"Accept-Language": "en"}).get_data(as_text=True)


@pytest.mark.parametrize("change, message", [
    ({"signature_threshold_percent": "200"}, "Number must be between"),
    ({"signature_period_days": "0"}, "Number must be between"),
    ({"locales": ["en"]}, "The default language must be one of the languages."),
    ({"locales": []}, "Choose at least one language."),
])
def test_bad_settings_are_explained_and_kept(client, auth, make, change, message):
    a = make.municipality("a-miestas", signature_threshold=100)
    auth.login(make.user(a, role="admin", locale="en"))
    data = dict(SETTINGS, **change)
    response = client.post_form("/a-miestas/admin/", data, headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html
    assert 'value="250"' in html  # what the user typed is still there
    db.session.refresh(a)
    assert a.signature_threshold == 100 and _events("municipality.updated") == []


def test_admin_adds_and_removes_moderators(client, auth, make):
    a, b = make.municipality("a-miestas"), make.municipality("b-miestas")
    admin = make.user(a, role="admin", locale="en")
    future = make.user(a, email="Rasa@Example.lt", name="Rasa Rasienė")
    auth.login(admin)
    response = client.post_form("/a-miestas/admin/moderators", {"email": "rasa@example.lt"})
    assert response.status_code == 302
    membership = db.session.execute(db.select(Membership).filter_by(user_id=future.id)).scalar_one()
    assert (membership.municipality_id, membership.role) == (a.id, "moderator")
    assert _events("staff.assigned")[0].actor_id == admin.id
    html = client.get("/a-miestas/admin/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Rasa Rasienė is now a moderator." in html
    # twice: nothing new
    client.post_form("/a-miestas/admin/moderators", {"email": "rasa@example.lt"})
    assert len(_events("staff.assigned")) == 1
    # unknown or malformed e-mail: an error beside the field, the text kept
    response = client.post_form("/a-miestas/admin/moderators", {"email": "nobody@example.lt"},
                                headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "No registered user has this e-mail address." in response.get_data(as_text=True)
    assert 'value="nobody@example.lt"' in response.get_data(as_text=True)
    response = client.post_form("/a-miestas/admin/moderators", {"email": "not-an-email"})
    assert response.status_code == 400
    # removing: only this municipality's moderators
    other = make.user(b, role="moderator")
    other_membership = db.session.execute(db.select(Membership).filter_by(user_id=other.id)).scalar_one()
    assert client.post_form(f"/a-miestas/admin/moderators/{other_membership.id}/remove").status_code == 404
    own_admin = db.session.execute(db.select(Membership).filter_by(user_id=admin.id)).scalar_one()
    assert client.post_form(f"/a-miestas/admin/moderators/{own_admin.id}/remove").status_code == 404
    membership_id = membership.id
    assert client.post_form(f"/a-miestas/admin/moderators/{membership_id}/remove").status_code == 302
    assert db.session.get(Membership, membership_id) is None
    assert _events("staff.removed")[0].data == {"role": "moderator"}


def test_removing_without_csrf_is_refused(client, auth, make):
    a = make.municipality("a-miestas")
    auth.login(make.user(a, role="admin", locale="en"))
    moderator = make.user(a, role="moderator")
    membership = db.session.execute(db.select(Membership).filter_by(user_id=moderator.id)).scalar_one()
    assert client.post(f"/a-miestas/admin/moderators/{membership.id}/remove").status_code == 400
    assert db.session.get(Membership, membership.id) is not None


def test_navigation_links(client, auth, make):
    a = make.municipality("a-miestas")
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Compare municipalities" in html and "Pilot dashboard" not in html
    auth.login(make.user(a, role="admin", locale="en"))
    html = client.get("/a-miestas/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "/a-miestas/figures" in html and "/a-miestas/admin/" in html
    auth.logout()
    auth.login(make.user(None, pilot=True))
    assert "/pilot/" in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
