"""JSON API: a workspace's webhook endpoints, their delivery log, test events and replay.

Owners only, reading included: an endpoint's URL is often the receiver's secret (a Zapier or
Make hook), and the delivery log holds the replies sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from core.models import DeliveryStatus
from core.secrets import fernet
from core.settings import Settings
from service.auth import OwnerAccess
from service.deps import RowId, SessionDep
from service.webhooks import service as webhooks_service
from service.webhooks.delivery import Sender
from service.webhooks.schemas import (
    DeliveryRead,
    EndpointCreate,
    EndpointCreated,
    EndpointRead,
    EndpointUpdate,
)

router = APIRouter(prefix="/api/workspaces/{name}/webhooks", tags=["webhooks"])


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_sender(request: Request) -> Iterator[Sender]:
    # app.state.webhook_transport lets tests fake the network; unset in production.
    transport = getattr(request.app.state, "webhook_transport", None)
    with Sender(request.app.state.settings, transport=transport) as sender:
        yield sender


SettingsDep = Annotated[Settings, Depends(get_settings)]
SenderDep = Annotated[Sender, Depends(get_sender)]


@router.get("")
def list_endpoints(session: SessionDep, access: OwnerAccess) -> list[EndpointRead]:
    """The workspace's endpoints with their health and how many deliveries wait or died."""
    return webhooks_service.list_endpoints(session, workspace=access.workspace)


@router.post("", status_code=201)
def add_endpoint(
    endpoint_in: EndpointCreate, session: SessionDep, settings: SettingsDep, access: OwnerAccess
) -> EndpointCreated:
    """Register an endpoint. The response carries its signing secret: the only time it is shown."""
    return webhooks_service.add_endpoint(
        session,
        workspace=access.workspace,
        endpoint_in=endpoint_in,
        fernet=fernet(settings),
        allow_private=settings.webhook_allow_private_targets,
    )


@router.patch("/{endpoint_id}")
def update_endpoint(
    endpoint_id: RowId,
    endpoint_in: EndpointUpdate,
    session: SessionDep,
    settings: SettingsDep,
    access: OwnerAccess,
) -> EndpointRead:
    """Change the URL, event types or description, or disable (`"active": false`) an endpoint."""
    return webhooks_service.update_endpoint(
        session,
        workspace=access.workspace,
        endpoint_id=endpoint_id,
        endpoint_in=endpoint_in,
        allow_private=settings.webhook_allow_private_targets,
    )


@router.delete("/{endpoint_id}", status_code=204)
def remove_endpoint(endpoint_id: RowId, session: SessionDep, access: OwnerAccess) -> Response:
    """Remove an endpoint and its delivery log."""
    webhooks_service.remove_endpoint(session, workspace=access.workspace, endpoint_id=endpoint_id)
    return Response(status_code=204)


@router.post("/{endpoint_id}/test")
def send_test(
    endpoint_id: RowId,
    session: SessionDep,
    settings: SettingsDep,
    sender: SenderDep,
    access: OwnerAccess,
) -> DeliveryRead:
    """Send a `webhook.test` event now and return how it went (it is not retried)."""
    return webhooks_service.send_test(
        session,
        workspace=access.workspace,
        endpoint_id=endpoint_id,
        sender=sender,
        fernet=fernet(settings),
    )


@router.get("/{endpoint_id}/deliveries")
def deliveries(
    endpoint_id: RowId,
    session: SessionDep,
    access: OwnerAccess,
    status: Annotated[list[DeliveryStatus] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> list[DeliveryRead]:
    """The endpoint's delivery log, newest first, with status codes and each attempt."""
    return webhooks_service.deliveries(
        session, workspace=access.workspace, endpoint_id=endpoint_id, statuses=status, limit=limit
    )


@router.post("/{endpoint_id}/deliveries/{delivery_id}/replay")
def replay(
    endpoint_id: RowId, delivery_id: RowId, session: SessionDep, access: OwnerAccess
) -> DeliveryRead:
    """Queue a dead-lettered delivery again, with the same `webhook-id`."""
    return webhooks_service.replay(
        session, workspace=access.workspace, endpoint_id=endpoint_id, delivery_id=delivery_id
    )
