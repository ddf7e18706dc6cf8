"""Webhook endpoints on the settings page (owners only): add one (its secret shown once),
disable or enable, remove, send a test event, and each endpoint's delivery log with replay of a
dead-lettered delivery. The same service as the API and the CLI; plain forms, CSRF-protected.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from core.errors import RapportError
from core.models import DeliveryStatus
from core.secrets import fernet
from service.auth import OwnerAccess
from service.deps import RowId, SessionDep
from service.routes.settings import redirect_back, render_settings
from service.routes.webhooks import SenderDep, SettingsDep
from service.templating import templates
from service.webhooks import service as webhooks_service
from service.webhooks.schemas import EndpointCreate, EndpointUpdate

router = APIRouter(tags=["settings"], include_in_schema=False)
PREFIX = "/workspaces/{name}/settings/webhooks"


def _settings_url(access: OwnerAccess) -> str:
    return f"/workspaces/{access.workspace.name}/settings"


@router.post(PREFIX, response_class=HTMLResponse)
async def add_endpoint(
    request: Request, session: SessionDep, settings: SettingsDep, access: OwnerAccess
) -> Response:
    """Add an endpoint; the page shows its signing secret this once (never in a URL)."""
    form = await request.form()
    endpoint_in = EndpointCreate(
        url=str(form.get("url") or "").strip(),
        event_types=[str(v) for v in form.getlist("event_types")],
        description=str(form.get("description") or "").strip(),
    )
    try:
        created = webhooks_service.add_endpoint(
            session,
            workspace=access.workspace,
            endpoint_in=endpoint_in,
            fernet=fernet(settings),
            allow_private=settings.webhook_allow_private_targets,
        )
    except RapportError as exc:
        return render_settings(request, session, access, errors=[exc.message], status_code=422)
    return render_settings(request, session, access, new_endpoint=created, status_code=201)


@router.post(PREFIX + "/{endpoint_id}/active")
def set_active(
    endpoint_id: RowId,
    session: SessionDep,
    settings: SettingsDep,
    access: OwnerAccess,
    active: Annotated[bool, Form()],
) -> Response:
    """Disable (nothing is sent to it; deliveries wait) or enable an endpoint."""
    try:
        webhooks_service.update_endpoint(
            session,
            workspace=access.workspace,
            endpoint_id=endpoint_id,
            endpoint_in=EndpointUpdate(active=active),
            allow_private=settings.webhook_allow_private_targets,
        )
    except RapportError as exc:
        return redirect_back(_settings_url(access), saved=exc.message)
    state = "enabled" if active else "disabled"
    return redirect_back(_settings_url(access), saved=f"Webhook endpoint {endpoint_id} {state}.")


@router.post(PREFIX + "/{endpoint_id}/remove")
def remove_endpoint(endpoint_id: RowId, session: SessionDep, access: OwnerAccess) -> Response:
    """Remove an endpoint and its delivery log."""
    try:
        webhooks_service.remove_endpoint(
            session, workspace=access.workspace, endpoint_id=endpoint_id
        )
    except RapportError as exc:
        return redirect_back(_settings_url(access), saved=exc.message)
    return redirect_back(_settings_url(access), saved=f"Webhook endpoint {endpoint_id} removed.")


@router.post(PREFIX + "/{endpoint_id}/test")
def send_test(
    endpoint_id: RowId,
    session: SessionDep,
    settings: SettingsDep,
    sender: SenderDep,
    access: OwnerAccess,
) -> Response:
    """Send a `webhook.test` event now; the page says how it went."""
    try:
        delivery = webhooks_service.send_test(
            session,
            workspace=access.workspace,
            endpoint_id=endpoint_id,
            sender=sender,
            fernet=fernet(settings),
        )
    except RapportError as exc:
        return redirect_back(_settings_url(access), saved=exc.message)
    if delivery.status == DeliveryStatus.DELIVERED:
        note = f"Test event delivered: the endpoint answered {delivery.response_status}."
    else:
        answer = delivery.response_status or "nothing"
        note = f"Test event not delivered (answer: {answer}). {delivery.last_error}".strip()
    return redirect_back(_settings_url(access), saved=note)


@router.get(PREFIX + "/{endpoint_id}", response_class=HTMLResponse)
def delivery_log(
    request: Request, endpoint_id: RowId, session: SessionDep, access: OwnerAccess
) -> Response:
    """The endpoint's deliveries, newest first; a dead one can be replayed."""
    endpoint = webhooks_service.get_endpoint(
        session, workspace=access.workspace, endpoint_id=endpoint_id
    )
    deliveries = webhooks_service.deliveries(
        session, workspace=access.workspace, endpoint_id=endpoint_id, limit=100
    )
    return templates.TemplateResponse(
        request,
        "webhook_deliveries.html",
        {
            "caller": access.caller,
            "workspace": access.workspace,
            "endpoint": endpoint,
            "deliveries": deliveries,
            "saved": request.query_params.get("saved"),
        },
    )


@router.post(PREFIX + "/{endpoint_id}/deliveries/{delivery_id}/replay")
def replay(
    endpoint_id: RowId, delivery_id: RowId, session: SessionDep, access: OwnerAccess
) -> Response:
    """Queue a dead-lettered delivery again (same `webhook-id`); the worker sends it."""
    log_url = f"{_settings_url(access)}/webhooks/{endpoint_id}"
    try:
        webhooks_service.replay(
            session, workspace=access.workspace, endpoint_id=endpoint_id, delivery_id=delivery_id
        )
    except RapportError as exc:
        return redirect_back(log_url, saved=exc.message)
    return redirect_back(
        log_url, saved=f"Delivery {delivery_id} queued again: the worker sends it."
    )
