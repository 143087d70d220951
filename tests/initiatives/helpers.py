"""Small builders for initiative tests (in any state, without going through the web)."""
from __future__ import annotations

from datetime import timedelta

from app.core.models import utcnow
from app.extensions import db
from app.initiatives.models import Category, Initiative, Signature


def category(m, name_lt="Keliai", name_en="Roads") -> Category:
    c = Category(municipality_id=m.id, name_lt=name_lt, name_en=name_en, position=10)
    db.session.add(c)
    db.session.commit()
    return c


def initiative(m, author, status="published", *, title="Apšviesti taką prie mokyklos",
               summary="Takas tamsus, vaikai eina pro mišką.", body="Prašome **apšviesti** taką.",
               required=3, days_left=30, count=0, category_id=None, **extra) -> Initiative:
    now = utcnow()
    values = dict(municipality_id=m.id, author_id=author.id, title=title, summary=summary, body=body,
                  status=status, language="lt", category_id=category_id, signature_count=count)
    if status not in ("draft",):
        values["submitted_at"] = now - timedelta(days=40)
    if status in ("published", "threshold_reached", "answered", "expired"):
        values.update(published_at=now - timedelta(days=35), decided_at=now - timedelta(days=35),
                      required_signatures=required, signature_deadline=now + timedelta(days=days_left))
    if status in ("threshold_reached", "answered"):
        values["threshold_reached_at"] = now - timedelta(days=5)
    if status == "answered":
        values.update(answered_at=now - timedelta(days=1), response_decision="accepted",
                      response_text="Savivaldybė pritaria.")
    if status == "rejected":
        values.update(decided_at=now - timedelta(days=38), rejection_reason="Ne savivaldybės kompetencija.",
                      closed_at=now - timedelta(days=38))
    values.update(extra)
    i = Initiative(**values)
    db.session.add(i)
    db.session.commit()
    return i


def add_signatures(i, users, show_name=False) -> None:
    for u in users:
        db.session.add(Signature(initiative_id=i.id, user_id=u.id, municipality_id=i.municipality_id,
                                 show_name=show_name))
    i.signature_count += len(users)
    db.session.commit()
