"""Decisions made safe: guarded edits, approve anyway, empty and long texts, undo, snoozes,
and two reviewers on one card."""

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from core.database import Database, open_database, session_scope
from core.errors import Conflict
from core.models import AuditLog, Platform, Suggestion, SuggestionStatus
from core.settings import Settings
from ingest import service as ingest_service
from service.app import create_app
from suggest import queue as suggest_queue
from suggest.schemas import Decision
from tests.factories import make_post, make_suggestion, make_user, make_workspace
from tests.signin import sign_in

DRAFT = "Hi Maria! Feed it twice a day. How is it?"
SELLING = "BUY NOW! 50% off everything, use code CAKE50"


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    with db.sessions() as session:
        make_user(session, workspace=make_workspace(session, name="test-ws"))
        session.commit()
    with TestClient(create_app(Settings(_env_file=None), db)) as c:
        sign_in(c, "owner@example.com")
        yield c


def _card(db: Database, **overrides) -> int:  # noqa: ANN003
    with db.sessions() as session:
        ws = make_workspace(session, name="test-ws")
        platform = overrides.pop("platform", Platform.MASTODON)
        post = make_post(session, workspace_id=ws.id, platform=platform)
        suggestion_id = make_suggestion(session, post=post, **{"draft": DRAFT, **overrides}).id
        session.commit()
    return suggestion_id


def _decide(client: TestClient, sid: int, **body) -> object:  # noqa: ANN003
    return client.post(f"/api/workspaces/test-ws/suggestions/{sid}/decision", json=body)


def test_a_selling_edit_is_blocked_until_approved_anyway_with_a_reason(
    client: TestClient, db: Database
) -> None:
    sid = _card(db)
    blocked = _decide(client, sid, action="approve", final_text=SELLING)
    body = blocked.json()
    assert blocked.status_code == 422 and body["detail"].startswith("The guard blocked this reply")
    assert any("discount" in r for r in body["reasons"]) and isinstance(body["detail"], str)
    no_reason = _decide(client, sid, action="approve", final_text=SELLING, approve_anyway=True)
    assert no_reason.status_code == 422 and "Say why" in no_reason.json()["detail"]
    assert client.get("/api/workspaces/test-ws/suggestions").json()[0]["id"] == sid  # still there
    anyway = _decide(
        client,
        sid,
        action="approve",
        final_text=SELLING,
        approve_anyway=True,
        reason="The customer asked for the code",
    )
    assert anyway.status_code == 200
    assert anyway.json()["guard_passed"] is False and anyway.json()["final_text"] == SELLING
    with db.sessions() as session:
        entry = session.scalars(select(AuditLog).where(AuditLog.subject_id == sid)).one()
    assert entry.detail["by"] == "owner@example.com" and entry.user_id is not None
    assert entry.detail["reason"] == "The customer asked for the code"
    assert entry.detail["approved_anyway"] is True and entry.detail["guard_reasons"]


def test_an_empty_or_too_long_reply_cannot_be_approved(client: TestClient, db: Database) -> None:
    sid = _card(db, platform=Platform.X)
    empty = _decide(client, sid, action="approve", final_text="   ")
    assert empty.status_code == 422 and "The reply is empty" in empty.json()["detail"]
    long = _decide(client, sid, action="approve", final_text="Hi Maria! " + "lovely " * 60)
    assert long.status_code == 422 and "x allows 280" in long.json()["detail"]
    with db.sessions() as session:
        assert session.get(Suggestion, sid).status == SuggestionStatus.PENDING


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"action": "snooze", "snooze_hours": -2}, "snooze_hours"),
        ({"action": "snooze", "snooze_hours": 100000}, "snooze_hours"),
        ({"action": "snooze", "snooze_until": "2001-01-01T00:00:00Z"}, "in the future"),
        ({"action": "snooze", "snooze_until": "2999-01-01T00:00:00Z"}, "at most 30 days"),
        ({"action": "approve", "final_text": "x" * 20000}, "final_text"),
    ],
)
def test_absurd_snoozes_and_bodies_are_422(
    client: TestClient, db: Database, body: dict, expected: str
) -> None:
    sid = _card(db)
    response = _decide(client, sid, **body)
    assert response.status_code == 422 and expected in response.json()["detail"]


@pytest.mark.parametrize("bad_id", ["0", "-1", "99999999999999999999", "abc"])
def test_ids_out_of_range_are_422_not_500(client: TestClient, bad_id: str) -> None:
    response = client.post(
        f"/api/workspaces/test-ws/suggestions/{bad_id}/decision", json={"action": "reject"}
    )
    assert response.status_code == 422 and "suggestion_id" in response.json()["detail"]


