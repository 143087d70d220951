from app.core.audit import AuditEvent
from app.extensions import db
from app.municipalities.models import Municipality


def test_home_lists_municipalities_with_figures(client, make):
    m = make.municipality("birzu-rajonas", name_lt="Biržų rajono savivaldybė", name_en="Biržai District Municipality")
    make.user(m)
    make.user(m)
    html = client.get("/").get_data(as_text=True)
    assert "Biržų rajono savivaldybė" in html
    assert "2 registruoti gyventojai" in html


def test_unknown_municipality_is_a_translated_404(client):
    response = client.get("/nera-tokios/")
    assert response.status_code == 404
    assert "Šiuo adresu savivaldybės nėra." in response.get_data(as_text=True)
    response = client.get("/nera-tokios/", headers={"Accept-Language": "en"})
    assert "There is no municipality at this address." in response.get_data(as_text=True)


def test_municipality_home_in_both_languages(client, make):
    make.municipality("zarasai", name_lt="Zarasų rajono savivaldybė", name_en="Zarasai District Municipality")
    assert "Zarasų rajono savivaldybė" in client.get("/zarasai/").get_data(as_text=True)
    client.post_form("/lang", {"lang": "en", "next": "/zarasai/"})
    html = client.get("/zarasai/").get_data(as_text=True)
    assert "Zarasai District Municipality" in html and 'lang="en"' in html


def test_pilot_admin_creates_and_configures_a_municipality(client, auth, make):
    auth.login(make.user(None, pilot=True))
    response = client.post_form("/admin/municipalities/new", {
        "slug": "ignalina", "name_lt": "Ignalinos rajono savivaldybė", "name_en": "Ignalina District Municipality",
        "population": "15000", "default_locale": "lt", "locales": ["lt", "en"],
        "signature_threshold": "100", "signature_threshold_percent": "1", "signature_period_days": "60",
        "active": "y",
    })
    assert response.status_code == 302
    m = db.session.execute(db.select(Municipality).filter_by(slug="ignalina")).scalar_one()
    assert m.required_signatures() == 150  # 1 % of 15,000 beats 100
    assert client.get("/ignalina/").status_code == 200
    events = db.session.execute(db.select(AuditEvent.action)).scalars().all()
    assert "municipality.created" in events
    assert "sukūrė savivaldybę" in client.get("/ignalina/audit").get_data(as_text=True)


def test_reserved_and_duplicate_slugs_are_refused(client, auth, make):
    make.municipality("jurbarkas")
    auth.login(make.user(None, pilot=True))
    for slug, message in (("admin", "Šis adresas rezervuotas"), ("jurbarkas", "jau naudoja kita savivaldybė")):
        response = client.post_form("/admin/municipalities/new", {
            "slug": slug, "name_lt": "X", "name_en": "X", "default_locale": "lt", "locales": ["lt"],
            "signature_period_days": "90"})
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)


def test_threshold_rule_takes_the_larger(make):
    m = make.municipality(population=36_000, signature_threshold=100, signature_threshold_percent=None)
    assert m.required_signatures() == 100
    m.signature_threshold_percent = 0.5
    assert m.required_signatures() == 180
    m.signature_threshold = 500
    assert m.required_signatures() == 500
    m.population = None
    assert m.required_signatures() == 500


def test_pilot_admin_assigns_staff(client, auth, make):
    m = make.municipality("taurage")
    person = make.user(m, email="moderatore@example.lt")
    auth.login(make.user(None, pilot=True))
    client.post_form(f"/admin/municipalities/{m.id}/staff", {"email": "moderatore@example.lt", "role": "moderator"})
    db.session.refresh(person)
    assert person.has_role(m, "moderator") and not person.has_role(m, "admin")


def test_signed_in_user_comes_with_the_municipality_in_one_query(client, auth, make):
    from sqlalchemy import event

    m = make.municipality("pakruojis")
    user = make.user(m, name="Vardenis Prisijungęs")
    auth.login(user)
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        html = client.get("/pakruojis/").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert "Vardenis Prisijungęs" in html
    user_rows = [s for s in statements if "users.password_hash" in s]  # loads of a whole user
    assert len(user_rows) == 1 and "FROM municipalities LEFT OUTER JOIN users" in user_rows[0]

    # A session naming a user who no longer exists is anonymous, as before.
    db.session.delete(user)
    db.session.commit()
    assert "Vardenis Prisijungęs" not in client.get("/pakruojis/").get_data(as_text=True)
