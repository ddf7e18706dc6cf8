"""Every query about webhook endpoints and deliveries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Integer, column, func, select, true, values
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


def _due(now: datetime) -> list[ColumnElement[bool]]:
    return [WebhookDelivery.status.in_(WAITING), WebhookDelivery.next_attempt_at <= now]


def claim_due(
    session: Session, *, now: datetime, limit: int
) -> list[tuple[WebhookDelivery, WebhookEndpoint]]:
    """Due deliveries of active endpoints, locked for this transaction; rows another worker
    holds are skipped, so any number of workers can deliver at once.

    Round-robin by endpoint: each endpoint's oldest due delivery first, then each one's second,
    and so on, so an endpoint with a long backlog does not keep the others' out of the batch.
    Each endpoint's share of the batch is worked out first (without locks); then each endpoint
    locks its share of the rows nobody holds (a second worker takes the next ones of the same
    endpoint), so exactly the rows returned are locked. Rows held by other workers can leave the
    batch short: the oldest free rows of any endpoint fill it.
    """
    shares = _shares(_waiting(session, now=now, limit=limit), limit)
    claimed = _lock_shares(session, shares, now=now) if shares else []
    if len(claimed) < limit:
        claimed += _lock_oldest(
            session, now=now, limit=limit - len(claimed), besides=[d.id for d, _ in claimed]
        )
    return claimed


def _waiting(session: Session, *, now: datetime, limit: int) -> list[tuple[int, int]]:
    """(endpoint id, due deliveries up to `limit`) of the active endpoints with any, oldest
    due first, at most `limit` endpoints (no more can have a turn in one batch)."""
    waiting = (
        select(WebhookDelivery.next_attempt_at)
        .where(WebhookDelivery.endpoint_id == WebhookEndpoint.id, *_due(now))
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
        .lateral("waiting")
    )
    rows = session.execute(
        select(WebhookEndpoint.id, func.count())
        .join(waiting, true())
        .where(WebhookEndpoint.active.is_(True))
        .group_by(WebhookEndpoint.id)
        .order_by(func.min(waiting.c.next_attempt_at), WebhookEndpoint.id)
        .limit(limit)
    ).all()
    return [(row[0], row[1]) for row in rows]


def _shares(waiting: list[tuple[int, int]], limit: int) -> dict[int, int]:
    """Each endpoint's share of a batch of `limit`, dealt one at a time round the endpoints
    (in their order) until the batch is full or every due delivery is dealt."""
    shares = dict.fromkeys((endpoint_id for endpoint_id, _ in waiting), 0)
    left = limit
    while left:
        dealt = left
        for endpoint_id, count in waiting:
            if left and shares[endpoint_id] < count:
                shares[endpoint_id] += 1
                left -= 1
        if left == dealt:
            break
    return {endpoint_id: n for endpoint_id, n in shares.items() if n}


def _lock_shares(
    session: Session, shares: dict[int, int], *, now: datetime
) -> list[tuple[WebhookDelivery, WebhookEndpoint]]:
    """Per endpoint, lock up to its share of its oldest due deliveries that nobody holds;
    return them in turns (each endpoint's first, then each one's second, ...)."""
    share = values(column("endpoint_id", Integer), column("n", Integer), name="share").data(
        list(shares.items())
    )
    locked = (
        select(WebhookDelivery.id)
        .where(WebhookDelivery.endpoint_id == share.c.endpoint_id, *_due(now))
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(share.c.n)
        .with_for_update(skip_locked=True)
        .correlate(share)
        .lateral("locked")
    )
    turn = func.row_number().over(
        partition_by=WebhookDelivery.endpoint_id,
        order_by=(WebhookDelivery.next_attempt_at, WebhookDelivery.id),
    )
    rows = session.execute(
        select(WebhookDelivery, WebhookEndpoint)
        .select_from(share)
        .join(locked, true())
        .join(WebhookDelivery, WebhookDelivery.id == locked.c.id)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .order_by(turn, WebhookDelivery.next_attempt_at, WebhookDelivery.id)
    ).all()
    return [(row[0], row[1]) for row in rows]


def _lock_oldest(
    session: Session, *, now: datetime, limit: int, besides: Sequence[int]
) -> list[tuple[WebhookDelivery, WebhookEndpoint]]:
    """The oldest due deliveries of active endpoints that nobody holds, other than `besides`."""
    rows = session.execute(
        select(WebhookDelivery, WebhookEndpoint)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(*_due(now), WebhookEndpoint.active.is_(True), WebhookDelivery.id.not_in(besides))
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
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
