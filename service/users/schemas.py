"""What the API says about tokens and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from core.models import Role


class TokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100, description="What uses it, e.g. 'zapier'.")
    role: Role = Role.VIEWER


class TokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    role: Role
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenRead):
    token: str = Field(description="The token itself: shown this once, only its hash is kept.")


class AuditRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    user_id: int | None
    action: str
    subject_type: str
    subject_id: int | None
    detail: dict[str, Any]
