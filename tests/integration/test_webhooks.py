"""Webhooks: outbox rows committed with the decision, signed delivery to a real receiver on
loopback, retries on a fake clock, Retry-After, dead-letter and replay, SSRF refusal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import jsonschema
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.database import Database, session_scope
from core.errors import Conflict, UnsafeWebhookTarget
from core.events import schemas
from core.models import (
    DeliveryRoute,
    DeliveryStatus,
    EventType,
    Suggestion,
    SuggestionStatus,
    WebhookDelivery,
    Workspace,
)
from core.secrets import fernet
from core.settings import Settings
from service.webhooks import service as webhooks_service
from service.webhooks.delivery import SCHEDULE, Sender
from service.webhooks.schemas import EndpointCreate, EndpointUpdate
from suggest import events as suggest_events
from suggest import queue as suggest_queue
from suggest import repository as suggest_repository
from suggest.events import UNDO_GRACE
from suggest.schemas import Decision
from tests.factories import make_post, make_suggestion, make_workspace
from tests.webhook_receiver import Receiver

T0 = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)  # the fake clock starts here
DECIDED = T0 - UNDO_GRACE  # decisions leave after the undo grace: due at T0
PUBLIC = "http://93.184.216.34/hooks"  # a public address; MockTransport answers, nothing leaves


@pytest.fixture
def settings() -> Settings:
    return Settings(
        _env_file=None,
        secret_key=Fernet.generate_key().decode(),
        webhook_allow_private_targets=True,  # the receiver is on loopback
        webhook_timeout_seconds=2,
    )


@pytest.fixture
def key(settings: Settings) -> Fernet:
    return fernet(settings)


def _setup(
    session: Session,
    key: Fernet,
    url: str,
    *,
    events: list[EventType] | None = None,
    route: DeliveryRoute = DeliveryRoute.API,
) -> tuple[Workspace, int, str, Suggestion]:
    ws = make_workspace(session)
    post = make_post(session, workspace_id=ws.id, url="https://example.social/@maria/5001")
    suggestion = make_suggestion(
        session,
        post=post,
        route=route,
        handoff_url="https://x.com/intent/tweet?in_reply_to=5001"
        if route == DeliveryRoute.HANDOFF
        else None,
    )
    created = webhooks_service.add_endpoint(
        session,
        workspace=ws,
        endpoint_in=EndpointCreate(url=url, event_types=[e.value for e in events or []]),
        fernet=key,
        allow_private=True,
    )
    return ws, created.id, created.secret, suggestion


def _approve(session: Session, ws: Workspace, suggestion: Suggestion, text: str | None = None):
    return suggest_queue.decide(
        session,
        workspace=ws,
        suggestion_id=suggestion.id,
        decision_in=Decision(action="approve", final_text=text),
        now=DECIDED,
    )


def _deliveries(session: Session) -> list[WebhookDelivery]:
    session.expire_all()
    return list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def _mock(answer: Callable[[httpx.Request], httpx.Response], settings: Settings) -> Sender:
    return Sender(settings, transport=httpx.MockTransport(answer))


def test_an_approved_reply_reaches_a_real_receiver_signed_with_what_a_scheduler_needs(
    session: Session, key: Fernet, settings: Settings
) -> None:
    with Receiver() as receiver:
        ws, endpoint_id, secret, suggestion = _setup(session, key, receiver.url)
        receiver.secret = secret
        assert secret.startswith("whsec_")
        _approve(session, ws, suggestion, text="Hi Maria! Feed it twice a day, warm spot.")
        with Sender(settings) as sender:
            sent = webhooks_service.deliver_due(session, sender=sender, fernet=key, now=T0)

    assert sent == 2
    assert [r.verified for r in receiver.requests] == [True, True]
    # sent concurrently: order is not promised (each payload has its timestamp)
    assert sorted(receiver.types()) == ["reply.approved", "reply.edited"]
    (first,) = [r for r in receiver.delivered() if r.payload["type"] == "reply.approved"]
    approved = first.payload
    assert approved is not None
    data = approved["data"]
    assert approved["version"] == 1
    assert data["text"] == "Hi Maria! Feed it twice a day, warm spot."
    assert data["edited"] is True
    assert (data["platform"], data["in_reply_to_id"], data["route"]) == ("mastodon", "5001", "api")
    assert data["in_reply_to_url"] == "https://example.social/@maria/5001"
    assert (data["workspace"], data["suggestion_id"]) == ("test-ws", suggestion.id)
    assert data["idempotency_key"] == first.webhook_id
    for received in receiver.delivered():
        assert received.payload is not None
        jsonschema.validate(received.payload, schemas.load(EventType(received.payload["type"])))
    rows = _deliveries(session)
    assert [(d.status, d.response_status, d.attempts) for d in rows] == [
        (DeliveryStatus.DELIVERED, 200, 1)
    ] * 2
    listed = webhooks_service.list_endpoints(session, workspace=ws)
    assert (listed[0].last_status_code, listed[0].consecutive_failures) == (200, 0)


def test_a_reply_a_person_must_post_also_says_handoff_required_with_the_link(
    session: Session, key: Fernet, settings: Settings
) -> None:
    with Receiver() as receiver:
        ws, _, secret, suggestion = _setup(session, key, receiver.url, route=DeliveryRoute.HANDOFF)
        receiver.secret = secret
        _approve(session, ws, suggestion)
        with Sender(settings) as sender:
            webhooks_service.deliver_due(session, sender=sender, fernet=key, now=T0)
    assert sorted(receiver.types()) == ["reply.approved", "reply.handoff_required"]
    (handoff,) = [r.payload for r in receiver.delivered() if "handoff" in r.payload["type"]]
    assert handoff is not None
    assert handoff["data"]["handoff_url"] == "https://x.com/intent/tweet?in_reply_to=5001"
    assert handoff["data"]["text"] == "Hi Maria! Feed it twice a day. How is it?"


def test_an_endpoint_gets_only_the_event_types_it_asked_for(session: Session, key: Fernet) -> None:
    ws, _, _, suggestion = _setup(session, key, PUBLIC, events=[EventType.REPLY_REJECTED])
    _approve(session, ws, suggestion)
    assert _deliveries(session) == []
    other = make_suggestion(
        session, post=make_post(session, workspace_id=ws.id, external_id="5002")
    )
    suggest_queue.decide(
        session, workspace=ws, suggestion_id=other.id, decision_in=Decision(action="reject")
    )
    assert [d.event_type for d in _deliveries(session)] == [EventType.REPLY_REJECTED]


def test_a_rolled_back_decision_leaves_no_delivery(db: Database, key: Fernet) -> None:
    with session_scope(db) as session:
        ws, _, _, suggestion = _setup(session, key, PUBLIC)
        ids = (ws.id, suggestion.id)

    def decide_then_fail() -> None:
        with session_scope(db) as session:
            _approve(session, session.get(Workspace, ids[0]), session.get(Suggestion, ids[1]))
            assert len(_deliveries(session)) == 1  # written in the decision's transaction...
            raise RuntimeError("the request failed after the decision")

    with pytest.raises(RuntimeError):
        decide_then_fail()
    with session_scope(db) as session:
        assert _deliveries(session) == []  # ...and gone with it
        assert session.get(Suggestion, ids[1]).status == SuggestionStatus.PENDING
        ws = session.get(Workspace, ids[0])
        _approve(session, ws, session.get(Suggestion, ids[1]))
    with session_scope(db) as session:
        assert [d.event_type for d in _deliveries(session)] == [EventType.REPLY_APPROVED]
        with pytest.raises(Conflict):  # a second decision is refused and sends nothing
            _approve(session, session.get(Workspace, ids[0]), session.get(Suggestion, ids[1]))
    with session_scope(db) as session:
        assert len(_deliveries(session)) == 1


def test_failures_are_retried_on_schedule_and_retry_after_is_honoured(
    session: Session, key: Fernet, settings: Settings
) -> None:
    ws, _, secret, suggestion = _setup(session, key, PUBLIC, events=[EventType.REPLY_APPROVED])
    _approve(session, ws, suggestion)
    answers = iter(
        [
            httpx.Response(500, text="boom"),
            httpx.Response(503, headers={"Retry-After": "120"}),
            httpx.Response(200),
        ]
    )
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["webhook-id"])
        return next(answers)

    with _mock(answer, settings) as sender:
        assert webhooks_service.deliver_due(session, sender=sender, fernet=key, now=T0) == 1
        (row,) = _deliveries(session)
        assert (row.status, row.response_status, row.next_attempt_at) == (
            DeliveryStatus.RETRYING,
            500,
            T0 + timedelta(seconds=5),
        )
        assert row.last_error == "HTTP 500: boom"
        # not due yet: nothing is sent a second early
        assert (
            webhooks_service.deliver_due(
                session, sender=sender, fernet=key, now=T0 + timedelta(seconds=4)
            )
            == 0
        )
        t1 = T0 + timedelta(seconds=5)
        webhooks_service.deliver_due(session, sender=sender, fernet=key, now=t1)
        (row,) = _deliveries(session)
        assert row.next_attempt_at == t1 + timedelta(seconds=120)  # Retry-After, not 5 min
        webhooks_service.deliver_due(
            session, sender=sender, fernet=key, now=t1 + timedelta(seconds=120)
        )
    (row,) = _deliveries(session)
    assert row.status == DeliveryStatus.DELIVERED
    assert [a["status"] for a in row.attempt_log] == [500, 503, 200]
    assert len(set(seen)) == 1 and len(seen) == 3  # the same webhook-id every time


def test_a_receiver_that_never_recovers_is_dead_lettered_visibly_then_replayed(
    session: Session, key: Fernet, settings: Settings
) -> None:
    ws, endpoint_id, secret, suggestion = _setup(
        session, key, PUBLIC, events=[EventType.REPLY_APPROVED]
    )
    _approve(session, ws, suggestion)
    down = True
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["webhook-id"])
        return httpx.Response(502 if down else 204)

    now = T0
    waits = []
    with _mock(answer, settings) as sender:
        for _ in range(len(SCHEDULE) + 1):
            assert webhooks_service.deliver_due(session, sender=sender, fernet=key, now=now) == 1
            (row,) = _deliveries(session)
            if row.next_attempt_at:
                waits.append(row.next_attempt_at - now)
                now = row.next_attempt_at
        assert waits == list(SCHEDULE)  # 5 s, 5 min, 30 min, 2 h, 5 h, 10 h
        (row,) = _deliveries(session)
        assert (row.status, row.attempts, row.next_attempt_at) == (DeliveryStatus.DEAD, 7, None)
        assert (
            webhooks_service.deliver_due(
                session, sender=sender, fernet=key, now=now + timedelta(days=3)
            )
            == 0
        )
        dead = webhooks_service.deliveries(
            session, workspace=ws, endpoint_id=endpoint_id, statuses=[DeliveryStatus.DEAD]
        )
        assert [(d.id, d.response_status) for d in dead] == [(row.id, 502)]
        listed = webhooks_service.list_endpoints(session, workspace=ws)[0]
        assert (listed.dead, listed.consecutive_failures) == (1, 7)

        down = False
        later = now + timedelta(days=3)
        webhooks_service.replay(
            session, workspace=ws, endpoint_id=endpoint_id, delivery_id=row.id, now=later
        )
        assert webhooks_service.deliver_due(session, sender=sender, fernet=key, now=later) == 1
    (row,) = _deliveries(session)
    assert (row.status, row.response_status) == (DeliveryStatus.DELIVERED, 204)
    assert set(seen) == {row.event_id} and len(seen) == 8
    with pytest.raises(Conflict, match="only a dead-lettered delivery"):
        webhooks_service.replay(session, workspace=ws, endpoint_id=endpoint_id, delivery_id=row.id)


def test_private_targets_are_refused_at_creation_and_in_redirects(
    session: Session, key: Fernet
) -> None:
    ws = make_workspace(session)
    for url in ("http://127.0.0.1:9/x", "http://localhost/x", "http://169.254.169.254/latest"):
        with pytest.raises(UnsafeWebhookTarget, match="non-public address"):
            webhooks_service.add_endpoint(
                session,
                workspace=ws,
                endpoint_in=EndpointCreate(url=url),
                fernet=key,
                allow_private=False,
            )
    webhooks_service.add_endpoint(
        session,
        workspace=ws,
        endpoint_in=EndpointCreate(url=PUBLIC),
        fernet=key,
        allow_private=False,
    )
    suggestion = make_suggestion(session, post=make_post(session, workspace_id=ws.id))
    _approve(session, ws, suggestion)
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(307, headers={"Location": "http://127.0.0.1:8080/admin"})

    strict = Settings(_env_file=None, webhook_allow_private_targets=False)
    with _mock(answer, strict) as sender:
        webhooks_service.deliver_due(session, sender=sender, fernet=key, now=T0)
    (row,) = _deliveries(session)
    assert asked == [PUBLIC]  # the redirect to loopback was never followed
    assert row.status == DeliveryStatus.DEAD
    assert "127.0.0.1" in row.last_error and "refused" in row.last_error


def test_a_slow_receiver_times_out_and_is_retried(
    session: Session, key: Fernet, settings: Settings
) -> None:
    ws, _, _, suggestion = _setup(session, key, PUBLIC, events=[EventType.REPLY_APPROVED])
    _approve(session, ws, suggestion)

    def answer(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with _mock(answer, settings) as sender:
        webhooks_service.deliver_due(session, sender=sender, fernet=key, now=T0)
    (row,) = _deliveries(session)
    assert row.status == DeliveryStatus.RETRYING
    assert row.last_error == "No answer within 2 s (timed out)."


def test_a_disabled_endpoint_gets_nothing_new_and_sends_nothing(
    session: Session, key: Fernet, settings: Settings
) -> None:
    ws, endpoint_id, _, suggestion = _setup(session, key, PUBLIC)
    other = make_suggestion(
        session, post=make_post(session, workspace_id=ws.id, external_id="5002")
    )
    _approve(session, ws, suggestion)
    webhooks_service.update_endpoint(
        session,
        workspace=ws,
        endpoint_id=endpoint_id,
        endpoint_in=EndpointUpdate(active=False),
        allow_private=True,
    )
    _approve(session, ws, other)
    assert len(_deliveries(session)) == 1  # only the one recorded while it was active

    def answer(request: httpx.Request) -> httpx.Response:
        raise AssertionError("nothing is sent to a disabled endpoint")

    with _mock(answer, settings) as sender:
        assert webhooks_service.deliver_due(session, sender=sender, fernet=key, now=T0) == 0
    assert not webhooks_service.has_scheduler(session, workspace_id=ws.id)


def test_new_and_expired_suggestions_are_events_too(
    session: Session, key: Fernet, settings: Settings
) -> None:
    with Receiver() as receiver:
        ws, _, secret, suggestion = _setup(
            session,
            key,
            receiver.url,
            events=[EventType.SUGGESTION_CREATED, EventType.REPLY_EXPIRED],
        )
        receiver.secret = secret
        suggest_events.record_for_suggestions(
            session, workspace=ws, suggestion_ids=[suggestion.id], now=T0
        )
        expired = suggest_repository.expire_pending(
            session, workspace_id=ws.id, created_before=datetime.now(UTC) + timedelta(days=1)
        )
        suggest_events.record_for_suggestions(
            session, workspace=ws, suggestion_ids=expired, now=T0, expired=True
        )
        # recording the same event again sends it once
        suggest_events.record_for_suggestions(
            session, workspace=ws, suggestion_ids=[suggestion.id], now=T0
        )
        with Sender(settings) as sender:
            webhooks_service.deliver_due(session, sender=sender, fernet=key, now=T0)
    assert expired == [suggestion.id]
    assert sorted(receiver.types()) == ["reply.expired", "suggestion.created"]
    assert all(r.verified for r in receiver.requests)
    for received in receiver.delivered():
        assert received.payload is not None
        jsonschema.validate(received.payload, schemas.load(EventType(received.payload["type"])))


def test_the_shipped_json_schemas_match_the_payload_models() -> None:
    for event_type in EventType:
        assert schemas.load(event_type) == schemas.schema_for(event_type), (
            f"{schemas.path_for(event_type).name} is stale: run python -m core.events.schemas"
        )


def test_a_test_event_is_sent_now_and_not_retried(
    session: Session, key: Fernet, settings: Settings
) -> None:
    with Receiver() as receiver:
        ws, endpoint_id, secret, _ = _setup(session, key, receiver.url)
        receiver.secret = secret
        with Sender(settings) as sender:
            ok = webhooks_service.send_test(
                session, workspace=ws, endpoint_id=endpoint_id, sender=sender, fernet=key
            )
    assert (ok.status, ok.response_status) == (DeliveryStatus.DELIVERED, 200)
    assert receiver.types() == ["webhook.test"] and receiver.requests[0].verified
    payload = receiver.requests[0].payload
    jsonschema.validate(payload, schemas.load(EventType.WEBHOOK_TEST))

    with _mock(lambda r: httpx.Response(404), settings) as sender:
        failed = webhooks_service.send_test(
            session, workspace=ws, endpoint_id=endpoint_id, sender=sender, fernet=key
        )
    assert (failed.status, failed.last_error) == (DeliveryStatus.DEAD, "HTTP 404")
    assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 2


def test_the_checked_address_is_the_one_connected_to(
    session: Session, key: Fernet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: a name that answers a public address for the check and loopback for the
    connection never reaches loopback; a stable name is reached at the checked address, with
    its own Host header and TLS name."""
    import socket

    lookups: list[str] = []

    def resolve(host: str, port: int, *args: object, **kwargs: object) -> list:
        lookups.append(host)
        # rebind.example.com answers loopback from its third lookup on (after the check made
        # when the endpoint was added and the one made before sending)
        rebound = host == "rebind.example.com" and lookups.count(host) >= 3
        ip = "127.0.0.1" if rebound else "93.184.216.34"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    ws = make_workspace(session)
    for url in ("https://hooks.example.com/in", "https://rebind.example.com/in"):
        webhooks_service.add_endpoint(
            session,
            workspace=ws,
            endpoint_in=EndpointCreate(url=url),
            fernet=key,
            allow_private=False,
        )
    _approve(session, ws, make_suggestion(session, post=make_post(session, workspace_id=ws.id)))
    seen: list[tuple[str, str, str | None]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sni = request.extensions.get("sni_hostname")
        seen.append((str(request.url), request.headers["host"], sni))
        return httpx.Response(200)

    strict = Settings(_env_file=None, webhook_allow_private_targets=False)
    with _mock(answer, strict) as sender:
        webhooks_service.deliver_due(session, sender=sender, fernet=key, now=T0)
    assert seen == [("https://93.184.216.34/in", "hooks.example.com", "hooks.example.com")]
    rows = {d.endpoint_id: d for d in _deliveries(session)}
    statuses = sorted(d.status.value for d in rows.values())
    assert statuses == ["dead", "delivered"]
    (refused,) = [d for d in rows.values() if d.status == DeliveryStatus.DEAD]
    assert "127.0.0.1" in refused.last_error
    assert lookups.count("rebind.example.com") == 3  # refused at the connection's own lookup


def test_the_worker_job_delivers_what_is_due(db: Database, settings: Settings) -> None:
    from procrastinate.testing import InMemoryConnector

    from service import jobs, pipeline

    key = fernet(settings)
    with Receiver() as receiver:
        with session_scope(db) as session:
            ws, _, receiver.secret, suggestion = _setup(session, key, receiver.url)
            suggest_queue.decide(
                session,
                workspace=ws,
                suggestion_id=suggestion.id,
                decision_in=Decision(action="reject"),
                now=datetime.now(UTC) - UNDO_GRACE,  # its undo grace is over
            )
        resources = pipeline.Resources(settings=settings, db=db)
        app = jobs.create_app(resources, connector=InMemoryConnector())
        periodic = app.periodic_registry.periodic_tasks[("webhooks:deliver_webhooks", "")]
        assert periodic.cron == "* * * * * */5"  # every 5 seconds
        app.configure_task("webhooks:deliver_webhooks").defer(timestamp=1_800_000_000)
        app.run_worker(
            wait=False,
            install_signal_handlers=False,
            queues=["webhooks"],
            listen_notify=False,
        )
    assert receiver.types() == ["reply.rejected"] and receiver.requests[0].verified
    with session_scope(db) as session:
        assert [d.status for d in _deliveries(session)] == [DeliveryStatus.DELIVERED]


def _recording() -> tuple[list[dict], Callable[[httpx.Request], httpx.Response]]:
    """A receiver that keeps every payload it is sent and answers 200."""
    received: list[dict] = []

    def answer(request: httpx.Request) -> httpx.Response:
        received.append(httpx.Response(200, content=request.content).json())
        return httpx.Response(200)

    return received, answer


def _undo(session: Session, ws: Workspace, suggestion: Suggestion, at: datetime):
    return suggest_queue.decide(
        session,
        workspace=ws,
        suggestion_id=suggestion.id,
        decision_in=Decision(action="undo"),
        now=at,
    )


def test_an_undo_before_delivery_takes_the_approval_back_and_a_new_one_is_sent_once(
    session: Session, key: Fernet, settings: Settings
) -> None:
    received, answer = _recording()
    ws, _, _, suggestion = _setup(session, key, PUBLIC, events=[EventType.REPLY_APPROVED])
    _approve(session, ws, suggestion, text="First try.")
    _undo(session, ws, suggestion, at=T0 + timedelta(minutes=1))
    with _mock(answer, settings) as sender:
        assert webhooks_service.deliver_due(session, sender=sender, fernet=key, now=T0) == 0
    assert received == []  # the scheduler never saw the approval that was taken back

    suggest_queue.decide(
        session,
        workspace=ws,
        suggestion_id=suggestion.id,
        decision_in=Decision(action="approve", final_text="Second, better try."),
        now=T0 + timedelta(minutes=2),
    )
    with _mock(answer, settings) as sender:
        webhooks_service.deliver_due(
            session, sender=sender, fernet=key, now=T0 + timedelta(minutes=3)
        )
    assert [p["data"]["text"] for p in received] == ["Second, better try."]


def test_an_undo_after_the_scheduler_got_the_reply_is_refused_and_the_approval_stands(
    session: Session, key: Fernet, settings: Settings
) -> None:
    ws, _, _, suggestion = _setup(session, key, PUBLIC, events=[EventType.REPLY_APPROVED])
    _approve(session, ws, suggestion)
    with _mock(lambda _: httpx.Response(200), settings) as sender:
        assert webhooks_service.deliver_due(session, sender=sender, fernet=key, now=T0) == 1
    with pytest.raises(Conflict, match="already sent to your scheduler"):
        _undo(session, ws, suggestion, at=T0 + timedelta(minutes=1))
    session.expire_all()
    assert session.get(Suggestion, suggestion.id).status == SuggestionStatus.APPROVED


def test_a_reply_to_a_private_mention_says_so_in_its_event(
    session: Session, key: Fernet, settings: Settings
) -> None:
    received, answer = _recording()
    ws = make_workspace(session)
    post = make_post(session, workspace_id=ws.id, private=True)
    suggestion = make_suggestion(session, post=post)
    webhooks_service.add_endpoint(
        session,
        workspace=ws,
        endpoint_in=EndpointCreate(url=PUBLIC, event_types=[EventType.REPLY_APPROVED.value]),
        fernet=key,
        allow_private=True,
    )
    _approve(session, ws, suggestion)
    with _mock(answer, settings) as sender:
        webhooks_service.deliver_due(session, sender=sender, fernet=key, now=T0)
    assert [p["data"]["private"] for p in received] == [True]


def test_a_decision_leaves_rapport_only_after_the_undo_grace(
    session: Session, key: Fernet, settings: Settings
) -> None:
    ws, _, _, suggestion = _setup(session, key, PUBLIC, events=[EventType.REPLY_APPROVED])
    _approve(session, ws, suggestion)  # at DECIDED
    with _mock(lambda _: httpx.Response(200), settings) as sender:
        early = DECIDED + UNDO_GRACE - timedelta(seconds=1)
        assert webhooks_service.deliver_due(session, sender=sender, fernet=key, now=early) == 0
        assert webhooks_service.deliver_due(session, sender=sender, fernet=key, now=T0) == 1
