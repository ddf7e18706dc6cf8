from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, REAL
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, IdMixin, utcnow


class PostAnalysis(IdMixin, Base):
    """What the models read in a post, keyed by post and model version."""

    __tablename__ = "post_analysis"
    __table_args__ = (UniqueConstraint("post_id", "model_version"),)

    workspace_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    post_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("post.id", ondelete="CASCADE"))
    model_version: Mapped[str] = mapped_column(String(100))
    language: Mapped[str | None] = mapped_column(String(8))
    sentiment: Mapped[str | None] = mapped_column(String(16))
    emotion: Mapped[str | None] = mapped_column(String(16))
    intent: Mapped[str] = mapped_column(String(32))
    intents: Mapped[dict[str, float]] = mapped_column(JSONB, default=dict)
    topics: Mapped[dict[str, float]] = mapped_column(JSONB, default=dict)
    keyphrases: Mapped[list[str]] = mapped_column(ARRAY(String(200)), default=list)
    entities: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    has_question: Mapped[bool] = mapped_column(Boolean, default=False)
    hostile: Mapped[bool] = mapped_column(Boolean, default=False)
    # "hostile", "instructs_writer", "sensitive", "spammy": signals that limit replies.
    flags: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list)
    embedding: Mapped[list[float]] = mapped_column(ARRAY(REAL))
    analysed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
