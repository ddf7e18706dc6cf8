"""Commands about connected platform accounts: accounts add/reconnect/list, sync."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.progress import (
    Progress,
    SpinnerColumn,
    TextColumn,
)
from rich.table import Table

from core.database import session_scope
from core.errors import RapportError
from core.settings import Settings
from ingest import repository as ingest_repository
from ingest import service as ingest_service
from service.cli.common import (
    WorkspaceOpt,
    accounts_app,
    app,
    console,
    database,
    err,
)


def settings_help() -> str:
    from ingest.connectors import REGISTRY

    lines = []
    for platform, spec in REGISTRY.items():
        fields = ", ".join(
            f"{name}{'' if f.is_required() else ' (optional)'}"
            for name, f in spec.settings.model_fields.items()
        )
        lines.append(f"{platform.value}: {fields}")
    return "Settings per platform — " + "; ".join(lines)


def _given(values: list[str] | None, model: type[BaseModel]) -> dict[str, str]:
    """`--set KEY=VALUE` options as a dict; secrets not given are asked for without echo."""
    from ingest import accounts

    given: dict[str, str] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep:
            err.print(f"[red]--set {item}: expected KEY=VALUE.[/red] {settings_help()}")
            raise typer.Exit(2)
        given[key.strip()] = value
    asked = accounts.required_secret_fields(model)
    if given.get("post_replies", "").strip().lower() in ("true", "1", "yes", "on"):
        asked = accounts.secret_fields(model)  # posting needs the optional keys too
    for name in sorted(asked - set(given)):
        field = model.model_fields[name]
        given[name] = typer.prompt(f"{field.title or name}", hide_input=True)
    return given


SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="A connector setting as KEY=VALUE (repeatable). "
        "Secrets left out are asked for without echo.",
    ),
]


@accounts_app.command("add", epilog=settings_help())
def accounts_add(
    platform: Annotated[str, typer.Argument(help="mastodon, bluesky, x or facebook")],
    workspace: Annotated[str, typer.Option("--workspace", "-w", help="Workspace to connect to.")],
    handle: Annotated[str, typer.Option(help="The business's handle on the platform.")],
    values: SetOpt = None,
) -> None:
    """Connect a platform account; its secrets are encrypted at rest and never printed."""
    from core.secrets import fernet
    from ingest import accounts

    try:
        spec = accounts.spec_for(platform)
    except RapportError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from exc
    given = _given(values, spec.settings)
    settings = Settings()
    with database(upgrade=True) as db:
        with session_scope(db) as session:
            ws = ingest_service.get_workspace(session, name=workspace)
            account = accounts.add_account(
                session,
                workspace_id=ws.id,
                platform=platform,
                handle=handle,
                values=given,
                fernet=fernet(settings),
            )
            account_id = account.id
        console.print(f"Connected {platform} account {handle} as account {account_id}.")
        console.print(f"Next: [bold]rapport sync {account_id}[/bold]")


@accounts_app.command("reconnect", epilog=settings_help())
def accounts_reconnect(
    account: Annotated[int, typer.Argument(help="Account id (see `rapport accounts list`).")],
    values: SetOpt = None,
) -> None:
    """New credentials for an account (e.g. after `needs-reconnect`); its other settings stay
    as they are unless given. The account is healthy again and the next sync uses them."""
    from core.secrets import fernet
    from ingest import accounts

    settings = Settings()
    with database(upgrade=True) as db:
        try:
            with session_scope(db) as session:
                row = accounts.get_account(session, account_id=account)
                spec = accounts.spec_for(row.platform.value)
                current = dict(row.settings)
                given = _given(values, spec.settings)
                accounts.reconnect(
                    session,
                    workspace_id=row.workspace_id,
                    account_id=row.id,
                    values={**current, **given},
                    fernet=fernet(settings),
                )
                label = f"{row.platform.value} account {row.handle}"
        except RapportError as exc:
            err.print(f"[red]{exc.message}[/red]")
            raise typer.Exit(1) from exc
    console.print(f"Reconnected {label}. Next: [bold]rapport sync {account}[/bold]")


@accounts_app.command("list")
def accounts_list(workspace: WorkspaceOpt = None) -> None:
    """Connected accounts with their health (ok, rate-limited, needs-reconnect, over-budget,
    unreachable)."""
    with database(upgrade=True) as db, session_scope(db) as session:
        ws_id = ingest_service.get_workspace(session, name=workspace).id if workspace else None
        rows = ingest_repository.list_accounts(session, workspace_id=ws_id)
        names = {w.id: w.name for w in ingest_repository.list_workspaces(session)}
        today = datetime.now(UTC).date().isoformat()
        table = Table(title="Accounts")
        for column in (
            "id",
            "workspace",
            "platform",
            "handle",
            "health",
            "last sync",
            "reads today",
            "cost today",
        ):
            table.add_column(column)
        for a in rows:
            spent = a.spend.get(today, {})
            health = a.health.value + (f"\n[dim]{a.health_detail}[/dim]" if a.health_detail else "")
            table.add_row(
                str(a.id),
                names.get(a.workspace_id, "?"),
                a.platform.value,
                a.handle,
                health,
                a.last_synced_at.strftime("%Y-%m-%d %H:%M") if a.last_synced_at else "never",
                str(spent.get("reads", 0)),
                f"${spent.get('cost_usd', 0.0):.2f}",
            )
        console.print(table if rows else "No accounts yet. Add one with `rapport accounts add`.")


@app.command()
def sync(
    account: Annotated[
        int | None, typer.Argument(help="Account id (default: every account).")
    ] = None,
    since: Annotated[
        datetime | None, typer.Option(help="Skip posts older than this date (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Read new posts from connected accounts, page by page, with a progress bar."""
    from core.secrets import fernet
    from ingest.connectors import ConnectorError, RetriableError
    from ingest.sync import SyncRunning, summary, sync_account

    settings = Settings()
    key = fernet(settings)
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    failed = False
    with database(upgrade=True) as db:
        with session_scope(db) as session:
            ids = [account] if account else [a.id for a in ingest_repository.list_accounts(session)]
        if not ids:
            console.print("No accounts yet. Add one with `rapport accounts add`.")
            return
        for account_id in ids:
            with Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TextColumn("{task.completed} pages"),
                console=console,
            ) as bar:
                task = bar.add_task(f"Account {account_id}", total=None)
                try:
                    report = sync_account(
                        db,
                        account_id=account_id,
                        fernet=key,
                        since=since,
                        on_page=lambda _p, t=task: bar.advance(t),  # type: ignore[misc]
                    )
                except SyncRunning as exc:
                    failed = True
                    err.print(f"[yellow]{exc.message}[/yellow]")
                    continue
                except ConnectorError as exc:
                    failed = True
                    later = (
                        f"; `rapport worker` tries again in {exc.retry_after / 60:.0f} min"
                        if isinstance(exc, RetriableError)
                        else ""
                    )
                    err.print(f"[red]Account {account_id}: {exc}{later}.[/red]")
                    continue
            console.print(f"Account {account_id}: {summary(report)}.")
    if failed:
        raise typer.Exit(1)
