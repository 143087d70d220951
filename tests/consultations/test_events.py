"""Events: sign-up, waitlist and promotion, organiser selection, .ics, reminders, attendance, summary."""
from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.consultations.models import Event, SignUp
from app.consultations.reminders import send_reminders
from app.core.mail import read_outbox
from app.core.models import utcnow
from app.extensions import db


@pytest.fixture
def world(make, build):
    m = make.municipality("kaunas")
    organiser = make.user(m, name="Organizatorius")
    org = build.organisation(m, organiser)
    return m, organiser, org


def _signup(client, auth, user, event, data=None):
    auth.login(user)
    response = client.post_form(f"/kaunas/consultations/events/{event.id}/signup", data or {})
    auth.logout()
    return response


def _statuses(event):
    return [(s.user_id, s.status, s.waitlist_position) for s in db.session.execute(
        select(SignUp).where(SignUp.event_id == event.id).order_by(SignUp.id)).scalars()]


def test_waitlist_and_promotion_on_cancel(client, auth, make, build, world):
    m, organiser, org = world
    event = build.event(org, capacity=2)
    people = [make.user(m, locale="en" if i == 2 else "lt") for i in range(4)]
    for person in people:
        assert _signup(client, auth, person, event).status_code == 302
    statuses = _statuses(event)
    assert [s[1] for s in statuses] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert "Vietų nėra: galima į laukiančiųjų sąrašą" in client.get("/kaunas/consultations/").get_data(as_text=True)
    assert [s[2] for s in statuses] == [None, None, 1, 2]
    auth.login(people[3])
    html = client.get(f"/kaunas/consultations/events/{event.id}").get_data(as_text=True)
    assert "laukiančiųjų sąraše: 2" in html or "number 2 on the waitlist" in html
    auth.logout()
    before = len(read_outbox())
    auth.login(people[0])
    assert client.post_form(f"/kaunas/consultations/events/{event.id}/cancel-signup").status_code == 302
    # Cancelling twice: a clear 409.
    assert client.post_form(f"/kaunas/consultations/events/{event.id}/cancel-signup").status_code == 409
    auth.logout()
    statuses = dict((uid, status) for uid, status, _ in _statuses(event))
    assert statuses[people[0].id] == "cancelled" and statuses[people[2].id] == "confirmed"
    assert statuses[people[3].id] == "waitlisted"
    promoted_mail = read_outbox()[before:]
    assert [msg["To"] for msg in promoted_mail] == [people[2].email]
    assert "seat" in promoted_mail[0]["Subject"]  # in the recipient's language (English)
    auth.login(people[3])
    html = client.get(f"/kaunas/consultations/events/{event.id}").get_data(as_text=True)
    assert "laukiančiųjų sąraše: 1" in html or "number 1 on the waitlist" in html
    # Signing up twice is refused.
    assert client.post_form(f"/kaunas/consultations/events/{event.id}/signup").status_code == 409


def test_signup_refused_after_deadline_and_when_cancelled(client, auth, make, build, world):
    m, organiser, org = world
    late = build.event(org, deadline_in=timedelta(hours=-1))
    assert _signup(client, auth, make.user(m), late).status_code == 409
    event = build.event(org)
    early = make.user(m)
    assert _signup(client, auth, early, event).status_code == 302
    auth.login(organiser)
    assert client.post_form(f"/kaunas/consultations/events/{event.id}/cancel", {"reason": "Liga"}).status_code == 302
    assert client.post_form(f"/kaunas/consultations/events/{event.id}/cancel", {"reason": "Vėl"}).status_code == 409
    auth.logout()
    notice = read_outbox()[-1]
    assert notice["To"] == early.email and notice["Subject"].startswith("Atšaukta:")
    assert "Priežastis: Liga" in notice.get_content()
    response = _signup(client, auth, make.user(m), event)
    assert response.status_code == 409
    assert "atšaukt" in response.get_data(as_text=True).lower() or "cancelled" in response.get_data(as_text=True)


