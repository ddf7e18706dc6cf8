"""Ingest jobs. The worker passes `resources` (database, models) in the job context."""

from __future__ import annotations

from pathlib import Path

import procrastinate

from core.database import session_scope
from ingest import service

blueprint = procrastinate.Blueprint()


@blueprint.task(name="import_file", queue="ingest", pass_context=True)
def import_file(context: procrastinate.JobContext, *, workspace: str, path: str) -> None:
    """Import an export file, then ask for the workspace to be analysed."""
    resources = context.additional_context["resources"]
    with session_scope(resources.db) as session:
        ws = service.get_workspace(session, name=workspace)
        service.import_file(session, workspace_id=ws.id, path=Path(path))
    assert context.app is not None
    context.app.configure_task(
        "analysis:analyse_workspace", queueing_lock=f"analyse:{workspace}"
    ).defer(workspace=workspace)
