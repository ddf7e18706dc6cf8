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
from core.errors import Conflict
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


class SyncRunning(Conflict):
    """This account is being synced right now; try again when that sync is done."""


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
    """Read everything new for one account; `since` skips older posts (e.g. on a first sync).

    One sync at a time per account: while one runs (the worker's, the CLI's, the accounts
    page's), another is refused with SyncRunning instead of reading the same posts again.
    """
    with db.engine.connect() as conn:
        if not repository.try_lock_sync(conn, account_id=account_id):
            conn.rollback()
            raise SyncRunning(
                f"Account {account_id} is being synced right now (by the worker or someone "
                "else); its result shows when that sync is done."
            )
        conn.commit()  # the lock is the connection's, not the transaction's
        try:
            return _sync(
                db,
                account_id=account_id,
                fernet=fernet,
                since=since,
                connector=connector,
                on_page=on_page,
                now=now,
            )
        finally:
            repository.unlock_sync(conn, account_id=account_id)
            conn.commit()


def _sync(
    db: Database,
    *,
    account_id: int,
    fernet: Fernet,
    since: datetime | None = None,
    connector: Connector | None = None,
    on_page: Callable[[Page], None] | None = None,
    now: datetime | None = None,
) -> SyncReport:
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
                accounts.set_health(locked, AccountHealth.OK, " ".join(notices), now=now)
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
        _finish(db, account_id, now, AccountHealth.OVER_BUDGET, str(exc), summary(report))
        return report
    except Unreachable as exc:
        detail = f"{exc}; next try in {exc.retry_after / 60:.0f} min"
        _finish(db, account_id, now, AccountHealth.UNREACHABLE, detail, f"failed: {detail}")
        raise
    except RetriableError as exc:
        detail = f"{exc}; next try in {exc.retry_after:.0f} s"
        _finish(db, account_id, now, AccountHealth.RATE_LIMITED, detail, f"failed: {detail}")
        raise
    except NeedsReconnect as exc:
        detail = f"{exc}. {reconnect_hint(account_id)}"
        _finish(db, account_id, now, AccountHealth.NEEDS_RECONNECT, detail, f"failed: {detail}")
        raise
    _finish(db, account_id, now, AccountHealth.OK, " ".join(notices), summary(report))
    log.info(
        "ingest.sync.done", account_id=account_id, pages=report.pages, **report.result.model_dump()
    )
    return report


def reconnect_hint(account_id: int) -> str:
    """Where an owner puts an account right, said the same by every part that finds it broken."""
    return f"Reconnect it on the Accounts page or with `rapport accounts reconnect {account_id}`."


def summary(report: SyncReport) -> str:
    """How a sync ended, in one line for the accounts page and list."""
    r = report.result
    text = (
        f"{r.posts_new} new posts, {r.posts_updated} updated, {r.people_new} new people, "
        f"{r.skipped} skipped ({report.pages} page{'' if report.pages == 1 else 's'})"
    )
    return f"{text}; stopped early: {report.stopped}" if report.stopped else text


def _finish(
    db: Database,
    account_id: int,
    now: datetime,
    health: AccountHealth,
    detail: str,
    result: str,
) -> None:
    """Record how the sync ended and the account's health (a new breakage goes out as an
    `account.needs_reconnect` event, committed with it)."""
    with session_scope(db) as session:
        account = repository.lock_account(session, account_id=account_id)
        if account is not None:
            set_health(session, account, health, detail, now=now)
            account.sync_finished_at, account.sync_result = now, result
    if health != AccountHealth.OK:
        log.warning(
            "ingest.sync.unhealthy", account_id=account_id, health=health.value, detail=detail
        )


def set_health(
    session: Session,
    account: Account,
    health: AccountHealth,
    detail: str,
    *,
    now: datetime | None = None,
) -> None:
    """Record an account's health; newly broken credentials also tell the webhooks
    (`account.needs_reconnect`), in the same transaction."""
    now = now or datetime.now(UTC)
    changed = accounts.set_health(account, health, detail, now=now)
    if changed and health == AccountHealth.NEEDS_RECONNECT:
        _record_needs_reconnect(session, account, now=now)
    session.flush()


def _record_needs_reconnect(session: Session, account: Account, *, now: datetime) -> None:
    """`account.needs_reconnect` to the workspace's webhooks, committed with the health change."""
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
