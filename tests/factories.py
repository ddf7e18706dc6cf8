"""Small factories for test data: override only what the test is about."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import DeliveryRoute, Platform, Post, Role, Suggestion, User, Workspace
from ingest import repository as ingest_repository
from ingest import service as ingest_service
from ingest import workspaces
from ingest.schemas import PersonCreate, PostCreate, WorkspaceFile


def make_workspace(session: Session, **overrides: Any) -> Workspace:
    values: dict[str, Any] = {
        "name": "test-ws",
        "display_name": "Test Bakery",
        "knowledge": [{"title": "Opening hours", "text": "We are open 8:00 to 17:00 daily."}],
        "products": ["Magic Loaf"],
    }
    values.update(overrides)
    return ingest_repository.upsert_workspace(
        session, values=workspaces.columns(WorkspaceFile.model_validate(values))
    )


def make_post_in(**overrides: Any) -> PostCreate:
    author = overrides.pop("author", None) or PersonCreate(
        platform=overrides.get("platform", Platform.MASTODON),
        external_id=overrides.pop("author_id", "1001"),
        handle=overrides.pop("handle", "maria@example.social"),
        display_name="Maria",
    )
    values: dict[str, Any] = {
        "platform": Platform.MASTODON,
        "external_id": "5001",
        "author": author,
        "text": "How do I keep my sourdough starter alive?",
        "posted_at": datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
    }
    values.update(overrides)
    return PostCreate.model_validate(values)


def make_post(session: Session, *, workspace_id: int, **overrides: Any) -> Post:
    """A stored post (through the real ingest path) and its author."""
    post_in = make_post_in(**overrides)
    ingest_service.store_posts(session, workspace_id=workspace_id, posts_in=[post_in])
    return session.scalars(
        select(Post).where(
            Post.workspace_id == workspace_id, Post.external_id == post_in.external_id
        )
    ).one()


def make_suggestion(session: Session, *, post: Post, **overrides: Any) -> Suggestion:
    values: dict[str, Any] = {
        "workspace_id": post.workspace_id,
        "post_id": post.id,
        "person_id": post.person_id,
        "drafter_version": "t",
        "occasion": "answer",
        "draft": "Hi Maria! Feed it twice a day. How is it?",
        "rationale": "Maria asks a question.",
        "guard_passed": True,
        "guard_reasons": [],
        "route": DeliveryRoute.API,
        "created_at": datetime.now(UTC),
    }
    values.update(overrides)
    suggestion = Suggestion(**values)
    session.add(suggestion)
    session.flush()
    return suggestion


PASSWORD = "correct horse battery"


def make_user(
    session: Session,
    *,
    email: str = "owner@example.com",
    workspace: Workspace | None = None,
    role: Role = Role.OWNER,
    password: str = PASSWORD,
) -> User:
    """A user who can sign in with `password`, with `role` in `workspace` when given."""
    from service.users import service as users_service

    user = users_service.create_user(session, email=email, password=password)
    if workspace is not None:
        users_service.grant(session, user=user, workspace=workspace, role=role)
    return user


def make_member(
    session: Session,
    *,
    workspace: Workspace,
    email: str = "owner@example.com",
    role: Role = Role.OWNER,
) -> None:
    """Give the user with this email `role` in `workspace`."""
    from service.users import repository as users_repository
    from service.users import service as users_service

    user = users_repository.get_user_by_email(session, email=email)
    assert user is not None, f"no user {email}"
    users_service.grant(session, user=user, workspace=workspace, role=role)


def make_token(session: Session, *, workspace: Workspace, role: Role) -> str:
    """A fresh API token with this role in this workspace (the plain token)."""
    from service.users import service as users_service

    _, plain = users_service.create_token(
        session, workspace=workspace, name=f"test {role.value}", role=role
    )
    return plain
