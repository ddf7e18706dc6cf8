"""Webhook delivery: throughput, a flaky receiver, a dead one, all on loopback.

1. Throughput: N events to a healthy receiver through the outbox (claim, sign, send, record),
   against a baseline measured in the same run: the same N signed POSTs sent straight from one
   thread with no database.
2. A receiver that fails `--fail-rate` of requests at random (500, a third of them 429 with
   Retry-After) and is down (connection refused) for `--down-for` seconds, plus one that never
   recovers. The retry schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h) is multiplied by
   `--scale` (RAPPORT_WEBHOOK_BACKOFF_SCALE) so a day of retries takes minutes. Every
   signature is verified by the receiver with `standardwebhooks`. Events dead-lettered by chance
   (7 failures in a row: about N x 0.3^7) are replayed at the end, as an owner would.

    .venv/bin/python -m bench.webhooks [--events 10000] [--scale 0.005] [--down-for 20]
Uses RAPPORT_DATABASE_URL when set, else the embedded PostgreSQL (in a temporary data dir).
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx
import psycopg
from cryptography.fernet import Fernet
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from core import logging as rapport_logging
from core import migrate
from core.database import Database, libpq_url, open_database, session_scope, start_embedded
from core.events import outbox
from core.events.payloads import ReplyData
from core.models import (
    DeliveryRoute,
    DeliveryStatus,
    EventType,
    Occasion,
    Platform,
    SuggestionStatus,
    WebhookDelivery,
)
from core.secrets import fernet
from core.settings import Settings
from ingest import service as ingest_service
from service.webhooks import service as webhooks_service
from service.webhooks.delivery import Message, Sender, body_of, signed_headers
from service.webhooks.schemas import EndpointCreate
from service.webhooks.tasks import drain
from tests.webhook_receiver import Receiver


def fresh_database(admin_url: str) -> str:
    name = f"rapport_bench_webhooks_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(libpq_url(admin_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(libpq_url(admin_url)).set(database=name).render_as_string(hide_password=False)


def data(i: int, workspace: str) -> ReplyData:
    now = datetime.now(UTC)
    return ReplyData(
        idempotency_key=outbox.event_id(f"bench:{uuid.uuid4().hex}:{i}"),
        workspace=workspace,
        suggestion_id=i,
        status=SuggestionStatus.APPROVED,
        occasion=Occasion.ANSWER,
        platform=Platform.MASTODON,
        account="crumbandkettle@mastodon.scot",
        in_reply_to_id=str(10_000_000 + i),
        in_reply_to_url=f"https://mastodon.scot/@p{i}/{10_000_000 + i}",
        in_reply_to_author=f"p{i}@mastodon.scot",
        text=f"Hi! Feed your starter twice a day and keep it somewhere warm ({i}).",
        draft=f"Hi! Feed your starter twice a day and keep it somewhere warm ({i}).",
        edited=False,
        route=DeliveryRoute.API,
        handoff_url=None,
        suggested_time=now,
        decided_at=now,
    )


def add_endpoint(db: Database, settings: Settings, workspace: str, url: str) -> tuple[int, str]:
    with session_scope(db) as session:
        ws = ingest_service.get_workspace(session, name=workspace)
        created = webhooks_service.add_endpoint(
            session,
            workspace=ws,
            endpoint_in=EndpointCreate(url=url, event_types=[EventType.REPLY_APPROVED]),
            fernet=fernet(settings),
            allow_private=True,
        )
        return created.id, created.secret


def record(db: Database, workspace: str, endpoint_id: int, n: int) -> list[str]:
    """n reply.approved events in the outbox, committed in batches of 1,000."""
    ids: list[str] = []
    with session_scope(db) as session:
        ws_id = ingest_service.get_workspace(session, name=workspace).id
    for start in range(0, n, 1000):
        with session_scope(db) as session:
            for i in range(start, min(n, start + 1000)):
                event = data(i, workspace)
                outbox.record(
                    session,
                    workspace_id=ws_id,
                    event_type=EventType.REPLY_APPROVED,
                    data=event,
                    endpoint_ids=[endpoint_id],
                )
                ids.append(event.idempotency_key)
    return ids


def statuses(db: Database, endpoint_id: int) -> Counter[str]:
    with session_scope(db) as session:
        rows = session.execute(
            select(WebhookDelivery.status, func.count())
            .where(WebhookDelivery.endpoint_id == endpoint_id)
            .group_by(WebhookDelivery.status)
        ).all()
    return Counter({status.value: int(count) for status, count in rows})


def deliver_all(db: Database, settings: Settings, endpoint_ids: list[int], quiet: bool) -> float:
    """Run the delivery job's loop until nothing waits; returns seconds taken."""
    began = time.perf_counter()
    last = 0.0
    with Sender(settings) as sender:
        while True:
            drain(db, settings, sender, seconds=5.0)
            counts = [statuses(db, e) for e in endpoint_ids]
            waiting = sum(c["pending"] + c["retrying"] for c in counts)
            now = time.perf_counter() - began
            if not quiet and now - last >= 15:
                last = now
                print(f"  {now:6.0f} s  " + "  |  ".join(str(dict(c)) for c in counts))
            if not waiting:
                return time.perf_counter() - began
            time.sleep(0.05)


