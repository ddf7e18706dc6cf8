"""The audit log: who did what to which object, with what it was before and after."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.models import AuditLog


def record(
    session: Session,
    *,
    workspace_id: int,
    user_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int | None,
    detail: dict[str, Any],
) -> AuditLog:
    """Add one audit entry to the current transaction (committed with the change it records)."""
    entry = AuditLog(
        workspace_id=workspace_id,
        user_id=user_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=detail,
    )
    session.add(entry)
    session.flush()
    return entry
