"""JSON API: retry a reply that Rapport failed to post (a reviewer's follow-up of approving)."""

from __future__ import annotations

from fastapi import APIRouter

from service.auth import ReviewerAccess
from service.deps import RowId, SessionDep
from suggest import posting as suggest_posting
from suggest import queue as suggest_queue
from suggest.schemas import SuggestionRead

router = APIRouter(prefix="/api/workspaces/{name}/suggestions", tags=["posting"])
# A suggestion id is a PostgreSQL bigint.


@router.post("/{suggestion_id}/posting/retry")
def retry_posting(
    suggestion_id: RowId, session: SessionDep, access: ReviewerAccess
) -> SuggestionRead:
    """Queue a failed post again; `rapport worker` posts it with the same idempotency key."""
    suggestion = suggest_posting.retry(
        session, workspace_id=access.workspace.id, suggestion_id=suggestion_id
    )
    return suggest_queue.to_read(suggestion)
