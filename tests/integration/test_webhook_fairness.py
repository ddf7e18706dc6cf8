"""Fairness between webhook endpoints: an endpoint with a long backlog or a slow receiver does
not keep another endpoint's deliveries waiting (real receivers on loopback)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.orm import Session

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
    with Receiver() as receiver:
        ws = make_workspace(session)
        endpoint_id, receiver.secret = _endpoint(session, ws, receiver.url)
        _events(session, ws, endpoint_id, 30, T0 - timedelta(minutes=5))
        with Sender(SETTINGS) as sender:
            assert webhooks_service.deliver_due(session, sender=sender, fernet=KEY, now=T0) == 30
    statuses = session.scalars(select(WebhookDelivery.status)).all()
    assert set(statuses) == {DeliveryStatus.DELIVERED} and len(receiver.delivered()) == 30
