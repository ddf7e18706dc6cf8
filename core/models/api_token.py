from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedMixin, IdMixin, Role, str_enum


class ApiToken(IdMixin, CreatedMixin, Base):
    """An API token; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    workspace_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("user.id", ondelete="SET NULL")
    )
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # What the token may do in its workspace, as a member with this role could.
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.VIEWER)
    # The first characters of the token, shown in lists so an owner can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16), default="")
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
