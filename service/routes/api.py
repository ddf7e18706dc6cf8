"""JSON API: workspaces, the suggestion queue, decisions. Every route needs a token or a
signed-in session; a workspace the caller is not a member of is 404."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from core.models import Occasion, Platform, SuggestionStatus
from service import auth
from service.auth import CurrentUser, ReviewerAccess, ViewerAccess
from service.deps import SessionDep
from suggest import queue as suggest_queue
from suggest.schemas import Decision, KnowledgeGap, SuggestionRead

router = APIRouter(prefix="/api", tags=["api"])
# A suggestion id is a PostgreSQL bigint.
SuggestionId = Annotated[int, Path(ge=1, le=2**63 - 1)]


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
    suggestion_id: SuggestionId,
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
