"""JSON API: retry a reply that Rapport failed to post."""

from __future__ import annotations

from fastapi import APIRouter

from ingest import service as ingest_service
from service.deps import SessionDep
from suggest import posting as suggest_posting
from suggest import queue as suggest_queue
from suggest.schemas import SuggestionRead

router = APIRouter(prefix="/api/workspaces/{name}/suggestions", tags=["posting"])


@router.post("/{suggestion_id}/posting/retry")
def retry_posting(name: str, suggestion_id: int, session: SessionDep) -> SuggestionRead:
    """Queue a failed post again; `rapport worker` posts it with the same idempotency key."""
    workspace = ingest_service.get_workspace(session, name=name)
    suggestion = suggest_posting.retry(
        session, workspace_id=workspace.id, suggestion_id=suggestion_id
    )
    return suggest_queue.to_read(suggestion)
