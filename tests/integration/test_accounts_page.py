"""The accounts page and API: who may see and act, health and spend as shown, sync now with the
real Mastodon.py reading served payloads, and reconnecting a broken account."""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import responses
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient

from core.database import Database, session_scope
from core.models import Account, AccountHealth, Post, Role
from core.secrets import fernet
from core.settings import Settings
from ingest import accounts
from service.app import create_app
from tests.factories import make_token, make_user, make_workspace
from tests.mastodon_payloads import BASE, account, mention, status
from tests.signin import csrf_from, sign_in

HTML = {"Accept": "text/html"}
RANK = {Role.VIEWER: 0, Role.REVIEWER: 1, Role.OWNER: 2}
ME = account("1", "crumbandkettle")
FOLLOWER = account("10", "maria@mastodon.scot")
REVOKED = "The access token was revoked"


@pytest.fixture
def app(db: Database):  # noqa: ANN201
    settings = Settings(_env_file=None, secret_key=Fernet.generate_key().decode())
    return create_app(settings, db)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # noqa: ANN001
    with TestClient(app) as c:
        yield c


@pytest.fixture
def world(db: Database, app) -> dict[str, Any]:  # noqa: ANN001
    """'mine' with a Mastodon account that needs reconnecting and an X account that read 120
    resources today; 'theirs' with an account of its own; a user and a token of every role."""
    key = fernet(app.state.settings)
    today = datetime.now(UTC).date().isoformat()
    with db.sessions() as session:
        mine = make_workspace(session, name="mine")
        theirs = make_workspace(session, name="theirs", display_name="Their Bakery")
        masto = accounts.add_account(
            session,
            workspace_id=mine.id,
            platform="mastodon",
            handle="crumbandkettle",
            values={"api_base_url": BASE, "access_token": "old-token", "post_replies": True},
            fernet=key,
        )
        masto.health = AccountHealth.NEEDS_RECONNECT
        masto.health_detail = f"{REVOKED}. Reconnect it on the Accounts page."
        masto.health_since = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
        x = accounts.add_account(
            session,
            workspace_id=mine.id,
            platform="x",
            handle="crumbandkettle",
            values={"username": "crumbandkettle", "bearer_token": "x-secret"},
            fernet=key,
        )
        x.spend = {today: {"reads": 120, "cost_usd": 0.9}}
        other = accounts.add_account(
            session,
            workspace_id=theirs.id,
            platform="bluesky",
            handle="their.bsky.social",
            values={"actor": "their.bsky.social"},
            fernet=key,
        )
        for role in Role:
            make_user(session, email=f"{role.value}@example.com", workspace=mine, role=role)
        make_user(session, email="stranger@example.com", workspace=theirs, role=Role.OWNER)
        tokens: dict[Any, str] = {
            role: make_token(session, workspace=mine, role=role) for role in Role
        }
        tokens["theirs"] = make_token(session, workspace=theirs, role=Role.OWNER)
        session.commit()
        ids = {"masto": masto.id, "x": x.id, "other": other.id}
    return {"tokens": tokens, "ids": ids}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _serve_mastodon(rsps: responses.RequestsMock) -> None:
    rsps.get(f"{BASE}/api/v1/accounts/verify_credentials", json=ME)
    rsps.get(
        f"{BASE}/api/v1/notifications",
        json=[mention("900", status("5000", FOLLOWER, "<p>@crumbandkettle open today?</p>"))],
    )
    rsps.get(f"{BASE}/api/v1/accounts/1/followers", json=[FOLLOWER])
    rsps.get(
        f"{BASE}/api/v1/accounts/10/statuses",
        json=[status(f"{6000 + k}", FOLLOWER, f"<p>Sourdough try {k}</p>") for k in range(3)],
    )


