"""The participatory-budgeting section of the printable pilot report: the winning projects."""
from __future__ import annotations

from sqlalchemy import select

from app.budgeting.models import RESULTS, PBIdea, PBPot, PBProcess, PBResult
from app.core.formatting import _money
from app.extensions import db
from app.i18n import _


def pb_winners(municipality, start, end, limit: int = 12):
    """Projects funded by the official count of processes whose results were published in the period."""
    results = db.session.execute(
        select(PBResult.outcome, PBProcess)
        .join(PBPot, PBPot.id == PBResult.pot_id).join(PBProcess, PBProcess.id == PBPot.process_id)
        .where(PBResult.municipality_id == municipality.id, PBResult.official.is_(True),
               PBResult.computed_at >= start, PBResult.computed_at < end)).all()
    ids = [int(pid) for outcome, process in results if process.phase() == RESULTS
           for pid in outcome.get("selected", []) if str(pid).isdigit()]
    if not ids:
        return _("Winning participatory-budgeting projects"), []
    rows = db.session.execute(
        select(PBIdea.title, PBIdea.final_cost).where(PBIdea.id.in_(ids), PBIdea.municipality_id == municipality.id)
        .order_by(PBIdea.final_cost.desc()).limit(limit)).all()
    return _("Winning participatory-budgeting projects"), [(title, _money(cost)) for title, cost in rows]


def register() -> None:
    from app.core.metrics import register_report_section

    register_report_section("budgeting.winners", pb_winners, order=30)
