"""Webhook endpoints on the settings page: owners only, a clear error for a refused URL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from core.database import Database
from core.models import Role
from core.settings import Settings
from service.app import create_app
from tests.factories import make_user, make_workspace
from tests.signin import csrf_from, sign_in

OWNER, REVIEWER = "owner@example.com", "reviewer@example.com"
SETTINGS = "/workspaces/test-ws/settings"


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    with db.sessions() as session:
        ws = make_workspace(session)
        make_user(session, email=OWNER, workspace=ws, role=Role.OWNER)
        make_user(session, email=REVIEWER, workspace=ws, role=Role.REVIEWER)
        session.commit()
    with TestClient(create_app(Settings(_env_file=None), db)) as c:
        yield c


def test_a_reviewer_neither_sees_nor_adds_endpoints(client: TestClient) -> None:
    sign_in(client, REVIEWER)
    page = client.get(SETTINGS)
    assert page.status_code == 200 and 'data-testid="webhooks"' not in page.text
    refused = client.post(f"{SETTINGS}/webhooks", data={"url": "http://93.184.216.34/h"})
    assert refused.status_code == 403
    assert client.get("/api/workspaces/test-ws/webhooks").status_code == 403


def test_a_loopback_url_is_refused_with_a_sentence_and_nothing_is_added(
    client: TestClient,
) -> None:
    sign_in(client, OWNER)
    client.headers.pop("X-CSRF-Token")  # as a browser form: the token in the body
    token = csrf_from(client.get(SETTINGS).text)
    refused = client.post(
        f"{SETTINGS}/webhooks", data={"url": "http://127.0.0.1:9/h", "csrf_token": token}
    )
    assert refused.status_code == 422
    assert "resolves to 127.0.0.1, a non-public address: refused" in refused.text
    assert 'data-testid="no-endpoints"' in refused.text
    added = client.post(
        f"{SETTINGS}/webhooks",
        data={
            "url": "http://93.184.216.34/h",
            "event_types": "reply.approved",
            "csrf_token": token,
        },
    )
    assert added.status_code == 201 and "whsec_" in added.text
    bad_event = client.post(
        f"{SETTINGS}/webhooks",
        data={"url": "http://93.184.216.34/h", "event_types": "reply.sent", "csrf_token": token},
    )
    assert bad_event.status_code == 422 and "reply.sent" in bad_event.text
