"""Talka: a participatory-democracy platform for municipalities.

This module stays free of Flask imports so that ``app.tallying`` can be used on its
own (``import app.tallying`` must not load Flask or SQLAlchemy).
"""


def create_app(config: object | None = None):
    """Build the Flask application (see :func:`app.factory.create_app`)."""
    from app.factory import create_app as _create_app

    return _create_app(config)
