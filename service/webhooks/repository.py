"""Every query about webhook endpoints and deliveries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from core.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

WAITING = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)


def list_endpoints(session: Session, *, workspace_id: int) -> Sequence[WebhookEndpoint]:
    return session.scalars(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.workspace_id == workspace_id)
        .order_by(WebhookEndpoint.id)
    ).all()


def get_endpoint(
    session: Session, *, workspace_id: int, endpoint_id: int
) -> WebhookEndpoint | None:
    return session.scalar(
        select(WebhookEndpoint).where(
            WebhookEndpoint.workspace_id == workspace_id, WebhookEndpoint.id == endpoint_id
        )
    )


def delivery_counts(
    session: Session, *, endpoint_ids: Sequence[int]
) -> dict[tuple[int, DeliveryStatus], int]:
    rows = session.execute(
        select(WebhookDelivery.endpoint_id, WebhookDelivery.status, func.count())
        .where(WebhookDelivery.endpoint_id.in_(endpoint_ids))
        .group_by(WebhookDelivery.endpoint_id, WebhookDelivery.status)
    ).all()
    return {(row[0], row[1]): int(row[2]) for row in rows}


def list_deliveries(
    session: Session,
    *,
    endpoint_id: int,
    statuses: Sequence[DeliveryStatus] | None = None,
    limit: int = 50,
) -> Sequence[WebhookDelivery]:
    query = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)
    if statuses:
        query = query.where(WebhookDelivery.status.in_(statuses))
    return session.scalars(query.order_by(WebhookDelivery.id.desc()).limit(limit)).all()


def get_delivery(session: Session, *, endpoint_id: int, delivery_id: int) -> WebhookDelivery | None:
    return session.scalar(
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.id == delivery_id)
        .with_for_update()
    )


def claim_due(
    session: Session, *, now: datetime, limit: int
) -> list[tuple[WebhookDelivery, WebhookEndpoint]]:
    """Due deliveries of active endpoints, locked for this transaction; rows another worker
    holds are skipped, so any number of workers can deliver at once.

    Round-robin by endpoint: each endpoint's oldest due delivery first, then each one's second,
    and so on, so an endpoint with a long backlog does not keep the others' out of the batch.
    """
    # Per active endpoint, its oldest waiting deliveries in order (an index range each), with
    # their turn: 1 for each endpoint's oldest, 2 for the next, ...
    candidates = (
        select(
            WebhookDelivery.id,
            func.row_number()
            .over(order_by=(WebhookDelivery.next_attempt_at, WebhookDelivery.id))
            .label("turn"),
        )
        .where(
            WebhookDelivery.endpoint_id == WebhookEndpoint.id,
            WebhookDelivery.status.in_(WAITING),
            WebhookDelivery.next_attempt_at <= now,
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
        .lateral("candidates")
    )
    due = (
        select(candidates.c.id, candidates.c.turn)
        .select_from(WebhookEndpoint)
        .join(candidates, true())
        .where(WebhookEndpoint.active.is_(True))
        .subquery("due")
    )
    rows = session.execute(
        select(WebhookDelivery, WebhookEndpoint)
        .join(due, due.c.id == WebhookDelivery.id)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .order_by(due.c.turn, WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
        .with_for_update(of=WebhookDelivery, skip_locked=True)
    ).all()
    return [(row[0], row[1]) for row in rows]


def lock_endpoints(session: Session, *, ids: Sequence[int]) -> dict[int, WebhookEndpoint]:
    """The endpoints, locked in id order (their health columns are updated after a batch)."""
    rows = session.scalars(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.id.in_(ids))
        .order_by(WebhookEndpoint.id)
        .with_for_update()
    ).all()
    return {e.id: e for e in rows}


def delivery_by_event(session: Session, *, endpoint_id: int, event_id: str) -> WebhookDelivery:
    return session.scalars(
        select(WebhookDelivery).where(
            WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.event_id == event_id
        )
    ).one()
