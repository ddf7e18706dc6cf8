"""The audit log: who did what to which object, with what it was before and after."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
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


def last_entry(
    session: Session, *, subject_type: str, subject_id: int, action_prefix: str
) -> AuditLog | None:
    """The newest entry about this object whose action starts with `action_prefix`."""
    return session.scalar(
        select(AuditLog)
        .where(
            AuditLog.subject_type == subject_type,
            AuditLog.subject_id == subject_id,
            AuditLog.action.startswith(action_prefix),
        )
        .order_by(AuditLog.id.desc())
        .limit(1)
    )
