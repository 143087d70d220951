"""Translated error pages with the right status; never a stack trace."""
from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from app.extensions import db
from app.i18n import _


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Go back and try again.")),
        403: (_("Not allowed"), _("You do not have permission to do this here.")),
        404: (_("Page not found"), _("There is nothing at this address.")),
        405: (_("Not allowed"), _("This address does not accept this kind of request.")),
        409: (_("Conflict"), _("Someone changed this at the same time. Reload and try again.")),
        413: (_("Too large"), _("What you sent is too large.")),
        429: (_("Too many attempts"), _("Too many attempts in a short time. Wait a minute and try again.")),
        500: (_("Something went wrong"), _("An unexpected error happened. Nothing you saved was lost; try again later.")),
    }


def render_error(code: int, description: str | None = None):
    title, message = _messages().get(code, (_("Error"), _("Something went wrong.")))
    if request.accept_mimetypes.best == "application/json" or request.path.endswith(".json"):
        return {"error": title, "message": description or message, "status": code}, code
    return render_template("errors/error.html", code=code, title=title,
                           message=description or message), code


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("The form expired or was sent from another site. "
                                   "Reload the page and send it again; what you typed is still in your browser."))

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError):
        # No page can be built for an untrusted host: every link would point at it.
        return _("The request could not be understood. Go back and try again."), 400, {
            "Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        description = error.description
        # Werkzeug's own English descriptions are not shown; ours are translated.
        if description and description == type(error).description:
            description = None
        if error.code == 429:
            description = None
        return render_error(error.code or 500, description)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        try:
            db.session.rollback()
        except Exception:  # pragma: no cover - the database itself may be gone
            pass
        return render_error(500)
