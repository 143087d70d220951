"""Municipalities and people for the demo."""
from __future__ import annotations

from decimal import Decimal

from app.accounts.models import Membership, User
from app.core.models import utcnow
from app.extensions import db
from app.municipalities.models import Municipality

# Shown in the README and printed by `flask seed-demo`; only ever used for demo data.
DEMO_PASSWORD = "talka-demo-2026"

PILOTS = [
    # slug, LT name, EN name, population, short code for e-mails
    ("kauno-rajonas", "Kauno rajono savivaldybė", "Kaunas District Municipality", 100_000, "kaunas"),
    ("taurages-rajonas", "Tauragės rajono savivaldybė", "Tauragė District Municipality", 36_000, "taurage"),
    ("jurbarko-rajonas", "Jurbarko rajono savivaldybė", "Jurbarkas District Municipality", 25_000, "jurbarkas"),
    ("birzu-rajonas", "Biržų rajono savivaldybė", "Biržai District Municipality", 22_000, "birzai"),
    ("zarasu-rajonas", "Zarasų rajono savivaldybė", "Zarasai District Municipality", 15_000, "zarasai"),
]

RESIDENT_NAMES = [
    ("Rūta Petrauskienė", "lt"), ("Tomas Kazlauskas", "lt"), ("Eglė Jankauskaitė", "en"),
    ("Mindaugas Stankevičius", "lt"), ("Aistė Vasiliauskienė", "lt"), ("Jonas Žukauskas", "en"),
]


def _user(email: str, name: str, municipality: Municipality | None, locale: str = "lt",
          pilot: bool = False, birth_year: int = 1985) -> User:
    user = User(email=email, name=name, home_municipality_id=municipality.id if municipality else None,
                locale=locale, is_pilot_admin=pilot, confirmed_at=utcnow(), birth_year=birth_year)
    user.set_password(DEMO_PASSWORD)
    db.session.add(user)
    return user


def seed_people_and_places() -> dict:
    accounts: list[tuple[str, str]] = []
    municipalities: dict[str, Municipality] = {}
    residents: dict[str, list[User]] = {}
    moderators: dict[str, User] = {}
    admins: dict[str, User] = {}
    for slug, name_lt, name_en, population, code in PILOTS:
        m = Municipality(slug=slug, name_lt=name_lt, name_en=name_en, population=population,
                         default_locale="lt", locales="lt,en",
                         signature_threshold=max(50, population // 1000),
                         signature_threshold_percent=Decimal("0.50") if population > 50_000 else None,
                         signature_period_days=90)
        db.session.add(m)
        municipalities[slug] = m
    db.session.flush()
    pilot = _user("pilot@talka.lt", "Laura Pilotė", None, pilot=True)
    accounts.append((pilot.email, "pilot administrator"))
    for slug, _lt, _en, _pop, code in PILOTS:
        m = municipalities[slug]
        moderator = _user(f"moderator.{code}@talka.lt", f"Moderatorius ({m.name_lt.split()[0]})", m)
        admin = _user(f"admin.{code}@talka.lt", f"Administratorius ({m.name_lt.split()[0]})", m)
        db.session.flush()
        db.session.add(Membership(user_id=moderator.id, municipality_id=m.id, role="moderator"))
        db.session.add(Membership(user_id=admin.id, municipality_id=m.id, role="admin"))
        moderators[slug], admins[slug] = moderator, admin
        accounts.append((moderator.email, f"moderator, {slug}"))
        accounts.append((admin.email, f"municipal administrator, {slug}"))
        residents[slug] = []
        for i, (name, locale) in enumerate(RESIDENT_NAMES):
            user = _user(f"{code}.gyventojas{i + 1}@talka.lt", name, m, locale=locale,
                         birth_year=1950 + 9 * i)
            residents[slug].append(user)
        accounts.append((f"{code}.gyventojas1@talka.lt … {code}.gyventojas{len(RESIDENT_NAMES)}@talka.lt",
                         f"residents, {slug}"))
    db.session.commit()
    return {"accounts": accounts, "municipalities": municipalities, "residents": residents,
            "moderators": moderators, "admins": admins, "pilot": pilot}
