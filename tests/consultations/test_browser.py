"""A resident answers a questionnaire in English in a real browser (no JavaScript needed)."""
import pytest
from sqlalchemy import select

from app.consultations.models import Answer, Response
from app.extensions import db
from tests.consultations.test_questionnaires import ALL_KINDS
from tests.factories import Factories


@pytest.mark.browser
def test_answer_a_questionnaire_in_english(browser_page, make, build):
    from playwright.sync_api import expect

    m = make.municipality("kaunas")
    q = build.questionnaire(build.organisation(m), questions=ALL_KINDS)
    resident = make.user(m, email="egle@example.lt", locale="en")
    page = browser_page
    page.goto("/account/login")
    page.fill("input[name=email]", resident.email)
    page.fill("input[name=password]", Factories.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/account/login" not in url)
    page.goto(f"/kaunas/consultations/questionnaires/{q.id}")
    expect(page.locator("h1")).to_have_text("Library")
    page.get_by_role("link", name="Answer the questionnaire").click()
    # First try: the required rating is missing; the page says so in English and keeps the text.
    page.get_by_label("In the library").check()
    page.get_by_label("Books").check()
    page.get_by_label("Computers").check()
    page.get_by_label("Opening hours").select_option("2")
    page.get_by_label("Children's corner").select_option("1")
    page.get_by_label("Your ward").fill("Garliava")
    page.get_by_label("Suggestions").fill("More evening events, please.")
    page.get_by_role("button", name="Send my answers").click()
    # Assertions through expect() wait for the page that the form post returns.
    expect(page.get_by_text("This question is required.")).to_be_visible()
    expect(page.get_by_label("Suggestions")).to_have_value("More evening events, please.")
    expect(page.get_by_label("Books")).to_be_checked()
    page.get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Thank you! Your answers are saved.")).to_be_visible()
    expect(page.get_by_role("link", name="Change your answers")).to_be_visible()
    db.session.expire_all()
    response = db.session.execute(select(Response)).scalar_one()
    assert response.user_id == resident.id
    answers = db.session.execute(select(Answer).where(Answer.response_id == response.id)).scalars().all()
    assert sorted(a.rank for a in answers if a.rank) == [1, 2]
    assert {a.value for a in answers if a.value} == {4}
    assert "More evening events, please." in {a.text for a in answers}
