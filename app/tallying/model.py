"""Projects, instances, ballots and profiles.

Money and points are exact: ``int`` or :class:`fractions.Fraction`, never
``float``. A profile stores identical ballots once with a count, so a city
election with 100,000 ballots but only a few thousand distinct ones stays
small and fast to count.

Ballot kinds (``Profile.kind``):

* ``"approval"``: a set of project ids (``choose-1`` / single-choice ballots are
  approval ballots with one project, as in pabutools);
* ``"cumulative"``: points given to projects (``{"p1": 3, "p2": 7}``);
* ``"ordinal"``: a ranking of project ids, best first.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar, Union

from .errors import (
    EmptyProfile,
    InvalidBallot,
    InvalidInstance,
    InvalidProject,
    UnknownProject,
)

__all__ = [
    "Number",
    "exact",
    "Project",
    "Instance",
    "Profile",
    "ApprovalProfile",
    "CumulativeProfile",
    "OrdinalProfile",
    "single_choice_profile",
]

Number = Union[int, Fraction]


def _normalise(value: Fraction) -> Number:
    """Return an ``int`` when the fraction is whole (faster arithmetic)."""
    if value.denominator == 1:
        return value.numerator
    return value


def exact(value: Any, *, what: str = "number") -> Number:
    """Convert ``value`` to an exact number (``int`` or ``Fraction``).

    Accepts ints, Fractions, Decimals, and strings such as ``"250000"``,
    ``"250000.0"``, ``"1,5"`` (decimal comma, as pabutools accepts), ``"1/3"`` or
    ``"1e6"``. A ``float`` is read through its shortest decimal representation
    (``0.1`` becomes ``1/10``), which is what a person typing it meant.
    """
    if isinstance(value, bool):
        raise InvalidInstance(f"{what} must be a number, not {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        return _normalise(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise InvalidInstance(f"{what} must be a finite number, not {value!r}")
        return _normalise(Fraction(repr(value)))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidInstance(f"{what} must be a finite number, not {value!r}")
        return _normalise(Fraction(value))
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            return _normalise(Fraction(text))
        except (ValueError, ZeroDivisionError):
            raise InvalidInstance(f"{what} {value!r} is not a number") from None
    try:
        return _normalise(Fraction(value))
    except (TypeError, ValueError):
        raise InvalidInstance(f"{what} {value!r} is not a number") from None


@dataclass(frozen=True)
class Project:
    """A project (or, for consultations, a candidate).

    ``id`` is a string compared as a string (``"10" < "9"``). ``cost`` must be
    positive; candidates of a single-winner vote may leave it as ``None``.
    """

    id: str
    cost: Number | None = None
    name: str = ""
    categories: frozenset[str] = frozenset()
    targets: frozenset[str] = frozenset()
    meta: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise InvalidProject(f"project id must be a non-empty string, got {self.id!r}")
        if self.id != self.id.strip():
            object.__setattr__(self, "id", self.id.strip())
        if self.cost is not None:
            cost = exact(self.cost, what=f"cost of project {self.id!r}")
            if cost <= 0:
                raise InvalidProject(f"cost of project {self.id!r} must be positive, got {cost}")
            object.__setattr__(self, "cost", cost)
        if not isinstance(self.categories, frozenset):
            object.__setattr__(self, "categories", frozenset(self.categories))
        if not isinstance(self.targets, frozenset):
            object.__setattr__(self, "targets", frozenset(self.targets))


class Instance:
    """A budget and the projects competing for it (order is kept as given).

    For single-winner votes the budget may be ``None`` and costs may be
    missing; budgeting rules check that both are present and positive.
    """

    __slots__ = ("budget", "projects", "_by_id", "meta")

    def __init__(
        self,
        projects: Iterable[Project],
        budget: Any = None,
        meta: Mapping[str, str] | None = None,
    ) -> None:
        self.projects: tuple[Project, ...] = tuple(projects)
        self._by_id: dict[str, Project] = {}
        for p in self.projects:
            if not isinstance(p, Project):
                raise InvalidInstance(f"expected a Project, got {p!r}")
            if p.id in self._by_id:
                raise InvalidInstance(f"project id {p.id!r} appears twice")
            self._by_id[p.id] = p
        if budget is not None:
            budget = exact(budget, what="budget")
            if budget <= 0:
                raise InvalidInstance(f"budget must be positive, got {budget}")
        self.budget: Number | None = budget
        self.meta: dict[str, str] = dict(meta or {})

    @classmethod
    def candidates(cls, ids: Iterable[str | Project]) -> "Instance":
        """An instance of candidates for a single-winner vote (no budget, no cost)."""
        return cls(p if isinstance(p, Project) else Project(str(p)) for p in ids)

    def __iter__(self) -> Iterator[Project]:
        return iter(self.projects)

    def __len__(self) -> int:
        return len(self.projects)

    def __contains__(self, project_id: object) -> bool:
        return project_id in self._by_id

    def __getitem__(self, project_id: str) -> Project:
        try:
            return self._by_id[project_id]
        except KeyError:
            raise UnknownProject(project_id) from None

    def get(self, project_id: str) -> Project | None:
        return self._by_id.get(project_id)

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.projects]

    def cost_of(self, ids: Iterable[str]) -> Number:
        """Total cost of the given project ids."""
        return sum((self[i].cost or 0 for i in ids), 0)

    def require_budgeting(self) -> None:
        """Raise unless the instance has a positive budget and every project a positive cost."""
        if self.budget is None:
            raise InvalidInstance("this rule needs a budget, but the instance has none")
        if not self.projects:
            raise InvalidInstance("the instance has no projects")
        for p in self.projects:
            if p.cost is None:
                raise InvalidProject(f"project {p.id!r} has no cost")

    def __repr__(self) -> str:
        return f"Instance(budget={self.budget}, projects={len(self.projects)})"


# ---------------------------------------------------------------------------
# Profiles
# ---------------------------------------------------------------------------


class Profile(ABC):
    """A multiset of ballots of one kind: ``{ballot: count}``.

    Ballots are stored in a canonical, hashable form (see the subclasses), so
    that identical ballots share one entry. ``len(profile)`` is the number of
    ballots (voters), empty ballots included: Equal Shares divides the budget
    by it.
    """

    kind: ClassVar[str] = ""

    __slots__ = ("_counts", "_total", "meta", "vote_type", "max_points")

    def __init__(self) -> None:
        self._counts: dict[Any, int] = {}
        self._total = 0
        self.meta: dict[str, str] = {}
        self.vote_type: str = self.kind
        self.max_points: Number | None = None

    # -- construction -----------------------------------------------------
    @classmethod
    def from_ballots(cls, ballots: Iterable[Any], **kwargs: Any) -> "Profile":
        """Build a profile from an iterable of ballots (one per voter)."""
        profile = cls(**kwargs)
        for ballot in ballots:
            profile.add(ballot)
        return profile

    @classmethod
    def from_counts(cls, counts: Mapping[Any, int] | Iterable[tuple[Any, int]], **kwargs: Any) -> "Profile":
        """Build a profile from ``{ballot: count}`` (or ``(ballot, count)`` pairs)."""
        profile = cls(**kwargs)
        items = counts.items() if isinstance(counts, Mapping) else counts
        for ballot, count in items:
            profile.add(ballot, count)
        return profile

    @abstractmethod
    def canonical(self, ballot: Any) -> Any:
        """The hashable, validated form of ``ballot`` that the profile counts."""

    def add(self, ballot: Any, count: int = 1) -> None:
        """Add ``count`` copies of ``ballot``."""
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise InvalidBallot(f"ballot count must be a non-negative integer, got {count!r}")
        if count == 0:
            return
        key = self.canonical(ballot)
        self._add_canonical(key, count)

    def _add_canonical(self, key: Any, count: int) -> None:
        counts = self._counts
        counts[key] = counts.get(key, 0) + count
        self._total += count

    # -- access ------------------------------------------------------------
    def __len__(self) -> int:
        return self._total

    @property
    def num_ballots(self) -> int:
        return self._total

    def items(self) -> Iterable[tuple[Any, int]]:
        """Distinct ballots with their counts, in insertion order."""
        return self._counts.items()

    def ballots(self) -> Iterable[Any]:
        """Distinct ballots, in insertion order (as ``items()``, without the counts)."""
        return self._counts.keys()

    def counts(self) -> Iterable[int]:
        """How many times each distinct ballot was cast, in the order of ``ballots()``."""
        return self._counts.values()

    def distinct(self) -> int:
        """Number of distinct ballots."""
        return len(self._counts)

    def __iter__(self) -> Iterator[Any]:
        """Every ballot, repeated as many times as it was cast."""
        for ballot, count in self._counts.items():
            for _ in range(count):
                yield ballot

    @abstractmethod
    def project_ids(self) -> set[str]:
        """Every project id named by some ballot."""

    def validate(self, instance: Instance) -> None:
        """Raise :class:`UnknownProject` if a ballot names a project not in ``instance``."""
        known = instance._by_id
        for pid in self.project_ids():
            if pid not in known:
                raise UnknownProject(pid)

    def require_nonempty(self) -> None:
        if self._total == 0:
            raise EmptyProfile("the profile has no ballots to count")

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._counts == other._counts  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(ballots={self._total}, distinct={len(self._counts)})"


def _check_id(pid: Any) -> str:
    if not isinstance(pid, str):
        pid = str(pid)
    pid = pid.strip()
    if not pid:
        raise InvalidBallot("a ballot contains an empty project id")
    return pid


class ApprovalProfile(Profile):
    """Approval ballots: each ballot is a set of project ids (stored as a sorted tuple)."""

    kind = "approval"
    __slots__ = ()

    def canonical(self, ballot: Any) -> tuple[str, ...]:
        if isinstance(ballot, str):
            # a bare string is one choice, not a set of characters
            return (_check_id(ballot),)
        try:
            return tuple(sorted({_check_id(p) for p in ballot}))
        except TypeError:
            raise InvalidBallot(f"an approval ballot must be a set of project ids, got {ballot!r}") from None

    def project_ids(self) -> set[str]:
        ids: set[str] = set()
        for ballot in self._counts:
            ids.update(ballot)
        return ids

    @classmethod
    def from_single_choices(cls, choices: Iterable[str | None]) -> "ApprovalProfile":
        """Single-choice (``choose-1``) ballots: one project id per voter, ``None`` for a blank ballot."""
        profile = cls()
        profile.vote_type = "choose-1"
        for choice in choices:
            profile.add(() if choice is None else (choice,))
        return profile


def single_choice_profile(choices: Iterable[str | None]) -> ApprovalProfile:
    """Shortcut for :meth:`ApprovalProfile.from_single_choices`."""
    return ApprovalProfile.from_single_choices(choices)


class CumulativeProfile(Profile):
    """Cumulative (points) ballots: ``{project_id: points}``.

    ``max_points`` (optional) is the most points one ballot may give in total;
    a ballot over it is rejected. Stored as a tuple of ``(id, points)`` sorted
    by id; entries with zero points are kept (they support nothing).
    """

    kind = "cumulative"
    __slots__ = ()

    def __init__(self, max_points: Any = None) -> None:
        super().__init__()
        if max_points is not None:
            max_points = exact(max_points, what="max_points")
            if max_points <= 0:
                raise InvalidBallot(f"max_points must be positive, got {max_points}")
        self.max_points = max_points

    def canonical(self, ballot: Any) -> tuple[tuple[str, Number], ...]:
        if isinstance(ballot, Mapping):
            pairs = list(ballot.items())
        else:
            try:
                pairs = list(ballot)
            except TypeError:
                raise InvalidBallot(f"a cumulative ballot must map project ids to points, got {ballot!r}") from None
        points: dict[str, Number] = {}
        for item in pairs:
            try:
                pid, value = item
            except (TypeError, ValueError):
                raise InvalidBallot(f"a cumulative ballot must map project ids to points, got {ballot!r}") from None
            pid = _check_id(pid)
            try:
                value = exact(value, what=f"points for {pid!r}")
            except InvalidInstance as exc:
                raise InvalidBallot(str(exc)) from None
            if value < 0:
                raise InvalidBallot(f"points for {pid!r} must not be negative, got {value}")
            if pid in points:
                raise InvalidBallot(f"a cumulative ballot gives points to {pid!r} twice")
            points[pid] = value
        total = sum(points.values(), 0)
        if self.max_points is not None and total > self.max_points:
            raise InvalidBallot(f"ballot gives {total} points, more than the limit of {self.max_points}")
        return tuple(sorted(points.items()))

    def project_ids(self) -> set[str]:
        ids: set[str] = set()
        for ballot in self._counts:
            ids.update(p for p, _ in ballot)
        return ids


class OrdinalProfile(Profile):
    """Ranked ballots: a sequence of project ids, best first (repeats are ignored)."""

    kind = "ordinal"
    __slots__ = ()

    def canonical(self, ballot: Any) -> tuple[str, ...]:
        if isinstance(ballot, str):
            return (_check_id(ballot),)
        if not isinstance(ballot, Sequence):
            if isinstance(ballot, (set, frozenset)):
                raise InvalidBallot("a ranked ballot must be ordered (a list or tuple), not a set")
            try:
                ballot = list(ballot)
            except TypeError:
                raise InvalidBallot(f"a ranked ballot must be a list of project ids, got {ballot!r}") from None
        # dict keeps the first position of a repeated id, like pabutools
        return tuple(dict.fromkeys(_check_id(p) for p in ballot))

    def project_ids(self) -> set[str]:
        ids: set[str] = set()
        for ballot in self._counts:
            ids.update(ballot)
        return ids
