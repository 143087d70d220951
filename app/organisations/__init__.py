"""Organisations (NVO, bendruomenės, mokyklos, bibliotekos) that run consultations in a municipality."""
from flask import Blueprint

bp = Blueprint("organisations", __name__, template_folder="templates",
               url_prefix="/<municipality>/organisations")

from app.organisations import routes  # noqa: E402,F401
