"""Small registries through which feature packages plug into shared pages.

A feature adds a navigation entry for the municipality menu and, optionally, a
live figure for the home page, without the shared templates naming it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Any  # a lazy translated string
    order: int = 50
    role: str | None = None  # show only to users with this role in the municipality


@dataclass(frozen=True)
class HomeFigure:
    key: str
    # Takes a list of municipality ids and returns {municipality_id: count} in one query.
    counts: Callable[[list[int]], dict[int, int]]
    # A callable n -> translated, pluralised label ("3 initiatives").
    label: Callable[[int], str]
    order: int = 50


NAV_ITEMS: list[NavItem] = []
HOME_FIGURES: list[HomeFigure] = []


def register_nav(endpoint: str, label: Any, order: int = 50, role: str | None = None) -> None:
    if all(item.endpoint != endpoint for item in NAV_ITEMS):
        NAV_ITEMS.append(NavItem(endpoint, label, order, role))
        NAV_ITEMS.sort(key=lambda item: item.order)


def register_home_figure(figure: HomeFigure) -> None:
    if all(f.key != figure.key for f in HOME_FIGURES):
        HOME_FIGURES.append(figure)
        HOME_FIGURES.sort(key=lambda f: f.order)