# (method, path, request arguments, lowest role allowed, its answer)
ROUTES: list[tuple[str, str, dict[str, Any], Role, int]] = [
    ("GET", "/workspaces/mine/accounts", {}, Role.VIEWER, 200),
    ("GET", "/workspaces/mine/accounts/{x}/reconnect", {}, Role.OWNER, 200),
    (
        "POST",
        "/workspaces/mine/accounts/{x}/reconnect",
        {"data": {"username": "crumbandkettle", "bearer_token": "new"}},
        Role.OWNER,
        303,
    ),
    ("GET", "/api/workspaces/mine/accounts", {}, Role.VIEWER, 200),
    ("GET", "/api/workspaces/mine/accounts/{x}", {}, Role.VIEWER, 200),
    (
        "POST",
        "/api/workspaces/mine/accounts/{x}/reconnect",
        {"json": {"username": "crumbandkettle", "bearer_token": "new"}},
        Role.OWNER,
        200,
    ),
]


@pytest.mark.parametrize(("method", "path", "kwargs", "lowest", "answer"), ROUTES)
def test_each_route_needs_the_right_role_in_its_own_workspace(
    client: TestClient,
    world: dict,
    method: str,
    path: str,
    kwargs: dict,
    lowest: Role,
    answer: int,
) -> None:
    tokens, url = world["tokens"], path.format(**world["ids"])
    nobody = client.request(method, url, follow_redirects=False, **kwargs)
    assert nobody.status_code == 401
    other = client.request(method, url, headers=_bearer(tokens["theirs"]), **kwargs)
    assert other.status_code == 404 and "No workspace named 'mine'" in other.json()["detail"]
    for role in (r for r in Role if RANK[r] < RANK[lowest]):
        refused = client.request(method, url, headers=_bearer(tokens[role]), **kwargs)
        assert refused.status_code == 403, (role, refused.text)
        assert f"Your role in 'mine' is {role.value}" in refused.json()["detail"]
    allowed = client.request(
        method, url, headers=_bearer(tokens[lowest]), follow_redirects=False, **kwargs
    )
    assert allowed.status_code == answer, allowed.text


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/workspaces/mine/accounts/{other}"),
        ("POST", "/api/workspaces/mine/accounts/{other}/sync"),
        ("POST", "/api/workspaces/mine/accounts/{other}/reconnect"),
        ("GET", "/workspaces/mine/accounts/{other}/reconnect"),
        ("POST", "/workspaces/mine/accounts/{other}/sync"),
    ],
)
def test_another_workspaces_account_is_not_found_through_mine(
    client: TestClient, world: dict, method: str, path: str
) -> None:
    owner = _bearer(world["tokens"][Role.OWNER])
    kwargs: dict[str, Any] = {"json": {"actor": "x"}} if path.endswith("reconnect") else {}
    answer = client.request(method, path.format(**world["ids"]), headers=owner, **kwargs)
    assert answer.status_code == 404, answer.text
    assert f"No account {world['ids']['other']} in this workspace" in answer.json()["detail"]


def test_a_stranger_signed_in_does_not_find_the_page(client: TestClient, world: dict) -> None:
    sign_in(client, "stranger@example.com")
    page = client.get("/workspaces/mine/accounts", headers=HTML)
    assert page.status_code == 404
    assert "No workspace named &#39;mine&#39;" in page.text or "No workspace named" in page.text


def test_a_viewer_sees_health_spend_cap_and_replies_but_no_actions(
    client: TestClient, world: dict
) -> None:
    sign_in(client, "viewer@example.com")
    page = client.get("/workspaces/mine/accounts", headers=HTML)
    assert page.status_code == 200
    text = page.text
    assert "needs reconnect" in text and REVOKED in text
    assert "since 2026-11-28 09:30 UTC" in text
    assert "120 reads · $0.90" in text and "cap $2.00 a day" in text  # X: pay-per-use
    assert "no spend cap" in text  # Mastodon
    assert "Rapport posts approved replies" in text  # Mastodon's post_replies
    assert "Sync now" not in text and "/reconnect" not in text
    assert 'data-testid="read-only"' in text
    # the API says the same, and never a secret
    body = client.get("/api/workspaces/mine/accounts").json()
    by_platform = {a["platform"]: a for a in body}
    assert by_platform["x"]["reads_today"] == 120 and by_platform["x"]["spend_cap_usd"] == 2.0
    assert by_platform["mastodon"]["health"] == "needs-reconnect"
    assert by_platform["mastodon"]["post_replies"] is True
    assert "old-token" not in str(body) and "x-secret" not in str(body)


