"""Posting comments, flagging, hiding, and the moderation queue of flagged items."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.core.audit import record
from app.core.models import utcnow
from app.core.security import MODERATOR
from app.discussion.models import COMMENT, Comment, Flag
from app.discussion.registry import TargetType, get_target
from app.extensions import db
from app.i18n import _


class DiscussionError(Exception):
    """A refused action, with a translated message and the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def load_target(municipality, target_type: str, target_id: int) -> tuple[TargetType | None, Any]:
    """The registered type and the object (scoped to ``municipality``), or (None, None)."""
    if target_type == COMMENT:
        comment = db.session.execute(
            select(Comment).where(Comment.id == target_id, Comment.municipality_id == municipality.id)
        ).scalar_one_or_none()
        return (COMMENT_TARGET if comment is not None else None), comment
    target = get_target(target_type)
    if target is None:
        return None, None
    obj = target.load(municipality, target_id)
    return (target, obj) if obj is not None else (None, None)


def comment_parent_target(municipality, comment: Comment) -> tuple[TargetType | None, Any]:
    return load_target(municipality, comment.target_type, comment.target_id)


def _comment_url(comment: Comment) -> str:
    from flask import g

    target, obj = comment_parent_target(g.municipality, comment)
    base = target.url(obj) if target is not None else "/"
    return f"{base}#comment-{comment.id}"


def _hide_comment(comment: Comment, moderator, reason: str) -> None:
    comment.hidden_at = utcnow()
    comment.hidden_by_id = moderator.id
    comment.hidden_reason = reason


COMMENT_TARGET = TargetType(
    name=COMMENT, label=None, load=lambda m, i: None, url=_comment_url,
    title=lambda c: c.title, comment_refusal=lambda c, u: None,
    hide=_hide_comment, is_hidden=lambda c: c.hidden_at is not None,
)


def post_comment(municipality, user, target_type: str, target_id: int, body: str,
                 parent_id: int | None = None) -> Comment:
    """Add a comment (or a reply to a top-level comment) after checking who may write."""
    target, obj = load_target(municipality, target_type, target_id)
    if target is None or target_type == COMMENT:
        raise DiscussionError(_("There is nothing to comment on at this address."), 404)
    refusal = target.comment_refusal(obj, user)
    if refusal:
        raise DiscussionError(refusal, 403)
    if not (user.is_resident_of(municipality) or user.has_role(municipality, MODERATOR)):
        raise DiscussionError(
            _("Only confirmed residents of this municipality can comment here."), 403)
    parent = None
    if parent_id:
        parent = db.session.execute(
            select(Comment).where(Comment.id == parent_id, Comment.municipality_id == municipality.id,
                                  Comment.target_type == target_type, Comment.target_id == target_id)
        ).scalar_one_or_none()
        if parent is None:
            raise DiscussionError(_("The comment you replied to does not exist."), 404)
        # One level of replies: a reply to a reply joins the same top-level comment.
        if parent.parent_id is not None:
            parent = db.session.get(Comment, parent.parent_id)
    comment = Comment(municipality_id=municipality.id, target_type=target_type, target_id=target_id,
                      author_id=user.id, parent_id=parent.id if parent else None, body=body.strip())
    db.session.add(comment)
    db.session.commit()
    return comment


def flag(municipality, user, target_type: str, target_id: int, reason: str) -> Flag:
    """Report an item to the moderators; one flag per person per item (409 on a second)."""
    target, obj = load_target(municipality, target_type, target_id)
    if target is None:
        raise DiscussionError(_("There is nothing to report at this address."), 404)
    if target.is_hidden(obj):
        raise DiscussionError(_("A moderator has already hidden this."), 409)
    item = Flag(municipality_id=municipality.id, target_type=target_type, target_id=target_id,
                user_id=user.id, reason=reason.strip())
    db.session.add(item)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise DiscussionError(_("You have already reported this; a moderator will look at it."), 409) from None
    return item


def hide(municipality, moderator, target_type: str, target_id: int, reason: str) -> Any:
    """Hide a comment or another registered item, resolve its flags and log it publicly."""
    target, obj = load_target(municipality, target_type, target_id)
    if target is None or target.hide is None:
        raise DiscussionError(_("There is nothing to hide at this address."), 404)
    if target.is_hidden(obj):
        raise DiscussionError(_("A moderator has already hidden this."), 409)
    target.hide(obj, moderator, reason.strip())
    _resolve_flags(municipality, moderator, target_type, target_id, "hidden")
    record("discussion.hidden", actor=moderator, municipality=municipality, obj=obj,
           label=target.title(obj), reason=reason.strip(), public=True, target_type=target_type)
    db.session.commit()
    return obj


