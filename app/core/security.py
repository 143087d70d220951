"""Deny by default.

Every view declares who may reach it with exactly one of the decorators below. A
``before_request`` hook refuses any endpoint that declares nothing, and a test walks
``app.url_map`` to make sure no endpoint is left undeclared.
"""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import abort, current_app, g, request
from flask_login import current_user

ACCESS_ATTR = "_talka_access"

RESIDENT = "resident"
MODERATOR = "moderator"
ADMIN = "admin"  # municipal administrator
MUNICIPAL_ROLES = (MODERATOR, ADMIN)
# A municipal administrator may also moderate.
ROLE_IMPLIES = {ADMIN: {ADMIN, MODERATOR}, MODERATOR: {MODERATOR}}


def _mark(view: Callable, access: str) -> Callable:
    setattr(view, ACCESS_ATTR, access)
    return view


def public(view: Callable) -> Callable:
    """Anyone, signed in or not, may reach this view."""
    return _mark(view, "public")


def login_required(view: Callable) -> Callable:
    """Any signed-in user."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        return view(*args, **kwargs)

    return _mark(wrapped, "login")


def role_required(role: str) -> Callable[[Callable], Callable]:
    """A role in the municipality of the URL (``g.municipality``); pilot admins pass."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            municipality = g.get("municipality")
            if municipality is None or not current_user.has_role(municipality, role):
                abort(403)
            return view(*args, **kwargs)

        return _mark(wrapped, f"role:{role}")

    return decorator


def pilot_admin_required(view: Callable) -> Callable:
    """Only pilot administrators, who see every municipality."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not current_user.is_pilot_admin:
            abort(403)
        return view(*args, **kwargs)

    return _mark(wrapped, "pilot_admin")


def access_of(endpoint: str | None) -> str | None:
    if endpoint is None:
        return None
    if endpoint == "static" or endpoint.endswith(".static"):
        return "public"
    view = current_app.view_functions.get(endpoint)
    return getattr(view, ACCESS_ATTR, None)


def enforce_declared_access() -> None:
    """before_request: an endpoint that declares no access rule is refused."""
    # Reading the host validates it against TRUSTED_HOSTS (400 for a spoofed Host header),
    # so that no link in an e-mail can point elsewhere.
    request.host  # noqa: B018
    if request.endpoint is None:
        return  # 404 / 405 are handled by the router
    if access_of(request.endpoint) is None:
        current_app.logger.error("Endpoint %s declares no access rule; refused.", request.endpoint)
        abort(403)
