"""Sign-in, roles, API tokens, CSRF and the first user, on a real database."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from core.database import Database
from core.models import AuditLog, Role, Suggestion, SuggestionStatus
from core.settings import Settings
from service.app import create_app
from service.users import service as users_service
from tests.factories import (
    PASSWORD,
    make_post,
    make_suggestion,
    make_token,
    make_user,
    make_workspace,
)
from tests.signin import csrf_from, sign_in

DRAFT = "Hi Maria! Feed it twice a day. How is it?"


@pytest.fixture
def app(db: Database):  # noqa: ANN201
    return create_app(Settings(_env_file=None), db)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # noqa: ANN001
    with TestClient(app) as c:
        yield c


@pytest.fixture
def world(db: Database) -> dict[str, object]:
    """Two workspaces, one suggestion in each, users and tokens of every role in the first."""
    with db.sessions() as session:
        mine = make_workspace(session, name="mine")
        theirs = make_workspace(session, name="theirs", display_name="Their Bakery")
        ids = {}
        for ws, ext in ((mine, "m1"), (theirs, "t1")):
            post = make_post(session, workspace_id=ws.id, external_id=ext)
            ids[ws.name] = make_suggestion(session, post=post, draft=DRAFT).id
        for role in Role:
            make_user(session, email=f"{role.value}@example.com", workspace=mine, role=role)
        tokens = {role: make_token(session, workspace=mine, role=role) for role in Role}
        tokens["theirs"] = make_token(session, workspace=theirs, role=Role.OWNER)
        spare = users_service.create_token(session, workspace=mine, name="spare", role=Role.VIEWER)
        other = users_service.create_token(session, workspace=theirs, name="x", role=Role.VIEWER)
        session.commit()
    token_ids = {"spare": spare[0].id, "theirs": other[0].id}
    return {"ids": ids, "tokens": tokens, "token_ids": token_ids}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_nobody_signed_in_gets_401_on_the_api_and_the_sign_in_page_in_a_browser(
    client: TestClient, world: dict
) -> None:
    api = client.get("/api/workspaces/mine/suggestions")
    assert api.status_code == 401 and isinstance(api.json()["detail"], str)
    assert api.headers["www-authenticate"] == "Bearer"
    page = client.get("/?workspace=mine", headers={"Accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/signin?next=/")
    wrong = client.get("/api/workspaces", headers=_bearer("rap_not-a-real-token"))
    assert wrong.status_code == 401 and "unknown or has been revoked" in wrong.json()["detail"]
    basic = client.get("/api/workspaces", headers={"Authorization": "Basic eDp5"})
    assert basic.status_code == 401 and "Bearer" in basic.json()["detail"]


# (method, path template, JSON body, lowest role allowed)
ENDPOINTS = [
    ("GET", "/api/workspaces/{ws}/suggestions", None, Role.VIEWER),
    ("GET", "/api/workspaces/{ws}/knowledge-gaps", None, Role.VIEWER),
    ("POST", "/api/workspaces/{ws}/suggestions/{id}/decision", {"action": "reject"}, Role.REVIEWER),
    ("GET", "/api/workspaces/{ws}/tokens", None, Role.OWNER),
    ("POST", "/api/workspaces/{ws}/tokens", {"name": "zapier", "role": "reviewer"}, Role.OWNER),
    ("DELETE", "/api/workspaces/{ws}/tokens/{tid}", None, Role.OWNER),
    ("GET", "/api/workspaces/{ws}/audit", None, Role.OWNER),
]
RANK = {Role.VIEWER: 0, Role.REVIEWER: 1, Role.OWNER: 2}


@pytest.mark.parametrize(("method", "path", "body", "lowest"), ENDPOINTS)
def test_every_endpoint_with_a_token_of_each_role_and_of_another_workspace(
    client: TestClient, world: dict, method: str, path: str, body: dict | None, lowest: Role
) -> None:
    tokens, ids, tids = world["tokens"], world["ids"], world["token_ids"]
    url = path.format(ws="mine", id=ids["mine"], tid=tids["spare"])
    assert client.request(method, url, json=body).status_code == 401
    for role in sorted(Role, key=RANK.get):
        response = client.request(method, url, json=body, headers=_bearer(tokens[role]))
        if RANK[role] >= RANK[lowest]:
            assert response.status_code in (200, 201), (role, response.text)
            if "decision" in path:  # decided once; a second decision is a conflict
                assert response.json()["status"] == "rejected"
                break
        else:
            assert response.status_code == 403, (role, response.text)
            assert "viewer" in response.json()["detail"]
    # another workspace's token: this workspace does not exist for it
    other = client.request(method, url, json=body, headers=_bearer(tokens["theirs"]))
    assert other.status_code == 404 and "mine" in other.json()["detail"]
    # and this workspace's token cannot reach the other's suggestion through its own name
    cross = path.format(ws="mine", id=ids["theirs"], tid=tids["theirs"])
    if "{id}" in path or "{tid}" in path:
        reached = client.request(method, cross, json=body, headers=_bearer(tokens[Role.OWNER]))
        assert reached.status_code == 404


def test_the_workspace_list_shows_only_the_callers_workspaces(
    client: TestClient, world: dict
) -> None:
    listed = client.get("/api/workspaces", headers=_bearer(world["tokens"][Role.REVIEWER]))
    assert listed.json() == [{"name": "mine", "display_name": "Test Bakery", "role": "reviewer"}]


def test_a_revoked_token_is_refused(client: TestClient, world: dict, db: Database) -> None:
    from service.users import repository as users_repository
    from service.users import service as users_service

    token = world["tokens"][Role.OWNER]
    assert client.get("/api/workspaces", headers=_bearer(token)).status_code == 200
    with db.sessions() as session:
        row = next(
            t
            for t in users_repository.list_tokens(session, workspace_id=_ws_id(session, "mine"))
            if token.startswith(t.prefix) and t.role == Role.OWNER
        )
        assert row.token_hash != token and token not in row.token_hash  # only the hash is kept
        users_service.revoke_token(session, token_id=row.id)
        session.commit()
    assert client.get("/api/workspaces", headers=_bearer(token)).status_code == 401


def _ws_id(session, name: str) -> int:  # noqa: ANN001
    from ingest import repository

    return repository.get_workspace(session, name=name).id


def test_signing_in_and_out_in_the_browser(client: TestClient, world: dict) -> None:
    form = client.get("/signin")
    wrong = client.post(
        "/signin",
        data={"email": "owner@example.com", "password": "nope", "csrf_token": csrf_from(form.text)},
    )
    assert wrong.status_code == 401 and "Wrong email or password." in wrong.text
    sign_in(client, "reviewer@example.com")
    page = client.get("/")
    assert page.status_code == 200 and "reviewer@example.com" in page.text
    assert "Hi Maria! Feed it twice a day." in page.text
    # the other workspace is not there, not even by name
    other = client.get("/?workspace=theirs", headers={"Accept": "text/html"})
    assert other.status_code == 404 and "Not found" in other.text and "{" not in other.text
    out = client.post("/signout", follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/api/workspaces").status_code == 401


def test_a_cross_site_form_post_is_refused_and_changes_nothing(
    app, world: dict, db: Database
) -> None:  # noqa: ANN001
    sid = world["ids"]["mine"]
    with TestClient(app) as browser:
        sign_in(browser, "owner@example.com")
        del browser.headers["X-CSRF-Token"]
        forged = {"action": "approve", "final_text": "BUY NOW! 50% off, code CAKE50"}
        no_token = browser.post(f"/workspaces/mine/suggestions/{sid}", data=forged)
        assert no_token.status_code == 403 and "another site" in no_token.text
        token = csrf_from(browser.get("/").text)
        other_site = browser.post(
            f"/workspaces/mine/suggestions/{sid}",
            data={**forged, "csrf_token": token},
            headers={"Origin": "https://evil.example"},
        )
        assert other_site.status_code == 403
        json_api = browser.post(
            f"/api/workspaces/mine/suggestions/{sid}/decision", json={"action": "approve"}
        )
        assert json_api.status_code == 403
    with db.sessions() as session:
        suggestion = session.get(Suggestion, sid)
        assert suggestion.status == SuggestionStatus.PENDING and suggestion.final_text is None


def test_a_viewer_sees_the_queue_but_cannot_decide(client: TestClient, world: dict) -> None:
    sign_in(client, "viewer@example.com")
    page = client.get("/")
    assert "Hi Maria!" in page.text and 'value="approve"' not in page.text
    sid = world["ids"]["mine"]
    refused = client.post(
        f"/workspaces/mine/suggestions/{sid}",
        data={"action": "approve"},
        headers={"Accept": "text/html"},
    )
    assert refused.status_code == 403 and "viewer" in refused.text


def test_decisions_are_audited_with_who_and_before_and_after(
    client: TestClient, world: dict, db: Database
) -> None:
    sign_in(client, "reviewer@example.com")
    sid = world["ids"]["mine"]
    edited = "Hi Maria! Feed it twice a day, morning and night. How is it going?"
    response = client.post(
        f"/api/workspaces/mine/suggestions/{sid}/decision",
        json={"action": "approve", "final_text": edited},
    )
    assert response.status_code == 200, response.text
    with db.sessions() as session:
        entry = session.scalars(select(AuditLog).where(AuditLog.subject_id == sid)).one()
    assert entry.action == "suggestion.approve"
    assert entry.detail["by"] == "reviewer@example.com"
    assert entry.detail["before"]["status"] == "pending"
    assert entry.detail["after"]["status"] == "edited"
    assert entry.detail["after"]["final_text"] == edited


def test_the_first_user_is_created_on_the_web_and_owns_every_workspace(
    client: TestClient, db: Database
) -> None:
    with db.sessions() as session:
        make_workspace(session, name="first-shop")
        session.commit()
    assert client.get("/signin", follow_redirects=False).headers["location"] == "/first-user"
    form = client.get("/first-user")
    token = csrf_from(form.text)
    mismatch = client.post(
        "/first-user",
        data={
            "email": "me@shop.example",
            "password": "long enough",
            "password_again": "different",
            "csrf_token": token,
        },
    )
    assert mismatch.status_code == 422 and "The two passwords differ." in mismatch.text
    made = client.post(
        "/first-user",
        data={
            "email": "me@shop.example",
            "password": "long enough",
            "password_again": "long enough",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert made.status_code == 303
    listed = client.get("/api/workspaces").json()
    assert [(w["name"], w["role"]) for w in listed] == [("first-shop", "owner")]
    again = client.post(
        "/first-user",
        data={
            "email": "x@shop.example",
            "password": "long enough",
            "password_again": "long enough",
            "csrf_token": csrf_from(client.get("/signin").text),
        },
    )
    assert again.status_code == 403


def test_api_docs_work_offline(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower() and "/docs-assets/swagger-ui-bundle.js" in page.text
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/docs-assets/swagger-ui.css").status_code == 200


def test_unknown_pages_are_friendly_in_a_browser_and_json_on_the_api(client: TestClient) -> None:
    page = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "There is no page here." in page.text
    api = client.get("/api/no-such-thing")
    assert api.status_code == 404 and api.json() == {"detail": "There is no page here."}


def test_an_owner_creates_lists_and_revokes_tokens_over_the_api(
    client: TestClient, world: dict
) -> None:
    owner = _bearer(world["tokens"][Role.OWNER])
    made = client.post(
        "/api/workspaces/mine/tokens", json={"name": "n8n", "role": "reviewer"}, headers=owner
    )
    assert made.status_code == 201
    token = made.json()["token"]
    listed = client.get("/api/workspaces/mine/tokens", headers=owner).json()
    assert token not in str(listed) and any(t["name"] == "n8n" for t in listed)
    assert client.get("/api/workspaces/mine/suggestions", headers=_bearer(token)).status_code == 200
    gone = client.delete(f"/api/workspaces/mine/tokens/{made.json()['id']}", headers=owner)
    assert gone.status_code == 200 and gone.json()["revoked_at"]
    assert client.get("/api/workspaces/mine/suggestions", headers=_bearer(token)).status_code == 401
    bad_role = client.post(
        "/api/workspaces/mine/tokens", json={"name": "x", "role": "admin"}, headers=owner
    )
    assert bad_role.status_code == 422 and isinstance(bad_role.json()["detail"], str)
    audit = client.get("/api/workspaces/mine/audit", headers=owner)
    assert audit.status_code == 200 and audit.json() == []


def test_a_new_password_ends_the_sessions_of_the_old_one(
    client: TestClient, world: dict, db: Database
) -> None:
    sign_in(client, "reviewer@example.com")
    assert client.get("/api/workspaces").status_code == 200
    with db.sessions() as session:
        users_service.set_password(session, email="reviewer@example.com", password="brand new one")
        session.commit()
    assert client.get("/api/workspaces").status_code == 401
    sign_in(client, "reviewer@example.com", "brand new one")
    assert client.get("/api/workspaces").status_code == 200


def test_the_api_reference_offers_bearer_tokens(client: TestClient) -> None:
    schemes = client.get("/openapi.json").json()["components"]["securitySchemes"]
    assert schemes["HTTPBearer"]["scheme"] == "bearer"


def test_guessing_passwords_is_stopped_after_five_tries(client: TestClient, world: dict) -> None:
    token = csrf_from(client.get("/signin").text)
    for _ in range(5):
        wrong = client.post(
            "/signin",
            data={"email": "owner@example.com", "password": "guess", "csrf_token": token},
        )
        assert wrong.status_code == 401
    right = client.post(
        "/signin",
        data={"email": "owner@example.com", "password": PASSWORD, "csrf_token": token},
    )
    assert right.status_code == 429 and "Too many failed attempts" in right.text
    assert client.get("/api/workspaces").status_code == 401
