"""The one place that everything imports translation helpers from."""
from __future__ import annotations

from flask import current_app, g, has_request_context, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_babel import ngettext
from flask_login import current_user

__all__ = ["_", "_l", "ngettext", "lazy_ngettext", "select_locale", "localized"]


def select_locale() -> str:
    """The user's explicit choice, then their profile, then the browser, then Lithuanian."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return languages[0]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    best = request.accept_languages.best_match(languages)
    if best:
        return best
    municipality = g.get("municipality")
    if municipality is not None and municipality.default_locale in languages:
        return municipality.default_locale
    return languages[0]


def localized(obj: object, field: str) -> str:
    """User content in two languages is data: pick ``field_<locale>`` with a fallback."""
    from flask_babel import get_locale

    locale = str(get_locale() or "lt")
    value = getattr(obj, f"{field}_{locale}", None)
    if value:
        return value
    for other in current_app.config["LANGUAGES"]:
        value = getattr(obj, f"{field}_{other}", None)
        if value:
            return value
    return ""
