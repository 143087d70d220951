"""Consultations: questionnaires, public debates, focus groups and workshops run by organisations."""
from flask import Blueprint

bp = Blueprint("consultations", __name__, template_folder="templates",
               url_prefix="/<municipality>/consultations")

from app.consultations import cli, routes  # noqa: E402,F401
