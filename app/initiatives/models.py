"""Initiatives, their versions, categories and signatures.

The threshold in force is copied onto the initiative when a moderator approves it
(``required_signatures``): changing the municipality's settings later never moves the
goal of a collection that is already running. ``signature_count`` is a denormalised
counter changed only by ``UPDATE … SET signature_count = signature_count ± 1`` in the
same transaction as the signature row, so it always equals the number of rows.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import MunicipalityScoped, TimestampMixin, UTCDateTime, utcnow
from app.extensions import db

DRAFT = "draft"
SUBMITTED = "submitted"
CHANGES_REQUESTED = "changes_requested"
PUBLISHED = "published"
THRESHOLD_REACHED = "threshold_reached"
ANSWERED = "answered"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
EXPIRED = "expired"
STATUSES = (DRAFT, SUBMITTED, CHANGES_REQUESTED, PUBLISHED, THRESHOLD_REACHED, ANSWERED,
            REJECTED, WITHDRAWN, EXPIRED)
# Signatures can be given or withdrawn in these states, before the deadline.
COLLECTING = (PUBLISHED, THRESHOLD_REACHED)
EDITABLE = (DRAFT, CHANGES_REQUESTED)

DECISIONS = ("accepted", "partly_accepted", "not_accepted", "referred_to_council")


class Category(MunicipalityScoped, db.Model):
    """A topic for initiatives, configured per municipality by its administrators."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_lt: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Initiative(MunicipalityScoped, TimestampMixin, db.Model):
    __tablename__ = "initiatives"
    __table_args__ = (
        CheckConstraint("signature_count >= 0", name="signature_count_not_negative"),
        Index("ix_initiatives_list", "municipality_id", "status", "published_at"),
        Index("ix_initiatives_signed", "municipality_id", "signature_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), index=True)
    # Written by a resident in one language and kept as written (never machine-translated).
    language: Mapped[str] = mapped_column(String(5), default="lt")
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(600))
    body: Mapped[str] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(300))
    links: Mapped[str | None] = mapped_column(Text)  # one URL a line
    status: Mapped[str] = mapped_column(String(20), default=DRAFT, index=True)
    version: Mapped[int] = mapped_column(default=1)

    signature_count: Mapped[int] = mapped_column(default=0)
    required_signatures: Mapped[int | None] = mapped_column()
    signature_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())

    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())   # first submission
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())     # first approve/reject
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    threshold_reached_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())      # rejected/withdrawn/expired

    moderator_message: Mapped[str | None] = mapped_column(Text)  # changes asked of the author
    rejection_reason: Mapped[str | None] = mapped_column(Text)   # public

    response_decision: Mapped[str | None] = mapped_column(String(30))
    response_text: Mapped[str | None] = mapped_column(Text)
    responder_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    author = relationship("User", foreign_keys=[author_id])
    category = relationship("Category")
    municipality = relationship("Municipality")

    @property
    def is_public(self) -> bool:
        """Visible to everyone: once published (whatever happened next) or rejected."""
        return self.hidden_at is None and (self.published_at is not None or self.status == REJECTED)

    def collection_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return (self.status in COLLECTING and self.hidden_at is None
                and self.signature_deadline is not None and now < self.signature_deadline)

    def effective_status(self, now: datetime | None = None) -> str:
        """Published past its deadline reads as expired until the nightly job records it."""
        now = now or utcnow()
        if self.status == PUBLISHED and self.signature_deadline is not None and now >= self.signature_deadline:
            return EXPIRED
        return self.status

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in (self.links or "").splitlines() if line.strip()]


class InitiativeVersion(MunicipalityScoped, db.Model):
    """A snapshot of the text each time the author saves it."""

    __tablename__ = "initiative_versions"
    __table_args__ = (UniqueConstraint("initiative_id", "number", name="uq_initiative_versions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(600))
    body: Mapped[str] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(300))
    links: Mapped[str | None] = mapped_column(Text)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Signature(MunicipalityScoped, db.Model):
    __tablename__ = "signatures"
    # The database, not the application, guarantees one signature per person.
    __table_args__ = (
        UniqueConstraint("initiative_id", "user_id", name="uq_signatures_initiative_user"),
        # The pilot figures count signatures per municipality and month from this index alone.
        Index("ix_signatures_municipality_created", "municipality_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    show_name: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    user = relationship("User")
