"""Who may do what: visitor, resident, resident of another municipality, moderator,
moderator of another municipality. A moderator of A can do nothing in B."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.initiatives.models import Initiative, Signature
from tests.initiatives.helpers import initiative

ACTORS = ("visitor", "resident", "other_resident", "moderator", "other_moderator")


@pytest.fixture
def world(make):
    a, b = make.municipality("a-rajonas"), make.municipality("b-rajonas")
    author = make.user(a)
    people = {
        "visitor": None,
        "resident": make.user(a),
        "other_resident": make.user(b),
        "moderator": make.user(a, role="moderator"),
        "other_moderator": make.user(b, role="moderator"),
    }
    items = {
        "published": initiative(a, author),
        "submitted": initiative(a, author, status="submitted"),
        "draft": initiative(a, author, status="draft"),
        "threshold": initiative(a, author, status="threshold_reached", count=3),
    }
    return a, b, people, {k: v.id for k, v in items.items()}


def _as(actor, world, auth):
    person = world[2][actor]
    if person is not None:
        auth.login(person)


# actor -> expected status, for each request
MATRIX = [
    ("GET", "/a-rajonas/initiatives/{published}", None,
     dict(visitor=200, resident=200, other_resident=200, moderator=200, other_moderator=200)),
    ("GET", "/a-rajonas/initiatives/{draft}", None,
     dict(visitor=404, resident=404, other_resident=404, moderator=200, other_moderator=404)),
    ("GET", "/a-rajonas/initiatives/new", None,
     dict(visitor=302, resident=200, other_resident=403, moderator=200, other_moderator=403)),
    ("POST", "/a-rajonas/initiatives/{published}/sign", {},
     dict(visitor=302, resident=303, other_resident=403, moderator=303, other_moderator=403)),
    ("GET", "/a-rajonas/initiatives/moderation", None,
     dict(visitor=302, resident=403, other_resident=403, moderator=200, other_moderator=403)),
    ("POST", "/a-rajonas/initiatives/{submitted}/moderation/approve", {},
     dict(visitor=302, resident=403, other_resident=403, moderator=303, other_moderator=403)),
    ("POST", "/a-rajonas/initiatives/{submitted}/moderation/reject", {"reason": "Ne mūsų kompetencija."},
     dict(visitor=302, resident=403, other_resident=403, moderator=303, other_moderator=403)),
    ("POST", "/a-rajonas/initiatives/{submitted}/moderation/changes", {"message": "Patikslinkite."},
     dict(visitor=302, resident=403, other_resident=403, moderator=303, other_moderator=403)),
    ("POST", "/a-rajonas/initiatives/{threshold}/moderation/respond", {"decision": "accepted", "text": "Gerai."},
     dict(visitor=302, resident=403, other_resident=403, moderator=303, other_moderator=403)),
    ("GET", "/a-rajonas/initiatives/categories", None,
     dict(visitor=302, resident=403, other_resident=403, moderator=403, other_moderator=403)),
    ("GET", "/a-rajonas/discussion/moderation", None,
     dict(visitor=302, resident=403, other_resident=403, moderator=200, other_moderator=403)),
    ("POST", "/a-rajonas/discussion/moderation/initiative/{published}/hide", {"reason": "Pažeidžia taisykles."},
     dict(visitor=302, resident=403, other_resident=403, moderator=303, other_moderator=403)),
    ("POST", "/a-rajonas/initiatives/{draft}/submit", {},
     dict(visitor=302, resident=404, other_resident=404, moderator=403, other_moderator=404)),
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("method,path,data,expected", MATRIX, ids=[f"{m} {p}" for m, p, _d, _e in MATRIX])
def test_authorization_matrix(client, auth, world, actor, method, path, data, expected):
    _as(actor, world, auth)
    url = path.format(**world[3])
    response = client.get(url) if method == "GET" else client.post_form(url, data)
    assert response.status_code == expected[actor], (actor, url, response.get_data(as_text=True)[:300])


def test_moderator_of_a_cannot_reach_b_through_a(client, auth, make, world):
    """An initiative of B addressed under A's slug does not exist for A's moderator."""
    a, b, people, _ids = world
    other = initiative(b, make.user(b), status="submitted")
    auth.login(people["moderator"])
    assert client.post_form(f"/a-rajonas/initiatives/{other.id}/moderation/approve").status_code == 404
    assert client.get(f"/a-rajonas/initiatives/{other.id}").status_code == 404
    assert client.post_form(f"/b-rajonas/initiatives/{other.id}/moderation/approve").status_code == 403
    assert db.session.get(Initiative, other.id).status == "submitted"


def test_refused_actions_store_nothing(client, auth, world):
    _a, _b, people, ids = world
    auth.login(people["other_resident"])
    client.post_form(f"/a-rajonas/initiatives/{ids['published']}/sign")
    auth.logout()
    auth.login(people["other_moderator"])
    client.post_form(f"/a-rajonas/initiatives/{ids['submitted']}/moderation/approve")
    assert db.session.execute(select(func.count(Signature.id))).scalar() == 0
    assert db.session.get(Initiative, ids["submitted"]).status == "submitted"
    assert db.session.get(Initiative, ids["published"]).signature_count == 0


def test_moderation_only_from_the_right_state(client, auth, world):
    _a, _b, people, ids = world
    auth.login(people["moderator"])
    response = client.post_form(f"/a-rajonas/initiatives/{ids['published']}/moderation/approve")
    assert response.status_code == 409
    assert "nelaukia moderatoriaus sprendimo" in response.get_data(as_text=True)
    response = client.post_form(f"/a-rajonas/initiatives/{ids['published']}/moderation/respond",
                                {"decision": "accepted", "text": "Gerai."})
    assert response.status_code == 409


def test_admin_manages_categories(client, auth, make):
    from app.initiatives.models import Category

    m = make.municipality("kaunas")
    auth.login(make.user(m, role="admin"))
    response = client.post_form("/kaunas/initiatives/categories", {"name_lt": "Keliai", "name_en": "Roads"})
    assert response.status_code == 303
    category = db.session.execute(select(Category)).scalar_one()
    client.post_form(f"/kaunas/initiatives/categories/{category.id}",
                     {f"c{category.id}-name_lt": "Keliai ir gatvės", f"c{category.id}-name_en": "Roads and streets",
                      f"c{category.id}-position": "5"})
    assert db.session.get(Category, category.id).name_lt == "Keliai ir gatvės"
    assert "Keliai ir gatvės" in client.get("/kaunas/initiatives/").get_data(as_text=True)
    initiative(m, make.user(m), category_id=category.id)
    client.post_form(f"/kaunas/initiatives/categories/{category.id}/delete")
    assert db.session.get(Category, category.id) is not None  # in use: kept, with a message
    client.post_form("/kaunas/initiatives/categories", {"name_lt": "Kita", "name_en": "Other"})
    other_id = db.session.execute(select(Category.id).where(Category.name_lt == "Kita")).scalar_one()
    client.post_form(f"/kaunas/initiatives/categories/{other_id}/delete")
    assert db.session.execute(select(Category.name_lt)).scalars().all() == ["Keliai ir gatvės"]
