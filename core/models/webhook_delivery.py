from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedMixin, DeliveryStatus, EventType, IdMixin, str_enum


class WebhookDelivery(IdMixin, CreatedMixin, Base):
    """One event to send to one endpoint (the outbox row), with its log of attempts."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        # One event reaches one endpoint once, however often it is recorded.
        UniqueConstraint("endpoint_id", "event_id"),
        Index("ix_webhook_delivery_status_next_attempt_at", "status", "next_attempt_at"),
        # Each endpoint's waiting deliveries in order: the batch takes turns round endpoints.
        Index(
            "ix_webhook_delivery_endpoint_id_waiting",
            "endpoint_id",
            "next_attempt_at",
            "id",
            postgresql_where=text("status IN ('pending', 'retrying')"),
        ),
    )

    endpoint_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), index=True
    )
    suggestion_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("suggestion.id", ondelete="SET NULL")
    )
    # The `webhook-id` header: the same for every attempt and every replay of this event.
    event_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[EventType] = mapped_column(str_enum(EventType))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[DeliveryStatus] = mapped_column(
        str_enum(DeliveryStatus), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(Text, default="")
    response_status: Mapped[int | None] = mapped_column(Integer)
    # [{"at": iso time, "status": 503 | null, "error": "…", "ms": 12}], oldest first.
    attempt_log: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, default=list, server_default="[]"
    )
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
