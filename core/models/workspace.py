from __future__ import annotations

from typing import Any

from sqlalchemy import String, Text
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
    # [{"title": ..., "text": ...}]: facts the drafts may use.
    knowledge: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    banned_phrases: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    # The business's own products and brand words; a reply must not advertise them.
    own_products: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    drafting_backend: Mapped[str] = mapped_column(String(32), default="composer")
