"""Posting approved replies to Mastodon (opt-in per account) with the real Mastodon.py client
against documented responses: reply threading, visibility, idempotency key, the stored id."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

import pytest
import responses
from fastapi.testclient import TestClient
from procrastinate.testing import InMemoryConnector
from sqlalchemy.orm import Session

from core.database import Database
from core.models import DeliveryRoute, EventType, PostingStatus, Role, Suggestion, Workspace
from core.settings import Settings
from ingest import accounts
from service import jobs, pipeline
from service.app import create_app
from service.posting import tasks as posting_tasks
from suggest import queue as suggest_queue
from suggest.events import UNDO_GRACE
from suggest.schemas import Decision
from tests.factories import make_post, make_suggestion, make_user, make_workspace
from tests.mastodon_payloads import BASE, account, status
from tests.posting import KEY, SETTINGS, run_posting
from tests.signin import sign_in

STATUSES = f"{BASE}/api/v1/statuses"
T0 = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)  # the fake clock


def _setup(session: Session, *, post_replies: bool, visibility: str = "unlisted"):
    ws = make_workspace(session)
    accounts.add_account(
        session,
        workspace_id=ws.id,
        platform="mastodon",
        handle="crumbandkettle",
        values={
            "api_base_url": BASE,
            "access_token": "s3cret",
            "post_replies": str(post_replies).lower(),
        },
        fernet=KEY,
    )
    post = make_post(
        session,
        workspace_id=ws.id,
        external_id="109",
        raw={"id": "109", "visibility": visibility},
    )
    return ws, make_suggestion(session, post=post, route=DeliveryRoute.API)


def _approve(session: Session, ws: Workspace, suggestion: Suggestion, text: str | None = None):
    suggest_queue.decide(
        session,
        workspace=ws,
        suggestion_id=suggestion.id,
        decision_in=Decision(action="approve", final_text=text),
        now=T0 - UNDO_GRACE,  # posted once the undo grace has passed: from T0
    )


def _sent(id_: str, text: str, visibility: str) -> dict:
    value = status(id_, account("1", "crumbandkettle"), text)
    value.update(in_reply_to_id="109", visibility=visibility)
    return value


def test_an_approved_reply_is_posted_once_as_a_reply_in_the_posts_visibility(
    session: Session,
    db: Database,
) -> None:
    ws, suggestion = _setup(session, post_replies=True, visibility="unlisted")
    _approve(session, ws, suggestion, text="Feed it twice a day and keep it warm!")
    assert suggestion.posting_status == PostingStatus.QUEUED
    with responses.RequestsMock() as rsps:
        rsps.post(STATUSES, json=_sent("555", "reply", "unlisted"))
        assert run_posting(db, session) == 1
        (call,) = rsps.calls
    form = dict(parse_qsl(call.request.body))  # Mastodon.py posts a form
    assert form["in_reply_to_id"] == "109"
    assert form["visibility"] == "unlisted"  # the post's own visibility
    assert form["status"] == "@maria@example.social Feed it twice a day and keep it warm!"
    assert call.request.headers["Idempotency-Key"] == f"rapport-suggestion-{suggestion.id}"
    assert (suggestion.posting_status, suggestion.posted_external_id) == (
        PostingStatus.POSTED,
        "555",
    )
    # posted: nothing is queued any more, so a second run posts nothing
    with responses.RequestsMock():
        assert run_posting(db, session) == 0


def test_the_workers_posting_job_posts_the_queued_reply(session: Session, db: Database) -> None:
    ws, suggestion = _setup(session, post_replies=True, visibility="public")
    _approve(session, ws, suggestion, text="Feed it twice a day!")
    session.flush()
    app = jobs.create_app(
        pipeline.Resources(settings=SETTINGS, db=db), connector=InMemoryConnector()
    )
    app.configure_task("posting:post_replies").defer(timestamp=0)
    with responses.RequestsMock() as rsps:
        rsps.post(STATUSES, json=_sent("557", "reply", "public"))
        app.run_worker(
            queues=["posting"], wait=False, install_signal_handlers=False, listen_notify=False
        )
        (call,) = rsps.calls
    assert dict(parse_qsl(call.request.body))["in_reply_to_id"] == "109"
    session.expire_all()
    assert (suggestion.posting_status, suggestion.posted_external_id) == (
        PostingStatus.POSTED,
        "557",
    )


def test_a_refused_reply_is_marked_failed_with_the_reason(session: Session, db: Database) -> None:
    ws, suggestion = _setup(session, post_replies=True)
    _approve(session, ws, suggestion)
    with responses.RequestsMock() as rsps:
        rsps.post(STATUSES, status=422, json={"error": "Validation failed: Text too long"})
        run_posting(db, session)
    assert suggestion.posting_status == PostingStatus.FAILED
    assert "Text too long" in (suggestion.posting_error or "")
    assert suggestion.posted_external_id is None


def test_an_outage_leaves_it_queued_and_the_retry_carries_the_same_key(
    session: Session, db: Database
) -> None:
    ws, suggestion = _setup(session, post_replies=True)
    _approve(session, ws, suggestion)
    with responses.RequestsMock() as rsps:
        rsps.post(STATUSES, status=503, json={"error": "down"})
        rsps.post(STATUSES, json=_sent("556", "reply", "public"))
        run_posting(db, session, now=T0)
        assert suggestion.posting_status == PostingStatus.QUEUED
        assert "will try again" in (suggestion.posting_error or "")
        # not before the wait the error asked for (a minute for an outage)
        assert run_posting(db, session, now=T0 + timedelta(seconds=59)) == 0
        run_posting(db, session, now=T0 + timedelta(seconds=60))
        keys = {c.request.headers["Idempotency-Key"] for c in rsps.calls}
    assert keys == {f"rapport-suggestion-{suggestion.id}"}
    assert (suggestion.posting_status, suggestion.posted_external_id) == (
        PostingStatus.POSTED,
        "556",
    )


def test_without_the_opt_in_nothing_is_posted_and_webhooks_are_told_who_posts(
    session: Session,
    db: Database,
) -> None:
    from service.webhooks import service as webhooks_service
    from service.webhooks.schemas import EndpointCreate

    ws, suggestion = _setup(session, post_replies=False)
    webhooks_service.add_endpoint(
        session,
        workspace=ws,
        endpoint_in=EndpointCreate(url="http://93.184.216.34/h"),
        fernet=KEY,
        allow_private=False,
    )
    _approve(session, ws, suggestion)
    assert suggestion.posting_status is None
    with responses.RequestsMock():  # no request may be sent
        assert run_posting(db, session) == 0
    from sqlalchemy import select

    from core.models import WebhookDelivery

    (approved,) = session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.event_type == EventType.REPLY_APPROVED)
    )
    assert approved.payload["data"]["posted_by_rapport"] is False


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(_env_file=None), db)) as c:
        yield c


REVIEWER = "reviewer@example.com"


def test_the_card_says_rapport_posts_it_and_a_failed_post_can_be_retried(
    client: TestClient, db: Database
) -> None:
    with db.sessions() as session:
        ws, suggestion = _setup(session, post_replies=True)
        make_user(session, email=REVIEWER, workspace=ws, role=Role.REVIEWER)
        session.commit()
        suggestion_id = suggestion.id
    sign_in(client, REVIEWER)  # a reviewer approves and retries; no owner needed
    assert "posted to Mastodon by Rapport" in client.get("/").text

    approve = f"/api/workspaces/test-ws/suggestions/{suggestion_id}"
    assert client.post(f"{approve}/decision", json={"action": "approve"}).status_code == 200
    early = client.post(f"{approve}/posting/retry")
    assert early.status_code == 409 and "only a failed post" in early.json()["detail"]
    with responses.RequestsMock() as rsps:
        rsps.post(STATUSES, status=401, json={"error": "The access token is invalid"})
        # the posting job, once the undo grace has passed
        posting_tasks.post_queued(db, SETTINGS, now=datetime.now(UTC) + UNDO_GRACE)
    (shown,) = client.get("/api/workspaces/test-ws/suggestions?status=approved").json()
    assert shown["posting_status"] == "failed" and "access token" in shown["posting_error"]
    retried = client.post(f"{approve}/posting/retry").json()
    assert retried["posting_status"] == "queued"


def test_an_account_that_needs_reconnecting_is_not_tried_and_the_card_says_so(
    session: Session, db: Database
) -> None:
    ws, suggestion = _setup(session, post_replies=True)
    _approve(session, ws, suggestion)
    with responses.RequestsMock() as rsps:
        rsps.post(STATUSES, status=401, json={"error": "The access token is invalid"})
        run_posting(db, session)
        assert len(rsps.calls) == 1
    assert "Reconnect" in (suggestion.posting_error or "")
    second = make_suggestion(
        session,
        post=make_post(session, workspace_id=ws.id, external_id="110", raw={"id": "110"}),
        route=DeliveryRoute.API,
    )
    _approve(session, ws, second)
    with responses.RequestsMock():  # any request to Mastodon would fail the test
        run_posting(db, session)
    assert second.posting_status == PostingStatus.FAILED
    assert "needs reconnecting" in (second.posting_error or "")
