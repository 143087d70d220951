"""Demo data: the five pilot municipalities of PRODUCT.md, people and content.

Each feature package adds a step to ``STEPS``; ``seed()`` runs them in order.
"""
from __future__ import annotations

from typing import Callable

from app.demo.base import DEMO_PASSWORD, seed_people_and_places

from app.demo.budgeting import seed_budgeting
from app.demo.consultations import seed_consultations
from app.demo.initiatives import seed_initiatives
from app.demo.pilot import seed_pilot

# Each step takes the context dict built so far and may add to it.
STEPS: list[Callable[[dict], None]] = [seed_initiatives, seed_budgeting, seed_pilot, seed_consultations]


def seed() -> dict:
    from app.extensions import db

    context = seed_people_and_places()
    for step in STEPS:
        step(context)
        db.session.commit()
    return {"password": DEMO_PASSWORD, "accounts": context["accounts"]}
