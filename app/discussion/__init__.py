"""Discussion: comments with one level of replies, and flags, on any target.

A feature registers a target type (see :mod:`app.discussion.registry`) and drops
``{% include "discussion/thread.html" %}`` into its page with a context built by
:func:`app.discussion.services.thread_context`. This package never imports a feature.
"""
from flask import Blueprint

bp = Blueprint("discussion", __name__, template_folder="templates", url_prefix="/<municipality>/discussion")

from app.discussion import routes  # noqa: E402,F401
