"""Webhook endpoints through the JSON API, the CLI and the review page."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from core.database import Database
from core.models import DeliveryRoute
from core.settings import Settings
from service.app import create_app
from service.cli import app as cli
from service.cli.common import console
from tests.factories import make_member, make_post, make_suggestion, make_user, make_workspace
from tests.signin import sign_in

BASE = "/api/workspaces/test-ws/webhooks"
PUBLIC = "http://93.184.216.34/hooks"


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    """Signed in as owner@example.com, the owner of the workspace `_workspace` makes."""
    settings = Settings(_env_file=None, secret_key=Fernet.generate_key().decode())
    app = create_app(settings, db)
    with db.sessions() as session:
        make_user(session)
        session.commit()
    with TestClient(app) as c:
        sign_in(c, "owner@example.com")
        yield c


def _workspace(db: Database, *, route: DeliveryRoute = DeliveryRoute.API) -> None:
    with db.sessions() as session:
        ws = make_workspace(session)
        make_member(session, workspace=ws)
        make_suggestion(
            session,
            post=make_post(session, workspace_id=ws.id, url="https://example.social/@maria/5001"),
            route=route,
        )
        session.commit()


def test_an_endpoint_is_added_listed_tested_and_its_log_read(
    client: TestClient, db: Database
) -> None:
    _workspace(db)
    created = client.post(BASE, json={"url": PUBLIC, "event_types": ["reply.approved"]})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["secret"].startswith("whsec_")
    listed = client.get(BASE).json()
    assert [e["url"] for e in listed] == [PUBLIC]
    assert "secret" not in listed[0]  # shown once, at creation

    client.app.state.webhook_transport = httpx.MockTransport(
        lambda request: (
            httpx.Response(200)
            if request.headers.get("webhook-signature", "").startswith("v1,")
            else httpx.Response(400)
        )
    )
    tested = client.post(f"{BASE}/{body['id']}/test").json()
    assert (tested["status"], tested["response_status"]) == ("delivered", 200)
    log = client.get(f"{BASE}/{body['id']}/deliveries").json()
    assert [(d["event_type"], d["status"]) for d in log] == [("webhook.test", "delivered")]
    replay = client.post(f"{BASE}/{body['id']}/deliveries/{log[0]['id']}/replay")
    assert replay.status_code == 409 and "only a dead-lettered" in replay.json()["detail"]

    disabled = client.patch(f"{BASE}/{body['id']}", json={"active": False})
    assert disabled.json()["active"] is False
    assert client.delete(f"{BASE}/{body['id']}").status_code == 204
    assert client.get(BASE).json() == []


@pytest.mark.parametrize(
    ("payload", "detail"),
    [
        ({"url": "http://127.0.0.1:8080/"}, "non-public address"),
        ({"url": "http://169.254.169.254/latest/meta-data"}, "non-public address"),
        ({"url": "ftp://files.example/"}, "not an http:// or https:// URL"),
        ({"url": PUBLIC, "event_types": ["reply.posted"]}, "Unknown event type reply.posted"),
        ({"url": PUBLIC, "event_types": ["webhook.test"]}, "Unknown event type webhook.test"),
    ],
)
def test_bad_endpoints_are_refused_with_a_reason(
    client: TestClient, db: Database, payload: dict, detail: str
) -> None:
    _workspace(db)
    response = client.post(BASE, json=payload)
    assert response.status_code == 422
    assert detail in response.json()["detail"]
    assert client.get(BASE).json() == []


def test_unknown_endpoint_or_workspace_is_a_404(client: TestClient, db: Database) -> None:
    _workspace(db)
    assert client.get(f"{BASE}/999/deliveries").status_code == 404
    assert client.get("/api/workspaces/nope/webhooks").status_code == 404
    # An id no row can have is the caller's mistake (422 with a sentence), not a server error.
    huge = client.get(f"{BASE}/{2**63}/deliveries")
    assert huge.status_code == 422 and "endpoint_id" in huge.json()["detail"]


def test_the_card_says_what_happens_after_approval(client: TestClient, db: Database) -> None:
    _workspace(db)
    page = client.get("/").text
    assert "post it yourself" in page and "https://example.social/@maria/5001" in page
    assert "sent to your scheduler" not in page

    client.post(BASE, json={"url": PUBLIC, "event_types": ["reply.rejected"]})
    assert "sent to your scheduler" not in client.get("/").text  # it won't get approvals
    client.post(BASE, json={"url": PUBLIC, "event_types": ["reply.approved"]})
    page = client.get("/").text
    assert "sent to your scheduler" in page and "post it yourself" not in page


def test_a_handoff_card_says_post_it_yourself_even_with_a_scheduler(
    client: TestClient, db: Database
) -> None:
    _workspace(db, route=DeliveryRoute.HANDOFF)
    client.post(BASE, json={"url": PUBLIC})
    page = client.get("/").text
    assert "post it yourself" in page and "sent to your scheduler" not in page


runner = CliRunner()


def test_the_cli_adds_lists_and_refuses_loopback_unless_allowed(
    new_database,
    monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
) -> None:
    monkeypatch.setenv("RAPPORT_DATABASE_URL", new_database())
    monkeypatch.setenv("RAPPORT_SECRET_KEY", Fernet.generate_key().decode())
    monkeypatch.setattr(console, "width", 200)  # one table row per line
    runner.invoke(cli, ["db", "upgrade"])
    from core.database import open_database, session_scope
    from ingest import service as ingest_service

    db = open_database(Settings(_env_file=None))
    with session_scope(db) as session:
        ingest_service.get_or_create_workspace(session, name="cafe")
    db.close()

    refused = runner.invoke(cli, ["webhooks", "add", "http://127.0.0.1:9/hook"])
    assert refused.exit_code == 1
    assert "non-public address" in " ".join(refused.output.split())

    monkeypatch.setenv("RAPPORT_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true")
    added = runner.invoke(
        cli, ["webhooks", "add", "http://127.0.0.1:9/hook", "-e", "reply.approved"]
    )
    assert added.exit_code == 0, added.output
    assert "whsec_" in added.output
    listed = runner.invoke(cli, ["webhooks", "list"])
    assert "http://127.0.0.1:9/hook" in listed.output and "reply.approved" in listed.output
    assert "whsec_" not in listed.output

    # nothing listens on port 9: the test event fails and says why
    tested = runner.invoke(cli, ["webhooks", "test", "1"])
    assert tested.exit_code == 1 and "Not delivered" in tested.output
    log = runner.invoke(cli, ["webhooks", "deliveries", "1"])
    assert "webhook.test" in log.output and "dead" in log.output
    bad = runner.invoke(cli, ["webhooks", "add", "http://127.0.0.1:9/x", "-e", "reply.sent"])
    assert bad.exit_code == 1 and "Unknown event type reply.sent" in " ".join(bad.output.split())
    assert runner.invoke(cli, ["webhooks", "disable", "1"]).exit_code == 0
    assert "disabled" in runner.invoke(cli, ["webhooks", "list"]).output
    assert runner.invoke(cli, ["webhooks", "remove", "1"]).exit_code == 0
