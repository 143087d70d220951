"""Target types that can be discussed and flagged, registered by features.

Discussion knows nothing about initiatives or budgeting: a feature describes its
target once with a :class:`TargetType` and the discussion routes look it up here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class TargetType:
    name: str                                   # e.g. "initiative"
    label: Any                                  # lazy translated noun, e.g. _l("Initiative")
    # (municipality, id) -> the object, scoped to the municipality, or None
    load: Callable[[Any, int], Any]
    # obj -> local URL of its page
    url: Callable[[Any], str]
    # obj -> short title for queues and the audit log
    title: Callable[[Any], str]
    # (obj, user) -> None when the user may comment, else a translated reason
    comment_refusal: Callable[[Any, Any], str | None]
    # (obj, moderator, reason) -> hide the object itself (no commit)
    hide: Callable[[Any, Any, str], None] | None = None
    # obj -> whether it is already hidden
    is_hidden: Callable[[Any], bool] = lambda obj: False


TARGETS: dict[str, TargetType] = {}


def register_target(target: TargetType) -> None:
    TARGETS[target.name] = target


def get_target(name: str) -> TargetType | None:
    return TARGETS.get(name)