def dismiss_flags(municipality, moderator, target_type: str, target_id: int) -> int:
    """Close the open flags of an item that needs no action; returns how many."""
    target, obj = load_target(municipality, target_type, target_id)
    if target is None:
        raise DiscussionError(_("There is nothing at this address."), 404)
    count = _resolve_flags(municipality, moderator, target_type, target_id, "dismissed")
    if count:
        record("discussion.flags_dismissed", actor=moderator, municipality=municipality, obj=obj,
               label=target.title(obj), public=False, target_type=target_type, flags=count)
    db.session.commit()
    return count


def _resolve_flags(municipality, moderator, target_type: str, target_id: int, resolution: str) -> int:
    result = db.session.execute(
        update(Flag)
        .where(Flag.municipality_id == municipality.id, Flag.target_type == target_type,
               Flag.target_id == target_id, Flag.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolved_by_id=moderator.id, resolution=resolution)
    )
    return result.rowcount or 0


@dataclass
class QueueItem:
    target_type: str
    target_id: int
    flags: int
    first_flagged_at: Any
    reasons: list[str] = field(default_factory=list)
    title: str = ""
    url: str = "/"
    label: Any = None
    obj: Any = None


def flag_queue(municipality, limit: int = 100) -> list[QueueItem]:
    """Open flags grouped by item, oldest first (two queries plus one per target type)."""
    rows = db.session.execute(
        select(Flag.target_type, Flag.target_id, func.count(Flag.id), func.min(Flag.created_at))
        .where(Flag.municipality_id == municipality.id, Flag.resolved_at.is_(None))
        .group_by(Flag.target_type, Flag.target_id)
        .order_by(func.min(Flag.created_at))
        .limit(limit)
    ).all()
    items = [QueueItem(t, i, n, first) for t, i, n, first in rows]
    if not items:
        return []
    reasons = db.session.execute(
        select(Flag.target_type, Flag.target_id, Flag.reason)
        .where(Flag.municipality_id == municipality.id, Flag.resolved_at.is_(None))
        .order_by(Flag.created_at)
    ).all()
    by_key = {(item.target_type, item.target_id): item for item in items}
    for t, i, reason in reasons:
        if (t, i) in by_key:
            by_key[(t, i)].reasons.append(reason)
    for item in items:
        target, obj = load_target(municipality, item.target_type, item.target_id)
        if target is not None:
            item.obj, item.title, item.url = obj, target.title(obj), target.url(obj)
            item.label = target.label
    return items


def open_flag_count(municipality) -> int:
    return db.session.execute(
        select(func.count(Flag.id)).where(Flag.municipality_id == municipality.id, Flag.resolved_at.is_(None))
    ).scalar_one()


@dataclass
class Thread:
    target_type: str
    target_id: int
    comments: list[Comment]
    replies: dict[int, list[Comment]]
    count: int
    next_url: str
    can_comment: bool
    refusal: str | None
    is_moderator: bool
    flagged_by_me: set[int]


def thread_context(municipality, target_type: str, obj: Any, user, next_url: str) -> Thread:
    """Everything ``discussion/thread.html`` needs, in two queries whatever the size."""
    target = get_target(target_type)
    comments = db.session.execute(
        select(Comment)
        .where(Comment.municipality_id == municipality.id, Comment.target_type == target_type,
               Comment.target_id == obj.id)
        .order_by(Comment.created_at, Comment.id)
    ).unique().scalars().all()
    top = [c for c in comments if c.parent_id is None]
    replies: dict[int, list[Comment]] = {}
    for c in comments:
        if c.parent_id is not None:
            replies.setdefault(c.parent_id, []).append(c)
    signed_in = bool(user is not None and user.is_authenticated)
    refusal = None
    if not signed_in:
        refusal = _("Sign in to comment.")
    else:
        refusal = target.comment_refusal(obj, user) if target else None
        if refusal is None and not (user.is_resident_of(municipality) or user.has_role(municipality, MODERATOR)):
            refusal = _("Only confirmed residents of this municipality can comment here.")
    flagged: set[int] = set()
    if signed_in and comments:
        flagged = set(db.session.execute(
            select(Flag.target_id).where(Flag.user_id == user.id, Flag.target_type == COMMENT,
                                         Flag.target_id.in_([c.id for c in comments]))
        ).scalars())
    return Thread(target_type=target_type, target_id=obj.id, comments=top, replies=replies,
                  count=len(comments), next_url=next_url, can_comment=refusal is None, refusal=refusal,
                  is_moderator=signed_in and user.has_role(municipality, MODERATOR),
                  flagged_by_me=flagged)
