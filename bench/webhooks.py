"""Webhook delivery: throughput, a flaky receiver, a dead one, all on loopback.

Deliveries are sent by real `rapport worker -q webhooks` processes (the procrastinate task,
every 5 s); the receivers run in this process, on 127.0.0.1, and verify every signature.

1. Throughput: N events to a healthy receiver through the outbox (claim, sign, send, record)
   with 16 requests in flight, against a baseline measured in the same run: the same with one.
2. A receiver that fails `--fail-rate` of requests at random (500, a third of them 429 with
   Retry-After) and is down (connection refused) for `--down-for` seconds, plus one that never
   recovers. The retry schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h) is multiplied by
   `--scale` (RAPPORT_WEBHOOK_BACKOFF_SCALE) so a day of retries takes minutes. Every
   signature is verified by the receiver with `standardwebhooks`. Events dead-lettered by chance
   (7 failures in a row: about N x 0.3^7) are replayed at the end, as an owner would. The
   worker is killed with SIGKILL mid-run and restarted: nothing may be lost.

    .venv/bin/python -m bench.webhooks [--events 10000] [--scale 0.005] [--down-for 20]
Uses RAPPORT_DATABASE_URL when set, else the embedded PostgreSQL (in a temporary data dir).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import func, select

from bench import databases
from core import logging as rapport_logging
from core import migrate
from core.database import Database, open_database, session_scope
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
from service.webhooks.schemas import EndpointCreate
from tests.webhook_receiver import Receiver


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
        posted_by_rapport=False,
        suggested_time=now,
        decided_at=now,
    )


def add_endpoint(db: Database, settings: Settings, workspace: str, url: str) -> tuple[int, str]:
    with session_scope(db) as session:
        ws = ingest_service.get_workspace(session, name=workspace)
        created = webhooks_service.add_endpoint(
            session,
            workspace=ws,
            endpoint_in=EndpointCreate(url=url, event_types=[EventType.REPLY_APPROVED.value]),
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


def start_worker(env: dict[str, str], concurrency: int, log: Path) -> subprocess.Popen[bytes]:
    """`rapport worker -q webhooks` in its own process (the receiver keeps this one)."""
    return subprocess.Popen(
        [sys.executable, "-m", "service.cli", "worker", "-q", "webhooks"],
        env=env | {"RAPPORT_WEBHOOK_CONCURRENCY": str(concurrency)},
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
    )


def stop(worker: subprocess.Popen[bytes]) -> None:
    worker.kill()  # nothing is in flight when this is called
    worker.wait()


def wait_settled(db: Database, endpoint_ids: list[int], quiet: bool, began: float) -> None:
    """Until no delivery of these endpoints is pending or retrying."""
    last = 0.0
    while True:
        counts = [statuses(db, e) for e in endpoint_ids]
        now = time.monotonic() - began
        if not quiet and now - last >= 15:
            last = now
            print(f"  {now:6.0f} s  " + "  |  ".join(str(dict(c)) for c in counts))
        if not sum(c["pending"] + c["retrying"] for c in counts):
            return
        time.sleep(1.0)


def throughput(
    db: Database, settings: Settings, env: dict[str, str], n: int, concurrency: int, log: Path
) -> float:
    """Deliveries/s of one worker process: first to last arrival at a healthy receiver."""
    with Receiver() as receiver:
        endpoint, receiver.secret = add_endpoint(db, settings, "bench", receiver.url)
        record(db, "bench", endpoint, n)
        worker = start_worker(env, concurrency, log)
        wait_settled(db, [endpoint], quiet=True, began=time.monotonic())
        stop(worker)
    arrived = [r.at for r in receiver.delivered()]
    assert len({r.webhook_id for r in receiver.delivered()}) == n
    assert all(r.verified for r in receiver.requests), "bad signature"
    return n / (max(arrived) - min(arrived))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--scale", type=float, default=0.005, help="backoff scale")
    parser.add_argument("--fail-rate", type=float, default=0.3)
    parser.add_argument("--down-after", type=float, default=10.0, help="seconds into the run")
    parser.add_argument("--down-for", type=float, default=20.0, help="seconds of outage")
    parser.add_argument(
        "--kill-at", type=int, default=3000, help="kill -9 the worker when this request arrives"
    )
    parser.add_argument("--dead-events", type=int, default=20, help="events to the dead one")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rapport_logging.configure("ERROR")
    rng = random.Random(args.seed)

    admin = databases.server_url()
    url = databases.fresh_database(admin, prefix="rapport_bench_webhooks")
    key = Fernet.generate_key().decode()
    settings = Settings(
        _env_file=None,
        database_url=url,
        secret_key=key,
        webhook_allow_private_targets=True,  # the receivers are on loopback
        webhook_backoff_scale=args.scale,
    )
    env = dict(
        os.environ,
        RAPPORT_DATABASE_URL=url,
        RAPPORT_SECRET_KEY=key,
        RAPPORT_WEBHOOK_ALLOW_PRIVATE_TARGETS="true",
        RAPPORT_WEBHOOK_BACKOFF_SCALE=str(args.scale),
        RAPPORT_WEBHOOK_TIMEOUT_SECONDS="5",
    )
    log = Path(tempfile.mkdtemp(prefix="rapport-bench-")) / "workers.log"
    db = open_database(settings)
    with db.engine.begin() as conn:
        migrate.upgrade(conn)
    with session_scope(db) as session:
        ingest_service.get_or_create_workspace(session, name="bench")

    # 1. Throughput of one worker process, and the same with one request in flight.
    rate = throughput(db, settings, env, args.events, args.concurrency, log)
    base_rate = throughput(db, settings, env, args.events, 1, log)
    print(
        f"throughput: {args.events} events, one `rapport worker`: {rate:,.0f} deliveries/s with "
        f"{args.concurrency} requests in flight; baseline (same run, 1 in flight) "
        f"{base_rate:,.0f} deliveries/s; ratio {rate / base_rate:.2f}; bad signatures: 0"
    )

    # 2. A flaky receiver with an outage, one that never recovers, and a killed worker.
    lock = threading.Lock()
    mid_batch = threading.Event()

    def flaky(n: int) -> tuple[int, dict[str, str]]:
        if n == args.kill_at:
            mid_batch.set()  # the worker is in the middle of a batch right now
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
        began = time.monotonic()
        workers = [start_worker(env, args.concurrency, log)]

        def outage() -> None:
            time.sleep(args.down_after)
            receiver.pause()
            print(f"  receiver down at {args.down_after:.0f} s for {args.down_for:.0f} s")
            time.sleep(args.down_for)
            receiver.resume()
            print(f"  receiver back up at {time.monotonic() - began:.0f} s")

        def kill() -> None:
            mid_batch.wait()
            os.kill(workers[0].pid, signal.SIGKILL)
            workers[0].wait()
            at = time.monotonic() - began
            workers.append(start_worker(env, args.concurrency, log))
            print(
                f"  kill -9 of the worker at {at:.0f} s, while request {args.kill_at} was being "
                f"answered ({dict(statuses(db, flaky_id))}); restarted"
            )

        threading.Thread(target=outage, daemon=True).start()
        killer = threading.Thread(target=kill, daemon=True)
        killer.start()
        killer.join()
        wait_settled(db, [flaky_id, dead_id], quiet=False, began=began)
        took = time.monotonic() - began
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
        replay_began = time.monotonic()
        wait_settled(db, [flaky_id], quiet=True, began=replay_began)
        replay_took = time.monotonic() - replay_began
        stop(workers[-1])
        with session_scope(db) as session:
            listed = {
                e.id: e
                for e in webhooks_service.list_endpoints(
                    session, workspace=ingest_service.get_workspace(session, name="bench")
                )
            }

    got = receiver.delivered()
    unique = {r.webhook_id for r in got}
    print(
        f"flaky receiver ({args.fail_rate:.0%} failures, down {args.down_for:.0f} s, worker "
        f"killed, backoff x{args.scale}): settled in {took:.0f} s; "
        f"{on_schedule.get('delivered', 0)} delivered on schedule, "
        f"{on_schedule.get('dead', 0)} dead-lettered (by chance alone "
        f"~{args.events * args.fail_rate**7:.1f}; the outage spends attempts too), replayed and "
        f"delivered in {replay_took:.0f} s"
    )
    print(
        f"  receiver saw {len(receiver.requests)} requests while up, {len(got)} answered 2xx, "
        f"{len(unique)} distinct webhook-ids; every one of the {len(wanted)} events delivered: "
        f"{'yes' if unique == wanted else 'NO'}; answered 2xx more than once (sent again after "
        f"the kill, removed by de-duplication on webhook-id): {len(got) - len(unique)}; bad "
        f"signatures: {sum(not r.verified for r in receiver.requests)}"
    )
    gone = listed[dead_id]
    print(
        f"never-recovering receiver: {gone.dead} of {args.dead_events} dead-lettered and listed "
        f"(last status {gone.last_status_code}, {gone.consecutive_failures} failed attempts in a "
        f"row), {gone.waiting} still waiting; requests it got: {len(dead.requests)}"
    )
    db.close()


if __name__ == "__main__":
    main()
