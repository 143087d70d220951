"""Every string ships in Lithuanian; plural forms are right."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None,
            "ngettext": (1, 2), "lazy_ngettext": (1, 2)}


def _extracted_ids() -> set[str]:
    method_map = [("app/**.py", "python"), ("app/**/templates/**.html", "jinja2"),
                  ("app/**/templates/**.txt", "jinja2"), ("app/**/templates/**.ics", "jinja2")]
    ids = set()
    for _fn, _lineno, message, _comments, _ctx in extract_from_dir(
            str(ROOT), method_map=method_map, keywords=KEYWORDS):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return {i for i in ids if i}


def _catalog(locale: str):
    with open(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=locale)


def test_every_msgid_in_the_code_has_a_lithuanian_translation():
    catalog = _catalog("lt")
    missing = []
    for msgid in sorted(_extracted_ids()):
        message = catalog.get(msgid)
        if message is None:
            # plural entries are keyed by their singular id
            message = next((m for m in catalog if isinstance(m.id, tuple) and m.id[0] == msgid), None)
        if message is None or "fuzzy" in message.flags:
            missing.append(msgid)
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            missing.append(msgid)
    assert missing == [], "run `make translations` and translate: " + "; ".join(missing[:20])


def test_compiled_catalogs_exist_for_both_languages():
    for locale in ("lt", "en"):
        path = ROOT / "translations" / locale / "LC_MESSAGES" / "messages.mo"
        assert path.exists(), f"{path} missing: run `make compile-translations`"
        with open(path, "rb") as fh:
            assert len(list(read_mo(fh))) > 100


def test_lithuanian_plural_forms(app):
    from flask_babel import force_locale

    from app.i18n import ngettext

    expected = {1: "1 registruotas gyventojas", 2: "2 registruoti gyventojai", 9: "9 registruoti gyventojai",
                10: "10 registruotų gyventojų", 11: "11 registruotų gyventojų", 20: "20 registruotų gyventojų",
                21: "21 registruotas gyventojas", 22: "22 registruoti gyventojai", 111: "111 registruotų gyventojų"}
    with app.test_request_context(), force_locale("lt"):
        for n, text in expected.items():
            assert ngettext("%(num)d registered resident", "%(num)d registered residents", n) == text
    with app.test_request_context(), force_locale("en"):
        assert ngettext("%(num)d registered resident", "%(num)d registered residents", 1) == "1 registered resident"
        assert ngettext("%(num)d registered resident", "%(num)d registered residents", 21) == "21 registered residents"


def test_lithuanian_dates_read_iso(app):
    from datetime import date

    from flask_babel import force_locale

    with app.test_request_context(), force_locale("lt"):
        assert app.jinja_env.filters["date"](date(2026, 11, 23)) == "2026-11-23"


def test_browser_language_then_choice_is_remembered(client, make):
    make.municipality("kaunas")
    assert 'lang="en"' in client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(as_text=True)
    assert 'lang="lt"' in client.get("/").get_data(as_text=True)
    client.post_form("/lang", {"lang": "en", "next": "/"})
    assert 'lang="en"' in client.get("/kaunas/").get_data(as_text=True)


def test_language_switch_never_redirects_off_site(client):
    response = client.post_form("/lang", {"lang": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
