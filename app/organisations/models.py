"""Organisations, their members and e-mail invitations."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import MunicipalityScoped, TimestampMixin, UTCDateTime, utcnow
from app.extensions import db

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
ORGANISER, MEMBER = "organiser", "member"
KINDS = ("ngo", "community", "school", "library", "other")


class Organisation(MunicipalityScoped, TimestampMixin, db.Model):
    """An organisation registered by a resident and approved by a municipal moderator."""

    __tablename__ = "organisations"
    __table_args__ = (
        UniqueConstraint("municipality_id", "name", name="uq_organisations_municipality_name"),
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="organisation_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="ngo")
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(300))
    contact_email: Mapped[str] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(20), default=PENDING, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_reason: Mapped[str | None] = mapped_column(Text)

    created_by = relationship("User", foreign_keys=[created_by_id])
    members = relationship("OrganisationMember", back_populates="organisation",
                           cascade="all, delete-orphan", order_by="OrganisationMember.id")

    @property
    def title(self) -> str:  # for the audit log label
        return self.name

    @property
    def approved(self) -> bool:
        return self.status == APPROVED

    def role_of(self, user) -> str | None:
        if user is None or not getattr(user, "is_authenticated", False):
            return None
        for member in self.members:
            if member.user_id == user.id:
                return member.role
        return None


class OrganisationMember(db.Model):
    __tablename__ = "organisation_members"
    __table_args__ = (
        UniqueConstraint("organisation_id", "user_id", name="uq_organisation_members_user"),
        CheckConstraint("role IN ('organiser', 'member')", name="organisation_member_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=MEMBER)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation = relationship("Organisation", back_populates="members")
    user = relationship("User", lazy="joined")


class OrganisationInvitation(db.Model):
    """An invitation by e-mail; the link carries a signed token naming this row."""

    __tablename__ = "organisation_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20), default=MEMBER)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation = relationship("Organisation")
