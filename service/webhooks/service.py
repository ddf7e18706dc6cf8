"""Webhook endpoints of a workspace, and delivering the outbox."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

from cryptography.fernet import Fernet
from sqlalchemy.orm import Session

from core.errors import Conflict, InvalidInput, NotFound
from core.events import outbox
from core.events.payloads import TestData
from core.logging import get_logger
from core.models import (
    DeliveryStatus,
    EventType,
    WebhookDelivery,
    WebhookEndpoint,
    Workspace,
)
from service.webhooks import repository
from service.webhooks.delivery import Attempt, Message, Sender, next_delay
from service.webhooks.schemas import (
    DeliveryRead,
    EndpointCreate,
    EndpointCreated,
    EndpointRead,
    EndpointUpdate,
)
from service.webhooks.targets import check_url

log = get_logger(__name__)

LOG_LIMIT = 20  # attempts kept in a delivery's log


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _read(endpoint: WebhookEndpoint, counts: dict[tuple[int, DeliveryStatus], int]) -> EndpointRead:
    read = EndpointRead.model_validate(endpoint)
    read.waiting = counts.get((endpoint.id, DeliveryStatus.PENDING), 0) + counts.get(
        (endpoint.id, DeliveryStatus.RETRYING), 0
    )
    read.dead = counts.get((endpoint.id, DeliveryStatus.DEAD), 0)
    return read


def add_endpoint(
    session: Session,
    *,
    workspace: Workspace,
    endpoint_in: EndpointCreate,
    fernet: Fernet,
    allow_private: bool,
) -> EndpointCreated:
    """Register an endpoint; its secret is returned once and stored encrypted."""
    check_url(endpoint_in.url, allow_private=allow_private)
    secret = new_secret()
    endpoint = WebhookEndpoint(
        workspace_id=workspace.id,
        url=endpoint_in.url,
        description=endpoint_in.description,
        secret_encrypted=fernet.encrypt(secret.encode()),
        event_types=sorted({t.value for t in require_events(endpoint_in.event_types)}),
        active=True,
        consecutive_failures=0,
    )
    session.add(endpoint)
    session.flush()
    return EndpointCreated.model_validate(_read(endpoint, {}).model_dump() | {"secret": secret})


def list_endpoints(session: Session, *, workspace: Workspace) -> list[EndpointRead]:
    endpoints = repository.list_endpoints(session, workspace_id=workspace.id)
    counts = repository.delivery_counts(session, endpoint_ids=[e.id for e in endpoints])
    return [_read(e, counts) for e in endpoints]


def get_endpoint(session: Session, *, workspace: Workspace, endpoint_id: int) -> WebhookEndpoint:
    endpoint = repository.get_endpoint(session, workspace_id=workspace.id, endpoint_id=endpoint_id)
    if endpoint is None:
        raise NotFound(f"No webhook endpoint {endpoint_id} in workspace '{workspace.name}'.")
    return endpoint


def update_endpoint(
    session: Session,
    *,
    workspace: Workspace,
    endpoint_id: int,
    endpoint_in: EndpointUpdate,
    allow_private: bool,
) -> EndpointRead:
    endpoint = get_endpoint(session, workspace=workspace, endpoint_id=endpoint_id)
    if endpoint_in.url is not None:
        check_url(endpoint_in.url, allow_private=allow_private)
        endpoint.url = endpoint_in.url
    if endpoint_in.event_types is not None:
        endpoint.event_types = sorted({t.value for t in require_events(endpoint_in.event_types)})
    if endpoint_in.description is not None:
        endpoint.description = endpoint_in.description
    if endpoint_in.active is not None:
        endpoint.active = endpoint_in.active
    session.flush()
    counts = repository.delivery_counts(session, endpoint_ids=[endpoint.id])
    return _read(endpoint, counts)


def remove_endpoint(session: Session, *, workspace: Workspace, endpoint_id: int) -> None:
    """Delete the endpoint and its delivery log."""
    session.delete(get_endpoint(session, workspace=workspace, endpoint_id=endpoint_id))
    session.flush()


def has_scheduler(session: Session, *, workspace_id: int) -> bool:
    """An active endpoint takes `reply.approved`: approved replies go to a scheduler."""
    return bool(
        outbox.subscribed_endpoint_ids(
            session, workspace_id=workspace_id, event_type=EventType.REPLY_APPROVED
        )
    )


def deliveries(
    session: Session,
    *,
    workspace: Workspace,
    endpoint_id: int,
    statuses: Sequence[DeliveryStatus] | None = None,
    limit: int = 50,
) -> list[DeliveryRead]:
    """The endpoint's delivery log, newest first."""
    get_endpoint(session, workspace=workspace, endpoint_id=endpoint_id)
    rows = repository.list_deliveries(
        session, endpoint_id=endpoint_id, statuses=statuses, limit=limit
    )
    return [DeliveryRead.model_validate(d) for d in rows]


