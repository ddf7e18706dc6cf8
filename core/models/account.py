from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import AccountHealth, Base, CreatedMixin, IdMixin, Platform, str_enum


class Account(IdMixin, CreatedMixin, Base):
    """A connected platform account of a workspace (credentials encrypted at rest)."""

    __tablename__ = "account"
    __table_args__ = (UniqueConstraint("workspace_id", "platform", "handle"),)

    workspace_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("workspace.id", ondelete="CASCADE")
    )
    platform: Mapped[Platform] = mapped_column(str_enum(Platform))
    handle: Mapped[str] = mapped_column(String(200))
    external_id: Mapped[str | None] = mapped_column(String(200))
    credentials_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    settings: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    cursors: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    # {"2026-11-25": {"resources": 120, "cost_usd": 0.9}}: reads per UTC day.
    spend: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    health: Mapped[AccountHealth] = mapped_column(str_enum(AccountHealth), default=AccountHealth.OK)
    health_detail: Mapped[str] = mapped_column(Text, default="")
    health_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The last page stored (last_synced_at), and when and how the last sync ended, ok or not.
    last_synced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sync_finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sync_result: Mapped[str] = mapped_column(Text, default="", server_default="")