def baseline(receiver: Receiver, secret: str, n: int) -> float:
    """The same signed POSTs, one thread, no database: what the network and receiver allow."""
    began = time.perf_counter()
    with httpx.Client() as client:
        for i in range(n):
            message = Message(0, receiver.url, secret, f"msg_base{i}", {"type": "x", "i": i})
            body = body_of(message.payload)
            client.post(
                receiver.url, content=body, headers=signed_headers(message, body, datetime.now(UTC))
            )
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--scale", type=float, default=0.005, help="backoff scale")
    parser.add_argument("--fail-rate", type=float, default=0.3)
    parser.add_argument("--down-after", type=float, default=2.0, help="seconds into the run")
    parser.add_argument("--down-for", type=float, default=20.0, help="seconds of outage")
    parser.add_argument("--dead-events", type=int, default=20, help="events to the dead one")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rapport_logging.configure("ERROR")  # dead-letter warnings are counted below instead
    rng = random.Random(args.seed)

    admin = os.environ.get("RAPPORT_DATABASE_URL")
    if not admin:
        tmp = Path(tempfile.mkdtemp(prefix="rapport-bench-"))
        _, admin = start_embedded(Settings(_env_file=None, data_dir=tmp))
    url = fresh_database(admin)
    settings = Settings(
        _env_file=None,
        database_url=url,
        secret_key=Fernet.generate_key().decode(),
        webhook_allow_private_targets=True,  # the receivers are on loopback
        webhook_backoff_scale=args.scale,
        webhook_timeout_seconds=5,
        webhook_concurrency=args.concurrency,
    )
    db = open_database(settings)
    with db.engine.begin() as conn:
        migrate.upgrade(conn)
    with session_scope(db) as session:
        ingest_service.get_or_create_workspace(session, name="bench")

    # 1. Throughput against a healthy receiver, and the no-database baseline.
    with Receiver() as healthy:
        endpoint, healthy.secret = add_endpoint(db, settings, "bench", healthy.url)
        record(db, "bench", endpoint, args.events)
        took = deliver_all(db, settings, [endpoint], quiet=True)
        rate = args.events / took
        base = baseline(healthy, healthy.secret, args.events)
        base_rate = args.events / base
        bad = sum(not r.verified for r in healthy.requests)
    print(
        f"throughput: {args.events} events delivered in {took:.1f} s = {rate:,.0f} deliveries/s "
        f"(concurrency {args.concurrency}); baseline (same signed POSTs, one thread, no "
        f"database) {base_rate:,.0f} POSTs/s; outbox / baseline = {rate / base_rate:.2f}; "
        f"bad signatures: {bad}"
    )

    # 2. A flaky receiver with an outage, and one that never recovers.
    lock = threading.Lock()

    def flaky(n: int) -> tuple[int, dict[str, str]]:
        with lock:
            roll = rng.random()
        if roll < args.fail_rate / 3:
            return 429, {"Retry-After": "2"}
        if roll < args.fail_rate:
            return 500, {}
        return 200, {}

    with Receiver(answer=flaky) as receiver, Receiver(answer=lambda n: (503, {})) as dead:
        flaky_id, receiver.secret = add_endpoint(db, settings, "bench", receiver.url)
        dead_id, dead.secret = add_endpoint(db, settings, "bench", dead.url)
        wanted = set(record(db, "bench", flaky_id, args.events))
        record(db, "bench", dead_id, args.dead_events)

        def outage() -> None:
            time.sleep(args.down_after)
            receiver.pause()
            print(f"  receiver down at {args.down_after:.0f} s for {args.down_for:.0f} s")
            time.sleep(args.down_for)
            receiver.resume()
            print("  receiver back up")

        threading.Thread(target=outage, daemon=True).start()
        took = deliver_all(db, settings, [flaky_id, dead_id], quiet=False)
        on_schedule = statuses(db, flaky_id)
        with session_scope(db) as session:
            ws = ingest_service.get_workspace(session, name="bench")
            dead_ids = [
                d.id
                for d in webhooks_service.deliveries(
                    session,
                    workspace=ws,
                    endpoint_id=flaky_id,
                    statuses=[DeliveryStatus.DEAD],
                    limit=10_000,
                )
            ]
            for delivery_id in dead_ids:
                webhooks_service.replay(
                    session, workspace=ws, endpoint_id=flaky_id, delivery_id=delivery_id
                )
        replay_took = deliver_all(db, settings, [flaky_id], quiet=True) if dead_ids else 0.0
        with session_scope(db) as session:
            listed = {
                e.id: e
                for e in webhooks_service.list_endpoints(
                    session, workspace=ingest_service.get_workspace(session, name="bench")
                )
            }

    got = [r for r in receiver.delivered()]
    unique = {r.webhook_id for r in got}
    attempts = len(receiver.requests)
    print(
        f"flaky receiver ({args.fail_rate:.0%} failures, down {args.down_for:.0f} s, backoff x"
        f"{args.scale}): {took:.0f} s; on schedule {on_schedule.get('delivered', 0)} delivered, "
        f"{on_schedule.get('dead', 0)} dead-lettered (expected by chance "
        f"~{args.events * args.fail_rate**7:.1f}), replayed and delivered in {replay_took:.1f} s"
    )
    print(
        f"  receiver saw {attempts} requests while up, {len(got)} answered 2xx, "
        f"{len(unique)} distinct webhook-ids; all {len(wanted)} events delivered: "
        f"{'yes' if unique == wanted else 'NO'}; duplicates after de-duplication: "
        f"{len(got) - len(unique)}; bad signatures: "
        f"{sum(not r.verified for r in receiver.requests)}"
    )
    gone = listed[dead_id]
    print(
        f"never-recovering receiver: {gone.dead} of {args.dead_events} dead-lettered and listed "
        f"(last status {gone.last_status_code}, {gone.consecutive_failures} failures in a row), "
        f"{gone.waiting} still waiting; requests it got: {len(dead.requests)} "
        f"(= {args.dead_events} x 7 attempts: {len(dead.requests) == args.dead_events * 7})"
    )
    db.close()


if __name__ == "__main__":
    main()
