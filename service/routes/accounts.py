"""Connected accounts of a workspace: health, last sync, today's reads and spend; sync now and
reconnect. A page for people and the same under /api/workspaces/{name}/accounts for scripts.

Viewers read; owners sync and reconnect. An account of another workspace is 404, like none.
"Sync now" runs the account's sync in the request with the same function as `rapport sync`
(page by page, each page committed), so the page shows its result when it comes back.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from core.errors import PlatformError, RapportError
from core.models import Role
from core.secrets import fernet
from ingest import accounts
from ingest.connectors import ConnectorError, RetriableError
from ingest.schemas import AccountRead
from ingest.sync import SyncReport, SyncRunning, summary, sync_account
from service.auth import OwnerAccess, ViewerAccess, WorkspaceAccess
from service.deps import RowId, SessionDep
from service.templating import templates

router = APIRouter(tags=["accounts"], include_in_schema=False)
api = APIRouter(prefix="/api/workspaces", tags=["accounts"])


class SyncOutcome(BaseModel):
    """What a sync read, and the account as it is now."""

    report: SyncReport
    account: AccountRead


def _run_sync(request: Request, account_id: int) -> SyncReport:
    """The account's sync, as `rapport sync ID` runs it; a platform failure (recorded on the
    account by the sync) is a PlatformError."""
    app = request.app
    try:
        return sync_account(app.state.db, account_id=account_id, fernet=fernet(app.state.settings))
    except ConnectorError as exc:
        later = (
            f"; the worker tries again in {exc.retry_after / 60:.0f} min"
            if isinstance(exc, RetriableError)
            else ""
        )
        raise PlatformError(f"Account {account_id}: {exc}{later}.") from exc


def _fresh(session: SessionDep, access: WorkspaceAccess, account_id: int) -> AccountRead:
    account = accounts.workspace_account(
        session, workspace_id=access.workspace.id, account_id=account_id
    )
    session.refresh(account)  # the sync committed in sessions of its own
    return accounts.account_read(account, today=datetime.now(UTC).date())


# The page.


def _back(name: str, **params: str) -> RedirectResponse:
    query = "?" + urlencode(params) if params else ""
    return RedirectResponse(f"/workspaces/{name}/accounts{query}", status_code=303)


@router.get("/workspaces/{name}/accounts", response_class=HTMLResponse)
def accounts_page(request: Request, session: SessionDep, access: ViewerAccess) -> Response:
    workspace = access.workspace
    rows = accounts.list_workspace_accounts(session, workspace_id=workspace.id)
    return templates.TemplateResponse(
        request,
        "accounts.html",
        {
            "caller": access.caller,
            "workspace": workspace,
            "accounts": rows,
            "note": request.query_params.get("note"),
            "errors": [p] if (p := request.query_params.get("problem")) else [],
            "can_act": access.caller.may(workspace.id, Role.OWNER),
        },
    )


@router.post("/workspaces/{name}/accounts/{account_id}/sync", response_class=HTMLResponse)
def sync_now_page(
    request: Request, account_id: RowId, session: SessionDep, access: OwnerAccess
) -> Response:
    account = accounts.workspace_account(
        session, workspace_id=access.workspace.id, account_id=account_id
    )
    label = f"{account.platform.value} {account.handle}"
    try:
        report = _run_sync(request, account_id)
    except PlatformError as exc:
        return _back(access.workspace.name, problem=f"Sync of {label} failed: {exc.message}")
    except SyncRunning as exc:
        return _back(access.workspace.name, problem=exc.message)
    return _back(access.workspace.name, note=f"Synced {label}: {summary(report)}.")


def _reconnect_page(
    request: Request,
    access: WorkspaceAccess,
    account: AccountRead,
    *,
    typed: dict[str, str] | None = None,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    current: dict[str, Any] = account.settings if typed is None else typed
    return templates.TemplateResponse(
        request,
        "account_reconnect.html",
        {
            "caller": access.caller,
            "workspace": access.workspace,
            "account": account,
            "fields": accounts.settings_form(account.platform, current),
            "errors": errors or [],
        },
        status_code=status_code,
    )


@router.get("/workspaces/{name}/accounts/{account_id}/reconnect", response_class=HTMLResponse)
def reconnect_page(
    request: Request, account_id: RowId, session: SessionDep, access: OwnerAccess
) -> Response:
    account = accounts.workspace_account(
        session, workspace_id=access.workspace.id, account_id=account_id
    )
    today = datetime.now(UTC).date()
    return _reconnect_page(request, access, accounts.account_read(account, today=today))


@router.post("/workspaces/{name}/accounts/{account_id}/reconnect", response_class=HTMLResponse)
async def reconnect_submit(
    request: Request, account_id: RowId, session: SessionDep, access: OwnerAccess
) -> Response:
    account = accounts.workspace_account(
        session, workspace_id=access.workspace.id, account_id=account_id
    )
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    try:
        accounts.reconnect(
            session,
            workspace_id=access.workspace.id,
            account_id=account_id,
            values=accounts.form_values(account.platform, form),
            fernet=fernet(request.app.state.settings),
        )
    except RapportError as exc:
        today = datetime.now(UTC).date()
        return _reconnect_page(
            request,
            access,
            accounts.account_read(account, today=today),
            typed=form,
            errors=[exc.message],
            status_code=exc.status_code,
        )
    note = f"Reconnected {account.platform.value} {account.handle}; the next sync uses it."
    return _back(access.workspace.name, note=note)


# The API.


@api.get("/{name}/accounts")
def list_accounts(session: SessionDep, access: ViewerAccess) -> list[AccountRead]:
    """Every connected account: health, last sync and its result, today's reads and spend."""
    return accounts.list_workspace_accounts(session, workspace_id=access.workspace.id)


