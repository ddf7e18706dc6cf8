"""Syncing a connected account: each page's posts and cursors are committed together.

This is a transaction edge (like a request or a job): a crash between pages loses nothing and
duplicates nothing, because the next run starts from the cursors of the last committed page and
storage is idempotent anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from cryptography.fernet import Fernet
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from core.database import Database, session_scope
from core.events import outbox
from core.events.payloads import AccountData
from core.logging import get_logger
from core.models import Account, AccountHealth, EventType
from ingest import accounts, repository
from ingest.connectors import (
    REGISTRY,
    Budget,
    Connector,
    NeedsReconnect,
    OverBudget,
    Page,
    RetriableError,
    Unreachable,
)
from ingest.schemas import StoreResult
from ingest.service import store_posts

log = get_logger(__name__)


class SyncReport(BaseModel):
    account_id: int
    pages: int = 0
    stopped: str | None = None  # why the sync stopped early (e.g. the daily budget)
    result: StoreResult = Field(default_factory=StoreResult)
    errors: list[str] = Field(default_factory=list)


def sync_account(
    db: Database,
    *,
    account_id: int,
    fernet: Fernet,
    since: datetime | None = None,
    connector: Connector | None = None,
    on_page: Callable[[Page], None] | None = None,
    now: datetime | None = None,
) -> SyncReport:
    """Read everything new for one account; `since` skips older posts (e.g. on a first sync)."""
    now = now or datetime.now(UTC)
    with session_scope(db) as session:
        account = accounts.get_account(session, account_id=account_id)
        cursors = dict(account.cursors)
        limit = account.settings.get("daily_budget_usd")
        spent_today = account.spend.get(now.date().isoformat(), {}).get("cost_usd", 0.0)
        budget = Budget(limit_usd=limit, spent_usd=spent_today)
        if connector is None:
            settings = accounts.connector_settings(account, fernet)
            connector = REGISTRY[account.platform].build(settings)
    report = SyncReport(account_id=account_id)
    notices: list[str] = []
    try:
        for page in connector.pages(cursors=cursors, budget=budget):
            posts = [p for p in page.posts if since is None or p.posted_at >= since]
            with session_scope(db) as session:
                locked = repository.lock_account(session, account_id=account_id)
                assert locked is not None
                result = store_posts(session, workspace_id=locked.workspace_id, posts_in=posts)
                locked.cursors = {**locked.cursors, **page.cursor_updates}
                day = now.date().isoformat()
                spent = dict(locked.spend.get(day, {"reads": 0, "cost_usd": 0.0}))
                spent["reads"] += page.reads
                spent["cost_usd"] = round(spent["cost_usd"] + page.cost_usd, 4)
                locked.spend = {**locked.spend, day: spent}
                notices.extend(page.notices)
                locked.health, locked.health_detail = AccountHealth.OK, " ".join(notices)
                locked.last_synced_at = now
            cursors.update(page.cursor_updates)
            report.pages += 1
            report.result.add(result)
            report.result.skipped += len(page.errors)
            report.errors.extend(page.errors)
            if on_page:
                on_page(page)
    except OverBudget as exc:
        report.stopped = str(exc)
        _mark(db, account_id, AccountHealth.OVER_BUDGET, str(exc))
        return report
    except Unreachable as exc:
        _mark(
            db,
            account_id,
            AccountHealth.UNREACHABLE,
            f"{exc}; next try in {exc.retry_after / 60:.0f} min",
        )
        raise
    except RetriableError as exc:
        _mark(
            db,
            account_id,
            AccountHealth.RATE_LIMITED,
            f"{exc}; next try in {exc.retry_after:.0f} s",
        )
        raise
    except NeedsReconnect as exc:
        _mark(
            db,
            account_id,
            AccountHealth.NEEDS_RECONNECT,
            f"{exc}. Reconnect with `rapport accounts add`.",
        )
        raise
    log.info(
        "ingest.sync.done", account_id=account_id, pages=report.pages, **report.result.model_dump()
    )
    return report


def _mark(db: Database, account_id: int, health: AccountHealth, detail: str) -> None:
    with session_scope(db) as session:
        account = repository.lock_account(session, account_id=account_id)
        if account is not None:
            set_health(session, account, health, detail)
    log.warning("ingest.sync.unhealthy", account_id=account_id, health=health.value, detail=detail)


def set_health(session: Session, account: Account, health: AccountHealth, detail: str) -> None:
    """Record an account's health; newly broken credentials also tell the webhooks
    (`account.needs_reconnect`), in the same transaction."""
    newly_broken = health == AccountHealth.NEEDS_RECONNECT and account.health != health
    account.health, account.health_detail = health, detail
    if newly_broken:
        _record_needs_reconnect(session, account)
    session.flush()


def _record_needs_reconnect(session: Session, account: Account) -> None:
    """`account.needs_reconnect` to the workspace's webhooks, committed with the health change."""
    now = datetime.now(UTC)
    outbox.record(
        session,
        workspace_id=account.workspace_id,
        event_type=EventType.ACCOUNT_NEEDS_RECONNECT,
        data=AccountData(
            idempotency_key=outbox.event_id(
                f"account:{account.id}:needs_reconnect:{now.isoformat()}"
            ),
            workspace=repository.workspace_name(session, workspace_id=account.workspace_id),
            account_id=account.id,
            platform=account.platform,
            account=account.handle,
            health=account.health,
            detail=account.health_detail,
        ),
        now=now,
    )
