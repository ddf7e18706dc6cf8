"""Analysis jobs: read new posts in batches, refresh the people they touched."""

from __future__ import annotations

import procrastinate

from analysis import service
from core.database import session_scope
from ingest import service as ingest_service


def analyse_workspace(context: procrastinate.JobContext, *, workspace: str) -> None:
    """Analyse what is new in a workspace, then ask for suggestions."""
    resources = context.additional_context["resources"]
    analyzer = resources.analyzer
    with session_scope(resources.db) as session:
        ws = ingest_service.get_workspace(session, name=workspace)
        touched = service.analyse_pending(session, workspace_id=ws.id, analyzer=analyzer)
        if touched:
            service.update_profiles(
                session,
                workspace_id=ws.id,
                model_version=analyzer.model_version,
                person_ids=sorted(touched),
            )
    assert context.app is not None
    context.app.configure_task(
        "suggest:suggest_workspace", queueing_lock=f"suggest:{workspace}"
    ).defer(workspace=workspace)


def blueprint() -> procrastinate.Blueprint:
    """A fresh blueprint per app (procrastinate renames a blueprint's tasks when it is added)."""
    bp = procrastinate.Blueprint()
    bp.task(
        name="analyse_workspace",
        queue="analysis",
        pass_context=True,
        retry=procrastinate.RetryStrategy(max_attempts=3, exponential_wait=5),
    )(analyse_workspace)
    return bp
