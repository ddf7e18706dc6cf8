"""Commands about webhooks: endpoints, test events, the delivery log, replay."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from core.database import session_scope
from core.models import DeliveryStatus
from core.secrets import fernet
from core.settings import Settings
from ingest import service as ingest_service
from service.cli.common import (
    WorkspaceOpt,
    app,
    console,
    database,
    resolve_workspace,
    workspace_session,
)
from service.webhooks import service as webhooks_service
from service.webhooks.delivery import Sender
from service.webhooks.schemas import EndpointCreate, EndpointUpdate

webhooks_app = typer.Typer(
    help="Webhooks to your scheduler (Buffer, Zapier, Make, n8n, your own script): signed with "
    "the Standard Webhooks scheme, retried for a day, replayable.",
    no_args_is_help=True,
)
app.add_typer(webhooks_app, name="webhooks")

EndpointArg = Annotated[int, typer.Argument(help="Endpoint id (see `rapport webhooks list`).")]


@webhooks_app.command("add")
def webhooks_add(
    url: Annotated[str, typer.Argument(help="Where to POST events.")],
    workspace: WorkspaceOpt = None,
    events: Annotated[
        list[str] | None,
        typer.Option(
            "--event",
            "-e",
            help="An event type to send (repeatable; default: all). reply.approved, "
            "reply.edited, reply.rejected, reply.expired, reply.handoff_required, "
            "suggestion.created, account.needs_reconnect.",
        ),
    ] = None,
    description: Annotated[str, typer.Option(help="What this endpoint is.")] = "",
) -> None:
    """Add an endpoint; its signing secret is printed once."""
    settings = Settings()
    with workspace_session(workspace) as (session, ws):
        created = webhooks_service.add_endpoint(
            session,
            workspace=ws,
            endpoint_in=EndpointCreate(
                url=url,
                event_types=events or [],
                description=description,
            ),
            fernet=fernet(settings),
            allow_private=settings.webhook_allow_private_targets,
        )
    console.print(f"Added webhook endpoint {created.id} → {created.url}")
    console.print(
        "Events: " + (", ".join(t.value for t in created.event_types) or "all event types")
    )
    console.print(f"Signing secret (shown only now, keep it): [bold]{created.secret}[/bold]")
    console.print(f"Next: [bold]rapport webhooks test {created.id}[/bold]")


@webhooks_app.command("list")
def webhooks_list(workspace: WorkspaceOpt = None) -> None:
    """Endpoints with their health: last status, failures in a row, deliveries waiting or dead."""
    with workspace_session(workspace) as (session, ws):
        endpoints = webhooks_service.list_endpoints(session, workspace=ws)
    if not endpoints:
        console.print("No webhook endpoints. Add one with `rapport webhooks add URL`.")
        return
    table = Table(title=f"Webhooks · {ws.name}")
    for column in ("id", "url", "events", "active", "last status", "failing", "waiting", "dead"):
        table.add_column(column)
    for e in endpoints:
        table.add_row(
            str(e.id),
            e.url + (f"\n[dim]{e.description}[/dim]" if e.description else ""),
            "\n".join(t.value for t in e.event_types) or "all",
            "yes" if e.active else "[yellow]disabled[/yellow]",
            str(e.last_status_code or ("-" if e.last_attempt_at is None else "no answer")),
            f"[red]{e.consecutive_failures} in a row[/red]" if e.consecutive_failures else "",
            str(e.waiting),
            f"[red]{e.dead}[/red]" if e.dead else "0",
        )
    console.print(table)


def _set_active(endpoint_id: int, workspace: str | None, active: bool) -> None:
    settings = Settings()
    with workspace_session(workspace) as (session, ws):
        webhooks_service.update_endpoint(
            session,
            workspace=ws,
            endpoint_id=endpoint_id,
            endpoint_in=EndpointUpdate(active=active),
            allow_private=settings.webhook_allow_private_targets,
        )
    console.print(f"Webhook endpoint {endpoint_id} {'enabled' if active else 'disabled'}.")


@webhooks_app.command("disable")
def webhooks_disable(endpoint: EndpointArg, workspace: WorkspaceOpt = None) -> None:
    """Stop sending to an endpoint (its deliveries wait until it is enabled again)."""
    _set_active(endpoint, workspace, False)


@webhooks_app.command("enable")
def webhooks_enable(endpoint: EndpointArg, workspace: WorkspaceOpt = None) -> None:
    """Send to a disabled endpoint again."""
    _set_active(endpoint, workspace, True)


@webhooks_app.command("remove")
def webhooks_remove(endpoint: EndpointArg, workspace: WorkspaceOpt = None) -> None:
    """Remove an endpoint and its delivery log."""
    with workspace_session(workspace) as (session, ws):
        webhooks_service.remove_endpoint(session, workspace=ws, endpoint_id=endpoint)
    console.print(f"Webhook endpoint {endpoint} removed.")


@webhooks_app.command("test")
def webhooks_test(endpoint: EndpointArg, workspace: WorkspaceOpt = None) -> None:
    """Send a signed `webhook.test` event now and say how the endpoint answered."""
    settings = Settings()
    with database(upgrade=True) as db:
        name = resolve_workspace(db, workspace)
        with session_scope(db) as session, Sender(settings) as sender:
            ws = ingest_service.get_workspace(session, name=name)
            result = webhooks_service.send_test(
                session, workspace=ws, endpoint_id=endpoint, sender=sender, fernet=fernet(settings)
            )
    if result.status == DeliveryStatus.DELIVERED:
        console.print(
            f"[green]Delivered[/green]: HTTP {result.response_status} "
            f"(webhook-id {result.event_id})."
        )
        return
    console.print(f"[red]Not delivered[/red]: {result.last_error}")
    raise typer.Exit(1)


@webhooks_app.command("deliveries")
def webhooks_deliveries(
    endpoint: EndpointArg,
    workspace: WorkspaceOpt = None,
    status: Annotated[
        DeliveryStatus | None,
        typer.Option(help="Only pending, retrying, delivered or dead deliveries."),
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.")] = 30,
) -> None:
    """The endpoint's delivery log: event, status, attempts, last HTTP status or error."""
    with workspace_session(workspace) as (session, ws):
        rows = webhooks_service.deliveries(
            session,
            workspace=ws,
            endpoint_id=endpoint,
            statuses=[status] if status else None,
            limit=limit,
        )
    if not rows:
        console.print("No deliveries yet.")
        return
    table = Table(title=f"Deliveries · endpoint {endpoint}")
    for column in ("id", "event", "status", "attempts", "last answer", "next attempt", "created"):
        table.add_column(column)
    colours = {"delivered": "green", "dead": "red", "retrying": "yellow", "pending": "white"}
    for d in rows:
        answer = str(d.response_status or "") if not d.last_error else d.last_error
        table.add_row(
            str(d.id),
            f"{d.event_type.value}\n[dim]{d.event_id}[/dim]",
            f"[{colours[d.status.value]}]{d.status.value}[/]",
            str(d.attempts),
            answer,
            d.next_attempt_at.strftime("%Y-%m-%d %H:%M:%S") if d.next_attempt_at else "",
            d.created_at.strftime("%Y-%m-%d %H:%M:%S"),
        )
    console.print(table)
    if any(d.status == DeliveryStatus.DEAD for d in rows):
        console.print(f"Replay a dead one with `rapport webhooks replay {endpoint} DELIVERY_ID`.")


@webhooks_app.command("replay")
def webhooks_replay(
    endpoint: EndpointArg,
    delivery: Annotated[int, typer.Argument(help="A dead-lettered delivery's id.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Queue a dead-lettered delivery again (same webhook-id); `rapport worker` sends it."""
    with workspace_session(workspace) as (session, ws):
        webhooks_service.replay(session, workspace=ws, endpoint_id=endpoint, delivery_id=delivery)
    console.print(f"Delivery {delivery} queued again; a running `rapport worker` sends it.")
