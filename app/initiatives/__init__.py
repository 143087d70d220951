"""Civic initiatives (pilietinės iniciatyvos): propose, moderate, sign, answer."""
from flask import Blueprint

# No url_prefix: the open data lives at /<municipality>/initiatives.json beside the pages.
bp = Blueprint("initiatives", __name__, template_folder="templates")

from app.initiatives import routes, staff_routes  # noqa: E402,F401
