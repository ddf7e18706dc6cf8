"""Who may use the set-up, settings, knowledge, person, export, analytics, webhook and posting
routes: sign-in, the role in the workspace, other workspaces, forged forms."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient

from core.database import Database
from core.models import DeliveryStatus, PostingStatus, Role, SuggestionStatus, WebhookDelivery
from core.secrets import fernet
from core.settings import Settings
from ingest import repository as ingest_repository
from ingest import workspaces
from service.app import create_app
from service.webhooks import service as webhooks_service
from service.webhooks.schemas import EndpointCreate
from tests.factories import make_post, make_suggestion, make_token, make_user, make_workspace
from tests.signin import csrf_from, sign_in

PUBLIC = "http://93.184.216.34/hooks"
HTML = {"Accept": "text/html"}
RANK = {Role.VIEWER: 0, Role.REVIEWER: 1, Role.OWNER: 2}
SETTINGS_FORM = {
    "display_name": "Test Bakery & Café",
    "description": "Bread.",
    "helps_with": "bread\n",
    "voice": "brief",
    "languages": "en",
    "timezone": "Europe/London",
    "ready_at": "07:00",
    "replies_per_day": "20",
    "days_between_replies": "3",
    "products": "Magic Loaf\n",
    "banned_phrases": "act now\n",
}


@pytest.fixture
def app(db: Database):  # noqa: ANN201
    settings = Settings(_env_file=None, secret_key=Fernet.generate_key().decode())
    app = create_app(settings, db)
    app.state.webhook_transport = httpx.MockTransport(lambda request: httpx.Response(200))
    return app


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # noqa: ANN001
    with TestClient(app) as c:
        yield c


@pytest.fixture
def world(db: Database, app) -> dict[str, Any]:  # noqa: ANN001
    """'mine' with a user and a token of every role, a failed post, a webhook endpoint with a
    dead delivery; 'theirs' with its own owner (a user and a token)."""
    with db.sessions() as session:
        mine = make_workspace(session, name="mine")
        theirs = make_workspace(session, name="theirs", display_name="Their Bakery")
        post = make_post(session, workspace_id=mine.id)
        failed = make_suggestion(
            session,
            post=post,
            status=SuggestionStatus.APPROVED,
            final_text="Feed it twice a day.",
            posting_status=PostingStatus.FAILED,
            posting_error="The access token is invalid",
        )
        for role in Role:
            make_user(session, email=f"{role.value}@example.com", workspace=mine, role=role)
        make_user(session, email="stranger@example.com", workspace=theirs, role=Role.OWNER)
        tokens: dict[Any, str] = {
            role: make_token(session, workspace=mine, role=role) for role in Role
        }
        tokens["theirs"] = make_token(session, workspace=theirs, role=Role.OWNER)
        endpoint = webhooks_service.add_endpoint(
            session,
            workspace=mine,
            endpoint_in=EndpointCreate(url=PUBLIC),
            fernet=fernet(app.state.settings),
            allow_private=False,
        )
        dead = WebhookDelivery(
            endpoint_id=endpoint.id,
            event_id="msg_dead",
            event_type="reply.approved",
            payload={},
            status=DeliveryStatus.DEAD,
        )
        session.add(dead)
        session.flush()
        file = workspaces.dump(workspaces.to_file(mine), as_json=True)
        session.commit()
        ids = {"sid": failed.id, "eid": endpoint.id, "did": dead.id}
    return {"tokens": tokens, "ids": ids, "file": file}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# (method, path, request arguments, lowest role allowed, its answer); {ws} is the workspace.
KNOWN = "Opening hours"
ROUTES: list[tuple[str, str, dict[str, Any], Role, int]] = [
    # pages: set-up, settings, knowledge, a person
    ("GET", "/workspaces/{ws}/start", {}, Role.VIEWER, 200),
    (
        "POST",
        "/workspaces/{ws}/import",
        {"files": {"file": ("posts.csv", b"platform,post_id,author_id,author_handle,text\n")}},
        Role.OWNER,
        303,
    ),
    ("GET", "/workspaces/{ws}/settings", {}, Role.VIEWER, 200),
    ("POST", "/workspaces/{ws}/settings", {"data": SETTINGS_FORM}, Role.OWNER, 303),
    ("POST", "/workspaces/{ws}/settings/file", {"file": True}, Role.OWNER, 200),
    ("GET", "/workspaces/{ws}/knowledge", {}, Role.VIEWER, 200),
    (
        "POST",
        "/workspaces/{ws}/knowledge",
        {"data": {"title": "Parking", "text": "On Bath Street."}},
        Role.REVIEWER,
        303,
    ),
    (
        "POST",
        "/workspaces/{ws}/knowledge/edit",
        {"data": {"original": KNOWN, "title": KNOWN, "text": "Open 9 to 5."}},
        Role.REVIEWER,
        303,
    ),
    ("POST", "/workspaces/{ws}/knowledge/delete", {"data": {"title": KNOWN}}, Role.REVIEWER, 303),
    ("GET", "/workspaces/{ws}/people/maria@example.social", {}, Role.VIEWER, 200),
    # the workspace file and knowledge API
    ("GET", "/api/workspaces/{ws}", {}, Role.VIEWER, 200),
    ("PUT", "/api/workspaces/{ws}?dry_run=true", {"file": True}, Role.OWNER, 200),
    ("GET", "/api/workspaces/{ws}/knowledge", {}, Role.VIEWER, 200),
    (
        "POST",
        "/api/workspaces/{ws}/knowledge",
        {"json": {"title": "Parking", "text": "On Bath Street."}},
        Role.REVIEWER,
        201,
    ),
    (
        "PUT",
        f"/api/workspaces/{{ws}}/knowledge/{KNOWN}",
        {"json": {"title": KNOWN, "text": "Open 9 to 5."}},
        Role.REVIEWER,
        200,
    ),
    ("DELETE", f"/api/workspaces/{{ws}}/knowledge/{KNOWN}", {}, Role.REVIEWER, 204),
    # exports and analytics
    ("GET", "/api/workspaces/{ws}/exports/suggestions", {}, Role.VIEWER, 200),
    ("GET", "/workspaces/{ws}/analytics", {}, Role.VIEWER, 200),
    # webhooks: owners only
    ("GET", "/api/workspaces/{ws}/webhooks", {}, Role.OWNER, 200),
    ("POST", "/api/workspaces/{ws}/webhooks", {"json": {"url": PUBLIC}}, Role.OWNER, 201),
    ("PATCH", "/api/workspaces/{ws}/webhooks/{eid}", {"json": {"active": False}}, Role.OWNER, 200),
    ("DELETE", "/api/workspaces/{ws}/webhooks/{eid}", {}, Role.OWNER, 204),
    ("POST", "/api/workspaces/{ws}/webhooks/{eid}/test", {}, Role.OWNER, 200),
    ("GET", "/api/workspaces/{ws}/webhooks/{eid}/deliveries", {}, Role.OWNER, 200),
    (
        "POST",
        "/api/workspaces/{ws}/webhooks/{eid}/deliveries/{did}/replay",
        {},
        Role.OWNER,
        200,
    ),
    # posting
    ("POST", "/api/workspaces/{ws}/suggestions/{sid}/posting/retry", {}, Role.REVIEWER, 200),
]


def _request(client: TestClient, method: str, url: str, kwargs: dict, world: dict, **extra):  # noqa: ANN003, ANN202
    kwargs = dict(kwargs)
    if kwargs.pop("file", False):  # the workspace's own file, as an upload or a body
        if method == "PUT":
            kwargs["content"] = world["file"]
            kwargs["headers"] = {"content-type": "application/json"}
        else:
            kwargs["files"] = {"file": ("mine.json", world["file"].encode())}
    headers = {**kwargs.pop("headers", {}), **extra.pop("headers", {})}
    return client.request(method, url, headers=headers, follow_redirects=False, **kwargs, **extra)


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
    tokens = world["tokens"]
    url = path.format(ws="mine", **world["ids"])
    nobody = _request(client, method, url, kwargs, world)
    assert nobody.status_code == 401 and "Sign in" in nobody.json()["detail"]
    # a member of another workspace: 'mine' does not exist for them
    other = _request(client, method, url, kwargs, world, headers=_bearer(tokens["theirs"]))
    assert other.status_code == 404, other.text
    assert "No workspace named 'mine'" in other.json()["detail"]
    for role in (r for r in Role if RANK[r] < RANK[lowest]):
        refused = _request(client, method, url, kwargs, world, headers=_bearer(tokens[role]))
        assert refused.status_code == 403, (role, refused.text)
        assert f"Your role in 'mine' is {role.value}" in refused.json()["detail"]
    allowed = _request(client, method, url, kwargs, world, headers=_bearer(tokens[lowest]))
    assert allowed.status_code == answer, allowed.text


@pytest.mark.parametrize(
    "path",
    [
        "/workspaces/mine/start",
        "/workspaces/mine/settings",
        "/workspaces/mine/knowledge",
        "/workspaces/mine/people/maria@example.social",
        "/workspaces/mine/analytics",
    ],
)
def test_a_page_of_another_business_is_not_found_for_a_signed_in_stranger(
    client: TestClient, world: dict, path: str
) -> None:
    sign_in(client, "stranger@example.com")
    page = client.get(path, headers=HTML)
    assert page.status_code == 404
    assert "No workspace named &#39;mine&#39; that you can see." in page.text
    assert "Test Bakery" not in page.text


@pytest.mark.parametrize(
    "path",
    [
        "/setup",
        "/workspaces/mine/start",
        "/workspaces/mine/settings",
        "/workspaces/mine/knowledge?q=hours",
        "/workspaces/mine/people/maria@example.social",
        "/workspaces/mine/analytics",
    ],
)
def test_a_browser_not_signed_in_is_sent_to_sign_in_and_back(
    client: TestClient, world: dict, path: str
) -> None:
    page = client.get(path, headers=HTML, follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/signin?next=/")
    signin = client.get(page.headers["location"])
    back = client.post(
        "/signin",
        data={
            "email": "viewer@example.com",
            "password": "correct horse battery",
            "next": path,
            "csrf_token": csrf_from(signin.text),
        },
        follow_redirects=False,
    )
    assert back.status_code == 303 and back.headers["location"] == path
    assert client.get(path, headers=HTML).status_code == 200


def test_a_viewer_reads_knowledge_and_settings_but_cannot_change_them(
    client: TestClient, world: dict, db: Database
) -> None:
    sign_in(client, "viewer@example.com")
    knowledge = client.get("/workspaces/mine/knowledge", headers=HTML)
    assert "We are open 8:00 to 17:00 daily." in knowledge.text
    assert 'data-testid="add-form"' not in knowledge.text
    assert "a reviewer or owner of this workspace can change it" in knowledge.text
    added = client.post(
        "/workspaces/mine/knowledge", data={"title": "Parking", "text": "x"}, headers=HTML
    )
    assert added.status_code == 403
    assert "Your role in &#39;mine&#39; is viewer; this needs reviewer or above." in added.text
    deleted = client.post("/workspaces/mine/knowledge/delete", data={"title": KNOWN}, headers=HTML)
    assert deleted.status_code == 403

    settings = client.get("/workspaces/mine/settings", headers=HTML)
    assert 'value="Test Bakery"' in settings.text
    assert "only an owner of this workspace can change them" in settings.text
    assert 'data-testid="save"' not in settings.text and "disabled" in settings.text
    saved = client.post(
        "/workspaces/mine/settings", data={**SETTINGS_FORM, "timezone": "Asia/Tokyo"}
    )
    assert saved.status_code == 403 and "this needs owner" in saved.json()["detail"]
    start = client.get("/workspaces/mine/start", headers=HTML)
    assert "Only an owner of this workspace can import posts." in start.text

    with db.sessions() as session:
        ws = ingest_repository.get_workspace(session, name="mine")
        assert [k["title"] for k in ws.knowledge] == [KNOWN]
        assert ws.timezone != "Asia/Tokyo"


def test_a_reviewer_edits_knowledge_but_not_settings(client: TestClient, world: dict) -> None:
    sign_in(client, "reviewer@example.com")
    page = client.get("/workspaces/mine/knowledge", headers=HTML)
    assert 'data-testid="add-form"' in page.text
    added = client.post("/workspaces/mine/knowledge", data={"title": "Parking", "text": "Free."})
    assert "Added “Parking”." in added.text
    refused = client.post("/workspaces/mine/settings", data=SETTINGS_FORM, headers=HTML)
    assert refused.status_code == 403 and "this needs owner or above" in refused.text


def test_a_cross_site_form_post_to_the_knowledge_page_is_refused(
    app,  # noqa: ANN001
    world: dict,
    db: Database,
) -> None:
    with TestClient(app) as browser:
        sign_in(browser, "owner@example.com")
        del browser.headers["X-CSRF-Token"]
        forged = {"title": "Discount", "text": "Use code CAKE50 for 50% off!"}
        no_token = browser.post("/workspaces/mine/knowledge", data=forged, headers=HTML)
        assert no_token.status_code == 403 and "another site" in no_token.text
        token = csrf_from(browser.get("/workspaces/mine/knowledge").text)
        other_site = browser.post(
            "/workspaces/mine/knowledge",
            data={**forged, "csrf_token": token},
            headers={**HTML, "Origin": "https://evil.example"},
        )
        assert other_site.status_code == 403
        deleted = browser.post(
            "/workspaces/mine/knowledge/delete",
            data={"title": KNOWN},
            headers={**HTML, "Origin": "https://evil.example"},
        )
        assert deleted.status_code == 403
        # the page's own form, with its token, from this site, works
        ok = browser.post(
            "/workspaces/mine/knowledge",
            data={"title": "Parking", "text": "Free after six.", "csrf_token": token},
            follow_redirects=False,
        )
        assert ok.status_code == 303
    with db.sessions() as session:
        ws = ingest_repository.get_workspace(session, name="mine")
        assert [k["title"] for k in ws.knowledge] == [KNOWN, "Parking"]


def test_only_a_signed_in_user_creates_a_workspace_and_becomes_its_owner(
    client: TestClient, world: dict
) -> None:
    body = world["file"].replace('"name": "mine"', '"name": "second-shop"')
    headers = {"content-type": "application/json"}
    unsigned = client.post("/api/workspaces", content=body, headers=headers)
    assert unsigned.status_code == 401
    by_token = client.post(
        "/api/workspaces",
        content=body,
        headers={**headers, **_bearer(world["tokens"][Role.OWNER])},
    )
    assert by_token.status_code == 403
    assert "needs a signed-in user, not an API token" in by_token.json()["detail"]
    setup_by_token = client.get("/setup", headers=_bearer(world["tokens"][Role.OWNER]))
    assert setup_by_token.status_code == 403

    sign_in(client, "viewer@example.com")  # a viewer elsewhere may start their own business
    created = client.post("/api/workspaces", content=body, headers=headers)
    assert created.status_code == 201, created.text
    listed = {w["name"]: w["role"] for w in client.get("/api/workspaces").json()}
    assert listed == {"mine": "viewer", "second-shop": "owner"}
    assert client.get("/workspaces/second-shop/settings", headers=HTML).status_code == 200
