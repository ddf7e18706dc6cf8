"""Suggestion jobs: draft the Today queue for a workspace."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import procrastinate

from core.database import session_scope
from ingest import repository as ingest_repository
from ingest import service as ingest_service
from suggest import service

TICK = timedelta(minutes=15)


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


def schedule_mornings(context: procrastinate.JobContext, timestamp: int) -> None:
    """Every 15 minutes, start the morning queue of each workspace whose ready time is near:
    read what is new, then draft (analysis chains to suggestion)."""
    resources = context.additional_context["resources"]
    now = datetime.fromtimestamp(timestamp, UTC)
    with session_scope(resources.db) as session:
        due = [
            w.name
            for w in ingest_repository.list_workspaces(session)
            if service.morning_due(w, since=now - TICK, now=now)
        ]
    assert context.app is not None
    for name in due:
        try:
            context.app.configure_task(
                "analysis:analyse_workspace", queueing_lock=f"analyse:{name}"
            ).defer(workspace=name)
        except procrastinate.exceptions.AlreadyEnqueued:
            pass  # already waiting to be read


def blueprint() -> procrastinate.Blueprint:
    """A fresh blueprint per app (procrastinate renames a blueprint's tasks when it is added)."""
    bp = procrastinate.Blueprint()
    bp.task(name="suggest_workspace", queue="suggest", pass_context=True)(suggest_workspace)
    bp.periodic(cron="*/15 * * * *")(
        bp.task(name="schedule_mornings", queue="schedule", pass_context=True)(schedule_mornings)
    )
    return bp
