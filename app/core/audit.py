"""The append-only audit log (veiksmų žurnalas).

Every state change a moderator or administrator makes is written here by
:func:`record`; events marked public are listed on the municipality's audit page.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import UTCDateTime, utcnow
from app.extensions import db

# action code -> lazy translated label; each package registers its own.
ACTION_LABELS: dict[str, Any] = {}


def register_action_labels(labels: dict[str, Any]) -> None:
    ACTION_LABELS.update(labels)


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipalities.id"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column()
    object_label: Mapped[str | None] = mapped_column(String(300))
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)
    public: Mapped[bool] = mapped_column(default=False, index=True)

    actor = relationship("User", lazy="joined")
    municipality = relationship("Municipality")

    @property
    def label(self) -> str:
        label = ACTION_LABELS.get(self.action)
        return str(label) if label is not None else self.action


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper, connection, target):  # pragma: no cover - defensive
    raise RuntimeError("The audit log is append-only.")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper, connection, target):  # pragma: no cover - defensive
    raise RuntimeError("The audit log is append-only.")


def record(
    action: str,
    *,
    actor=None,
    municipality=None,
    obj=None,
    label: str | None = None,
    reason: str | None = None,
    public: bool = False,
    **data: Any,
) -> AuditEvent:
    """Add an audit event to the current session (the caller commits with its change)."""
    event_ = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        municipality_id=getattr(municipality, "id", None),
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        object_label=(label or (str(getattr(obj, "title", "")) or None) if obj is not None else label),
        reason=reason,
        data=data or None,
        public=public,
    )
    db.session.add(event_)
    return event_
