import re
import time

import pytest

from app.accounts.models import User
from app.core.mail import read_outbox
from app.extensions import db


def _confirm_link(html_or_text: str) -> str:
    match = re.search(r"http://localhost(/account/confirm/[^\s]+)", html_or_text)
    assert match, html_or_text
    return match.group(1)


def test_register_confirm_login_logout(client, make):
    m = make.municipality("birzai")
    page = client.get("/account/register")
    assert "Registruotis" in page.get_data(as_text=True)
    response = client.post_form("/account/register", {
        "name": "Rūta Petrauskienė", "email": "Ruta@Example.lt", "password": "labai slaptas žodis",
        "password_confirm": "labai slaptas žodis", "home_municipality": m.id,
    })
    assert response.status_code == 302
    user = db.session.execute(db.select(User).filter_by(email="ruta@example.lt")).scalar_one()
    assert user.password_hash.startswith("$argon2")
    assert not user.confirmed
    [message] = read_outbox()
    assert message["To"] == "ruta@example.lt"
    link = _confirm_link(message.get_content())
    # until confirmed, every page says what the address unlocks, questionnaires and events included
    banner = "kad galėtumėte pasirašyti iniciatyvas, balsuoti, atsakyti į klausimynus ir registruotis"
    assert banner in client.get(f"/{m.slug}/").get_data(as_text=True)
    # GET shows a button and changes nothing (link scanners must not confirm).
    assert client.get(link).status_code == 200
    db.session.refresh(user)
    assert not user.confirmed
    response = client.post_form(link)
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.confirmed
    assert banner not in client.get(f"/{m.slug}/").get_data(as_text=True)
    client.post_form("/account/logout")
    assert client.get("/account/").status_code == 302  # signed out: sent to the login page
    response = client.post_form("/account/login", {"email": "ruta@example.lt", "password": "labai slaptas žodis"})
    assert response.status_code == 302
    assert "Rūta Petrauskienė" in client.get("/account/").get_data(as_text=True)


def test_register_errors_keep_what_was_typed(client, make):
    m = make.municipality()
    make.user(m, email="taken@example.lt")
    response = client.post_form("/account/register", {
        "name": "Jonas", "email": "TAKEN@example.lt", "password": "short",
        "password_confirm": "other", "home_municipality": m.id,
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Paskyra su šiuo el. pašto adresu jau yra" in html
    assert "Ne trumpesnis nei 10 simbolių" in html or "at least 10" in html.lower() or "10" in html
    assert "Slaptažodžiai nesutampa." in html
    assert 'value="Jonas"' in html and 'value="TAKEN@example.lt"' in html


def test_over_long_name_is_refused_and_kept(client, make):
    m = make.municipality()
    long_name = "Ą" * 5000
    response = client.post_form("/account/register", {
        "name": long_name, "email": "a@example.lt", "password": "labai slaptas žodis",
        "password_confirm": "labai slaptas žodis", "home_municipality": m.id,
    })
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert long_name in html
    assert db.session.execute(db.select(User)).first() is None


def test_wrong_password_and_unknown_email(client, make):
    user = make.user(make.municipality())
    for email, password in ((user.email, "wrong password!"), ("nobody@example.lt", "whatever123")):
        response = client.post_form("/account/login", {"email": email, "password": password})
        assert response.status_code == 200
        assert "Neteisingas el. pašto adresas arba slaptažodis." in response.get_data(as_text=True)


def test_login_is_throttled(client, make):
    user = make.user(make.municipality())
    token = client.csrf_token()
    codes = [client.post("/account/login", data={"email": user.email, "password": "nope nope",
                                                 "csrf_token": token}).status_code for _ in range(12)]
    assert codes[:10] == [200] * 10
    assert codes[-1] == 429
    response = client.post("/account/login", data={"email": user.email, "password": "nope", "csrf_token": token})
    assert "Per daug bandymų" in response.get_data(as_text=True)


def test_bad_and_expired_confirmation_tokens(app, client, make):
    user = make.user(make.municipality(), confirmed=False)
    response = client.get("/account/confirm/not-a-token")
    assert response.status_code == 400
    assert "Ši patvirtinimo nuoroda negalioja." in response.get_data(as_text=True)
    from app.accounts.services import make_confirm_token

    with app.test_request_context():
        token = make_confirm_token(user)
    app.config["EMAIL_TOKEN_MAX_AGE"] = -1
    try:
        response = client.get(f"/account/confirm/{token}")
    finally:
        app.config["EMAIL_TOKEN_MAX_AGE"] = 48 * 3600
    assert response.status_code == 400
    assert "galiojimas baigėsi" in response.get_data(as_text=True)


def test_password_reset_link_works_once(client, make):
    user = make.user(make.municipality())
    client.post_form("/account/forgot", {"email": user.email})
    [message] = read_outbox()
    link = re.search(r"http://localhost(/account/reset/\S+)", message.get_content()).group(1)
    response = client.post_form(link, {"password": "naujas slaptažodis", "password_confirm": "naujas slaptažodis"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.check_password("naujas slaptažodis")
    client.post_form("/account/logout")
    again = client.get(link)
    assert again.status_code == 400
    assert "jau buvo panaudota" in again.get_data(as_text=True)


def test_forgot_does_not_reveal_accounts(client):
    response = client.post_form("/account/forgot", {"email": "nobody@example.lt"}, follow_redirects=True)
    assert "Jei šiuo adresu yra paskyra" in response.get_data(as_text=True)
    assert read_outbox() == []


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"])
def test_next_never_leaves_the_site(client, make, target):
    user = make.user(make.municipality())
    response = client.post_form("/account/login", {"email": user.email, "password": make.PASSWORD, "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/"


def test_next_returns_to_local_page(client, make):
    m = make.municipality("zarasai")
    user = make.user(m)
    response = client.post_form("/account/login", {"email": user.email, "password": make.PASSWORD, "next": "/zarasai/"})
    assert response.headers["Location"] == "/zarasai/"


def test_missing_or_forged_csrf_token_is_a_clear_400(client, make):
    user = make.user(make.municipality())
    response = client.post("/account/login", data={"email": user.email, "password": make.PASSWORD})
    assert response.status_code == 400
    assert "Formos galiojimas baigėsi" in response.get_data(as_text=True)
    response = client.post("/account/login", data={"email": user.email, "password": make.PASSWORD,
                                                   "csrf_token": "forged"})
    assert response.status_code == 400


def test_passwords_are_hashed_with_argon2(make):
    user = make.user(make.municipality(), password="a very secret phrase")
    assert "a very secret phrase" not in user.password_hash
    assert user.password_hash.startswith("$argon2id$")
    assert user.check_password("a very secret phrase")
    assert not user.check_password("a very secret phrasE")


def test_session_cookie_is_httponly_and_lax(client, make):
    user = make.user(make.municipality())
    response = client.post_form("/account/login", {"email": user.email, "password": make.PASSWORD})
    cookie = response.headers.get("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