def test_an_owner_reconnects_a_broken_account_with_the_settings_form(
    client: TestClient, world: dict, db: Database, app
) -> None:  # noqa: ANN001
    sign_in(client, "owner@example.com")
    url = f"/workspaces/mine/accounts/{world['ids']['masto']}/reconnect"
    form = client.get(url, headers=HTML)
    # the connector's field titles and descriptions are the form; the secret is not shown
    assert "Instance URL" in form.text and "Access token" in form.text
    assert "read:notifications" in form.text  # the access token's description
    assert f'value="{BASE}"' in form.text and "old-token" not in form.text
    # without the token: the form again, with the error and what was typed
    data = {"csrf_token": csrf_from(form.text), "api_base_url": BASE, "post_replies": "on"}
    refused = client.post(url, data=data, headers=HTML, follow_redirects=False)
    assert refused.status_code == 422
    assert "Access token (access_token): Field required" in refused.text
    with session_scope(db) as session:
        assert session.get(Account, world["ids"]["masto"]).health == "needs-reconnect"
    done = client.post(
        url, data={**data, "access_token": "fresh-token"}, headers=HTML, follow_redirects=False
    )
    assert done.status_code == 303
    page = client.get(done.headers["location"], headers=HTML)
    assert "Reconnected mastodon crumbandkettle" in page.text
    with session_scope(db) as session:
        acct = session.get(Account, world["ids"]["masto"])
        assert acct.health == AccountHealth.OK and acct.health_detail.startswith("Reconnected")
        assert acct.settings["post_replies"] is True and acct.settings["api_base_url"] == BASE
        assert b"fresh-token" not in acct.credentials_encrypted
        key = fernet(app.state.settings)
        settings = accounts.connector_settings(acct, key)
        assert settings.access_token.get_secret_value() == "fresh-token"  # type: ignore[attr-defined]


def test_sync_now_reads_new_posts_and_shows_the_result(
    client: TestClient, world: dict, db: Database
) -> None:
    sign_in(client, "owner@example.com")
    masto = world["ids"]["masto"]
    page = client.get("/workspaces/mine/accounts", headers=HTML)
    with responses.RequestsMock() as rsps:
        _serve_mastodon(rsps)
        done = client.post(
            f"/workspaces/mine/accounts/{masto}/sync",
            data={"csrf_token": csrf_from(page.text)},
            headers=HTML,
            follow_redirects=False,
        )
    assert done.status_code == 303
    after = client.get(done.headers["location"], headers=HTML).text
    assert "Synced mastodon crumbandkettle: 4 new posts" in after
    assert "4 new posts, 0 updated, 1 new people, 0 skipped (" in after  # the last sync's result
    with session_scope(db) as session:
        acct = session.get(Account, masto)
        assert acct.health == AccountHealth.OK and acct.sync_finished_at is not None
        assert session.query(Post).filter(Post.text.like("Sourdough try%")).count() == 3
    # once more through the API: nothing new, and the account as it is now
    with responses.RequestsMock() as rsps:
        _serve_mastodon(rsps)
        again = client.post(f"/api/workspaces/mine/accounts/{masto}/sync")
    assert again.status_code == 200, again.text
    body = again.json()
    assert body["report"]["result"]["posts_new"] == 0
    assert body["account"]["health"] == "ok"
    assert body["account"]["sync_result"].startswith("0 new posts")


