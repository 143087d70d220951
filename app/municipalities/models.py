"""The tenant: a municipality (savivaldybė)."""
from __future__ import annotations

import math
from decimal import Decimal

from sqlalchemy import CheckConstraint, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import TimestampMixin
from app.extensions import db

# Top-level paths that a municipality slug may never take.
RESERVED_SLUGS = frozenset(
    {"account", "admin", "static", "lang", "compare", "compare.csv", "compare.json",
     "pilot", "api", "health", "about", "audit", "favicon.ico", "robots.txt"}
)


class Municipality(TimestampMixin, db.Model):
    __tablename__ = "municipalities"
    __table_args__ = (
        CheckConstraint("population >= 0", name="population_not_negative"),
        CheckConstraint("signature_threshold IS NULL OR signature_threshold > 0", name="threshold_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_lt: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    population: Mapped[int | None] = mapped_column()
    default_locale: Mapped[str] = mapped_column(String(5), default="lt")
    # Comma-separated locale codes the municipality publishes in.
    locales: Mapped[str] = mapped_column(String(40), default="lt,en")
    # Signature threshold: a number, a share of the population, or both (the larger applies).
    signature_threshold: Mapped[int | None] = mapped_column()
    signature_threshold_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    signature_period_days: Mapped[int] = mapped_column(default=90)
    active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<Municipality {self.slug}>"

    @property
    def locale_list(self) -> list[str]:
        return [code for code in (self.locales or "").split(",") if code]

    def required_signatures(self) -> int:
        """The larger of the fixed number and the population share (at least 1)."""
        candidates = []
        if self.signature_threshold:
            candidates.append(self.signature_threshold)
        if self.signature_threshold_percent and self.population:
            share = Decimal(self.population) * Decimal(self.signature_threshold_percent) / 100
            candidates.append(math.ceil(share))
        return max(candidates) if candidates else 1
