"""Participatory budgeting: processes, pots, ideas (projects), secret ballots, results.

Ballot secrecy: ``pb_voters`` records WHO voted in a pot (turnout, one ballot per
person); ``pb_ballots`` records WHAT was chosen and has no foreign key to the user.
The only link is ``voter_key``, a keyed hash (HMAC with a key derived from the
application's secret) of pot and user, which lets a voter replace their own ballot
without their identity being stored beside it.
"""
from __future__ import annotations

from datetime import datetime

import secrets

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import MunicipalityScoped, TimestampMixin, UTCDateTime, utcnow
from app.extensions import db

# Ballot types (stored in pb_processes.ballot_type).
APPROVAL = "approval"
K_APPROVAL = "k_approval"
KNAPSACK = "knapsack"
CUMULATIVE = "cumulative"
RANKED = "ranked"
BALLOT_TYPES = (APPROVAL, K_APPROVAL, KNAPSACK, CUMULATIVE, RANKED)

# Idea statuses.
SUBMITTED = "submitted"
FEASIBLE = "feasible"
INFEASIBLE = "infeasible"
MERGED = "merged"
IDEA_STATUSES = (SUBMITTED, FEASIBLE, INFEASIBLE, MERGED)

# Phases, derived from the dates (see PBProcess.phase).
UPCOMING, IDEAS, REVIEW, VOTING, COUNTING, RESULTS = (
    "upcoming", "ideas", "review", "voting", "counting", "results")


