"""Comments with one level of replies, flags, hiding with a reason, the moderation queue."""
import pytest
from sqlalchemy import func, select

from app.core.audit import AuditEvent
from app.discussion.models import Comment, Flag
from app.extensions import db
from tests.initiatives.helpers import initiative


@pytest.fixture
def place(make):
    m = make.municipality("zarasai")
    i = initiative(m, make.user(m), title="Gelbėtojai Zarasaičio paplūdimyje")
    return m, i


def _comments():
    return db.session.execute(select(Comment).order_by(Comment.id)).scalars().all()


def test_resident_comments_and_replies_one_level(client, auth, make, place):
    m, i = place
    url = f"/zarasai/initiatives/{i.id}"
    auth.login(make.user(m, name="Ieva Komentatorė"))
    response = client.post_form(f"/zarasai/discussion/initiative/{i.id}/comments",
                                {"body": "Pritariu, **labai** reikia.", "next": url})
    assert response.status_code == 303 and response.headers["Location"].startswith(url + "#comment-")
    top = _comments()[0]
    client.post_form(f"/zarasai/discussion/initiative/{i.id}/comments", {"body": "Atsakymas", "parent_id": top.id})
    reply = _comments()[1]
    # a reply to a reply joins the same top-level comment
    client.post_form(f"/zarasai/discussion/initiative/{i.id}/comments", {"body": "Dar vienas", "parent_id": reply.id})
    assert [c.parent_id for c in _comments()] == [None, top.id, top.id]
    html = client.get(url).get_data(as_text=True)
    assert "3 komentarai" in html and "<strong>labai</strong>" in html and "Ieva Komentatorė" in html


def test_who_may_comment(client, auth, make, place):
    m, i = place
    target = f"/zarasai/discussion/initiative/{i.id}/comments"
    assert client.post_form(target, {"body": "x"}).status_code == 302  # visitor: sign in
    auth.login(make.user(make.municipality("kaunas")))
    response = client.post_form(target, {"body": "Aš iš Kauno"})
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "Čia komentuoti gali tik patvirtinti šios savivaldybės gyventojai." in html and "Aš iš Kauno" in html
    assert client.post_form("/zarasai/discussion/initiative/99999/comments", {"body": "x"}).status_code == 404
    assert client.post_form(f"/zarasai/discussion/nothing/{i.id}/comments", {"body": "x"}).status_code == 404
    assert _comments() == []


def test_flag_hide_and_the_author_sees_why(client, auth, make, place):
    m, i = place
    writer, reader = make.user(m, name="Piktas Rašytojas"), make.user(m)
    moderator = make.user(m, role="moderator")
    url = f"/zarasai/initiatives/{i.id}"
    auth.login(writer)
    client.post_form(f"/zarasai/discussion/initiative/{i.id}/comments", {"body": "Jūs visi kvailiai."})
    comment = _comments()[0]
    auth.logout()

    auth.login(reader)
    assert client.get(f"/zarasai/discussion/comment/{comment.id}/flag").status_code == 200
    response = client.post_form(f"/zarasai/discussion/comment/{comment.id}/flag",
                                {"reason": "Įžeidinėja.", "next": url})
    assert response.status_code == 303 and response.headers["Location"] == url
    response = client.post_form(f"/zarasai/discussion/comment/{comment.id}/flag", {"reason": "Dar kartą"})
    assert response.status_code == 409 and "Apie tai jau pranešėte" in response.get_data(as_text=True)
    # flag the initiative itself, too
    client.post_form(f"/zarasai/discussion/initiative/{i.id}/flag", {"reason": "Dubliuoja kitą."})
    assert db.session.execute(select(func.count(Flag.id))).scalar() == 2
    auth.logout()

    auth.login(moderator)
    queue = client.get("/zarasai/discussion/moderation").get_data(as_text=True)
    assert "Jūs visi kvailiai." in queue and "Įžeidinėja." in queue and "Dubliuoja kitą." in queue
    response = client.post_form(f"/zarasai/discussion/moderation/comment/{comment.id}/hide", {"reason": ""})
    assert response.status_code == 400 and "Nurodykite priežastį" in response.get_data(as_text=True)
    response = client.post_form(f"/zarasai/discussion/moderation/comment/{comment.id}/hide",
                                {"reason": "Įžeidimai pažeidžia taisykles.", "next": url})
    assert response.status_code == 303
    client.post_form(f"/zarasai/discussion/moderation/initiative/{i.id}/dismiss")
    assert "Pranešimų nėra" in client.get("/zarasai/discussion/moderation").get_data(as_text=True)
    auth.logout()

    public = client.get(url).get_data(as_text=True)
    assert "Jūs visi kvailiai." not in public and "Moderatorius paslėpė šį komentarą." in public
    assert "Įžeidimai pažeidžia taisykles." not in public
    auth.login(writer)
    own = client.get(url).get_data(as_text=True)
    assert "Moderatoriaus nurodyta priežastis: Įžeidimai pažeidžia taisykles." in own
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "discussion.hidden")).scalar_one()
    assert event.public and event.reason == "Įžeidimai pažeidžia taisykles." and event.actor_id == moderator.id


def test_moderator_hides_a_flagged_initiative(client, auth, make, place):
    m, i = place
    auth.login(make.user(m, role="moderator"))
    client.post_form(f"/zarasai/discussion/moderation/initiative/{i.id}/hide", {"reason": "Asmens duomenys tekste."})
    auth.logout()
    assert client.get(f"/zarasai/initiatives/{i.id}").status_code == 404
    assert i.title not in client.get("/zarasai/initiatives/").get_data(as_text=True)
    assert client.get("/zarasai/initiatives.json").get_json()["count"] == 0
    auth.login(i.author)
    html = client.get(f"/zarasai/initiatives/{i.id}").get_data(as_text=True)
    assert "Asmens duomenys tekste." in html


def test_moderator_of_another_municipality_cannot_hide(client, auth, make, place):
    m, i = place
    auth.login(make.user(m))
    client.post_form(f"/zarasai/discussion/initiative/{i.id}/comments", {"body": "Komentaras"})
    comment = _comments()[0]
    auth.logout()
    other = make.municipality("birzai")
    auth.login(make.user(other, role="moderator"))
    assert client.post_form(f"/zarasai/discussion/moderation/comment/{comment.id}/hide",
                            {"reason": "x"}).status_code == 403
    # nor by addressing it under their own municipality
    assert client.post_form(f"/birzai/discussion/moderation/comment/{comment.id}/hide",
                            {"reason": "x"}).status_code == 404
    assert _comments()[0].hidden_at is None


def test_next_never_leads_off_site(client, auth, make, place):
    m, i = place
    auth.login(make.user(m))
    response = client.post_form(f"/zarasai/discussion/initiative/{i.id}/flag",
                                {"reason": "x", "next": "https://evil.example/"})
    assert response.headers["Location"] == f"/zarasai/initiatives/{i.id}"


def test_thread_in_english(client, auth, make, place):
    m, i = place
    auth.login(make.user(m, locale="en"))
    html = client.get(f"/zarasai/initiatives/{i.id}").get_data(as_text=True)
    assert "No comments yet." in html and "Publish comment" in html


def test_comment_flood_is_slowed_down(client, auth, make, place):
    m, i = place
    auth.login(make.user(m))
    codes = [client.post_form(f"/zarasai/discussion/initiative/{i.id}/comments", {"body": f"Nr. {n}"}).status_code
             for n in range(21)]
    assert codes[:20] == [303] * 20 and codes[20] == 429
    assert len(_comments()) == 20
