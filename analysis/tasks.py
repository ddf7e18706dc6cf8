"""The analysis stage as the daily cycle runs it: every batch and every group of profiles is its
own transaction, so a run that is killed keeps what it finished and the next one carries on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from analysis import repository, service
from core.database import Database, session_scope
from core.logging import get_logger

log = get_logger(__name__)

PROFILES_PER_TRANSACTION = 500


def started_at(db: Database) -> datetime:
    """Now, by the database's clock (what `refresh_profiles(since=…)` compares with)."""
    with session_scope(db) as session:
        return repository.database_now(session)


def count_pending(db: Database, *, workspace_id: int, model_version: str) -> int:
    with session_scope(db) as session:
        return repository.count_to_analyse(
            session, workspace_id=workspace_id, model_version=model_version
        )


def analyse_workspace(
    db: Database,
    *,
    workspace_id: int,
    analyzer: service.Analyzer,
    batch_size: int = 256,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Read every post not yet read at the analyzer's model version, committing each batch."""
    total = 0
    while True:
        with session_scope(db) as session:
            n, _ = service.analyse_batch(
                session, workspace_id=workspace_id, analyzer=analyzer, limit=batch_size
            )
        if not n:
            break
        total += n
        if on_batch:
            on_batch(n)
    log.info("analysis.workspace.done", workspace_id=workspace_id, posts=total)
    return total


def refresh_profiles(
    db: Database,
    *,
    workspace_id: int,
    model_version: str,
    since: datetime,
    now: datetime | None = None,
) -> int:
    """Rebuild the profiles of everyone with a post read since `since` (database time)."""
    with session_scope(db) as session:
        people = repository.people_analysed_since(
            session, workspace_id=workspace_id, model_version=model_version, since=since
        )
    for start in range(0, len(people), PROFILES_PER_TRANSACTION):
        with session_scope(db) as session:
            service.update_profiles(
                session,
                workspace_id=workspace_id,
                model_version=model_version,
                person_ids=people[start : start + PROFILES_PER_TRANSACTION],
                now=now,
            )
    log.info("analysis.profiles.done", workspace_id=workspace_id, people=len(people))
    return len(people)
