"""Participatory budgeting: ideas, feasibility review, secret ballots, explained results."""
from flask import Blueprint

bp = Blueprint("budgeting", __name__, template_folder="templates", url_prefix="/<municipality>/budgeting")

from app.budgeting import routes  # noqa: E402,F401
from app.budgeting import cli  # noqa: E402,F401
