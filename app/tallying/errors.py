"""Errors raised by :mod:`app.tallying`.

Every problem caused by bad input (an unknown rule, a ballot naming an unknown
project, a non-positive cost or budget, an empty profile, too many points, a
broken ``.pb`` file...) raises a subclass of :class:`TallyingError` with a
message that names the problem, so that callers (the web app, the CLI) can show
it as is and never need to print a traceback.
"""

from __future__ import annotations

__all__ = [
    "TallyingError",
    "UnknownRule",
    "InvalidInstance",
    "InvalidProject",
    "InvalidBallot",
    "UnknownProject",
    "EmptyProfile",
    "IncompatibleBallots",
    "PabulibFormatError",
]


class TallyingError(Exception):
    """Base class of every error caused by bad input to the tallying package."""


class UnknownRule(TallyingError, KeyError):
    """No rule is registered under the requested name."""

    def __init__(self, name: str, known: list[str] | None = None) -> None:
        self.name = name
        self.known = sorted(known or [])
        hint = f" Known rules: {', '.join(self.known)}." if self.known else ""
        super().__init__(f"unknown rule {name!r}.{hint}")

    def __str__(self) -> str:  # KeyError would quote the message otherwise
        return str(self.args[0])


class InvalidInstance(TallyingError, ValueError):
    """The instance (budget, projects) is not usable, e.g. a budget of zero."""


class InvalidProject(InvalidInstance):
    """A project is malformed, e.g. its cost is zero or negative."""


class InvalidBallot(TallyingError, ValueError):
    """A ballot is malformed, e.g. more points than allowed."""


class UnknownProject(InvalidBallot):
    """A ballot names a project that is not part of the instance."""

    def __init__(self, project_id: str, where: str = "") -> None:
        self.project_id = project_id
        suffix = f" ({where})" if where else ""
        super().__init__(f"ballot names unknown project {project_id!r}{suffix}")


class EmptyProfile(TallyingError, ValueError):
    """There are no ballots to count."""


class IncompatibleBallots(TallyingError, TypeError):
    """The rule cannot count this kind of ballot (e.g. Phragmén on points)."""


class PabulibFormatError(TallyingError, ValueError):
    """A ``.pb`` file cannot be read; the message names the file and line."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = message
        where = ""
        if path is not None:
            where = f"{path}"
        if line is not None:
            where = f"{where}:{line}" if where else f"line {line}"
        super().__init__(f"{where}: {message}" if where else message)
