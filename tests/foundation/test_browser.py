"""A real browser: register, confirm from the outbox, sign in, switch language."""
import re

import pytest

from app.core.mail import read_outbox

pytestmark = pytest.mark.browser


def test_register_confirm_login_and_switch_language(browser_page, live_server, make):
    make.municipality("jurbarko-rajonas", name_lt="Jurbarko rajono savivaldybė",
                      name_en="Jurbarkas District Municipality")
    page = browser_page
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "lt"
    page.get_by_role("link", name="Registruotis").first.click()
    page.get_by_label("Vardas ir pavardė").fill("Eglė Jankauskaitė")
    page.get_by_label("El. paštas").fill("egle@example.lt")
    page.get_by_label("Slaptažodis", exact=True).fill("saugus slaptažodis 1")
    page.get_by_label("Pakartokite slaptažodį").fill("saugus slaptažodis 1")
    page.get_by_label("Jūsų savivaldybė").select_option(label="Jurbarko rajono savivaldybė")
    page.get_by_role("button", name="Sukurti paskyrą").click()
    expect = pytest.importorskip("playwright.sync_api").expect
    # Wait for the page each click leads to, rather than reading the one being left.
    expect(page.get_by_text("Patvirtinimo nuorodą išsiuntėme")).to_be_visible()

    [message] = read_outbox()
    link = re.search(r"https?://\S+/account/confirm/\S+", message.get_content()).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    page.get_by_role("button", name="Patvirtinti mano el. pašto adresą").click()
    expect(page.get_by_text("Jūsų el. pašto adresas patvirtintas")).to_be_visible()

    page.get_by_role("button", name="Atsijungti").click()
    page.get_by_role("link", name="Prisijungti").first.click()
    page.get_by_label("El. paštas").fill("egle@example.lt")
    page.get_by_label("Slaptažodis").fill("saugus slaptažodis 1")
    page.get_by_role("button", name="Prisijungti").click()
    expect(page.get_by_text("Prisijungėte.")).to_be_visible()

    # The switcher submits itself with JavaScript; the choice is remembered.
    page.select_option("#lang-select", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Talka: neighbours deciding together")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/jurbarko-rajonas/")
    expect(page.get_by_role("heading", name="Jurbarkas District Municipality")).to_be_visible()
    page.screenshot(path=str(live_server_artifact("foundation-home-en.png")))


def live_server_artifact(name: str):
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return folder / name
