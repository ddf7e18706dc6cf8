"""Setting up a business through the service, the API and the pages, on a real database."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from core.database import Database, session_scope
from core.errors import Conflict
from core.models import SuggestionStatus
from core.settings import Settings
from ingest import workspaces
from ingest.service import SAMPLE_WORKSPACE
from service.app import create_app
from tests.factories import make_member, make_post, make_suggestion, make_user, make_workspace
from tests.signin import csrf_from, sign_in

SAMPLE = SAMPLE_WORKSPACE.read_text(encoding="utf-8")


@pytest.fixture
def browser(db: Database) -> Iterator[TestClient]:
    """A browser nobody has signed in with yet."""
    with TestClient(create_app(Settings(_env_file=None), db)) as c:
        yield c


@pytest.fixture
def client(browser: TestClient, db: Database) -> TestClient:
    """Signed in as owner@example.com, a user who is not a member of any workspace yet."""
    with db.sessions() as session:
        make_user(session)
        session.commit()
    sign_in(browser, "owner@example.com")
    return browser


def _owned_workspace(db: Database, **overrides: object) -> int:
    """test-ws, owned by owner@example.com; its id."""
    with db.sessions() as session:
        ws = make_workspace(session, **overrides)
        make_member(session, workspace=ws)
        session.commit()
        return ws.id


def test_an_apply_that_fails_changes_nothing(db: Database) -> None:
    with session_scope(db) as session:
        workspaces.create(session, file_in=workspaces.parse(SAMPLE))
        workspaces.create(session, file_in=workspaces.parse(SAMPLE, name="taken"))
    changed = workspaces.parse(
        SAMPLE.replace("display_name: Crumb & Kettle", "display_name: Renamed")
        .replace("name: crumb-and-kettle", "name: taken")
        .replace("closed on Mondays.", "closed on Sundays.")
    )
    with pytest.raises(Conflict, match="Cannot rename 'crumb-and-kettle' to 'taken'"):
        with session_scope(db) as session:
            workspaces.apply(session, name="crumb-and-kettle", file_in=changed)
    with session_scope(db) as session:
        assert workspaces.dump(workspaces.export(session, name="crumb-and-kettle")) == SAMPLE


def test_the_file_reaches_the_drafting_code(session: Session) -> None:
    """Cadence sets the queue's size and spacing; products, banned phrases and languages are
    what the guard and the selection read."""
    file_in = workspaces.parse(
        SAMPLE.replace("  replies_per_day: 60", "  replies_per_day: 12").replace(
            "  days_between_replies: 2", "  days_between_replies: 5"
        )
    )
    ws = workspaces.create(session, file_in=file_in)
    assert (ws.replies_per_day, ws.days_between_replies) == (12, 5)
    assert ws.timezone == "Europe/London" and ws.ready_at.strftime("%H:%M") == "07:00"
    assert "Leith Loaf" in ws.own_products and "use code" in ws.banned_phrases
    from suggest import guard

    context = guard.context_for(ws, post_text="Any tips for a first loaf?")
    verdict = guard.check("Use code LOAF for a first loaf, Kim!", context)
    assert not verdict.passed and any("use code" in r for r in verdict.reasons)


def test_api_put_shows_changes_and_422s_list_every_error(client: TestClient) -> None:
    created = client.post(
        "/api/workspaces", content=SAMPLE, headers={"content-type": "application/yaml"}
    )
    assert created.status_code == 201, created.text
    mine = client.get("/api/workspaces").json()
    assert [(w["name"], w["role"]) for w in mine] == [("crumb-and-kettle", "owner")]
    assert client.get("/api/workspaces/crumb-and-kettle?format=yaml").text == SAMPLE
    as_json = client.get("/api/workspaces/crumb-and-kettle").json()
    assert as_json["cadence"] == {"replies_per_day": 60, "days_between_replies": 2}

    as_json["voice"] = "warm and brief"
    dry = client.put("/api/workspaces/crumb-and-kettle?dry_run=true", json=as_json)
    assert dry.json()["changes"] == [
        '~ voice: "warm, brief, plain words; Scottish-friendly, never salesy" → "warm and brief"'
    ]
    assert client.get("/api/workspaces/crumb-and-kettle").json()["voice"] != "warm and brief"
    assert client.put("/api/workspaces/crumb-and-kettle", json=as_json).json()["applied"]
    assert client.get("/api/workspaces/crumb-and-kettle").json()["voice"] == "warm and brief"

    bad = dict(as_json, name="Crumb Kettle", timezone="Leith")
    bad["knowledge"] = [*as_json["knowledge"][:3], {"title": "No text"}]
    response = client.put("/api/workspaces/crumb-and-kettle", json=bad)
    assert response.status_code == 422
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"].startswith(
        "The workspace file has 3 errors"
    )
    assert [e.split(":")[0] for e in body["errors"]] == ["name", "timezone", "knowledge[3].text"]
    assert client.get("/api/workspaces/crumb-and-kettle").json()["voice"] == "warm and brief"

    yaml_error = client.post(
        "/api/workspaces", content="name: [x\n", headers={"content-type": "application/yaml"}
    )
    assert yaml_error.status_code == 422 and "line 2" in yaml_error.json()["detail"]
    again = client.post(
        "/api/workspaces", content=SAMPLE, headers={"content-type": "application/yaml"}
    )
    assert again.status_code == 409 and "already exists" in again.json()["detail"]
    assert client.get("/api/workspaces/nope").status_code == 404


def test_api_knowledge_crud(client: TestClient, db: Database) -> None:
    _owned_workspace(db)
    base = "/api/workspaces/test-ws/knowledge"
    added = client.post(
        base, json={"title": "Dogs / cats", "text": "Both welcome.", "tags": ["pets"]}
    )
    assert added.status_code == 201
    assert client.post(base, json={"title": "dogs / cats", "text": "x"}).status_code == 409
    bad = client.post(base, json={"title": "", "tags": "pets"})
    assert bad.status_code == 422
    assert [e.split(":")[0] for e in bad.json()["errors"]] == ["title", "text", "tags"]
    assert [s["title"] for s in client.get(base, params={"q": "welcome"}).json()] == ["Dogs / cats"]
    edited = client.put(f"{base}/Dogs / cats", json={"title": "Pets", "text": "All welcome."})
    assert edited.status_code == 200
    assert [s["title"] for s in client.get(base).json()] == ["Opening hours", "Pets"]
    assert client.delete(f"{base}/Pets").status_code == 204
    assert client.delete(f"{base}/Pets").status_code == 404


def test_first_run_goes_to_setup_and_creates_the_business(browser: TestClient) -> None:
    """An empty installation: the first user, then the business, then posts."""
    client = browser
    html = {"Accept": "text/html"}
    nobody = client.get("/", headers=html, follow_redirects=False)
    assert nobody.status_code == 303 and nobody.headers["location"] == "/signin?next=/"
    signin = client.get("/signin?next=/", follow_redirects=False)
    assert signin.headers["location"] == "/first-user"
    made = client.post(
        "/first-user",
        data={
            "email": "me@honey.example",
            "password": "long enough",
            "password_again": "long enough",
            "csrf_token": csrf_from(client.get("/first-user").text),
        },
        follow_redirects=False,
    )
    assert made.status_code == 303 and made.headers["location"] == "/"
    first = client.get("/", headers=html, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/setup"
    page = client.get("/setup")
    assert "Welcome to Rapport" in page.text
    client.headers["X-CSRF-Token"] = csrf_from(page.text)

    bad = client.post("/setup", data={"display_name": "", "title_0": "Hours"})
    assert bad.status_code == 422
    assert "display_name: String should have at least 1 character" in bad.text
    assert "knowledge[0].text: String should have at least 1 character" in bad.text
    assert 'value="Hours"' in bad.text  # what was typed is kept

    done = client.post(
        "/setup",
        data={
            "display_name": "Honey & Crumb",
            "description": "A bakery in Portobello.",
            "helps_with": "baking at home\ncoffee\n",
            "title_0": "Opening hours",
            "text_0": "Open 8 to 4, closed Mondays.",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/workspaces/honey-crumb/start"
    start = client.get("/workspaces/honey-crumb/start")
    assert "1 knowledge snippet" in start.text and "Import posts" in start.text
    file = client.get("/api/workspaces/honey-crumb").json()
    assert file["helps_with"] == ["baking at home", "coffee"]
    mine = client.get("/api/workspaces").json()
    assert [(w["name"], w["role"]) for w in mine] == [("honey-crumb", "owner")]
    assert client.get("/", headers=html).status_code == 200  # Today, no longer set-up

    imported = client.post(
        "/workspaces/honey-crumb/import",
        files={
            "file": (
                "posts.jsonl",
                b'{"platform": "mastodon", "post_id": "1", "author_id": "7", '
                b'"author_handle": "kim@a.b", "text": "Any tips?", '
                b'"created_at": "2026-11-24T08:00:00Z"}\nnot json\n',
            )
        },
    )
    assert "Stored 1 new posts (1 new people)" in imported.text
    assert "skipped 1 bad lines" in imported.text


def test_settings_page_saves_every_field_and_keeps_bad_input(
    client: TestClient, db: Database
) -> None:
    _owned_workspace(db)
    page = client.get("/workspaces/test-ws/settings")
    assert 'value="Test Bakery"' in page.text
    form = {
        "display_name": "Test Bakery & Café",
        "description": "Bread.",
        "helps_with": "bread\n",
        "voice": "brief",
        "languages": "en, fr",
        "timezone": "Europe/Paris",
        "ready_at": "06:30",
        "replies_per_day": "20",
        "days_between_replies": "3",
        "products": "Magic Loaf\n",
        "banned_phrases": "act now\n",
    }
    saved = client.post("/workspaces/test-ws/settings", data=form)
    assert "Saved 10 changes." in saved.text
    file = client.get("/api/workspaces/test-ws").json()
    assert file["languages"] == ["en", "fr"] and file["ready_at"] == "06:30"
    assert file["cadence"] == {"replies_per_day": 20, "days_between_replies": 3}
    assert file["knowledge"][0]["title"] == "Opening hours"  # untouched by the form

    bad = client.post(
        "/workspaces/test-ws/settings", data=form | {"timezone": "Paris", "replies_per_day": "0"}
    )
    assert bad.status_code == 422
    assert "timezone: &#39;Paris&#39; is not a time zone" in bad.text
    assert "cadence.replies_per_day" in bad.text and 'value="Paris"' in bad.text
    assert client.get("/api/workspaces/test-ws").json()["timezone"] == "Europe/Paris"


def test_knowledge_page_shows_use_and_gaps_and_edits(client: TestClient, db: Database) -> None:
    with db.sessions() as session:
        ws = make_workspace(session, name="test-ws")
        make_member(session, workspace=ws)
        used = make_post(session, workspace_id=ws.id, external_id="p1")
        make_suggestion(
            session,
            post=used,
            grounding={"knowledge": ["Opening hours"], "based_on": None},
            status=SuggestionStatus.APPROVED,
        )
        gap = make_post(
            session, workspace_id=ws.id, external_id="p2", text="Do you have vegan croissants?"
        )
        make_suggestion(session, post=gap, occasion="knowledge_gap", draft="")
        session.commit()
    page = client.get("/workspaces/test-ws/knowledge")
    assert "used in 1 draft, 1 sent" in page.text
    assert "Do you have vegan croissants?" in page.text
    assert "Answer and save as knowledge" in page.text

    answered = client.post(
        "/workspaces/test-ws/knowledge",
        data={"title": "Vegan croissants", "text": "Not yet; the pain au raisin is vegan."},
    )
    assert "Added “Vegan croissants”." in answered.text
    found = client.get("/workspaces/test-ws/knowledge", params={"q": "vegan"})
    assert "pain au raisin" in found.text and "8:00 to 17:00" not in found.text

    clash = client.post(
        "/workspaces/test-ws/knowledge/edit",
        data={"original": "Vegan croissants", "title": "opening hours", "text": "x"},
    )
    assert clash.status_code == 422
    assert "A knowledge snippet titled &#39;opening hours&#39; already exists" in clash.text
    client.post("/workspaces/test-ws/knowledge/delete", data={"title": "Vegan croissants"})
    assert [s["title"] for s in client.get("/api/workspaces/test-ws/knowledge").json()] == [
        "Opening hours"
    ]


def test_person_page_shows_posts_and_what_was_replied(client: TestClient, db: Database) -> None:
    with db.sessions() as session:
        ws = make_workspace(session, name="test-ws")
        make_member(session, workspace=ws)
        post = make_post(session, workspace_id=ws.id)
        make_suggestion(
            session,
            post=post,
            status=SuggestionStatus.EDITED,
            final_text="Feed it twice a day, Maria.",
        )
        session.commit()
    page = client.get("/workspaces/test-ws/people/maria@example.social")
    assert page.status_code == 200
    assert "How do I keep my sourdough starter alive?" in page.text
    assert "Feed it twice a day, Maria." in page.text
    assert client.get("/workspaces/test-ws/people/nobody").status_code == 404