def test_snooze_to_a_chosen_time_then_undo(client: TestClient, db: Database) -> None:
    sid = _card(db)
    until = (datetime.now(UTC) + timedelta(hours=5)).replace(microsecond=0)
    snoozed = _decide(client, sid, action="snooze", snooze_until=until.isoformat())
    assert snoozed.status_code == 200
    assert datetime.fromisoformat(snoozed.json()["snoozed_until"]) == until
    listed = client.get("/api/workspaces/test-ws/suggestions?status=snoozed").json()
    assert [s["id"] for s in listed] == [sid]
    again = _decide(client, sid, action="reject")
    assert again.status_code == 409 and "already snoozed by owner@example.com" in again.text
    undone = _decide(client, sid, action="undo")
    assert undone.status_code == 200 and undone.json()["status"] == "pending"
    assert undone.json()["snoozed_until"] is None
    nothing = _decide(client, sid, action="undo")
    assert nothing.status_code == 409 and "nothing to undo" in nothing.json()["detail"]


def test_undo_puts_an_approved_card_back_only_for_a_while(db: Database, session) -> None:  # noqa: ANN001
    ws = make_workspace(session, name="test-ws")
    sid = make_suggestion(session, post=make_post(session, workspace_id=ws.id), draft=DRAFT).id
    then = datetime.now(UTC) - timedelta(hours=1)
    suggest_queue.decide(
        session, workspace=ws, suggestion_id=sid, decision_in=Decision(action="approve"), now=then
    )
    with pytest.raises(Conflict, match="can no longer be undone"):
        suggest_queue.decide(
            session, workspace=ws, suggestion_id=sid, decision_in=Decision(action="undo")
        )
    back = suggest_queue.decide(
        session,
        workspace=ws,
        suggestion_id=sid,
        decision_in=Decision(action="undo"),
        now=then + timedelta(minutes=5),
    )
    assert back.status == SuggestionStatus.PENDING and back.final_text is None


