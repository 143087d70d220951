"""Municipalities: the tenants, their public home pages and their administration."""
from flask import Blueprint

bp = Blueprint("municipalities", __name__, template_folder="templates")

from app.municipalities import routes  # noqa: E402,F401
