"""Tenancy in the URL: ``/<municipality>/…`` loads the municipality into ``g``."""
from __future__ import annotations

from flask import Flask, abort, g

from app.extensions import db
from app.i18n import _


def init_tenancy(app: Flask) -> None:
    @app.url_value_preprocessor
    def load_municipality(endpoint, values):
        if values and "municipality" in values:
            from app.municipalities.models import Municipality

            slug = values.pop("municipality")
            municipality = db.session.execute(
                db.select(Municipality).filter_by(slug=slug, active=True)
            ).scalar_one_or_none()
            if municipality is None:
                abort(404, description=_("There is no municipality at this address."))
            g.municipality = municipality

    @app.url_defaults
    def add_municipality(endpoint, values):
        if "municipality" in values or not g.get("municipality"):
            return
        if app.url_map.is_endpoint_expecting(endpoint, "municipality"):
            values["municipality"] = g.municipality.slug
