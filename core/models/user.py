from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedMixin, IdMixin


class User(IdMixin, CreatedMixin, Base):
    """A person who reviews suggestions."""

    __tablename__ = "user"

    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    # An argon2 hash (pwdlib); None for a user who cannot sign in with a password.
    password_hash: Mapped[str | None] = mapped_column(String(200))
