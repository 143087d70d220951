"""Demo data: the five pilot municipalities of PRODUCT.md, people and content.

Each feature package adds a step to ``STEPS``; ``seed()`` runs them in order.
"""
from __future__ import annotations

from typing import Callable

from app.demo.base import DEMO_PASSWORD, seed_people_and_places

# Each step takes the context dict built so far and may add to it.
STEPS: list[Callable[[dict], None]] = []

from app.demo.initiatives import seed_initiatives  # noqa: E402

STEPS.append(seed_initiatives)
from app.demo.budgeting import seed_budgeting  # noqa: E402

STEPS.append(seed_budgeting)
from app.demo.pilot import seed_pilot  # noqa: E402

STEPS.append(seed_pilot)


def seed() -> dict:
    from app.extensions import db

    context = seed_people_and_places()
    for step in STEPS:
        step(context)
        db.session.commit()
    return {"password": DEMO_PASSWORD, "accounts": context["accounts"]}

from app.demo.consultations import seed_consultations  # noqa: E402

STEPS.append(seed_consultations)
