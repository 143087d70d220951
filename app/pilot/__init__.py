"""Pilot administration: the comparison dashboard, its exports, the printable report,
each municipality's own figures and its administrator's settings page."""
from flask import Blueprint

bp = Blueprint("pilot", __name__, template_folder="templates")

from app.pilot import routes  # noqa: E402,F401
