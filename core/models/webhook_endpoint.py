from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedMixin, IdMixin


class WebhookEndpoint(IdMixin, CreatedMixin, Base):
    """A scheduling tool that receives approved replies (Standard Webhooks signatures)."""

    __tablename__ = "webhook_endpoint"

    workspace_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(Text, default="")
    # The `whsec_…` secret, Fernet-encrypted with the settings' key.
    secret_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    # EventType values; an empty list means every event type.
    event_types: Mapped[list[str]] = mapped_column(ARRAY(String(64)), default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Health: the last attempt's outcome and how many attempts in a row failed.
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
