"""The queries of the HTTP shell itself: readiness and the figures /metrics reads on scrape."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from core.models import Suggestion, WebhookDelivery


def ping(session: Session) -> None:
    session.execute(select(1))


def queue_depth(session: Session) -> list[tuple[str, str, int]]:
    """(queue, status, jobs) for the jobs waiting or running."""
    rows = session.execute(
        text(
            "SELECT queue_name, status::text, count(*) FROM procrastinate_jobs "
            "WHERE status IN ('todo', 'doing') GROUP BY queue_name, status"
        )
    )
    return [(str(q), str(s), int(n)) for q, s, n in rows]


def suggestions_by_status(session: Session) -> list[tuple[str, int]]:
    rows = session.execute(select(Suggestion.status, func.count()).group_by(Suggestion.status))
    return [(str(getattr(s, "value", s)), int(n)) for s, n in rows]


def deliveries_by_status(session: Session) -> list[tuple[str, int]]:
    rows = session.execute(
        select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)
    )
    return [(str(getattr(s, "value", s)), int(n)) for s, n in rows]
