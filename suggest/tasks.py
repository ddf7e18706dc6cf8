"""Suggestion jobs: draft the Today queue for a workspace."""

from __future__ import annotations

import procrastinate

from core.database import session_scope
from ingest import service as ingest_service
from suggest import service


def suggest_workspace(context: procrastinate.JobContext, *, workspace: str) -> None:
    """Queue today's suggestions for one workspace."""
    resources = context.additional_context["resources"]
    with session_scope(resources.db) as session:
        ws = ingest_service.get_workspace(session, name=workspace)
        service.suggest_for_workspace(
            session,
            workspace=ws,
            embedder=resources.analyzer.embedder,
            model_version=resources.analyzer.model_version,
            drafter=resources.drafter(ws.drafting_backend),
            promotional=resources.promotional,
        )


def blueprint() -> procrastinate.Blueprint:
    """A fresh blueprint per app (procrastinate renames a blueprint's tasks when it is added)."""
    bp = procrastinate.Blueprint()
    bp.task(name="suggest_workspace", queue="suggest", pass_context=True)(suggest_workspace)
    return bp
