"""Callable factories for test data."""
from __future__ import annotations

import itertools

from app.accounts.models import Membership, User
from app.core.models import utcnow
from app.extensions import db
from app.municipalities.models import Municipality

_seq = itertools.count(1)


class Factories:
    PASSWORD = "correct horse battery"

    def municipality(self, slug: str | None = None, **kwargs) -> Municipality:
        n = next(_seq)
        slug = slug or f"savivaldybe-{n}"
        values = dict(name_lt=f"Savivaldybė {n}", name_en=f"Municipality {n}", population=20_000,
                      default_locale="lt", locales="lt,en", signature_threshold=100,
                      signature_period_days=90)
        values.update(kwargs)
        m = Municipality(slug=slug, **values)
        db.session.add(m)
        db.session.commit()
        return m

    def user(self, municipality: Municipality | None = None, *, email: str | None = None,
             name: str | None = None, confirmed: bool = True, role: str | None = None,
             pilot: bool = False, locale: str = "lt", birth_year: int | None = 1980,
             password: str | None = None) -> User:
        n = next(_seq)
        user = User(email=email or f"user{n}@example.lt", name=name or f"Gyventojas {n}",
                    home_municipality_id=municipality.id if municipality else None,
                    confirmed_at=utcnow() if confirmed else None, is_pilot_admin=pilot,
                    locale=locale, birth_year=birth_year)
        user.set_password(password or self.PASSWORD)
        db.session.add(user)
        db.session.flush()
        if role:
            db.session.add(Membership(user_id=user.id, municipality_id=municipality.id, role=role))
        db.session.commit()
        return user
