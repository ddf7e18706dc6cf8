"""Every query about users, memberships and API tokens."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import ApiToken, AuditLog, Membership, Role, User, Workspace


def count_users_with_password(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(User).where(User.password_hash.is_not(None))
        )
        or 0
    )


def get_user(session: Session, *, user_id: int) -> User | None:
    return session.get(User, user_id)


def get_user_by_email(session: Session, *, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.lower()))


def list_users(session: Session) -> Sequence[User]:
    return session.scalars(select(User).order_by(User.email)).all()


def roles_of(session: Session, *, user_id: int) -> dict[int, Role]:
    rows = session.execute(
        select(Membership.workspace_id, Membership.role).where(Membership.user_id == user_id)
    ).all()
    return {row.workspace_id: row.role for row in rows}


def memberships(session: Session) -> Sequence[tuple[str, str, Role]]:
    """(email, workspace name, role) for every membership."""
    rows = session.execute(
        select(User.email, Workspace.name, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .join(Workspace, Workspace.id == Membership.workspace_id)
        .order_by(User.email, Workspace.name)
    ).all()
    return [(row.email, row.name, row.role) for row in rows]


def get_membership(session: Session, *, user_id: int, workspace_id: int) -> Membership | None:
    return session.scalar(
        select(Membership).where(
            Membership.user_id == user_id, Membership.workspace_id == workspace_id
        )
    )


def workspaces_by_id(session: Session, *, ids: Sequence[int]) -> Sequence[Workspace]:
    return session.scalars(
        select(Workspace).where(Workspace.id.in_(ids)).order_by(Workspace.name)
    ).all()


def get_token_by_hash(session: Session, *, token_hash: str) -> ApiToken | None:
    return session.scalar(
        select(ApiToken).where(ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None))
    )


def list_tokens(session: Session, *, workspace_id: int) -> Sequence[ApiToken]:
    return session.scalars(
        select(ApiToken).where(ApiToken.workspace_id == workspace_id).order_by(ApiToken.id)
    ).all()


def get_token(session: Session, *, token_id: int) -> ApiToken | None:
    return session.get(ApiToken, token_id)


def touch_token(token: ApiToken, *, now: datetime) -> None:
    # At most one write a minute per token, not one per request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        token.last_used_at = now


def audit_entries(
    session: Session, *, workspace_id: int, limit: int, before_id: int | None = None
) -> Sequence[AuditLog]:
    """The workspace's audit log, newest first, before an id (keyset)."""
    query = select(AuditLog).where(AuditLog.workspace_id == workspace_id)
    if before_id is not None:
        query = query.where(AuditLog.id < before_id)
    return session.scalars(query.order_by(AuditLog.id.desc()).limit(limit)).all()
