"""A refused action with a translated message and the HTTP status that fits it."""
from __future__ import annotations


class Refused(Exception):
    """Raised by services; routes show ``message`` with ``status`` (403, 404, 409…)."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.message = message
        self.status = status
