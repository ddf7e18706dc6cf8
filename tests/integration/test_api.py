"""The review page and the JSON API on a real database (no model needed)."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from core.database import Database
from core.models import DeliveryRoute, Suggestion, SuggestionStatus
from core.settings import Settings
from ingest import service as ingest_service
from service.app import create_app
from tests.factories import make_post, make_suggestion, make_user, make_workspace
from tests.signin import sign_in


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    """A browser signed in as the owner of test-ws."""
    with db.sessions() as session:
        make_user(session, workspace=make_workspace(session, name="test-ws"))
        session.commit()
    with TestClient(create_app(Settings(_env_file=None), db)) as c:
        sign_in(c, "owner@example.com")
        yield c


def _suggestion(session: Session, *, draft: str = "Hi Maria! Feed it twice a day. How is it?"):
    ws = make_workspace(session, name="test-ws")
    suggestion = make_suggestion(session, post=make_post(session, workspace_id=ws.id), draft=draft)
    session.commit()
    return suggestion


def test_the_review_page_shows_post_person_reason_and_draft(
    client: TestClient, db: Database
) -> None:
    with db.sessions() as session:
        _suggestion(session)
    page = client.get("/")
    assert page.status_code == 200
    for text in (
        "How do I keep my sourdough starter alive?",
        "Maria",
        "Maria asks a question.",
        "Feed it twice a day",
    ):
        assert text in page.text


def test_approving_with_an_edit_keeps_what_the_reviewer_changed(
    client: TestClient, db: Database
) -> None:
    with db.sessions() as session:
        suggestion_id = _suggestion(session).id
    response = client.post(
        f"/api/workspaces/test-ws/suggestions/{suggestion_id}/decision",
        json={
            "action": "approve",
            "final_text": "Hi Maria! Feed it twice a day, morning and night.",
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == SuggestionStatus.EDITED
    assert body["final_text"] == "Hi Maria! Feed it twice a day, morning and night."
    assert client.get("/api/workspaces/test-ws/suggestions").json() == []
    again = client.post(
        f"/api/workspaces/test-ws/suggestions/{suggestion_id}/decision", json={"action": "reject"}
    )
    assert again.status_code == 409 and "already edited" in again.json()["detail"]


def test_the_page_form_approves_and_returns_to_the_queue(client: TestClient, db: Database) -> None:
    with db.sessions() as session:
        suggestion_id = _suggestion(session).id
    response = client.post(
        f"/workspaces/test-ws/suggestions/{suggestion_id}",
        data={"action": "approve", "final_text": "Hi Maria! Feed it twice a day. How is it?"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    approved = client.get("/api/workspaces/test-ws/suggestions?status=approved").json()
    assert [s["id"] for s in approved] == [suggestion_id]


def test_bad_requests_get_a_clear_4xx(client: TestClient, db: Database) -> None:
    with db.sessions() as session:
        suggestion_id = _suggestion(session).id
    missing = client.get("/api/workspaces/nope/suggestions")
    assert missing.status_code == 404 and "nope" in missing.json()["detail"]
    bad = client.post(
        f"/api/workspaces/test-ws/suggestions/{suggestion_id}/decision", json={"action": "ship"}
    )
    assert bad.status_code == 422 and "'approve', 'reject', 'snooze'" in bad.json()["detail"]
    unknown = client.post(
        "/api/workspaces/test-ws/suggestions/999999/decision", json={"action": "reject"}
    )
    assert unknown.status_code == 404


def test_old_pending_suggestions_expire(db: Database) -> None:
    from datetime import timedelta

    from suggest import service as suggest_service
    from tests.fakes import HashEmbedder

    with db.sessions() as session:
        suggestion = _suggestion(session)
        suggestion.created_at = datetime.now(UTC) - timedelta(days=4)
        session.commit()
        ws = ingest_service.get_workspace(session, name="test-ws")
        result = suggest_service.suggest_for_workspace(
            session, workspace=ws, embedder=HashEmbedder(), model_version="none"
        )
        session.commit()
        assert result.expired == 1
        assert session.get(Suggestion, suggestion.id).status == SuggestionStatus.EXPIRED


def test_the_card_shows_what_the_person_cares_about_and_what_was_said_before(
    client: TestClient, db: Database
) -> None:

    from core.models import Interest, Post

    with db.sessions() as session:
        first = _suggestion(session)
        post = session.get(Post, first.post_id)
        session.add(
            Interest(
                workspace_id=first.workspace_id,
                person_id=first.person_id,
                kind="keyphrase",
                label="sourdough",
                weight=2.0,
                evidence_post_ids=[post.id],
                last_seen_at=post.posted_at,
            )
        )
        first.status, first.final_text = SuggestionStatus.APPROVED, "Glad it worked, Maria!"
        first.decided_at = datetime.now(UTC)
        second_post = make_post(
            session,
            workspace_id=first.workspace_id,
            external_id="5002",
            text="Now my loaf is flat. Why?",
        )
        make_suggestion(
            session,
            post=second_post,
            draft="Try the poke test, Maria. How long?",
            grounding={"knowledge": ["Flat loaves and proofing"]},
        )
        session.commit()
    page = client.get("/").text
    assert "What Maria cares about, and what you said before" in page
    assert "sourdough" in page and "How do I keep my sourdough starter alive?" in page
    assert "Glad it worked, Maria!" in page
    assert "guard passed" in page and "Flat loaves and proofing" in page


def test_x_allows_one_api_reply_per_interaction(db: Database) -> None:
    from sqlalchemy import select

    from core.models import Platform, PostAnalysis
    from suggest import service as suggest_service
    from tests.fakes import HashEmbedder

    embedder = HashEmbedder()
    with db.sessions() as session:
        ws = make_workspace(session, name="x-shop")
        post = make_post(
            session,
            workspace_id=ws.id,
            platform=Platform.X,
            external_id="1860000000000000042",
            summons_business=True,
            text="@shop what time do you open on Sunday?",
            posted_at=datetime.now(UTC),
        )
        session.add(
            PostAnalysis(
                workspace_id=ws.id,
                post_id=post.id,
                model_version="m",
                intent="question",
                sentiment="neutral",
                language="en",
                has_question=True,
                flags=[],
                keyphrases=[],
                embedding=embedder.embed([post.text])[0].tolist(),
            )
        )
        # an earlier drafter already answered this post by API
        make_suggestion(
            session,
            post=post,
            drafter_version="older-drafter",
            draft="Hi! 8:00 to 17:00.",
            status=SuggestionStatus.APPROVED,
        )
        session.commit()
        result = suggest_service.suggest_for_workspace(
            session,
            workspace=ws,
            embedder=embedder,
            model_version="m",
            cadence_days=0,
        )
        session.commit()
        new = session.scalars(
            select(Suggestion).where(
                Suggestion.post_id == post.id, Suggestion.drafter_version != "older-drafter"
            )
        ).one()
    assert result.created == 1
    assert new.route == DeliveryRoute.HANDOFF
    assert "x.com/intent/tweet?in_reply_to=1860000000000000042" in (new.handoff_url or "")


def test_a_snoozed_suggestion_comes_back_when_its_snooze_ends(
    client: TestClient, db: Database
) -> None:
    from datetime import timedelta

    with db.sessions() as session:
        suggestion_id = _suggestion(session).id
    snoozed = client.post(
        f"/api/workspaces/test-ws/suggestions/{suggestion_id}/decision",
        json={"action": "snooze", "snooze_hours": 2},
    )
    assert snoozed.json()["status"] == "snoozed"
    assert client.get("/api/workspaces/test-ws/suggestions").json() == []
    with db.sessions() as session:
        suggestion = session.get(Suggestion, suggestion_id)
        suggestion.snoozed_until = datetime.now(UTC) - timedelta(minutes=1)
        session.commit()
    back = client.get("/api/workspaces/test-ws/suggestions").json()
    assert [s["id"] for s in back] == [suggestion_id]
    approved = client.post(
        f"/api/workspaces/test-ws/suggestions/{suggestion_id}/decision", json={"action": "approve"}
    )
    assert approved.json()["status"] == "approved"