@api.get("/{name}/accounts/{account_id}")
def get_account(account_id: RowId, session: SessionDep, access: ViewerAccess) -> AccountRead:
    account = accounts.workspace_account(
        session, workspace_id=access.workspace.id, account_id=account_id
    )
    return accounts.account_read(account, today=datetime.now(UTC).date())


@api.post(
    "/{name}/accounts/{account_id}/sync",
    response_model=SyncOutcome,
    responses={
        409: {"description": "Another sync of this account is running."},
        502: {"description": "The platform failed; `account` says how it is now."},
    },
)
def sync_now(
    request: Request, account_id: RowId, session: SessionDep, access: OwnerAccess
) -> Response | SyncOutcome:
    """Sync the account now, as `rapport sync ID` does; 502 when the platform fails, with the
    reason and the account (its health then says why); 409 while another sync of it runs."""
    accounts.workspace_account(session, workspace_id=access.workspace.id, account_id=account_id)
    try:
        report = _run_sync(request, account_id)
    except PlatformError as exc:
        # An answer, not a raised error: the request's own transaction is not rolled back
        # (nothing of it is wrong; the sync recorded the failure in transactions of its own).
        account = _fresh(session, access, account_id)
        return JSONResponse(
            status_code=exc.status_code,
            content={"detail": exc.message, "account": account.model_dump(mode="json")},
        )
    return SyncOutcome(report=report, account=_fresh(session, access, account_id))


@api.post("/{name}/accounts/{account_id}/reconnect")
def reconnect(
    request: Request,
    account_id: RowId,
    values: dict[str, Any],
    session: SessionDep,
    access: OwnerAccess,
) -> AccountRead:
    """New settings and credentials for the account (every setting, as for a new account);
    it is healthy again and the next sync uses them."""
    account = accounts.reconnect(
        session,
        workspace_id=access.workspace.id,
        account_id=account_id,
        values=values,
        fernet=fernet(request.app.state.settings),
    )
    return accounts.account_read(account, today=datetime.now(UTC).date())
