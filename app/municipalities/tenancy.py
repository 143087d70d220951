"""Tenancy in the URL: ``/<municipality>/…`` loads the municipality into ``g``."""
from __future__ import annotations

from functools import cache

from flask import Flask, abort, g
from sqlalchemy import bindparam, select

from app.extensions import db
from app.i18n import _


@cache
def _by_slug():
    """Built once: every request under /<municipality>/ runs it, so only the slug is bound."""
    from app.municipalities.models import Municipality

    return select(Municipality).where(Municipality.slug == bindparam("slug"), Municipality.active.is_(True))


def init_tenancy(app: Flask) -> None:
    @app.url_value_preprocessor
    def load_municipality(endpoint, values):
        if values and "municipality" in values:
            slug = values.pop("municipality")
            municipality = db.session.execute(_by_slug(), {"slug": slug}).scalar_one_or_none()
            if municipality is None:
                abort(404, description=_("There is no municipality at this address."))
            g.municipality = municipality

    @app.url_defaults
    def add_municipality(endpoint, values):
        if "municipality" in values or not g.get("municipality"):
            return
        if app.url_map.is_endpoint_expecting(endpoint, "municipality"):
            values["municipality"] = g.municipality.slug