def test_twenty_parallel_decisions_on_one_card_one_wins_and_the_row_is_whole(
    new_database,  # noqa: ANN001
) -> None:
    db = open_database(Settings(_env_file=None, database_url=new_database()))
    with session_scope(db) as session:
        ws = make_workspace(session, name="race")
        sid = make_suggestion(session, post=make_post(session, workspace_id=ws.id), draft=DRAFT).id
    decisions = [
        Decision(action="approve", final_text=f"Hi Maria! Feed it twice a day{'!' * n} How is it?")
        if n % 3 == 0
        else Decision(action="snooze", snooze_hours=n + 1)
        if n % 3 == 1
        else Decision(action="reject")
        for n in range(20)
    ]
    start = threading.Barrier(len(decisions))
    outcomes: list[tuple[int, str]] = []

    def decide(n: int) -> None:
        start.wait()
        try:
            with session_scope(db) as session:
                workspace = ingest_service.get_workspace(session, name="race")
                suggest_queue.decide(
                    session,
                    workspace=workspace,
                    suggestion_id=sid,
                    decision_in=decisions[n],
                    reviewer=f"reviewer {n}",
                )
            outcomes.append((n, "won"))
        except Conflict:
            outcomes.append((n, "conflict"))

    threads = [threading.Thread(target=decide, args=(n,)) for n in range(len(decisions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Counter(result for _, result in outcomes) == {"won": 1, "conflict": 19}
    [winner] = [n for n, result in outcomes if result == "won"]
    with session_scope(db) as session:
        row = session.get(Suggestion, sid)
        audit = session.scalars(select(AuditLog).where(AuditLog.subject_id == sid)).all()
    db.close()
    expected = decisions[winner]
    if expected.action == "approve":
        assert row.status == SuggestionStatus.EDITED and row.final_text == expected.final_text
        assert row.snoozed_until is None
    elif expected.action == "snooze":
        assert row.status == SuggestionStatus.SNOOZED and row.final_text is None
        assert row.snoozed_until - row.decided_at == timedelta(hours=expected.snooze_hours)
    else:
        assert row.status == SuggestionStatus.REJECTED and row.final_text is None
        assert row.snoozed_until is None
    assert [a.detail["by"] for a in audit] == [f"reviewer {winner}"]


def test_tabs_count_cards_and_pages_follow_a_keyset_cursor(
    client: TestClient, db: Database
) -> None:
    with db.sessions() as session:
        ws = make_workspace(session, name="test-ws")
        ids = [
            make_suggestion(
                session,
                post=make_post(session, workspace_id=ws.id, external_id=f"p{n}"),
                score=float(n % 3),  # ties across pages: the id breaks them
            ).id
            for n in range(7)
        ]
        session.commit()
    first = client.get("/api/workspaces/test-ws/suggestions?limit=3")
    cursor = first.headers["x-next-cursor"]
    second = client.get(f"/api/workspaces/test-ws/suggestions?limit=3&after={cursor}")
    third = client.get(
        f"/api/workspaces/test-ws/suggestions?limit=3&after={second.headers['x-next-cursor']}"
    )
    seen = [s["id"] for page in (first, second, third) for s in page.json()]
    assert sorted(seen) == sorted(ids) and len(set(seen)) == 7
    assert "x-next-cursor" not in third.headers
    bad = client.get("/api/workspaces/test-ws/suggestions?after=nonsense")
    assert bad.status_code == 422 and "not a page cursor" in bad.json()["detail"]
    _decide(client, ids[0], action="reject")
    _decide(client, ids[1], action="snooze", snooze_hours=3)
    page = client.get("/?tab=snoozed")
    assert 'data-count="to-review">5<' in page.text and 'data-count="snoozed">1<' in page.text
    assert 'data-count="skipped">1<' in page.text and "Back on" in page.text
    assert "Bring back now" in page.text


def test_filters_by_platform_and_occasion(client: TestClient, db: Database) -> None:
    mastodon = _card(db)
    with db.sessions() as session:
        ws = make_workspace(session, name="test-ws")
        post = make_post(session, workspace_id=ws.id, platform=Platform.X, external_id="x1")
        x_card = make_suggestion(session, post=post, occasion="congratulate").id
        session.commit()
    only_x = client.get("/api/workspaces/test-ws/suggestions?platform=x").json()
    assert [s["id"] for s in only_x] == [x_card]
    answers = client.get("/api/workspaces/test-ws/suggestions?occasion=answer").json()
    assert [s["id"] for s in answers] == [mastodon]
    page = client.get("/?platform=x").text
    assert f'data-id="{x_card}"' in page and f'data-id="{mastodon}"' not in page


def test_a_post_with_markup_is_shown_as_text(client: TestClient, db: Database) -> None:
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    with db.sessions() as session:
        ws = make_workspace(session, name="test-ws")
        post = make_post(session, workspace_id=ws.id, text=f"Hi {payload}")
        make_suggestion(session, post=post, rationale=payload)
        session.commit()
    page = client.get("/").text
    assert payload not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_search_finds_cards_by_words_and_person(client: TestClient, db: Database) -> None:
    sourdough = _card(db)
    with db.sessions() as session:
        ws = make_workspace(session, name="test-ws")
        post = make_post(
            session, workspace_id=ws.id, external_id="b1", text="Best 100% rye near Leith?"
        )
        rye = make_suggestion(session, post=post).id
        session.commit()
    found = client.get("/api/workspaces/test-ws/suggestions", params={"q": "SOURDOUGH"}).json()
    assert [s["id"] for s in found] == [sourdough]
    percent = client.get("/api/workspaces/test-ws/suggestions", params={"q": "100%"}).json()
    assert [s["id"] for s in percent] == [rye]  # % is a character, not a wildcard
    assert len(client.get("/api/workspaces/test-ws/suggestions?q=maria").json()) == 2
    page = client.get("/", params={"q": "rye"}).text
    assert f'data-id="{rye}"' in page and f'data-id="{sourdough}"' not in page


def test_an_edit_may_name_the_product_that_answered_a_request_for_a_place(
    client: TestClient, db: Database
) -> None:
    clinic = "On the first Saturday at 10:00 we run a free bread clinic: bring a loaf."
    with db.sessions() as session:
        ws = make_workspace(
            session,
            name="test-ws",
            knowledge=[{"title": "Bread clinic", "text": clinic}],
            products=["bread clinic"],
        )
        post = make_post(
            session,
            workspace_id=ws.id,
            text="Loaves keep tearing. Anywhere I could take one to get it looked at?",
        )
        answered = make_suggestion(
            session, post=post, draft=clinic, grounding={"knowledge": ["Bread clinic"]}
        ).id
        other = make_suggestion(
            session, post=post, draft="Hi Maria!", grounding={}, drafter_version="u"
        ).id
        session.commit()
    edit = "Hi Maria! The first Saturday at 10:00 there's a free bread clinic: bring a loaf."
    assert _decide(client, answered, action="approve", final_text=edit).status_code == 200
    blocked = _decide(client, other, action="approve", final_text=edit)
    assert blocked.status_code == 422
    assert any("own product" in r for r in blocked.json()["reasons"])
