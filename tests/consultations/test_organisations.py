"""Registering an organisation, moderator approval, invitations, membership checks."""
import re

import pytest

from sqlalchemy import select

from app.core.audit import AuditEvent
from app.core.mail import read_outbox
from app.extensions import db
from app.organisations.models import Organisation, OrganisationMember


def test_approval_flow(client, auth, make):
    m = make.municipality("kaunas")
    resident = make.user(m, name="Rūta Petrauskienė")
    moderator = make.user(m, role="moderator")
    auth.login(resident)
    response = client.post_form("/kaunas/organisations/new", {
        "name": "Garliavos jaunimo klubas", "kind": "ngo", "description": "Jaunimo veikla",
        "contact_email": "klubas@example.lt"})
    assert response.status_code == 302
    org = db.session.execute(select(Organisation)).scalar_one()
    assert org.status == "pending"
    # Pending: not listed publicly, the resident cannot run consultations yet.
    client.get("/kaunas/organisations/")  # noqa
    assert client.get("/kaunas/consultations/questionnaires/new").status_code == 403
    assert client.get("/kaunas/organisations/moderation").status_code == 403
    assert "Organizacijų tvirtinimas" not in client.get("/kaunas/").get_data(as_text=True)
    auth.logout()
    assert client.get(f"/kaunas/organisations/{org.id}").status_code == 404
    assert "Garliavos" not in client.get("/kaunas/organisations/").get_data(as_text=True)

    auth.login(moderator)
    assert "Organizacijų tvirtinimas" in client.get("/kaunas/").get_data(as_text=True)
    page = client.get("/kaunas/organisations/moderation").get_data(as_text=True)
    assert "Garliavos jaunimo klubas" in page
    assert client.post_form(f"/kaunas/organisations/moderation/{org.id}/approve", {"reason": ""}).status_code == 302
    db.session.refresh(org)
    assert org.status == "approved" and org.decided_by_id == moderator.id
    assert db.session.execute(select(AuditEvent).filter_by(action="organisation.approved")).scalar_one().public
    mail_ = read_outbox()[-1]
    assert mail_["To"] == resident.email and "Garliavos jaunimo klubas" in mail_.get_content()
    # Deciding twice is refused.
    assert client.post_form(f"/kaunas/organisations/moderation/{org.id}/reject",
                            {"reason": "x"}).status_code == 409
    auth.logout()
    assert "Garliavos jaunimo klubas" in client.get("/kaunas/organisations/").get_data(as_text=True)
    auth.login(resident)
    assert client.get("/kaunas/consultations/questionnaires/new").status_code == 200


def test_rejection_needs_a_reason_and_is_shown(client, auth, make, build):
    m = make.municipality("kaunas")
    org = build.organisation(m, status="pending")
    auth.login(make.user(m, role="moderator"))
    client.post_form(f"/kaunas/organisations/moderation/{org.id}/reject", {"reason": ""})
    db.session.refresh(org)
    assert org.status == "pending"
    client.post_form(f"/kaunas/organisations/moderation/{org.id}/reject", {"reason": "Nėra kontaktų"})
    db.session.refresh(org)
    assert org.status == "rejected" and org.decision_reason == "Nėra kontaktų"


def test_moderator_of_another_municipality_cannot_approve(client, auth, make, build):
    a, b = make.municipality("a-miestas"), make.municipality("b-miestas")
    org = build.organisation(a, status="pending")
    auth.login(make.user(b, role="moderator"))
    assert client.post_form(f"/a-miestas/organisations/moderation/{org.id}/approve").status_code == 403
    assert client.post_form(f"/b-miestas/organisations/moderation/{org.id}/approve").status_code == 404


def test_duplicate_name_is_a_clear_error(client, auth, make, build):
    m = make.municipality("kaunas")
    build.organisation(m, name="Biblioteka")
    auth.login(make.user(m))
    response = client.post_form("/kaunas/organisations/new", {
        "name": "Biblioteka", "kind": "library", "contact_email": "b@example.lt"})
    assert response.status_code == 400
    assert "jau užregistruota" in response.get_data(as_text=True)


def test_invitation_by_email(client, auth, make, build):
    m = make.municipality("kaunas")
    organiser = make.user(m)
    org = build.organisation(m, organiser)
    invitee = make.user(m, email="tomas@example.lt", locale="en")
    other = make.user(m)
    auth.login(organiser)
    assert client.post_form(f"/kaunas/organisations/{org.id}/invite",
                            {"email": "Tomas@example.lt", "role": "member"}).status_code == 302
    message = read_outbox()[-1]
    assert message["To"] == "tomas@example.lt" and "Invitation" in message["Subject"]
    link = re.search(r"http://localhost(/kaunas/organisations/invitation/\S+)", message.get_content()).group(1)
    auth.logout()
    auth.login(other)
    assert client.get(link).status_code == 200  # GET only shows a button
    assert client.post_form(link).status_code == 403  # sent to someone else
    auth.logout()
    auth.login(invitee)
    assert client.post_form(link).status_code == 302
    assert db.session.execute(select(OrganisationMember).filter_by(user_id=invitee.id)).scalar_one().role == "member"
    assert client.post_form(link).status_code == 409  # used
    assert client.get("/kaunas/organisations/invitation/forged-token").status_code == 400
    # A member may not invite (only organisers manage members).
    assert client.post_form(f"/kaunas/organisations/{org.id}/invite",
                            {"email": "x@example.lt", "role": "member"}).status_code == 403


def test_last_organiser_cannot_be_removed(client, auth, make, build):
    m = make.municipality("kaunas")
    organiser, member = make.user(m), make.user(m)
    org = build.organisation(m, organiser, members=[member])
    auth.login(organiser)
    memberships = {ms.user_id: ms.id for ms in org.members}
    assert client.post_form(f"/kaunas/organisations/{org.id}/members/{memberships[organiser.id]}/remove").status_code == 409
    assert client.post_form(f"/kaunas/organisations/{org.id}/members/{memberships[member.id]}/remove").status_code == 302
    assert len(db.session.execute(select(OrganisationMember)).scalars().all()) == 1


def test_organiser_edits_details_members_cannot(client, auth, make, build):
    m = make.municipality("kaunas")
    organiser, member = make.user(m), make.user(m)
    org = build.organisation(m, organiser, members=[member])
    url = f"/kaunas/organisations/{org.id}/edit"
    auth.login(member)
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(organiser)
    response = client.post_form(url, {"description": "Nauja", "website": "javascript://x.lt/%0a",
                                      "contact_email": "nauja@example.lt"})
    assert response.status_code == 400 and "Nauja" in response.get_data(as_text=True)
    assert client.post_form(url, {"description": "Nauja", "website": "https://azuolas.lt",
                                  "contact_email": "Nauja@example.lt"}).status_code == 302
    db.session.refresh(org)
    assert (org.description, org.website, org.contact_email) == ("Nauja", "https://azuolas.lt", "nauja@example.lt")


@pytest.mark.parametrize("lang, texts", [
    ("lt", ["Organizacijos", "Patvirtintos organizacijos", "Užregistruoti organizaciją", "Bendruomenė"]),
    ("en", ["Organisations", "Approved organisations", "Register an organisation", "Community group"]),
])
def test_organisations_page_in_both_languages(client, make, build, lang, texts):
    m = make.municipality("kaunas")
    build.organisation(m)
    client.post_form("/lang", {"lang": lang, "next": "/"})
    html = client.get("/kaunas/organisations/").get_data(as_text=True)
    for text in texts:
        assert text in html
    assert "Bendruomenė „Ąžuolas“" in html
