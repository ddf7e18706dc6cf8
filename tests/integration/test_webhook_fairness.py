"""Fairness between webhook endpoints: an endpoint with a long backlog or a slow receiver does
not keep another endpoint's deliveries waiting (real receivers on loopback)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.database import open_database, session_scope
from core.events import outbox, payloads
from core.models import DeliveryStatus, EventType, WebhookDelivery, Workspace
from core.secrets import fernet
from core.settings import Settings
from service.webhooks import repository as webhooks_repository
from service.webhooks import service as webhooks_service
from service.webhooks.delivery import Sender
from service.webhooks.schemas import EndpointCreate
from tests.factories import make_workspace
from tests.webhook_receiver import Receiver

T0 = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
SETTINGS = Settings(
    _env_file=None,
    secret_key=Fernet.generate_key().decode(),
    webhook_allow_private_targets=True,  # the receivers are on loopback
    webhook_timeout_seconds=30,
    webhook_concurrency=8,
)
KEY = fernet(SETTINGS)


def _endpoint(session: Session, ws: Workspace, url: str) -> tuple[int, str]:
    created = webhooks_service.add_endpoint(
        session, workspace=ws, endpoint_in=EndpointCreate(url=url), fernet=KEY, allow_private=True
    )
    return created.id, created.secret


def _events(session: Session, ws: Workspace, endpoint_id: int, n: int, first: datetime) -> None:
    for i in range(n):
        key = f"{endpoint_id}-{i}"
        outbox.record(
            session,
            workspace_id=ws.id,
            event_type=EventType.WEBHOOK_TEST,
            data=payloads.TestData(
                idempotency_key=key, workspace=ws.name, endpoint_id=endpoint_id, message=key
            ),
            now=first + timedelta(seconds=i),
            endpoint_ids=[endpoint_id],
            not_before=first + timedelta(seconds=i),
        )


def test_a_backlog_on_one_endpoint_leaves_room_in_the_batch_for_the_others(
    session: Session,
) -> None:
    ws = make_workspace(session)
    busy, _ = _endpoint(session, ws, "http://127.0.0.1:9/busy")
    quiet, _ = _endpoint(session, ws, "http://127.0.0.1:9/quiet")
    _events(session, ws, busy, 150, T0 - timedelta(hours=1))  # older, all due
    _events(session, ws, quiet, 2, T0 - timedelta(minutes=1))
    batch = webhooks_repository.claim_due(session, now=T0, limit=20)
    endpoints = [endpoint.id for _, endpoint in batch]
    assert endpoints[:4] == [busy, quiet, busy, quiet]  # turns go round the endpoints
    assert endpoints.count(quiet) == 2 and len(batch) == 20


def test_a_slow_receiver_does_not_hold_up_another_endpoints_deliveries(session: Session) -> None:
    release = threading.Event()

    def stuck(n: int) -> tuple[int, dict[str, str]]:
        release.wait(20)  # the slow receiver answers only when released
        return 200, {}

    with Receiver(answer=stuck) as slow, Receiver() as fast:
        ws = make_workspace(session)
        slow_id, slow.secret = _endpoint(session, ws, slow.url)
        fast_id, fast.secret = _endpoint(session, ws, fast.url)
        _events(session, ws, slow_id, 20, T0 - timedelta(hours=1))  # older: claimed first
        _events(session, ws, fast_id, 5, T0 - timedelta(minutes=1))
        messages = [
            webhooks_service._message(d, e, KEY, {})
            for d, e in webhooks_repository.claim_due(session, now=T0, limit=100)
        ]
        with Sender(SETTINGS) as sender:
            sending = threading.Thread(target=lambda: sender.send_all(messages), daemon=True)
            sending.start()
            # while the slow receiver holds its requests, the fast one gets all of its own
            for _ in range(200):
                if len(fast.delivered()) == 5:
                    break
                time.sleep(0.05)
            got_while_stuck = len(fast.delivered())
            release.set()
            sending.join(30)
    assert got_while_stuck == 5
    assert len(slow.delivered()) == 20 and all(r.verified for r in slow.requests)


def test_one_endpoint_alone_uses_every_sender(session: Session) -> None:
    concurrency = SETTINGS.webhook_concurrency
    lock, every_sender_busy = threading.Lock(), threading.Event()
    in_flight, most = 0, 0

    def receive(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        with lock:
            in_flight += 1
            most = max(most, in_flight)
            if in_flight == concurrency:
                every_sender_busy.set()
        # each request is held until every sender holds one (or it is clear they never will)
        if not every_sender_busy.wait(5):
            every_sender_busy.set()
        with lock:
            in_flight -= 1
        return httpx.Response(200)

    ws = make_workspace(session)
    endpoint_id, _ = _endpoint(session, ws, "http://127.0.0.1:9/alone")
    _events(session, ws, endpoint_id, 30, T0 - timedelta(minutes=5))
    with Sender(SETTINGS, transport=httpx.MockTransport(receive)) as sender:
        assert webhooks_service.deliver_due(session, sender=sender, fernet=KEY, now=T0) == 30
    assert most == concurrency  # not the quarter an endpoint gets while others wait
    statuses = session.scalars(select(WebhookDelivery.status)).all()
    assert set(statuses) == {DeliveryStatus.DELIVERED} and len(statuses) == 30


def test_a_second_worker_takes_other_due_deliveries_of_the_same_endpoint(
    new_database: Callable[[], str],
) -> None:
    db = open_database(Settings(_env_file=None, database_url=new_database()))
    try:
        with session_scope(db) as session:
            ws = make_workspace(session)
            endpoint_id, _ = _endpoint(session, ws, "http://127.0.0.1:9/busy")
            _events(session, ws, endpoint_id, 40, T0 - timedelta(hours=1))
        # workers, each in its own transaction on its own connection: each holds its batch (its
        # requests in flight) while the next one claims
        with db.sessions() as first, db.sessions() as second, db.sessions() as third:
            batches = [
                webhooks_repository.claim_due(worker, now=T0, limit=15)
                for worker in (first, second, third)
            ]
            ids = [[d.id for d, _ in batch] for batch in batches]
            endpoints = {e.id for batch in batches for _, e in batch}
            for worker in (first, second, third):
                worker.rollback()
    finally:
        db.close()
    assert endpoints == {endpoint_id}
    assert [len(batch) for batch in ids] == [15, 15, 10]  # the third takes what is left
    assert len({i for batch in ids for i in batch}) == 40  # no delivery in two batches


def test_with_more_endpoints_than_a_batch_a_second_worker_takes_the_next_ones(
    new_database: Callable[[], str],
) -> None:
    db = open_database(Settings(_env_file=None, database_url=new_database()))
    try:
        with session_scope(db) as session:
            ws = make_workspace(session)
            for n in range(6):
                endpoint_id, _ = _endpoint(session, ws, f"http://127.0.0.1:9/{n}")
                _events(session, ws, endpoint_id, 1, T0 - timedelta(hours=1, minutes=-n))
        with db.sessions() as first, db.sessions() as second:
            held = webhooks_repository.claim_due(first, now=T0, limit=3)  # the 3 oldest
            taken = webhooks_repository.claim_due(second, now=T0, limit=3)
            held_endpoints = {e.id for _, e in held}
            taken_endpoints = {e.id for _, e in taken}
            first.rollback()
            second.rollback()
    finally:
        db.close()
    assert len(held_endpoints) == 3 and len(taken_endpoints) == 3
    assert not held_endpoints & taken_endpoints
