"""The suggestion stage as the daily cycle runs it: one transaction per workspace, one writer
per workspace at a time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from analysis.models import Embedder
from core.database import Database, session_scope
from ingest import repository as ingest_repository
from ingest import service as ingest_service
from suggest import repository, service
from suggest.backends import Drafter
from suggest.promotional import PromotionalClassifier
from suggest.schemas import SuggestResult


def suggest_workspace(
    db: Database,
    *,
    workspace: str,
    embedder: Embedder,
    model_version: str,
    drafter_for: Callable[[str], Drafter],
    promotional: PromotionalClassifier | None,
    now: datetime | None = None,
    on_draft: Callable[[int], None] | None = None,
) -> SuggestResult:
    """Queue today's suggestions for one workspace.

    Two runs at once on one workspace take turns (a transaction lock per workspace): the second
    finds the first one's suggestions and adds none, rather than one card per run for a person.
    """
    with session_scope(db) as session:
        ws = ingest_service.get_workspace(session, name=workspace)
        repository.lock_workspace_queue(session, workspace_id=ws.id)
        return service.suggest_for_workspace(
            session,
            workspace=ws,
            embedder=embedder,
            model_version=model_version,
            now=now,
            on_draft=on_draft,
            drafter=drafter_for(ws.drafting_backend),
            promotional=promotional,
        )


# How often the schedule looks for workspaces whose morning is near.
TICK = timedelta(minutes=15)


def mornings_due(db: Database, *, now: datetime) -> list[str]:
    """The workspaces whose morning queue should start now: their local ready time is near."""
    with session_scope(db) as session:
        return [
            w.name
            for w in ingest_repository.list_workspaces(session)
            if service.morning_due(w, since=now - TICK, now=now)
        ]
