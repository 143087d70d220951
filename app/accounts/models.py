"""Users and their roles in municipalities."""
from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import TimestampMixin, UTCDateTime
from app.core.security import MUNICIPAL_ROLES, RESIDENT, ROLE_IMPLIES
from app.extensions import db

_hasher = PasswordHasher()


def configure_hasher(params: dict | None) -> None:
    """Tests use cheap parameters; production keeps argon2-cffi's defaults."""
    global _hasher
    _hasher = PasswordHasher(**params) if params else PasswordHasher()


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    home_municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipalities.id"), index=True
    )
    birth_year: Mapped[int | None] = mapped_column()
    locale: Mapped[str | None] = mapped_column(String(5))
    is_pilot_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)

    home_municipality = relationship("Municipality")
    memberships = relationship(
        "Membership", back_populates="user", cascade="all, delete-orphan", lazy="select"
    )

    def set_password(self, password: str) -> None:
        self.password_hash = _hasher.hash(password)

    def check_password(self, password: str) -> bool:
        try:
            ok = _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if ok and _hasher.check_needs_rehash(self.password_hash):
            self.password_hash = _hasher.hash(password)
        return ok

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    def is_resident_of(self, municipality) -> bool:
        """A confirmed user who declared this municipality as home."""
        return (
            municipality is not None
            and self.confirmed
            and self.home_municipality_id == municipality.id
        )

    def roles_in(self, municipality) -> set[str]:
        roles: set[str] = set()
        if municipality is None:
            return roles
        if self.is_resident_of(municipality):
            roles.add(RESIDENT)
        for m in self.memberships:
            if m.municipality_id == municipality.id:
                roles |= ROLE_IMPLIES.get(m.role, {m.role})
        if self.is_pilot_admin:
            roles |= set(MUNICIPAL_ROLES)
        return roles

    def has_role(self, municipality, role: str) -> bool:
        return role in self.roles_in(municipality)

    def staff_municipalities(self) -> list:
        return sorted({m.municipality for m in self.memberships}, key=lambda m: m.slug)


class Membership(TimestampMixin, db.Model):
    """A staff role (moderator or municipal administrator) in one municipality."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "municipality_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    user = relationship("User", back_populates="memberships")
    municipality = relationship("Municipality", lazy="joined")
