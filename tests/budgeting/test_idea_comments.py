"""Project ideas are discussed with the shared discussion package."""
from app.discussion.models import Comment
from app.extensions import db
from tests.budgeting.conftest import url


def test_residents_comment_on_an_idea_and_others_cannot(client, auth, make, pb):
    m = make.municipality("birzai")
    process = pb.process(m, phase="ideas")
    from app.budgeting.models import PBIdea

    idea = db.session.execute(db.select(PBIdea).filter_by(process_id=process.id)).scalars().first()
    page = url(process, f"/ideas/{idea.id}")
    auth.login(make.user(m, name="Jonas Komentatorius"))
    response = client.post_form(f"/birzai/discussion/pb_idea/{idea.id}/comments",
                                {"body": "Puiki idėja, **pritariu**.", "next": page})
    assert response.status_code == 303
    html = client.get(page).get_data(as_text=True)
    assert "<strong>pritariu</strong>" in html and "Jonas Komentatorius" in html

    # A resident of another municipality cannot comment, nor reach the idea through another slug.
    auth.logout()
    other = make.municipality("zarasai")
    auth.login(make.user(other))
    assert client.post_form(f"/birzai/discussion/pb_idea/{idea.id}/comments", {"body": "x"}).status_code == 403
    assert client.post_form(f"/zarasai/discussion/pb_idea/{idea.id}/comments", {"body": "x"}).status_code == 404
    assert db.session.execute(db.select(db.func.count(Comment.id))).scalar_one() == 1
