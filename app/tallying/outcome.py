"""The result of a count (:class:`Outcome`), tie-breaking orders, and JSON helpers.

Numbers in ``Outcome.to_dict()``: an ``int`` stays an ``int``; a non-integral
``Fraction`` becomes ``{"exact": "123/7", "approx": 17.571428571428573}``, so
exactness is never lost (:func:`number_from_json` turns it back into a
``Fraction``) and a template can still show the approximation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .errors import TallyingError
from .model import Number

__all__ = ["Outcome", "TieBreaking", "jsonable", "number_from_json"]


def jsonable(value: Any) -> Any:
    """Convert an explanation value to JSON-serialisable data (see module docstring)."""
    if value is None or isinstance(value, (bool, str, int, float)):
        return value
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return value.numerator
        return {"exact": f"{value.numerator}/{value.denominator}", "approx": float(value)}
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return [jsonable(v) for v in items]
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return str(value)


def number_from_json(value: Any) -> Number:
    """Inverse of :func:`jsonable` for numbers: ``{"exact": "p/q", ...}`` -> ``Fraction``."""
    if isinstance(value, Mapping) and "exact" in value:
        return Fraction(value["exact"])
    if isinstance(value, str):
        return Fraction(value)
    if isinstance(value, int):
        return value
    raise TypeError(f"not an exact number: {value!r}")


class TieBreaking:
    """A strict priority order over project ids used when a rule meets a tie.

    The default (``TieBreaking.lexicographic()``, also used for ``None``) favours
    the id that comes first in plain string order, like pabutools:
    ``"10"`` before ``"9"``. ``TieBreaking.from_order(ids)`` favours the ids in
    the order given (ids not listed come after, in string order).
    """

    __slots__ = ("kind", "order")

    def __init__(self, kind: str = "lexicographic", order: Sequence[str] = ()) -> None:
        if kind not in ("lexicographic", "reverse_lexicographic", "order"):
            raise TallyingError(f"unknown tie-breaking {kind!r}")
        self.kind = kind
        self.order = tuple(order)

    @classmethod
    def lexicographic(cls) -> "TieBreaking":
        return cls("lexicographic")

    @classmethod
    def reverse_lexicographic(cls) -> "TieBreaking":
        return cls("reverse_lexicographic")

    @classmethod
    def from_order(cls, ids: Iterable[str]) -> "TieBreaking":
        ids = [str(i) for i in ids]
        if len(set(ids)) != len(ids):
            raise TallyingError("the tie-breaking order lists a project twice")
        return cls("order", ids)

    @classmethod
    def coerce(cls, value: "TieBreaking | Sequence[str] | str | None") -> "TieBreaking":
        """Accept ``None``, a name, an explicit sequence of ids or a ``TieBreaking``."""
        if value is None:
            return cls.lexicographic()
        if isinstance(value, TieBreaking):
            return value
        if isinstance(value, str):
            if value in ("lexicographic", "lexico", "default"):
                return cls.lexicographic()
            if value in ("reverse_lexicographic", "reverse"):
                return cls.reverse_lexicographic()
            raise TallyingError(f"unknown tie-breaking {value!r} (use 'lexicographic', 'reverse' or a list of ids)")
        return cls.from_order(value)

    def ranks(self, ids: Sequence[str]) -> dict[str, int]:
        """Map each id to its priority (0 = wins every tie)."""
        if self.kind == "lexicographic":
            ordered = sorted(ids)
        elif self.kind == "reverse_lexicographic":
            ordered = sorted(ids, reverse=True)
        else:
            listed = {pid: i for i, pid in enumerate(self.order)}
            ordered = sorted(ids, key=lambda pid: (0, listed[pid], "") if pid in listed else (1, 0, pid))
        return {pid: i for i, pid in enumerate(ordered)}

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        if self.kind == "order":
            data["order"] = list(self.order)
        return data

    def describe(self) -> dict[str, str]:
        """Plain-language description in Lithuanian and English."""
        if self.kind == "lexicographic":
            return {
                "lt": "Lygybės atveju pirmenybė teikiama projektui, kurio identifikatorius eina pirmesnis "
                "paprasta teksto tvarka (pvz., „10“ eina prieš „9“).",
                "en": "Ties are broken in favour of the project whose id comes first in plain text order "
                "(e.g. \"10\" before \"9\").",
            }
        if self.kind == "reverse_lexicographic":
            return {
                "lt": "Lygybės atveju pirmenybė teikiama projektui, kurio identifikatorius eina paskutinis teksto tvarka.",
                "en": "Ties are broken in favour of the project whose id comes last in plain text order.",
            }
        return {
            "lt": "Lygybės atveju pirmenybė teikiama projektui, esančiam aukščiau iš anksto paskelbtame sąraše.",
            "en": "Ties are broken in favour of the project listed earlier in a published priority list.",
        }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TieBreaking) and (self.kind, self.order) == (other.kind, other.order)

    def __repr__(self) -> str:
        return f"TieBreaking({self.kind!r}{', ' + repr(list(self.order)) if self.order else ''})"


@dataclass
class Outcome:
    """The result of one rule on one instance and profile.

    ``selected`` lists the winning project ids in the order the rule chose
    them; ``explanation`` is structured data documented in ``README.md``
    (per-project ``projects`` list, ``rounds`` and a rule-specific ``summary``).
    """

    rule: str
    selected: tuple[str, ...]
    cost: Number | None
    explanation: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    tie_breaking: TieBreaking = field(default_factory=TieBreaking.lexicographic)
    budget: Number | None = None
    ranking: tuple[str, ...] | None = None

    @property
    def selected_set(self) -> frozenset[str]:
        return frozenset(self.selected)

    def project(self, project_id: str) -> dict[str, Any]:
        """The explanation entry of one project (or candidate)."""
        for entry in self.explanation.get("projects", ()):
            if entry.get("project") == project_id:
                return entry
        raise KeyError(project_id)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form: ``{"rule", "selected", "cost", "explanation", ...}``."""
        data: dict[str, Any] = {
            "rule": self.rule,
            "selected": list(self.selected),
            "cost": jsonable(self.cost),
            "budget": jsonable(self.budget),
            "params": jsonable(self.params),
            "tie_breaking": self.tie_breaking.to_dict(),
            "explanation": jsonable(self.explanation),
        }
        if self.ranking is not None:
            data["ranking"] = list(self.ranking)
        return data
