"""Read-only queries: the public list, the moderation queue, timelines, open data.

Every page costs a fixed number of queries whatever the number of initiatives.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from sqlalchemy import Engine, and_, case, event, func, or_, select
from sqlalchemy.orm import joinedload

from app.core.audit import AuditEvent
from app.core.models import utcnow
from app.core.pagination import Page, paginate
from app.extensions import db
from app.initiatives.models import (
    ANSWERED, COLLECTING, EXPIRED, PUBLISHED, REJECTED, SUBMITTED, THRESHOLD_REACHED, WITHDRAWN,
    Initiative, Signature,
)

SEARCH_MAX = 100


@event.listens_for(Engine, "connect")
def _sqlite_casefold(dbapi_connection, _record) -> None:
    """SQLite's lower() folds only ASCII; give it Python's, so "Š" finds "š" as on PostgreSQL."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("talka_casefold", 1, lambda s: s.lower() if isinstance(s, str) else s,
                                         deterministic=True)


def _fold(column):
    return func.talka_casefold(column) if db.engine.dialect.name == "sqlite" else func.lower(column)


def public_filter(municipality_id):
    return and_(Initiative.municipality_id == municipality_id, Initiative.hidden_at.is_(None),
                or_(Initiative.published_at.is_not(None), Initiative.status == REJECTED))


def _open_now(now):
    return and_(Initiative.status.in_(COLLECTING), Initiative.signature_deadline > now)


@dataclass
class ListArgs:
    status: str = ""
    category: int | None = None
    q: str = ""
    sort: str = "newest"
    page: int = 1


def public_list(municipality, args: ListArgs, per_page: int = 20) -> Page:
    """Filtered, searched, sorted page of public initiatives (two queries)."""
    now = utcnow()
    query = (select(Initiative).where(public_filter(municipality.id))
             .options(joinedload(Initiative.category)))
    if args.status == "open":
        query = query.where(_open_now(now))
    elif args.status == "expired":
        query = query.where(or_(Initiative.status == EXPIRED,
                                and_(Initiative.status == PUBLISHED, Initiative.signature_deadline <= now)))
    elif args.status in (THRESHOLD_REACHED, ANSWERED, REJECTED, WITHDRAWN):
        query = query.where(Initiative.status == args.status)
    if args.category:
        query = query.where(Initiative.category_id == args.category)
    if args.q:
        needle = "%" + args.q.strip()[:SEARCH_MAX].lower().replace("\\", "\\\\").replace("%", "\\%") \
            .replace("_", "\\_") + "%"
        query = query.where(or_(_fold(Initiative.title).like(needle, escape="\\"),
                                _fold(Initiative.summary).like(needle, escape="\\")))
    if args.sort == "signed":
        query = query.order_by(Initiative.signature_count.desc(), Initiative.id.desc())
    elif args.sort == "closing":
        # Open collections first, the nearest deadline first; then the rest, newest first.
        query = query.order_by(case((_open_now(now), 0), else_=1), Initiative.signature_deadline.asc(),
                               Initiative.id.desc())
    else:
        query = query.order_by(func.coalesce(Initiative.published_at, Initiative.decided_at).desc(),
                               Initiative.id.desc())
    return paginate(query, per_page=per_page, page=args.page)


def mine(municipality, user) -> list[Initiative]:
    return list(db.session.execute(
        select(Initiative).where(Initiative.municipality_id == municipality.id, Initiative.author_id == user.id)
        .order_by(Initiative.created_at.desc())).scalars())


def moderation_queue(municipality) -> list[Initiative]:
    """Submissions waiting for a decision, oldest first."""
    return list(db.session.execute(
        select(Initiative).options(joinedload(Initiative.author))
        .where(Initiative.municipality_id == municipality.id, Initiative.status == SUBMITTED)
        .order_by(Initiative.submitted_at.asc(), Initiative.id)).scalars())


def awaiting_response(municipality) -> list[Initiative]:
    """Initiatives over the threshold without an official response, longest waiting first."""
    return list(db.session.execute(
        select(Initiative)
        .where(Initiative.municipality_id == municipality.id, Initiative.status == THRESHOLD_REACHED,
               Initiative.hidden_at.is_(None))
        .order_by(Initiative.threshold_reached_at.asc())).scalars())


def timeline(initiative: Initiative, private: bool) -> list[AuditEvent]:
    """The initiative's audit events; ``private`` adds the non-public ones (author, moderators)."""
    query = (select(AuditEvent)
             .where(AuditEvent.municipality_id == initiative.municipality_id,
                    AuditEvent.object_type == "Initiative", AuditEvent.object_id == initiative.id)
             .order_by(AuditEvent.created_at, AuditEvent.id))
    if not private:
        query = query.where(AuditEvent.public.is_(True))
    return list(db.session.execute(query).unique().scalars())


def public_signers(initiative: Initiative, limit: int = 200) -> list[str]:
    """Names of signers who chose to show them, newest first."""
    from app.accounts.models import User

    return list(db.session.execute(
        select(User.name).join(Signature, Signature.user_id == User.id)
        .where(Signature.initiative_id == initiative.id, Signature.show_name.is_(True))
        .order_by(Signature.created_at.desc()).limit(limit)).scalars())


def public_counts(municipality_ids: list[int]) -> dict[int, int]:
    """Home-page figure: public initiatives per municipality, one query."""
    rows = db.session.execute(
        select(Initiative.municipality_id, func.count(Initiative.id))
        .where(Initiative.municipality_id.in_(municipality_ids), Initiative.hidden_at.is_(None),
               or_(Initiative.published_at.is_not(None), Initiative.status == REJECTED))
        .group_by(Initiative.municipality_id)).all()
    return dict(rows)


def open_data(municipality) -> list[dict]:
    """Every public initiative with status, dates and counts; signers only if they chose to be shown."""
    from app.accounts.models import User

    now = utcnow()
    initiatives = db.session.execute(
        select(Initiative).options(joinedload(Initiative.category), joinedload(Initiative.author))
        .where(public_filter(municipality.id)).order_by(Initiative.id)).unique().scalars().all()
    shown: dict[int, list[str]] = {}
    for initiative_id, name in db.session.execute(
            select(Signature.initiative_id, User.name).join(User, User.id == Signature.user_id)
            .join(Initiative, Initiative.id == Signature.initiative_id)
            .where(public_filter(municipality.id), Signature.show_name.is_(True))
            .order_by(Signature.initiative_id, Signature.created_at)):
        shown.setdefault(initiative_id, []).append(name)

    def iso(value):
        return value.isoformat() if value else None

    rows = []
    for i in initiatives:
        rows.append({
            "id": i.id, "title": i.title, "summary": i.summary, "language": i.language,
            "author": i.author.name, "status": i.effective_status(now),
            "category_lt": i.category.name_lt if i.category else None,
            "category_en": i.category.name_en if i.category else None,
            "location": i.location,
            "submitted_at": iso(i.submitted_at), "published_at": iso(i.published_at),
            "decided_at": iso(i.decided_at), "signature_deadline": iso(i.signature_deadline),
            "threshold_reached_at": iso(i.threshold_reached_at), "answered_at": iso(i.answered_at),
            "closed_at": iso(i.closed_at),
            "required_signatures": i.required_signatures, "signature_count": i.signature_count,
            "rejection_reason": i.rejection_reason, "response_decision": i.response_decision,
            "signers_shown": shown.get(i.id, []),
        })
    return rows
