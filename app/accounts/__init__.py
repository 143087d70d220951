"""Accounts: registration, e-mail confirmation, sign-in, password reset, language."""
from flask import Blueprint

bp = Blueprint("accounts", __name__, template_folder="templates")

from app.accounts import routes  # noqa: E402,F401
