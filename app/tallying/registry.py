"""Registry of counting rules.

Built-in rules register themselves with :func:`register`. Third parties add
rules through the Python entry-point group ``talka.tallying_rules``: each entry
point may load a module (whose import calls :func:`register`), a
:class:`RuleInfo`, or a function decorated with :func:`register`. Entry points
are loaded lazily, the first time a name is not found or the list is asked for.

Every rule has the same signature::

    rule(instance, profile, *, tie_breaking=None, progress=None, **params) -> Outcome
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import IncompatibleBallots, TallyingError, UnknownRule

__all__ = ["RuleInfo", "register", "get_rule", "list_rules", "run", "ENTRY_POINT_GROUP"]

ENTRY_POINT_GROUP = "talka.tallying_rules"

RuleFunc = Callable[..., Any]


@dataclass(frozen=True)
class RuleInfo:
    """A registered rule and the texts the web app shows about it.

    ``kind`` is ``"budgeting"`` or ``"single_winner"``; ``ballot_kinds`` lists
    the profile kinds it counts (``"approval"``, ``"cumulative"``,
    ``"ordinal"``); ``title``, ``description`` and ``tie_breaking`` map a
    language code (``"lt"``, ``"en"``) to plain text.
    """

    name: str
    func: RuleFunc = field(repr=False)
    kind: str
    ballot_kinds: frozenset[str]
    title: dict[str, str]
    description: dict[str, str]
    tie_breaking: dict[str, str]
    pabutools_call: str | None = None

    def __call__(self, instance: Any, profile: Any, **kwargs: Any) -> Any:
        kind = getattr(profile, "kind", None)
        if kind not in self.ballot_kinds:
            raise IncompatibleBallots(
                f"rule {self.name!r} counts {', '.join(sorted(self.ballot_kinds))} ballots, not {kind} ballots"
            )
        return self.func(instance, profile, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "ballot_kinds": sorted(self.ballot_kinds),
            "title": dict(self.title),
            "description": dict(self.description),
            "tie_breaking": dict(self.tie_breaking),
        }


_RULES: dict[str, RuleInfo] = {}
_builtins_loaded = False
_entry_points_loaded = False


def register(
    name: str,
    *,
    kind: str = "budgeting",
    ballot_kinds: tuple[str, ...] | frozenset[str] = ("approval",),
    title: dict[str, str] | None = None,
    description: dict[str, str] | None = None,
    tie_breaking: dict[str, str] | None = None,
    pabutools_call: str | None = None,
    replace: bool = False,
) -> Callable[[RuleFunc], RuleFunc]:
    """Decorator registering ``func`` as the rule ``name``.

    Registering a name twice is an error unless ``replace=True`` (so that a
    plug-in cannot silently change how an official result is counted).
    """
    if kind not in ("budgeting", "single_winner"):
        raise TallyingError(f"rule kind must be 'budgeting' or 'single_winner', not {kind!r}")

    def decorator(func: RuleFunc) -> RuleFunc:
        info = RuleInfo(
            name=name,
            func=func,
            kind=kind,
            ballot_kinds=frozenset(ballot_kinds),
            title=dict(title or {"lt": name, "en": name}),
            description=dict(description or {"lt": "", "en": ""}),
            tie_breaking=dict(tie_breaking or {"lt": "", "en": ""}),
            pabutools_call=pabutools_call,
        )
        _add(info, replace=replace)
        func.rule_info = info  # type: ignore[attr-defined]
        return func

    return decorator


def _add(info: RuleInfo, *, replace: bool = False) -> None:
    existing = _RULES.get(info.name)
    if existing is not None and existing.func is not info.func and not replace:
        raise TallyingError(f"a rule named {info.name!r} is already registered")
    _RULES[info.name] = info


def _load_builtins() -> None:
    global _builtins_loaded
    if not _builtins_loaded:
        _builtins_loaded = True
        importlib.import_module("app.tallying.rules")


def _load_entry_points() -> None:
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            obj = ep.load()
        except Exception as exc:  # a broken plug-in must not break the built-in rules
            raise TallyingError(f"cannot load tallying rule plug-in {ep.name!r} ({ep.value}): {exc}") from exc
        if isinstance(obj, RuleInfo):
            _add(obj)
        elif callable(obj) and isinstance(getattr(obj, "rule_info", None), RuleInfo):
            _add(obj.rule_info)
        # a module registers its rules when imported: nothing else to do


def get_rule(name: str) -> RuleInfo:
    """Return the rule registered as ``name``; raise :class:`UnknownRule` otherwise."""
    _load_builtins()
    info = _RULES.get(name)
    if info is None:
        _load_entry_points()
        info = _RULES.get(name)
    if info is None:
        raise UnknownRule(name, list(_RULES))
    return info


def list_rules(kind: str | None = None) -> list[RuleInfo]:
    """All registered rules (built-in and plug-ins), optionally of one kind, by name."""
    _load_builtins()
    _load_entry_points()
    return [info for name, info in sorted(_RULES.items()) if kind is None or info.kind == kind]


def run(name: str, instance: Any, profile: Any, **kwargs: Any) -> Any:
    """Run the rule ``name``: ``run("mes_cost", instance, profile)``."""
    return get_rule(name)(instance, profile, **kwargs)
