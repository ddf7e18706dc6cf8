"""The webhook outbox: one delivery row per subscribed endpoint, in the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import any_, delete, literal, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.events.payloads import Envelope, EventData
from core.models import DeliveryStatus, EventType, WebhookDelivery, WebhookEndpoint

# Event ids are derived from what the event is about, so recording it twice sends it once.
_NAMESPACE = uuid.UUID("5b0f3c36-9d55-4b7e-8f8e-6a1f3d2c9e41")


def event_id(key: str) -> str:
    """The `webhook-id` of the event named by `key` (e.g. "ws:suggestion:12:reply.approved")."""
    return f"msg_{uuid.uuid5(_NAMESPACE, key).hex}"


def subscribed_endpoint_ids(
    session: Session, *, workspace_id: int, event_type: EventType
) -> list[int]:
    """Active endpoints of the workspace that take this event type (no types = all types)."""
    return list(
        session.scalars(
            select(WebhookEndpoint.id)
            .where(
                WebhookEndpoint.workspace_id == workspace_id,
                WebhookEndpoint.active.is_(True),
                or_(
                    WebhookEndpoint.event_types == [],
                    literal(event_type.value) == any_(WebhookEndpoint.event_types),
                ),
            )
            .order_by(WebhookEndpoint.id)
        )
    )


def record(
    session: Session,
    *,
    workspace_id: int,
    event_type: EventType,
    data: EventData,
    suggestion_id: int | None = None,
    now: datetime | None = None,
    endpoint_ids: list[int] | None = None,
    not_before: datetime | None = None,
) -> int:
    """Write the event's delivery rows (flush only: they commit with the caller's change);
    the first attempt waits until `not_before` when given.

    `data.idempotency_key` is the event id. Returns how many endpoints will receive it; an event
    already recorded for an endpoint is not recorded again.
    """
    if endpoint_ids is None:
        endpoint_ids = subscribed_endpoint_ids(
            session, workspace_id=workspace_id, event_type=event_type
        )
    if not endpoint_ids:
        return 0
    now = now or datetime.now(UTC)
    payload = Envelope(type=event_type, timestamp=now, data=data).model_dump(mode="json")
    result = session.execute(
        insert(WebhookDelivery)
        .values(
            [
                {
                    "endpoint_id": endpoint_id,
                    "suggestion_id": suggestion_id,
                    "event_id": data.idempotency_key,
                    "event_type": event_type,
                    "status": DeliveryStatus.PENDING,
                    "payload": payload,
                    "next_attempt_at": max(now, not_before) if not_before else now,
                    "created_at": now,
                    "last_error": "",
                    "attempts": 0,
                    "attempt_log": [],
                }
                for endpoint_id in endpoint_ids
            ]
        )
        .on_conflict_do_nothing(index_elements=["endpoint_id", "event_id"])
    )
    return int(getattr(result, "rowcount", 0) or 0)


def withdraw(session: Session, *, suggestion_id: int, event_types: list[EventType]) -> bool:
    """Take back a suggestion's events that no endpoint has been sent yet (an undone decision).

    Returns False, withdrawing nothing, when one of them was already attempted: the receiver
    may have it, so only the receiver can take it back.
    """
    if not event_types:
        return True
    mine = (WebhookDelivery.suggestion_id == suggestion_id) & WebhookDelivery.event_type.in_(
        event_types
    )
    attempted = session.scalar(
        select(WebhookDelivery.id)
        .where(mine, WebhookDelivery.attempts > 0)
        .limit(1)
        .with_for_update()
    )
    if attempted is not None:
        return False
    session.execute(delete(WebhookDelivery).where(mine))
    return True
