"""Bad input: empty, huge, HTML and script; a clear translated error, nothing lost."""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.core.markdown import render_markdown
from app.extensions import db
from app.initiatives.models import Initiative
from tests.initiatives.helpers import initiative

TEN_MB = "a" * (10 * 1024 * 1024)  # 10 MB (the app accepts bodies up to 16 MB so forms can say "too long")


def _count():
    return db.session.execute(select(func.count(Initiative.id))).scalar()


@pytest.fixture
def resident(make, auth):
    m = make.municipality("kaunas")
    user = make.user(m)
    auth.login(user)
    return user


def test_empty_form_says_what_is_missing(client, resident):
    response = client.post_form("/kaunas/initiatives/new", {"title": "", "summary": "", "body": "",
                                                            "language": "lt", "category_id": "0"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for message in ("Suteikite iniciatyvai pavadinimą.", "Parašykite trumpą aprašymą.", "Paaiškinkite savo iniciatyvą."):
        assert message in html
    assert _count() == 0


def test_ten_megabyte_field_is_refused_and_the_text_kept(client, resident):
    response = client.post_form("/kaunas/initiatives/new", {
        "title": "Apšviesti taką", "summary": "Trumpai", "body": TEN_MB, "language": "lt", "category_id": "0"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Per ilgas: ne daugiau kaip 20000 ženklų." in html
    assert 'value="Apšviesti taką"' in html  # what the person typed is given back
    assert _count() == 0


def test_bad_links_are_refused(client, resident):
    response = client.post_form("/kaunas/initiatives/new", {
        "title": "Apšviesti taką", "summary": "Trumpai", "body": "Tekstas", "language": "lt", "category_id": "0",
        "links": "javascript:alert(1)"})
    assert response.status_code == 400
    assert "Tai ne interneto adresas" in response.get_data(as_text=True)


def test_html_and_script_are_never_run(client, resident, make):
    response = client.post_form("/kaunas/initiatives/new", {
        "title": "<script>alert('t')</script>Takas", "summary": "<img src=x onerror=alert(1)> santrauka",
        "body": "<script>alert(1)</script>\n\n**Svarbu** [spausk](javascript:alert(2)) <iframe src=//evil>",
        "location": "<b>Garliava</b>", "language": "lt", "category_id": "0"})
    assert response.status_code == 303
    i = db.session.execute(select(Initiative)).scalar_one()
    html = client.get(f"/kaunas/initiatives/{i.id}").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html and "<iframe" not in html
    assert 'href="javascript' not in html and "<b>Garliava</b>" not in html
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;Takas" in html
    assert "<strong>Svarbu</strong>" in html


def test_ten_megabyte_comment_and_flag_are_refused(client, resident, make):
    m = resident.home_municipality
    i = initiative(m, make.user(m))
    response = client.post_form(f"/kaunas/discussion/initiative/{i.id}/comments", {"body": TEN_MB})
    assert response.status_code == 400
    assert "Komentaras gali būti ne ilgesnis nei 5000 ženklų." in response.get_data(as_text=True)
    response = client.post_form(f"/kaunas/discussion/initiative/{i.id}/comments", {"body": "   "})
    assert response.status_code == 400
    response = client.post_form(f"/kaunas/discussion/initiative/{i.id}/flag", {"reason": TEN_MB})
    assert response.status_code == 400


def test_over_long_moderation_texts(client, auth, make):
    m = make.municipality("taurage")
    i = initiative(m, make.user(m), status="submitted")
    auth.login(make.user(m, role="moderator"))
    response = client.post_form(f"/taurage/initiatives/{i.id}/moderation/reject", {"reason": TEN_MB})
    assert response.status_code == 400 and "Per ilgas" in response.get_data(as_text=True)
    assert db.session.get(Initiative, i.id).status == "submitted"


def test_unknown_initiative_and_bad_list_arguments(client, make):
    make.municipality("kaunas")
    assert client.get("/kaunas/initiatives/999999").status_code == 404
    response = client.get("/kaunas/initiatives/?status=<script>&sort=drop&category=x&page=-3&q=" + "a" * 5000)
    assert response.status_code == 200 and "<script>" not in response.get_data(as_text=True).split("<main")[1]


ACTIVE = re.compile(r"<(script|img|svg|style|iframe|object|embed)\b|<[^>]*\son\w+\s*=|href=\"\s*(javascript|data|vbscript):",
                    re.IGNORECASE)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
                | st.sampled_from(["<script>x</script>", "<a href=javascript:x>y</a>", "[a](javascript:b)",
                                   "[a](JaVaScRiPt:b)", "<img src=x onerror=y>", "<svg onload=x>",
                                   "<style>*{}</style>", "\"'><script>", "<iframe src=//e>", "**b**",
                                   "[ok](https://example.lt)", "\n\n", "<a href='x' onclick='y'>z</a>"]),
                max_size=8).map("".join))
def test_rendered_markdown_never_contains_active_content(text):
    """Whatever a resident writes, the rendered HTML has no script, handler or dangerous link."""
    assert ACTIVE.search(str(render_markdown(text))) is None


def test_category_of_another_municipality_is_refused(client, resident, make):
    from tests.initiatives.helpers import category

    foreign = category(make.municipality("kitas"), "Svetima", "Foreign")
    response = client.post_form("/kaunas/initiatives/new", {
        "title": "Apšviesti taką", "summary": "Trumpai", "body": "Tekstas", "language": "lt",
        "category_id": str(foreign.id)})
    assert response.status_code == 400
    assert "Pasirinkite vieną iš galimybių." in response.get_data(as_text=True)
    response = client.post_form("/kaunas/initiatives/new", {
        "title": "Apšviesti taką", "summary": "Trumpai", "body": "Tekstas", "language": "xx", "category_id": "abc"})
    assert response.status_code == 400
    assert _count() == 0
