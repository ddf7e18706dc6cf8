"""Ingest jobs. The worker passes `resources` (database, models) in the job context."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import procrastinate

from core.database import session_scope
from core.models import AccountHealth
from core.secrets import fernet
from ingest import repository, service
from ingest.connectors import RetriableError
from ingest.sync import sync_account as run_sync


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


class _RetryWhenAsked(procrastinate.BaseRetryStrategy):
    """Retry rate-limited syncs after the platform's own wait, others with backoff."""

    def get_retry_decision(
        self, *, exception: BaseException, job: procrastinate.jobs.Job
    ) -> procrastinate.RetryDecision | None:
        if job.attempts >= 5:
            return None
        if isinstance(exception, RetriableError):
            return procrastinate.RetryDecision(retry_in={"seconds": int(exception.retry_after)})
        return procrastinate.RetryDecision(retry_in={"seconds": 30 * 2**job.attempts})


def sync_account(context: procrastinate.JobContext, *, account_id: int) -> None:
    """Sync one account, then ask for its workspace to be analysed."""
    resources = context.additional_context["resources"]
    run_sync(resources.db, account_id=account_id, fernet=fernet(resources.settings))
    with session_scope(resources.db) as session:
        account = repository.get_account(session, account_id=account_id)
        assert account is not None
        workspace = repository.workspace_name(session, workspace_id=account.workspace_id)
    assert context.app is not None
    context.app.configure_task(
        "analysis:analyse_workspace", queueing_lock=f"analyse:{workspace}"
    ).defer(workspace=workspace)


def schedule_syncs(context: procrastinate.JobContext, timestamp: int) -> None:
    """Every 15 minutes, queue a sync for each healthy account that is due.

    An account's `sync_every_minutes` setting (default 60) is its schedule; the queueing lock
    per account means one account is never synced by two workers at once.
    """
    resources = context.additional_context["resources"]
    now = datetime.fromtimestamp(timestamp, UTC)
    with session_scope(resources.db) as session:
        due = [
            a.id
            for a in repository.list_accounts(session)
            if a.health != AccountHealth.NEEDS_RECONNECT
            and (
                a.last_synced_at is None
                or now - a.last_synced_at
                >= timedelta(minutes=int(a.settings.get("sync_every_minutes", 60)))
            )
        ]
    assert context.app is not None
    for account_id in due:
        try:
            context.app.configure_task(
                "ingest:sync_account", queueing_lock=f"account:{account_id}"
            ).defer(account_id=account_id)
        except procrastinate.exceptions.AlreadyEnqueued:
            pass  # a sync for this account is already waiting


def blueprint() -> procrastinate.Blueprint:
    """A fresh blueprint per app (procrastinate renames a blueprint's tasks when it is added)."""
    bp = procrastinate.Blueprint()
    bp.task(name="import_file", queue="ingest", pass_context=True)(import_file)
    bp.task(name="sync_account", queue="ingest", pass_context=True, retry=_RetryWhenAsked())(
        sync_account
    )
    bp.periodic(cron="*/15 * * * *")(
        bp.task(name="schedule_syncs", queue="schedule", pass_context=True)(schedule_syncs)
    )
    return bp
