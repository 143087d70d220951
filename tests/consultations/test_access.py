"""Who may do what: an authorization matrix over the organiser pages, and bad input."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.consultations.models import Event, SignUp
from app.consultations.services import utc_to_local
from app.core.models import utcnow
from app.extensions import db


@pytest.fixture
def site(make, build):
    m = make.municipality("kaunas")
    organiser, member = make.user(m), make.user(m)
    org = build.organisation(m, organiser, members=[member])
    q = build.questionnaire(org, questions=[("single", "A?", "A?", [("Taip", "Yes"), ("Ne", "No")], {})])
    event = build.event(org)
    people = {
        "organiser": organiser, "member": member, "resident": make.user(m),
        "moderator": make.user(m, role="moderator"),
        "other_org": build.organisation(m, make.user(m), name="Kiti").members[0].user,
    }
    return m, org, q, event, people


PAGES = [
    "/kaunas/consultations/questionnaires/{q}/edit",
    "/kaunas/consultations/questionnaires/{q}/responses.csv",
    "/kaunas/consultations/events/{e}/edit",
    "/kaunas/consultations/events/{e}/signups",
    "/kaunas/consultations/events/{e}/signups.csv",
    "/kaunas/consultations/events/{e}/summary",
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who, status", [(None, 302), ("resident", 403), ("moderator", 403), ("other_org", 403),
                                         ("member", 200), ("organiser", 200)])
def test_organiser_pages_matrix(client, auth, site, page, who, status):
    m, org, q, event, people = site
    if who:
        auth.login(people[who])
    assert client.get(page.format(q=q.id, e=event.id)).status_code == status


def test_refusal_message_is_clear(client, auth, site):
    m, org, q, event, people = site
    auth.login(people["other_org"])
    html = client.get(f"/kaunas/consultations/events/{event.id}/edit").get_data(as_text=True)
    assert "Tai gali daryti tik organizacijos „Bendruomenė „Ąžuolas““ nariai." in html


def test_pending_organisation_cannot_run_events(client, auth, make, build):
    m = make.municipality("kaunas")
    organiser = make.user(m)
    org = build.organisation(m, organiser, status="pending")
    event = build.event(org)
    auth.login(organiser)
    response = client.get(f"/kaunas/consultations/events/{event.id}/edit")
    assert response.status_code == 403 and "dar nepatvirtino" in response.get_data(as_text=True)


def test_larger_capacity_promotes_the_waitlist(client, auth, make, build, site):
    m, org, q, _event, people = site
    event = build.event(org, capacity=1)
    waiting = [make.user(m) for _ in range(3)]
    for user in waiting:
        auth.login(user)
        client.post_form(f"/kaunas/consultations/events/{event.id}/signup")
        auth.logout()
    auth.login(people["organiser"])
    fmt = "%Y-%m-%dT%H:%M"
    def local(dt):
        return utc_to_local(dt).strftime(fmt)

    form = {"organisation": str(org.id), "kind": "focus_group", "title_lt": event.title_lt, "title_en": "",
            "starts_at": local(event.starts_at), "ends_at": local(event.ends_at),
            "signup_deadline": local(event.signup_deadline), "place": event.place, "capacity": "2",
            "selection": "automatic"}
    assert client.post_form(f"/kaunas/consultations/events/{event.id}/edit", form).status_code == 302
    statuses = [s.status for s in db.session.execute(select(SignUp).where(SignUp.event_id == event.id)
                                                     .order_by(SignUp.id)).scalars()]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    # Smaller than the confirmed count: refused beside the field.
    form["capacity"] = "1"
    response = client.post_form(f"/kaunas/consultations/events/{event.id}/edit", form)
    assert response.status_code == 400 and "vietų negali būti mažiau" in response.get_data(as_text=True)


def test_links_must_be_web_addresses(client, auth, site):
    m, org, q, event, people = site
    auth.login(people["organiser"])
    start = utcnow() + timedelta(days=4)
    fmt = "%Y-%m-%dT%H:%M"
    response = client.post_form("/kaunas/consultations/events/new", {
        "organisation": str(org.id), "kind": "workshop", "title_lt": "Dirbtuvės",
        "starts_at": start.strftime(fmt), "ends_at": (start + timedelta(hours=1)).strftime(fmt),
        "signup_deadline": (start - timedelta(hours=5)).strftime(fmt), "capacity": "5",
        "online_url": "javascript://example.com/%0Aalert(1)", "selection": "automatic"})
    assert response.status_code == 400
    assert db.session.execute(select(Event).filter_by(title_lt="Dirbtuvės")).first() is None


def test_over_long_title_is_a_clear_error(client, auth, site):
    m, org, q, event, people = site
    auth.login(people["organiser"])
    response = client.post_form("/kaunas/consultations/questionnaires/new", {
        "organisation": str(org.id), "title_lt": "x" * 201, "opens_at": "2030-01-01T10:00",
        "closes_at": "2030-02-01T10:00", "audience": "signed_in", "ranking_rule": "borda"})
    assert response.status_code == 400 and "Ne daugiau kaip 200 simbolių" in response.get_data(as_text=True)


@pytest.mark.parametrize("lang, texts", [
    ("lt", ["Tikslinė grupė: autobusų stotelės", "Užsiregistruoti", "10 vietų"]),
    ("en", ["Focus group: bus stops", "Sign up", "10 seats"]),
])
def test_event_page_in_both_languages(client, auth, site, lang, texts):
    m, org, q, event, people = site
    auth.login(people["resident"])
    client.post_form("/lang", {"lang": lang, "next": "/"})
    html = client.get(f"/kaunas/consultations/events/{event.id}").get_data(as_text=True)
    for text in texts:
        assert text in html


def test_nav_and_home_figure(client, site):
    html = client.get("/kaunas/").get_data(as_text=True)
    assert "Konsultacijos" in html and "Organizacijos" in html
    assert "0 atsakymų į konsultacijas" in html or "atsakym" in html
