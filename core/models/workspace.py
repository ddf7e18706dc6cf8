from __future__ import annotations

from datetime import time
from typing import Any

from sqlalchemy import Integer, String, Text, Time, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedMixin, IdMixin


class Workspace(IdMixin, CreatedMixin, Base):
    """A business using Rapport: who it is, how it talks, what it can help with."""

    __tablename__ = "workspace"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    voice: Mapped[str] = mapped_column(Text, default="warm, brief, plain words")
    languages: Mapped[list[str]] = mapped_column(ARRAY(String(8)), default=lambda: ["en"])
    helps_with: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    # [{"title": ..., "text": ..., "tags": [...]}]: facts the drafts may use.
    knowledge: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    banned_phrases: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    # The business's own products and brand words; a reply must not advertise them.
    own_products: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    drafting_backend: Mapped[str] = mapped_column(String(32), default="composer")
    # When the morning queue is ready, in the business's own time zone (an IANA name).
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    ready_at: Mapped[time] = mapped_column(Time, default=time(7, 0), server_default=text("'07:00'"))
    # Cadence: at most this many replies a day, and days between two replies to one person.
    replies_per_day: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    days_between_replies: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
