from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, IdMixin


class Interest(IdMixin, Base):
    """Something a person cares about, with the posts that show it."""

    __tablename__ = "interest"
    __table_args__ = (UniqueConstraint("person_id", "kind", "label"),)

    workspace_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("person.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # "topic" or "keyphrase"
    label: Mapped[str] = mapped_column(String(200))
    weight: Mapped[float] = mapped_column(Float)
    evidence_post_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), default=list)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
