"""Server-rendered SVG charts (no JavaScript, no inline styles)."""
from __future__ import annotations

from typing import Any

from app.budgeting.models import PBPot

ROW = 26
LABEL_W = 260
BAR_W = 300
GAP = 20


def results_chart(pot: PBPot, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Coordinates for a two-column bar chart: votes and cost per project, winners marked."""
    max_votes = max([int(r["votes"] or 0) for r in rows] + [1])
    max_cost = max([r["project"].final_cost or 0 for r in rows] + [1])
    bars = []
    spent = 0
    for i, row in enumerate(rows):
        cost = row["project"].final_cost or 0
        if row["selected"]:
            spent += cost
        bars.append({
            "y": 30 + i * ROW,
            "label": row["project"].title if len(row["project"].title) <= 38 else row["project"].title[:37] + "…",
            "votes": int(row["votes"] or 0),
            "cost": cost,
            "votes_w": round(BAR_W * int(row["votes"] or 0) / max_votes, 1),
            "cost_w": round(BAR_W * cost / max_cost, 1),
            "selected": row["selected"],
        })
    budget_w = BAR_W * 2 + GAP
    return {
        "bars": bars,
        "width": LABEL_W + 2 * BAR_W + GAP + 90,
        "height": 30 + len(rows) * ROW + 60,
        "label_w": LABEL_W,
        "bar_w": BAR_W,
        "cost_x": LABEL_W + BAR_W + GAP + 45,
        "money_y": 30 + len(rows) * ROW + 20,
        "spent_w": round(budget_w * spent / pot.budget, 1) if pot.budget else 0,
        "budget_w": budget_w,
        "spent": spent,
    }