def replay(
    session: Session,
    *,
    workspace: Workspace,
    endpoint_id: int,
    delivery_id: int,
    now: datetime | None = None,
) -> DeliveryRead:
    """Send a dead-lettered delivery again (same `webhook-id`), with a fresh retry schedule."""
    now = now or datetime.now(UTC)
    get_endpoint(session, workspace=workspace, endpoint_id=endpoint_id)
    delivery = repository.get_delivery(session, endpoint_id=endpoint_id, delivery_id=delivery_id)
    if delivery is None:
        raise NotFound(f"No delivery {delivery_id} for webhook endpoint {endpoint_id}.")
    if delivery.status != DeliveryStatus.DEAD:
        raise Conflict(
            f"Delivery {delivery_id} is {delivery.status.value}: only a dead-lettered delivery "
            "can be replayed."
        )
    delivery.status, delivery.attempts, delivery.next_attempt_at = DeliveryStatus.PENDING, 0, now
    delivery.attempt_log = [*delivery.attempt_log, {"at": now.isoformat(), "replayed": True}][
        -LOG_LIMIT:
    ]
    session.flush()
    return DeliveryRead.model_validate(delivery)


def send_test(
    session: Session,
    *,
    workspace: Workspace,
    endpoint_id: int,
    sender: Sender,
    fernet: Fernet,
    now: datetime | None = None,
) -> DeliveryRead:
    """Send a `webhook.test` event to one endpoint now; it is not retried."""
    now = now or datetime.now(UTC)
    endpoint = get_endpoint(session, workspace=workspace, endpoint_id=endpoint_id)
    event = outbox.event_id(f"test:{endpoint.id}:{now.isoformat()}:{secrets.token_hex(4)}")
    outbox.record(
        session,
        workspace_id=workspace.id,
        event_type=EventType.WEBHOOK_TEST,
        data=TestData(
            idempotency_key=event,
            workspace=workspace.name,
            endpoint_id=endpoint.id,
            message="A test event from Rapport: your endpoint is reachable and the signature "
            "verifies with your secret.",
        ),
        now=now,
        endpoint_ids=[endpoint.id],
    )
    delivery = repository.delivery_by_event(session, endpoint_id=endpoint.id, event_id=event)
    attempt = sender.send(_message(delivery, endpoint, fernet, {}))
    _apply(delivery, endpoint, attempt, now=now, scale=1.0, retry=False)
    session.flush()
    return DeliveryRead.model_validate(delivery)


def _message(
    delivery: WebhookDelivery, endpoint: WebhookEndpoint, fernet: Fernet, plain: dict[int, str]
) -> Message:
    if endpoint.id not in plain:  # decrypted once per endpoint and batch
        plain[endpoint.id] = fernet.decrypt(endpoint.secret_encrypted).decode()
    return Message(
        delivery_id=delivery.id,
        endpoint_id=endpoint.id,
        url=endpoint.url,
        secret=plain[endpoint.id],
        event_id=delivery.event_id,
        payload=delivery.payload,
    )


def _apply(
    delivery: WebhookDelivery,
    endpoint: WebhookEndpoint,
    attempt: Attempt,
    *,
    now: datetime,
    scale: float,
    retry: bool = True,
) -> None:
    """Record an attempt on the delivery (status, log, next attempt) and the endpoint's health."""
    delivery.attempts += 1
    delivery.response_status = attempt.status_code
    delivery.last_error = attempt.error
    entry = {"at": now.isoformat(), "status": attempt.status_code, "ms": attempt.ms}
    if attempt.error:
        entry["error"] = attempt.error
    delivery.attempt_log = [*delivery.attempt_log, entry][-LOG_LIMIT:]
    endpoint.last_attempt_at, endpoint.last_status_code = now, attempt.status_code
    if attempt.ok:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            DeliveryStatus.DELIVERED,
            now,
            None,
        )
        endpoint.consecutive_failures = 0
        return
    endpoint.consecutive_failures += 1
    delay = next_delay(delivery.attempts, attempt.retry_after, scale)
    if delay is None or attempt.refused or not retry:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.DEAD, None
        log.warning(
            "webhooks.delivery.dead",
            delivery_id=delivery.id,
            endpoint_id=endpoint.id,
            attempts=delivery.attempts,
            error=attempt.error,
        )
    else:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.RETRYING, now + delay


def deliver_due(
    session: Session,
    *,
    sender: Sender,
    fernet: Fernet,
    now: datetime | None = None,
    limit: int = 100,
    scale: float = 1.0,
) -> int:
    """Send one batch of due deliveries (locked, so workers never send the same row at once).

    The rows stay locked while their requests are in flight: if the worker dies, the
    transaction rolls back and the rows are sent again by the next batch (receivers de-duplicate
    on `webhook-id`). Returns how many were attempted.
    """
    now = now or datetime.now(UTC)
    claimed = repository.claim_due(session, now=now, limit=limit)
    if not claimed:
        return 0
    plain: dict[int, str] = {}
    messages = [_message(d, e, fernet, plain) for d, e in claimed]
    attempts = sender.send_all(messages)
    endpoints = repository.lock_endpoints(session, ids=sorted({e.id for _, e in claimed}))
    for (delivery, endpoint), attempt in zip(claimed, attempts, strict=True):
        _apply(delivery, endpoints.get(endpoint.id, endpoint), attempt, now=now, scale=scale)
    session.flush()
    log.info(
        "webhooks.batch",
        attempted=len(attempts),
        delivered=sum(a.ok for a in attempts),
    )
    return len(attempts)


def require_events(values: Sequence[str]) -> list[EventType]:
    """Event type names from the CLI, or a clear error listing the known ones."""
    known = {t.value: t for t in EventType if t != EventType.WEBHOOK_TEST}
    unknown = [v for v in values if v not in known]
    if unknown:
        raise InvalidInput(
            f"Unknown event type {', '.join(unknown)}; use any of: {', '.join(known)}."
        )
    return [known[v] for v in values]
