"""A resident signs an initiative in Lithuanian in a real browser."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.initiatives.models import Initiative, Signature
from tests.factories import Factories
from tests.initiatives.helpers import initiative


@pytest.mark.browser
def test_resident_signs_in_lithuanian(browser_page, make):
    m = make.municipality("jurbarko-rajonas", name_lt="Jurbarko rajono savivaldybė")
    i = initiative(m, make.user(m), title="Nauja vaikų žaidimų aikštelė Jurbarko parke", required=2)
    resident = make.user(m, name="Rūta Petrauskienė")
    page = browser_page
    page.goto(f"/jurbarko-rajonas/initiatives/{i.id}")
    assert page.locator("html").get_attribute("lang") == "lt"
    assert page.get_by_text("Prisijunkite, kad galėtumėte pasirašyti").is_visible()
    page.get_by_role("link", name="Prisijungti").last.click()
    page.fill("#email", resident.email)
    page.fill("#password", Factories.PASSWORD)
    page.locator("main button[type=submit]").click()
    # sent back to the initiative after signing in
    page.wait_for_url(f"**/jurbarko-rajonas/initiatives/{i.id}")
    page.get_by_label("Viešai rodyti mano vardą tarp pasirašiusiųjų").check()
    page.get_by_role("button", name="Pasirašyti").click()
    page.get_by_text("Ačiū: jūsų parašas įskaitytas.").wait_for()
    assert page.get_by_text("1 parašas").is_visible()
    assert page.get_by_text("iš 2 reikalingų").is_visible()
    assert page.locator(".signers").inner_text().strip() == "Rūta Petrauskienė"
    assert page.get_by_role("button", name="Atšaukti mano parašą").is_visible()
    db.session.expire_all()
    signature = db.session.execute(select(Signature)).scalar_one()
    assert signature.user_id == resident.id and signature.show_name
    assert db.session.get(Initiative, i.id).signature_count == 1
