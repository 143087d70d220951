"""The initiatives section of the printable pilot report: the most signed initiatives."""
from __future__ import annotations

from sqlalchemy import select

from app.core.metrics import register_report_section
from app.extensions import db
from app.i18n import _, ngettext
from app.initiatives.models import Initiative


def top_initiatives(municipality, start, end, limit: int = 5):
    """Public initiatives published in the period, most signed first."""
    rows = db.session.execute(
        select(Initiative.title, Initiative.signature_count)
        .where(Initiative.municipality_id == municipality.id, Initiative.hidden_at.is_(None),
               Initiative.published_at >= start, Initiative.published_at < end)
        .order_by(Initiative.signature_count.desc(), Initiative.id).limit(limit)).all()
    items = [(title, ngettext("%(num)d signature", "%(num)d signatures", count)) for title, count in rows]
    return _("Most signed civic initiatives"), items


def register() -> None:
    register_report_section("initiatives.top", top_initiatives, order=20)
