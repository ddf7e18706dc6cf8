"""What fair claiming costs: one batch claimed round-robin by endpoint, against the oldest-first
claim it replaced (the baseline, measured in the same run on the same rows).

N due deliveries over E endpoints, the older half of them all for one endpoint. Each claim runs
in its own transaction, rolled back, so every one sees the same rows.

    .venv/bin/python -m bench.webhook_claim [--deliveries 100000] [--endpoints 50] [--runs 20]
Uses RAPPORT_DATABASE_URL when set, else the embedded PostgreSQL (in a temporary data dir).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from datetime import UTC, datetime

from cryptography.fernet import Fernet
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bench import databases
from core import logging as rapport_logging
from core import migrate
from core.database import open_database, session_scope
from core.models import WebhookDelivery, WebhookEndpoint
from core.settings import Settings
from ingest import service as ingest_service
from service.webhooks import repository
from service.webhooks.repository import WAITING


def oldest_first(session: Session, *, now: datetime, limit: int) -> list[int]:
    """The claim before fairness: the oldest due deliveries, whoever they are for."""
    rows = session.execute(
        select(WebhookDelivery.endpoint_id)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(
            WebhookDelivery.status.in_(WAITING),
            WebhookDelivery.next_attempt_at <= now,
            WebhookEndpoint.active.is_(True),
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
        .with_for_update(of=WebhookDelivery, skip_locked=True)
    ).all()
    return [r[0] for r in rows]


def round_robin(session: Session, *, now: datetime, limit: int) -> list[int]:
    return [e.id for _, e in repository.claim_due(session, now=now, limit=limit)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=100_000)
    parser.add_argument("--endpoints", type=int, default=50)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    rapport_logging.configure("ERROR")
    admin = databases.server_url()
    settings = Settings(
        _env_file=None,
        database_url=databases.fresh_database(admin),
        secret_key=Fernet.generate_key().decode(),
    )
    db = open_database(settings)
    with db.engine.begin() as conn:
        migrate.upgrade(conn)
    with session_scope(db) as session:
        ws, _ = ingest_service.get_or_create_workspace(session, name="bench")
        session.execute(
            text(
                "INSERT INTO webhook_endpoint (workspace_id, url, description, secret_encrypted, "
                "event_types, active, consecutive_failures, created_at) "
                "SELECT :ws, 'http://127.0.0.1:9/' || g, '', '\\x00', '{}', true, 0, now() "
                "FROM generate_series(1, :n) g"
            ),
            {"ws": ws.id, "n": args.endpoints},
        )
        # the older half of the backlog on the first endpoint, the rest spread over the others
        session.execute(
            text(
                "INSERT INTO webhook_delivery (endpoint_id, event_id, event_type, payload, status, "
                "attempts, last_error, next_attempt_at, attempt_log, created_at) "
                "SELECT e.first + CASE WHEN g <= :d / 2 THEN 0 ELSE 1 + g % (:n - 1) END, "
                "'evt_' || g, 'webhook.test', '{}', 'pending', 0, '', "
                "now() - interval '1 hour' + g * interval '1 ms', '[]', now() "
                "FROM generate_series(1, :d) g, "
                "(SELECT min(id) AS first FROM webhook_endpoint) e"
            ),
            {"n": args.endpoints, "d": args.deliveries},
        )
    with db.engine.connect() as conn:
        conn.execute(text("ANALYZE webhook_delivery"))
        conn.commit()

    now = datetime.now(UTC)
    figures: dict[str, list[float]] = {"round-robin": [], "oldest-first": []}
    spread: dict[str, int] = {}
    for _ in range(args.runs):
        for name, claim in (("oldest-first", oldest_first), ("round-robin", round_robin)):
            with db.sessions() as session:
                started = time.perf_counter()
                endpoints = claim(session, now=now, limit=args.batch)
                figures[name].append((time.perf_counter() - started) * 1000)
                spread[name] = len(Counter(endpoints))
                session.rollback()
    fair, base = (statistics.median(figures[k]) for k in ("round-robin", "oldest-first"))
    print(
        f"claim of {args.batch} from {args.deliveries:,} due deliveries over {args.endpoints} "
        f"endpoints (median of {args.runs}): round-robin {fair:.1f} ms, "
        f"{spread['round-robin']} endpoints in the batch; baseline oldest-first {base:.1f} ms, "
        f"{spread['oldest-first']} endpoints in the batch; ratio {fair / base:.2f}"
    )
    db.close()


if __name__ == "__main__":
    main()
