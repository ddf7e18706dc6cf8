"""JSON API: workspaces, the suggestion queue, decisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from core.models import SuggestionStatus
from ingest import repository as ingest_repository
from ingest import service as ingest_service
from service.deps import SessionDep
from suggest import queue as suggest_queue
from suggest.schemas import Decision, KnowledgeGap, SuggestionRead

router = APIRouter(prefix="/api", tags=["api"])


@router.get("/workspaces")
def list_workspaces(session: SessionDep) -> list[dict[str, str]]:
    return [
        {"name": w.name, "display_name": w.display_name}
        for w in ingest_repository.list_workspaces(session)
    ]


@router.get("/workspaces/{name}/suggestions")
def list_suggestions(
    name: str,
    session: SessionDep,
    status: Annotated[SuggestionStatus, Query()] = SuggestionStatus.PENDING,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[SuggestionRead]:
    workspace = ingest_service.get_workspace(session, name=name)
    return suggest_queue.queue(session, workspace_id=workspace.id, statuses=[status], limit=limit)


@router.post("/workspaces/{name}/suggestions/{suggestion_id}/decision")
def decide(
    name: str, suggestion_id: int, decision_in: Decision, session: SessionDep
) -> SuggestionRead:
    workspace = ingest_service.get_workspace(session, name=name)
    return suggest_queue.decide(
        session, workspace=workspace, suggestion_id=suggestion_id, decision_in=decision_in
    )


@router.get("/workspaces/{name}/knowledge-gaps")
def knowledge_gaps(
    name: str,
    session: SessionDep,
    days: Annotated[int, Query(ge=1, le=90)] = 7,
) -> list[KnowledgeGap]:
    """Questions people asked that no knowledge snippet answered, most asked first."""
    workspace = ingest_service.get_workspace(session, name=name)
    since = datetime.now(UTC) - timedelta(days=days)
    return suggest_queue.knowledge_gaps(session, workspace_id=workspace.id, since=since)