class PBProcess(MunicipalityScoped, TimestampMixin, db.Model):
    """A participatory-budgeting process of one municipality."""

    __tablename__ = "pb_processes"
    __table_args__ = (
        CheckConstraint("max_choices IS NULL OR max_choices > 0", name="max_choices_positive"),
        CheckConstraint("points IS NULL OR points > 0", name="points_positive"),
        CheckConstraint("min_age IS NULL OR min_age >= 0", name="min_age_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title_lt: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    description_lt: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    ideas_open_at: Mapped[datetime] = mapped_column(UTCDateTime())
    review_at: Mapped[datetime] = mapped_column(UTCDateTime())
    voting_open_at: Mapped[datetime] = mapped_column(UTCDateTime())
    voting_close_at: Mapped[datetime] = mapped_column(UTCDateTime())
    min_age: Mapped[int | None] = mapped_column()
    ballot_type: Mapped[str] = mapped_column(String(20), default=APPROVAL)
    max_choices: Mapped[int | None] = mapped_column()  # k for k-approval and ranked ballots
    points: Mapped[int | None] = mapped_column()  # N for cumulative ballots
    rule: Mapped[str] = mapped_column(String(60), default="greedy_cost")
    # An administrator may close voting before the date; results are published explicitly.
    closed_early_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    pots = relationship("PBPot", back_populates="process", order_by="PBPot.position, PBPot.id",
                        cascade="all, delete-orphan")

    @property
    def title(self) -> str:
        return self.title_lt

    @property
    def voting_ends_at(self) -> datetime:
        if self.closed_early_at and self.closed_early_at < self.voting_close_at:
            return self.closed_early_at
        return self.voting_close_at

    def phase(self, now: datetime | None = None) -> str:
        now = now or utcnow()
        if self.results_published_at is not None:
            return RESULTS
        if now < self.ideas_open_at:
            return UPCOMING
        if now < self.review_at:
            return IDEAS
        if now < self.voting_open_at:
            return REVIEW
        if now < self.voting_ends_at:
            return VOTING
        return COUNTING

    def voting_has_opened(self, now: datetime | None = None) -> bool:
        """Once true, pots, ballot type, limits and rule are frozen."""
        return (now or utcnow()) >= self.voting_open_at or self.results_published_at is not None


class PBPot(MunicipalityScoped, db.Model):
    """A budget pot: the whole municipality or one eldership, with its own amount."""

    __tablename__ = "pb_pots"
    __table_args__ = (CheckConstraint("budget > 0", name="budget_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("pb_processes.id", ondelete="CASCADE"), index=True)
    name_lt: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    budget: Mapped[int] = mapped_column()  # whole euros
    position: Mapped[int] = mapped_column(default=0)

    process = relationship("PBProcess", back_populates="pots")

    @property
    def title(self) -> str:
        return self.name_lt


class PBIdea(MunicipalityScoped, TimestampMixin, db.Model):
    """A project idea; once reviewed feasible with a final cost it is a project on the ballot."""

    __tablename__ = "pb_ideas"
    __table_args__ = (
        CheckConstraint("estimated_cost > 0", name="estimated_cost_positive"),
        CheckConstraint("final_cost IS NULL OR final_cost > 0", name="final_cost_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("pb_processes.id", ondelete="CASCADE"), index=True)
    pot_id: Mapped[int] = mapped_column(ForeignKey("pb_pots.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    location: Mapped[str] = mapped_column(String(300), default="")
    estimated_cost: Mapped[int] = mapped_column()
    contact: Mapped[str] = mapped_column(String(200), default="")  # shown to moderators only
    status: Mapped[str] = mapped_column(String(20), default=SUBMITTED, index=True)
    review_reason: Mapped[str | None] = mapped_column(Text)  # public
    final_cost: Mapped[int | None] = mapped_column()
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("pb_ideas.id"), index=True)
    version: Mapped[int] = mapped_column(default=1)

    pot = relationship("PBPot")
    author = relationship("User")
    merged_into = relationship("PBIdea", remote_side=[id], foreign_keys=[merged_into_id])

    @property
    def on_ballot(self) -> bool:
        return self.status == FEASIBLE and bool(self.final_cost)


class PBIdeaVersion(db.Model):
    """An earlier wording of an idea, kept when a moderator edits it for clarity."""

    __tablename__ = "pb_idea_versions"
    __table_args__ = (UniqueConstraint("idea_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("pb_ideas.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    location: Mapped[str] = mapped_column(String(300), default="")
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PBSupport(db.Model):
    """A resident's endorsement of an idea (one per person; not a vote)."""

    __tablename__ = "pb_supports"
    __table_args__ = (UniqueConstraint("idea_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("pb_ideas.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PBVoter(MunicipalityScoped, db.Model):
    """Who voted in a pot (never what they chose)."""

    __tablename__ = "pb_voters"
    __table_args__ = (UniqueConstraint("pot_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pot_id: Mapped[int] = mapped_column(ForeignKey("pb_pots.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    first_voted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_voted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def new_ballot_id() -> int:
    """A random id: sequential ids would line ballots up with pb_voters rows by insertion order."""
    return secrets.randbits(62) + 1


class PBBallot(MunicipalityScoped, db.Model):
    """What one voter chose in one pot. Deliberately no foreign key to users."""

    __tablename__ = "pb_ballots"
    __table_args__ = (
        UniqueConstraint("pot_id", "voter_key"),
        UniqueConstraint("pot_id", "paper_serial"),
        CheckConstraint("(is_paper AND voter_key IS NULL) OR (NOT is_paper AND voter_key IS NOT NULL)",
                        name="paper_or_keyed"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False, default=new_ballot_id)
    pot_id: Mapped[int] = mapped_column(ForeignKey("pb_pots.id", ondelete="CASCADE"), index=True)
    voter_key: Mapped[str | None] = mapped_column(String(64))
    receipt_code: Mapped[str] = mapped_column(String(20), unique=True)
    is_paper: Mapped[bool] = mapped_column(default=False)
    paper_serial: Mapped[str | None] = mapped_column(String(40))
    # Rounded to the hour so that it cannot be matched with pb_voters.last_voted_at.
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    choices = relationship("PBChoice", cascade="all, delete-orphan", lazy="selectin",
                           order_by="PBChoice.value.desc(), PBChoice.project_id")


class PBChoice(db.Model):
    """One project on a ballot: value is 1 (approval), the points, or the rank (1 = first)."""

    __tablename__ = "pb_ballot_choices"
    __table_args__ = (CheckConstraint("value > 0", name="value_positive"),)

    ballot_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("pb_ballots.id", ondelete="CASCADE"),
                                           primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("pb_ideas.id"), primary_key=True, index=True)
    value: Mapped[int] = mapped_column(default=1)


class PBResult(MunicipalityScoped, db.Model):
    """A stored tally of one pot under one rule (the official rule and the comparisons)."""

    __tablename__ = "pb_results"
    __table_args__ = (UniqueConstraint("pot_id", "rule"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pot_id: Mapped[int] = mapped_column(ForeignKey("pb_pots.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(60))
    official: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[dict] = mapped_column(JSON)
    ballots: Mapped[int] = mapped_column(default=0)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


Index("ix_pb_ideas_process_status", PBIdea.process_id, PBIdea.status)
