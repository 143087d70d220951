import pytest

from app.core.markdown import render_markdown
from app.core.security import ACCESS_ATTR


def test_every_endpoint_declares_who_may_reach_it(app):
    """Deny by default: a view without an access rule is a bug this test catches."""
    undeclared = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        view = app.view_functions[rule.endpoint]
        if getattr(view, ACCESS_ATTR, None) is None:
            undeclared.append(rule.endpoint)
    assert undeclared == []


def test_staff_endpoints_are_guarded_by_a_role(app):
    for rule in app.url_map.iter_rules():
        if "/admin" in rule.rule or rule.rule.endswith("/staff") or "/moderation" in rule.rule:
            access = getattr(app.view_functions[rule.endpoint], ACCESS_ATTR)
            assert access.startswith("role:") or access == "pilot_admin", (rule.rule, access)


def test_undeclared_view_is_refused(app, client):
    original = app.view_functions["municipalities.index"]
    app.view_functions["municipalities.index"] = lambda: "reached"  # declares nothing
    try:
        response = client.get("/")
        assert response.status_code == 403
        assert b"reached" not in response.data
    finally:
        app.view_functions["municipalities.index"] = original


def test_security_headers_on_html(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_inline_script_in_pages(client):
    html = client.get("/account/register").get_data(as_text=True)
    assert "<script>" not in html and "onclick=" not in html


def test_spoofed_host_header_is_refused(client):
    response = client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400


def test_markdown_is_sanitised():
    html = str(render_markdown(
        "# Title\n\n<script>alert(1)</script> **bold** [x](javascript:alert(1)) "
        "[site](https://example.lt) <img src=x onerror=alert(1)>"))
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html  # shown as text, never run
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.lt"' in html and 'rel="nofollow ugc noopener"' in html
    assert "<h2>Title</h2>" in html


@pytest.mark.parametrize("path", ["/admin/municipalities", "/admin/municipalities/new"])
def test_pilot_pages_need_a_pilot_admin(client, auth, make, path):
    m = make.municipality()
    assert client.get(path).status_code == 302  # visitor: sent to sign in
    auth.login(make.user(m, role="admin"))
    assert client.get(path).status_code == 403


def test_municipal_admin_of_a_cannot_see_staff_of_b(client, auth, make):
    a, b = make.municipality("a-miestas"), make.municipality("b-miestas")
    auth.login(make.user(a, role="admin"))
    assert client.get("/a-miestas/staff").status_code == 200
    response = client.get("/b-miestas/staff")
    assert response.status_code == 403
    assert "Čia to daryti neturite teisės." in response.get_data(as_text=True)


def test_get_never_writes_logout_needs_post(client, auth, make):
    auth.login(make.user(make.municipality()))
    assert client.get("/account/logout").status_code == 405
    assert client.get("/account/").status_code == 200