def test_required_signup_question_keeps_answers(client, auth, make, build, world):
    m, organiser, org = world
    event = build.event(org)
    auth.login(organiser)
    assert client.post_form(f"/kaunas/consultations/events/{event.id}/questions", {
        "text_lt": "Amžiaus grupė", "text_en": "Age group", "options_lt": "18–29\n30–59\n60+",
        "options_en": "18–29\n30–59\n60+", "required": "y"}).status_code == 302
    assert client.post_form(f"/kaunas/consultations/events/{event.id}/questions", {
        "text_lt": "Poreikiai", "options_lt": ""}).status_code == 302
    # A choice question with one option is refused.
    assert client.post_form(f"/kaunas/consultations/events/{event.id}/questions", {
        "text_lt": "Seniūnija", "options_lt": "Tik viena"}).status_code == 400
    auth.logout()
    event = db.session.get(Event, event.id)
    age, needs = event.questions
    user = make.user(m)
    auth.login(user)
    response = client.post_form(f"/kaunas/consultations/events/{event.id}/signup", {f"eq{needs.id}": "Rampa"})
    assert response.status_code == 400 and "Rampa" in response.get_data(as_text=True)
    response = client.post_form(f"/kaunas/consultations/events/{event.id}/signup",
                                {f"eq{age.id}": "2", f"eq{needs.id}": "Rampa"})
    assert response.status_code == 302
    assert db.session.execute(select(SignUp)).scalar_one().answers == {str(age.id): 2, str(needs.id): "Rampa"}
    auth.logout()
    auth.login(organiser)
    text = client.get(f"/kaunas/consultations/events/{event.id}/signups.csv").get_data(as_text=True)
    assert "60+" in text and "Rampa" in text and user.email in text


def test_organiser_selection_mode(client, auth, make, build, world):
    m, organiser, org = world
    event = build.event(org, capacity=1, selection="organiser")
    a, b = make.user(m), make.user(m)
    _signup(client, auth, a, event)
    _signup(client, auth, b, event)
    assert [s[1] for s in _statuses(event)] == ["applied", "applied"]
    sa, sb = db.session.execute(select(SignUp).order_by(SignUp.id)).scalars().all()
    auth.login(organiser)
    base = f"/kaunas/consultations/events/{event.id}/signups"
    assert client.post_form(f"{base}/{sb.id}/confirm").status_code == 302
    assert client.post_form(f"{base}/{sa.id}/confirm").status_code == 409  # full
    assert client.post_form(f"{base}/{sa.id}/decline").status_code == 302
    assert [s[1] for s in _statuses(event)] == ["declined", "confirmed"]


def test_only_the_organisation_manages_its_event(client, auth, make, build, world):
    m, organiser, org = world
    event = build.event(org)
    stranger = make.user(m)
    build.organisation(m, stranger, name="Kita bendruomenė")
    auth.login(stranger)
    base = f"/kaunas/consultations/events/{event.id}"
    assert client.get(f"{base}/edit").status_code == 403
    assert client.post_form(f"{base}/edit", {"title_lt": "Pakeista"}).status_code == 403
    assert client.get(f"{base}/signups.csv").status_code == 403
    assert client.get(f"{base}/signups").status_code == 403
    auth.logout()
    auth.login(make.user(m))  # a plain resident
    assert client.get(f"{base}/signups.csv").status_code == 403
    # Another municipality's URL does not find the event.
    make.municipality("zarasai")
    assert client.get(f"/zarasai/consultations/events/{event.id}").status_code == 404


