"""JSON API: workspaces, the suggestion queue, decisions. Every route needs a token or a
signed-in session; a workspace the caller is not a member of is 404."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Response

from core.models import Occasion, Platform, SuggestionStatus
from service import auth
from service.auth import CurrentUser, OwnerAccess, ReviewerAccess, ViewerAccess
from service.deps import RowId, SessionDep
from service.users import repository as users_repository
from service.users import service as users_service
from service.users.schemas import AuditRead, TokenCreate, TokenCreated, TokenRead
from suggest import queue as suggest_queue
from suggest.schemas import Decision, KnowledgeGap, SuggestionRead

router = APIRouter(prefix="/api", tags=["api"])
# A suggestion id is a PostgreSQL bigint.


@router.get("/workspaces")
def list_workspaces(session: SessionDep, caller: CurrentUser) -> list[dict[str, str]]:
    """The workspaces the caller may see, with the caller's role in each."""
    return [
        {"name": w.name, "display_name": w.display_name, "role": caller.roles[w.id].value}
        for w in auth.visible_workspaces(session, caller=caller)
    ]


@router.get("/workspaces/{name}/suggestions")
def list_suggestions(
    session: SessionDep,
    access: ViewerAccess,
    response: Response,
    status: Annotated[SuggestionStatus, Query()] = SuggestionStatus.PENDING,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    after: Annotated[
        str | None, Query(max_length=64, description="X-Next-Cursor of the previous page.")
    ] = None,
    platform: Platform | None = None,
    occasion: Occasion | None = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Words in the post, draft or person.")
    ] = None,
) -> list[SuggestionRead]:
    """Suggestions in one state, most useful first. When more remain, the response's
    `X-Next-Cursor` header is the `after` of the next page."""
    cards = suggest_queue.queue(
        session,
        workspace_id=access.workspace.id,
        statuses=[status],
        limit=limit,
        after=after,
        platform=platform,
        occasion=occasion,
        search=q,
    )
    if len(cards) == limit and (cursor := suggest_queue.cursor_after(cards)):
        response.headers["X-Next-Cursor"] = cursor
    return cards


@router.post("/workspaces/{name}/suggestions/{suggestion_id}/decision")
def decide(
    suggestion_id: RowId,
    decision_in: Decision,
    session: SessionDep,
    access: ReviewerAccess,
) -> SuggestionRead:
    return suggest_queue.decide(
        session,
        workspace=access.workspace,
        suggestion_id=suggestion_id,
        decision_in=decision_in,
        reviewer_id=access.user_id,
        reviewer=access.caller.label,
    )


@router.get("/workspaces/{name}/knowledge-gaps")
def knowledge_gaps(
    session: SessionDep,
    access: ViewerAccess,
    days: Annotated[int, Query(ge=1, le=90)] = 7,
) -> list[KnowledgeGap]:
    """Questions people asked that no knowledge snippet answered, most asked first."""
    since = datetime.now(UTC) - timedelta(days=days)
    return suggest_queue.knowledge_gaps(session, workspace_id=access.workspace.id, since=since)


@router.get("/workspaces/{name}/tokens")
def list_tokens(session: SessionDep, access: OwnerAccess) -> list[TokenRead]:
    """The workspace's API tokens (their first characters, never the token)."""
    tokens = users_repository.list_tokens(session, workspace_id=access.workspace.id)
    return [TokenRead.model_validate(t) for t in tokens]


@router.post("/workspaces/{name}/tokens", status_code=201)
def create_token(token_in: TokenCreate, session: SessionDep, access: OwnerAccess) -> TokenCreated:
    """A new API token with a role in this workspace; the token is in this answer only."""
    token, plain = users_service.create_token(
        session,
        workspace=access.workspace,
        name=token_in.name,
        role=token_in.role,
        user_id=access.user_id,
    )
    return TokenCreated.model_validate(
        {**TokenRead.model_validate(token).model_dump(), "token": plain}
    )


@router.delete("/workspaces/{name}/tokens/{token_id}")
def revoke_token(token_id: RowId, session: SessionDep, access: OwnerAccess) -> TokenRead:
    token = users_service.revoke_token(session, token_id=token_id, workspace_id=access.workspace.id)
    return TokenRead.model_validate(token)


@router.get("/workspaces/{name}/audit")
def audit_log(
    session: SessionDep,
    access: OwnerAccess,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    before: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
) -> list[AuditRead]:
    """Who did what, newest first (`before`: the last id of the previous page)."""
    entries = users_repository.audit_entries(
        session, workspace_id=access.workspace.id, limit=limit, before_id=before
    )
    return [AuditRead.model_validate(e) for e in entries]
