"""Questionnaires with their questions and answers; events with sign-ups."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import MunicipalityScoped, TimestampMixin, UTCDateTime, utcnow
from app.extensions import db

# Question kinds
SINGLE, MULTIPLE, RANKING, RATING, SHORT_TEXT, LONG_TEXT = (
    "single", "multiple", "ranking", "rating", "short_text", "long_text")
QUESTION_KINDS = (SINGLE, MULTIPLE, RANKING, RATING, SHORT_TEXT, LONG_TEXT)
CHOICE_KINDS = (SINGLE, MULTIPLE, RANKING)
TEXT_KINDS = (SHORT_TEXT, LONG_TEXT)

# Audience
SIGNED_IN, RESIDENTS = "signed_in", "residents"

# Event kinds and sign-up statuses
DEBATE, FOCUS_GROUP, WORKSHOP = "debate", "focus_group", "workshop"
EVENT_KINDS = (DEBATE, FOCUS_GROUP, WORKSHOP)
AUTOMATIC, BY_ORGANISER = "automatic", "organiser"
CONFIRMED, WAITLISTED, APPLIED, DECLINED, CANCELLED = (
    "confirmed", "waitlisted", "applied", "declined", "cancelled")


class Questionnaire(MunicipalityScoped, TimestampMixin, db.Model):
    __tablename__ = "questionnaires"
    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="questionnaire_dates_in_order"),
        CheckConstraint("audience IN ('signed_in', 'residents')", name="questionnaire_audience"),
        CheckConstraint("ranking_rule IN ('borda', 'irv')", name="questionnaire_ranking_rule"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    title_lt: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    description_lt: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    audience: Mapped[str] = mapped_column(String(20), default=SIGNED_IN)
    live_results: Mapped[bool] = mapped_column(default=False)
    publish_free_text: Mapped[bool] = mapped_column(default=False)
    ranking_rule: Mapped[str] = mapped_column(String(20), default="borda")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation = relationship("Organisation", lazy="joined")
    questions = relationship("Question", back_populates="questionnaire", cascade="all, delete-orphan",
                             order_by="Question.position")

    @property
    def title(self) -> str:
        return self.title_lt

    def state(self, now: datetime | None = None) -> str:
        """draft, scheduled, open or closed."""
        now = now or utcnow()
        if self.published_at is None:
            return "draft"
        if now < self.opens_at:
            return "scheduled"
        if now < self.closes_at:
            return "open"
        return "closed"

    def results_public(self, now: datetime | None = None) -> bool:
        state = self.state(now)
        return state == "closed" or (state == "open" and self.live_results)


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (
        CheckConstraint("kind IN ('single', 'multiple', 'ranking', 'rating', 'short_text', 'long_text')",
                        name="question_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))
    text_lt: Mapped[str] = mapped_column(String(500))
    text_en: Mapped[str] = mapped_column(String(500), default="")
    help_lt: Mapped[str] = mapped_column(String(1000), default="")
    help_en: Mapped[str] = mapped_column(String(1000), default="")
    required: Mapped[bool] = mapped_column(default=False)
    max_choices: Mapped[int | None] = mapped_column()

    questionnaire = relationship("Questionnaire", back_populates="questions")
    options = relationship("QuestionOption", back_populates="question", cascade="all, delete-orphan",
                           order_by="QuestionOption.position")

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS


class QuestionOption(db.Model):
    """An answer option of a choice or ranking question, or a label of a rating step (1–5)."""

    __tablename__ = "question_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label_lt: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str] = mapped_column(String(300), default="")

    question = relationship("Question", back_populates="options")


class Response(MunicipalityScoped, TimestampMixin, db.Model):
    """One respondent's answers to one questionnaire: one row per person, enforced here."""

    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("questionnaire_id", "user_id", name="uq_responses_once_per_person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    answers = relationship("Answer", back_populates="response", cascade="all, delete-orphan")


class Answer(db.Model):
    """One value: a chosen option (with its rank for ranking questions), a rating or a text."""

    __tablename__ = "answers"
    __table_args__ = (Index("ix_answers_question_option", "question_id", "option_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    option_id: Mapped[int | None] = mapped_column(ForeignKey("question_options.id", ondelete="CASCADE"))
    rank: Mapped[int | None] = mapped_column()
    value: Mapped[int | None] = mapped_column()
    text: Mapped[str | None] = mapped_column(Text)

    response = relationship("Response", back_populates="answers")


class Event(MunicipalityScoped, TimestampMixin, db.Model):
    """A public debate, focus group or workshop with limited seats."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="event_ends_after_start"),
        CheckConstraint("signup_deadline <= starts_at", name="event_deadline_before_start"),
        CheckConstraint("capacity > 0", name="event_capacity_positive"),
        CheckConstraint("kind IN ('debate', 'focus_group', 'workshop')", name="event_kind"),
        CheckConstraint("selection IN ('automatic', 'organiser')", name="event_selection"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default=DEBATE)
    title_lt: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    description_lt: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int] = mapped_column()
    signup_deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    selection: Mapped[str] = mapped_column(String(20), default=AUTOMATIC)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    summary_lt: Mapped[str | None] = mapped_column(Text)
    summary_en: Mapped[str | None] = mapped_column(Text)
    summary_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attendance_marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation = relationship("Organisation", lazy="joined")
    questions = relationship("EventQuestion", back_populates="event", cascade="all, delete-orphan",
                             order_by="EventQuestion.position")
    signups = relationship("SignUp", back_populates="event", cascade="all, delete-orphan",
                           order_by="SignUp.id")

    @property
    def title(self) -> str:
        return self.title_lt

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None

    def is_past(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) >= self.starts_at


class EventQuestion(db.Model):
    """An optional question asked when signing up (age group, neighbourhood, accessibility)."""

    __tablename__ = "event_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text_lt: Mapped[str] = mapped_column(String(500))
    text_en: Mapped[str] = mapped_column(String(500), default="")
    # One option per line; empty means a free-text answer.
    options_lt: Mapped[str] = mapped_column(Text, default="")
    options_en: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(default=False)

    event = relationship("Event", back_populates="questions")

    def options(self, locale: str) -> list[str]:
        lt = [line.strip() for line in (self.options_lt or "").splitlines() if line.strip()]
        en = [line.strip() for line in (self.options_en or "").splitlines() if line.strip()]
        return en if locale == "en" and len(en) == len(lt) else lt


class SignUp(MunicipalityScoped, db.Model):
    """A person's place at an event: confirmed, on the waitlist, applied, declined or cancelled."""

    __tablename__ = "signups"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", name="uq_signups_once_per_person"),
        CheckConstraint("status IN ('confirmed', 'waitlisted', 'applied', 'declined', 'cancelled')",
                        name="signup_status"),
        Index("ix_signups_event_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    # Order on the waitlist (1, 2, 3… in order of arrival; kept when others leave).
    waitlist_position: Mapped[int | None] = mapped_column()
    answers: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attended: Mapped[bool | None] = mapped_column()
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event = relationship("Event", back_populates="signups")
    user = relationship("User", lazy="joined")
