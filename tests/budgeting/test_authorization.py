"""Every staff page of participatory budgeting refuses visitors, residents and other municipalities' staff."""
from __future__ import annotations

import pytest

from app.core.security import ACCESS_ATTR
from tests.budgeting.conftest import url


def _staff_urls(app, process, pot, idea):
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("budgeting."):
            continue
        access = getattr(app.view_functions[rule.endpoint], ACCESS_ATTR)
        if not access.startswith("role:"):
            continue
        path = rule.rule.replace("<municipality>", "M").replace("<int:process_id>", str(process.id))
        path = path.replace("<int:pot_id>", str(pot.id)).replace("<int:idea_id>", str(idea.id))
        method = "GET" if "GET" in rule.methods else "POST"
        urls.append((method, path))
    return urls


@pytest.mark.parametrize("who", ["visitor", "resident", "other_admin", "other_moderator"])
def test_staff_pages_refused(app, client, auth, make, pb, who):
    m, other = make.municipality(), make.municipality()
    process = pb.process(m, "voting")
    pot = process.pots[0]
    idea = pb.projects(pot)[0]
    user = {"visitor": None, "resident": make.user(m), "other_admin": make.user(other, role="admin"),
            "other_moderator": make.user(other, role="moderator")}[who]
    if user is not None:
        auth.login(user)
    urls = _staff_urls(app, process, pot, idea)
    assert len(urls) >= 10
    for method, path in urls:
        path = path.replace("/M/", f"/{m.slug}/")
        response = client.get(path) if method == "GET" else client.post_form(path, {})
        expected = 302 if who == "visitor" else 403
        assert response.status_code == expected, (who, method, path, response.status_code)


def test_moderator_cannot_reach_admin_pages_but_admin_can_moderate(client, auth, make, pb):
    m = make.municipality()
    process = pb.process(m, "review")
    auth.login(make.user(m, role="moderator"))
    assert client.get(url(process, "/admin")).status_code == 403
    assert client.post_form(url(process, "/admin/tally")).status_code == 403
    auth.logout()
    auth.login(make.user(m, role="admin"))
    assert client.get(url(process, "/moderation")).status_code == 200
