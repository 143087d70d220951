"""Talka tallying: exact, explained and recomputable counts.

A pure-Python package (no Flask, no SQLAlchemy, no third-party dependency)
that decides every count in Talka: participatory-budgeting outcomes,
consultation rankings and polls. Typical use::

    from app.tallying import Instance, Project, ApprovalProfile, run

    instance = Instance([Project("a", 60), Project("b", 50), Project("c", 40)], budget=100)
    profile = ApprovalProfile.from_ballots([{"a"}, {"a", "c"}, {"b"}, {"b", "c"}])
    outcome = run("mes_cost_add1", instance, profile)
    outcome.selected, outcome.cost, outcome.to_dict()["explanation"]

``read_pabulib`` / ``write_pabulib`` handle pabulib ``.pb`` files; ``list_rules``
lists the registered rules with their Lithuanian and English texts. The
explanation schema is documented in ``app/tallying/README.md``.
"""

from __future__ import annotations

from .errors import (
    EmptyProfile,
    IncompatibleBallots,
    InvalidBallot,
    InvalidInstance,
    InvalidProject,
    PabulibFormatError,
    TallyingError,
    UnknownProject,
    UnknownRule,
)
from .model import (
    ApprovalProfile,
    CumulativeProfile,
    Instance,
    Number,
    OrdinalProfile,
    Profile,
    Project,
    exact,
    single_choice_profile,
)
from .outcome import Outcome, TieBreaking, jsonable, number_from_json
from .pabulib import parse_pabulib_text, read_pabulib, write_pabulib
from .registry import ENTRY_POINT_GROUP, RuleInfo, get_rule, list_rules, register, run

__all__ = [
    "ApprovalProfile",
    "CumulativeProfile",
    "ENTRY_POINT_GROUP",
    "EmptyProfile",
    "IncompatibleBallots",
    "Instance",
    "InvalidBallot",
    "InvalidInstance",
    "InvalidProject",
    "Number",
    "OrdinalProfile",
    "Outcome",
    "PabulibFormatError",
    "Profile",
    "Project",
    "RuleInfo",
    "TallyingError",
    "TieBreaking",
    "UnknownProject",
    "UnknownRule",
    "exact",
    "get_rule",
    "jsonable",
    "list_rules",
    "number_from_json",
    "parse_pabulib_text",
    "read_pabulib",
    "register",
    "run",
    "single_choice_profile",
    "write_pabulib",
]
