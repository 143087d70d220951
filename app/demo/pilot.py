"""Demo data for the pilot comparison: a year of registrations, so that the dashboard
shows trends that differ between municipalities instead of one spike today.

The six named demo residents of each municipality keep their accounts; this step adds
quieter residents (who cannot sign in: their password is unusable) registered over the
past twelve months, more where the municipality ran more outreach.
"""
from __future__ import annotations

import random
from datetime import timedelta

from app.accounts.models import User
from app.core.models import utcnow
from app.extensions import db

# slug -> (residents to add, share who confirmed their e-mail): Zarasai's lake
# festival and Biržai's castle days brought people in; Kaunas district is large but quiet.
OUTREACH = {
    "kauno-rajonas": (140, 0.72), "taurages-rajonas": (60, 0.80), "jurbarko-rajonas": (38, 0.76),
    "birzu-rajonas": (66, 0.88), "zarasu-rajonas": (54, 0.90),
}
FIRST_NAMES = ["Ona", "Petras", "Laima", "Vytautas", "Gintarė", "Darius", "Inga", "Saulius", "Milda", "Kęstutis"]
LAST_NAMES = ["Kairys", "Balčiūnienė", "Urbonas", "Navickaitė", "Šimkus", "Žemaitienė", "Paulauskas", "Jonaitė"]


def seed_pilot(context: dict) -> None:
    rng = random.Random(7)
    now = utcnow()
    unusable = "!demo-account-without-password"  # never matches an argon2 hash
    for slug, (count, confirmed_share) in OUTREACH.items():
        municipality = context["municipalities"][slug]
        for i in range(count):
            # More registrations in the later months, as word of the platform spread.
            days_ago = int(365 * (1 - rng.random() ** 0.6))
            created = now - timedelta(days=days_ago, hours=rng.randrange(24))
            confirmed = created + timedelta(hours=rng.randrange(1, 72)) if rng.random() < confirmed_share else None
            if confirmed and confirmed > now:
                confirmed = now
            db.session.add(User(
                email=f"{slug}.gyventojas.{i + 1}@demo.talka.lt",
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                password_hash=unusable, home_municipality_id=municipality.id, locale="lt",
                birth_year=rng.randrange(1940, 2008), created_at=created, updated_at=created,
                confirmed_at=confirmed))
    db.session.flush()