def test_sync_now_with_a_revoked_token_says_why_and_marks_the_account(
    client: TestClient, world: dict, db: Database
) -> None:
    owner = _bearer(world["tokens"][Role.OWNER])
    masto = world["ids"]["masto"]
    client.post(
        f"/api/workspaces/mine/accounts/{masto}/reconnect",
        json={"api_base_url": BASE, "access_token": "fresh-token"},
        headers=owner,
    ).raise_for_status()
    with responses.RequestsMock() as rsps:
        rsps.get(f"{BASE}/api/v1/accounts/verify_credentials", status=401, json={"error": REVOKED})
        failed = client.post(f"/api/workspaces/mine/accounts/{masto}/sync", headers=owner)
    assert failed.status_code == 502
    assert REVOKED in failed.json()["detail"]
    shown = client.get(f"/api/workspaces/mine/accounts/{masto}", headers=owner).json()
    assert shown["health"] == "needs-reconnect" and REVOKED in shown["health_detail"]
    assert shown["sync_result"].startswith("failed: ") and shown["sync_finished_at"]


def test_a_reconnect_with_bad_settings_changes_nothing(
    client: TestClient, world: dict, db: Database
) -> None:
    owner = _bearer(world["tokens"][Role.OWNER])
    x = world["ids"]["x"]
    answer = client.post(
        f"/api/workspaces/mine/accounts/{x}/reconnect",
        json={"username": "crumbandkettle", "bearer_token": "t", "daily_budget_usd": -1, "oops": 1},
        headers=owner,
    )
    assert answer.status_code == 422
    assert "Unknown x setting: oops" in answer.json()["detail"]
    with session_scope(db) as session:
        assert session.get(Account, x).settings["daily_budget_usd"] == 2.0


@pytest.mark.parametrize(
    "path", ["/api/workspaces/mine/accounts/{masto}/sync", "/workspaces/mine/accounts/{masto}/sync"]
)
@pytest.mark.parametrize("role", [Role.VIEWER, Role.REVIEWER])
def test_only_an_owner_may_sync_now(
    client: TestClient, world: dict, db: Database, path: str, role: Role
) -> None:
    with responses.RequestsMock():  # any request to the platform would fail the test
        refused = client.post(path.format(**world["ids"]), headers=_bearer(world["tokens"][role]))
    assert refused.status_code == 403
    assert "this needs owner or above" in refused.json()["detail"]
    with session_scope(db) as session:
        assert session.get(Account, world["ids"]["masto"]).sync_finished_at is None


def test_sync_now_while_the_account_is_being_synced_is_refused_and_reads_nothing(
    client: TestClient, world: dict, db: Database
) -> None:
    from ingest import repository as ingest_repository

    masto = world["ids"]["masto"]
    owner = _bearer(world["tokens"][Role.OWNER])
    # another process's sync holds the account (the worker's, say)
    with db.engine.connect() as other:
        assert ingest_repository.try_lock_sync(other, account_id=masto)
        with responses.RequestsMock():  # any request to the platform would fail the test
            refused = client.post(f"/api/workspaces/mine/accounts/{masto}/sync", headers=owner)
            sign_in(client, "owner@example.com")
            page = client.get("/workspaces/mine/accounts", headers=HTML)
            shown = client.post(
                f"/workspaces/mine/accounts/{masto}/sync",
                data={"csrf_token": csrf_from(page.text)},
                headers=HTML,
            )
        ingest_repository.unlock_sync(other, account_id=masto)
        other.rollback()
    assert refused.status_code == 409
    assert f"Account {masto} is being synced right now" in refused.json()["detail"]
    assert "is being synced right now" in shown.text
    # once it is done, a sync runs
    with responses.RequestsMock() as rsps:
        _serve_mastodon(rsps)
        done = client.post(f"/api/workspaces/mine/accounts/{masto}/sync", headers=owner)
    assert done.status_code == 200, done.text
