"""Comments and flags on any target (``target_type`` + ``target_id``)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import MunicipalityScoped, UTCDateTime, utcnow
from app.extensions import db

COMMENT = "comment"


class Comment(MunicipalityScoped, db.Model):
    """A comment on a target, or a reply to a top-level comment (one level only)."""

    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_target", "target_type", "target_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int] = mapped_column()
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hidden_reason: Mapped[str | None] = mapped_column(Text)

    author = relationship("User", foreign_keys=[author_id], lazy="joined")

    @property
    def title(self) -> str:
        """A short label for the audit log and the moderation queue."""
        text = " ".join(self.body.split())
        return text[:80] + ("…" if len(text) > 80 else "")


class Flag(MunicipalityScoped, db.Model):
    """Someone signed in reports an item; a moderator hides it or dismisses the flag."""

    __tablename__ = "flags"
    # One flag per person per item: a second one would only inflate the queue.
    __table_args__ = (
        UniqueConstraint("target_type", "target_id", "user_id", name="uq_flags_target_user"),
        Index("ix_flags_open", "municipality_id", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int] = mapped_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # "hidden" or "dismissed"
    resolution: Mapped[str | None] = mapped_column(String(20))

    user = relationship("User", foreign_keys=[user_id])
