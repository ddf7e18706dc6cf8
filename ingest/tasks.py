"""The ingest stage as the daily cycle runs it (each function is a transaction edge)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from cryptography.fernet import Fernet

from core.database import Database, session_scope
from core.models import AccountHealth
from ingest import repository, service
from ingest.sync import SyncReport
from ingest.sync import sync_account as run_sync


def import_file(db: Database, *, workspace: str, path: Path) -> service.ImportReport:
    """Import an export file into a workspace (one transaction)."""
    with session_scope(db) as session:
        ws = service.get_workspace(session, name=workspace)
        return service.import_file(session, workspace_id=ws.id, path=path)


def sync_account(db: Database, *, account_id: int, fernet: Fernet) -> tuple[str, SyncReport]:
    """Sync one account page by page; return its workspace's name and the report."""
    report = run_sync(db, account_id=account_id, fernet=fernet)
    with session_scope(db) as session:
        account = repository.get_account(session, account_id=account_id)
        assert account is not None
        return repository.workspace_name(session, workspace_id=account.workspace_id), report


def accounts_due(db: Database, *, now: datetime) -> list[int]:
    """Healthy accounts whose schedule (`sync_every_minutes`, default 60) says sync now."""
    with session_scope(db) as session:
        return [
            a.id
            for a in repository.list_accounts(session)
            if a.health != AccountHealth.NEEDS_RECONNECT
            and (
                a.last_synced_at is None
                or now - a.last_synced_at
                >= timedelta(minutes=int(a.settings.get("sync_every_minutes", 60)))
            )
        ]