def test_event_form_refuses_dates_in_the_wrong_order(client, auth, world):
    m, organiser, org = world
    auth.login(organiser)
    start = utcnow() + timedelta(days=5)
    fmt = "%Y-%m-%dT%H:%M"
    response = client.post_form("/kaunas/consultations/events/new", {
        "organisation": str(org.id), "kind": "debate", "title_lt": "Diskusija apie kelius",
        "starts_at": start.strftime(fmt), "ends_at": (start - timedelta(hours=1)).strftime(fmt),
        "signup_deadline": (start + timedelta(days=1)).strftime(fmt), "place": "Salė", "capacity": "30",
        "selection": "automatic"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Diskusija apie kelius" in html
    assert html.count('class="errors"') == 2
    response = client.post_form("/kaunas/consultations/events/new", {
        "organisation": str(org.id), "kind": "debate", "title_lt": "Diskusija apie kelius",
        "starts_at": start.strftime(fmt), "ends_at": (start + timedelta(hours=2)).strftime(fmt),
        "signup_deadline": (start - timedelta(days=1)).strftime(fmt), "place": "Salė", "capacity": "30",
        "selection": "automatic"})
    assert response.status_code == 302
    event = db.session.execute(select(Event)).scalar_one()
    # The form is filled in Lithuanian time: the wall-clock typed is read as Europe/Vilnius.
    typed = start.replace(second=0, microsecond=0, tzinfo=None)
    assert event.starts_at == typed.replace(tzinfo=ZoneInfo("Europe/Vilnius")).astimezone(timezone.utc)


def test_ics_file_parses(client, auth, make, build, world):
    icalendar = pytest.importorskip("icalendar")
    m, organiser, org = world
    event = build.event(org, title_lt="Diskusija: kelias, tiltas; ir „Biržų pilis“",
                        description_lt="Pirma eilutė\nAntra eilutė " + "ilgas tekstas " * 20)
    user = make.user(m)
    auth.login(user)
    url = f"/kaunas/consultations/events/{event.id}/event.ics"
    assert client.get(url).status_code == 403  # not signed up
    client.post_form(f"/kaunas/consultations/events/{event.id}/signup")
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    raw = response.get_data()
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(raw)
    vevent = calendar.walk("VEVENT")[0]
    assert str(vevent["SUMMARY"]) == "Diskusija: kelias, tiltas; ir „Biržų pilis“"
    assert "Antra eilutė" in str(vevent["DESCRIPTION"])
    assert vevent.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert vevent.decoded("DTEND") == event.ends_at.replace(microsecond=0)
    assert str(vevent["UID"]).startswith(f"talka-event-{event.id}@")
    assert "DTSTAMP" in vevent


def test_reminder_command_sends_each_reminder_once(app, client, auth, make, build, world):
    m, organiser, org = world
    tomorrow = build.event(org, starts_in=timedelta(hours=20), capacity=2)
    later = build.event(org, starts_in=timedelta(days=5), title_lt="Vėliau")
    english, lithuanian, waiting = make.user(m, locale="en"), make.user(m), make.user(m)
    for user in (english, lithuanian, waiting):
        _signup(client, auth, user, tomorrow)
    _signup(client, auth, english, later)
    before = len(read_outbox())
    runner = app.test_cli_runner()
    result = runner.invoke(args=["consultations", "send-reminders"])
    assert result.exit_code == 0, result.output
    assert "Reminders sent: 2" in result.output
    sent = read_outbox()[before:]
    assert sorted(msg["To"] for msg in sent) == sorted([english.email, lithuanian.email])
    english_mail = next(msg for msg in sent if msg["To"] == english.email)
    assert english_mail["Subject"].startswith("Tomorrow:")
    lithuanian_mail = next(msg for msg in sent if msg["To"] == lithuanian.email)
    assert lithuanian_mail["Subject"].startswith("Rytoj:") and "prasideda" in lithuanian_mail.get_content()
    assert "http://localhost/kaunas/consultations/events/" in english_mail.get_content()
    # A second run sends nothing more.
    result = runner.invoke(args=["consultations", "send-reminders"])
    assert "Reminders sent: 0" in result.output
    assert len(read_outbox()) == before + 2
    with app.test_request_context():
        assert send_reminders() == 0


def test_attendance_and_summary(client, auth, make, build, world):
    m, organiser, org = world
    event = build.event(org, capacity=3, kind="debate")
    people = [make.user(m) for _ in range(3)]
    for person in people:
        _signup(client, auth, person, event)
    auth.login(organiser)
    base = f"/kaunas/consultations/events/{event.id}"
    # Before the event: neither attendance nor a summary.
    assert client.post_form(f"{base}/signups", {"attended": ["1"]}).status_code == 409
    assert client.post_form(f"{base}/summary", {"summary_lt": "Per anksti"}).status_code == 409
    event = db.session.get(Event, event.id)
    event.starts_at = utcnow() - timedelta(hours=3)
    event.ends_at = utcnow() - timedelta(hours=1)
    event.signup_deadline = event.starts_at - timedelta(hours=1)
    db.session.commit()
    signups = db.session.execute(select(SignUp).order_by(SignUp.id)).scalars().all()
    assert client.post_form(f"{base}/signups", {"attended": [str(signups[0].id), str(signups[2].id)]}).status_code == 302
    summary = "## Ką nutarėme\n\n**Stotelė** bus perkelta. <script>alert(1)</script>"
    assert client.post_form(f"{base}/summary", {"summary_lt": summary,
                                                 "summary_en": "**The stop** will be moved."}).status_code == 302
    auth.logout()
    html = client.get(base).get_data(as_text=True)
    assert "<strong>Stotelė</strong>" in html and "<script>alert" not in html
    assert "2 dalyviai" in html
    client.post_form("/lang", {"lang": "en", "next": "/"})
    html = client.get(base).get_data(as_text=True)
    assert "<strong>The stop</strong> will be moved." in html and "2 participants" in html
