"""Account operations: registration, confirmation and reset tokens."""
from __future__ import annotations

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.core import mail
from app.core.audit import record
from app.core.models import utcnow
from app.extensions import db
from app.i18n import _l


class TokenError(Exception):
    """A link that is broken, already used or expired."""

    def __init__(self, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


class DuplicateEmail(Exception):
    pass


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def make_confirm_token(user: User) -> str:
    return _serializer("confirm-email").dumps({"id": user.id, "email": user.email})


def make_reset_token(user: User) -> str:
    # The hash fragment makes the link single-use: it dies when the password changes.
    return _serializer("reset-password").dumps({"id": user.id, "h": user.password_hash[-16:]})


def _load(salt: str, token: str, max_age: int) -> dict:
    try:
        return _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired:
        raise TokenError(expired=True) from None
    except BadSignature:
        raise TokenError(expired=False) from None


def register(name: str, email: str, password: str, home_municipality_id: int,
             birth_year: int | None, locale: str) -> User:
    """Create an unconfirmed account and send the confirmation link."""
    user = User(name=name.strip(), email=email.strip().lower(), home_municipality_id=home_municipality_id,
                birth_year=birth_year, locale=locale)
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        # Two registrations raced on the same address; the unique index decided.
        db.session.rollback()
        raise DuplicateEmail() from None
    send_confirmation(user)
    return user


def send_confirmation(user: User) -> None:
    link = url_for("accounts.confirm", token=make_confirm_token(user), _external=True)
    mail.send_template(user.email, user.locale or "lt", lambda: str(_l("Confirm your e-mail address")),
                       "accounts/mail/confirm.txt", user=user, link=link)


def confirm(token: str) -> User:
    data = _load("confirm-email", token, current_app.config["EMAIL_TOKEN_MAX_AGE"])
    user = db.session.get(User, data.get("id"))
    if user is None or user.email != data.get("email"):
        raise TokenError(expired=False)
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
        record("account.confirmed", actor=user, obj=user, label=user.name)
        db.session.commit()
    return user


def send_reset(user: User) -> None:
    link = url_for("accounts.reset", token=make_reset_token(user), _external=True)
    mail.send_template(user.email, user.locale or "lt", lambda: str(_l("Reset your password")),
                       "accounts/mail/reset.txt", user=user, link=link)


def user_for_reset(token: str) -> User:
    data = _load("reset-password", token, current_app.config["RESET_TOKEN_MAX_AGE"])
    user = db.session.get(User, data.get("id"))
    if user is None or user.password_hash[-16:] != data.get("h"):
        raise TokenError(expired=False)
    return user


def reset_password(user: User, password: str) -> None:
    user.set_password(password)
    # Following the link proves the address, too.
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
    record("account.password_reset", actor=user, obj=user, label=user.name)
    db.session.commit()
