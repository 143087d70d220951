"""Tenancy in the URL: ``/<municipality>/…`` loads the municipality into ``g``."""
from __future__ import annotations

from functools import cache

from flask import Flask, abort, g, session
from sqlalchemy import bindparam, select

from app.extensions import db
from app.i18n import _


@cache
def _by_slug():
    """Built once: every request under /<municipality>/ runs it, so only the slug is bound."""
    from app.municipalities.models import Municipality

    return select(Municipality).where(Municipality.slug == bindparam("slug"), Municipality.active.is_(True))


@cache
def _by_slug_with_user():
    """The municipality and, in the same round trip, the user the session names (or None)."""
    from app.accounts.models import User
    from app.municipalities.models import Municipality

    return (select(Municipality, User).outerjoin(User, User.id == bindparam("uid"))
            .where(Municipality.slug == bindparam("slug"), Municipality.active.is_(True)))


def _session_user_id() -> int | None:
    """The user id Flask-Login keeps in the (signed) session cookie, if any."""
    try:
        return int(session["_user_id"])
    except (KeyError, TypeError, ValueError):
        return None


def prefetched_user(user_id: int):
    """For the user loader: (True, user or None) when this request already loaded
    ``user_id`` together with its municipality; (False, None) otherwise."""
    prefetched = g.pop("_prefetched_user", None)
    if prefetched is not None and prefetched[0] == user_id:
        return True, prefetched[1]
    return False, None


def init_tenancy(app: Flask) -> None:
    @app.url_value_preprocessor
    def load_municipality(endpoint, values):
        if values and "municipality" in values:
            slug = values.pop("municipality")
            user_id = _session_user_id()
            if user_id is None:
                municipality = db.session.execute(_by_slug(), {"slug": slug}).scalar_one_or_none()
            else:
                # Most pages under a municipality need the signed-in user too: one round
                # trip for both. The user loader still decides (active, session checks).
                row = db.session.execute(_by_slug_with_user(), {"slug": slug, "uid": user_id}).first()
                municipality, user = row if row is not None else (None, None)
                g._prefetched_user = (user_id, user)
            if municipality is None:
                abort(404, description=_("There is no municipality at this address."))
            g.municipality = municipality

    @app.url_defaults
    def add_municipality(endpoint, values):
        if "municipality" in values or not g.get("municipality"):
            return
        if app.url_map.is_endpoint_expecting(endpoint, "municipality"):
            values["municipality"] = g.municipality.slug
