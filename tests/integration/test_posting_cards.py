"""What the review page says approval will do, on each platform, and a failed post in the Sent
tab with its error and a Retry button (a CSRF-protected form)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from core.database import Database
from core.models import Platform, PostingStatus, Role, SuggestionStatus
from core.settings import Settings
from ingest import accounts
from ingest.schemas import PersonCreate
from service.app import create_app
from service.webhooks import service as webhooks_service
from service.webhooks.schemas import EndpointCreate
from suggest import routes
from tests.factories import make_post, make_suggestion, make_user, make_workspace
from tests.signin import csrf_from, sign_in

KEY = Fernet(Fernet.generate_key())
REVIEWER = "reviewer@example.com"


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(_env_file=None), db)) as c:
        yield c


def _account(session: Session, ws_id: int, platform: str, values: dict[str, str]) -> None:
    accounts.add_account(
        session,
        workspace_id=ws_id,
        platform=platform,
        handle="crumbandkettle",
        values=values,
        fernet=KEY,
    )


def _suggest(session: Session, ws_id: int, platform: Platform, external_id: str, **kw: object):
    summons = bool(kw.pop("summons", True))
    post = make_post(
        session,
        workspace_id=ws_id,
        platform=platform,
        external_id=external_id,
        author=PersonCreate(platform=platform, external_id=f"p{external_id}", handle="maria"),
        url=f"https://example.com/{platform.value}/{external_id}",
        summons_business=summons,
    )
    route = routes.route_for(
        platform=platform,
        post_external_id=external_id,
        post_url=post.url,
        summons_business=summons,
        already_replied=False,
        draft="Hi Maria! Feed it twice a day.",
    )
    return make_suggestion(
        session, post=post, route=route.route, handoff_url=route.handoff_url, **kw
    )


def _card(page: str, suggestion_id: int) -> str:
    match = re.search(
        rf'<li class="card" id="s{suggestion_id}".*?(?=<li class="card"|</ol>)', page, re.S
    )
    assert match, f"card {suggestion_id} is not on the page"
    return html.unescape(re.sub(r"\s+", " ", match.group(0)))


def _text(card: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", card))


def test_each_card_says_truthfully_what_approval_does(client: TestClient, db: Database) -> None:
    with db.sessions() as session:
        ws = make_workspace(session)
        make_user(session, email=REVIEWER, workspace=ws, role=Role.REVIEWER)
        _account(
            session,
            ws.id,
            "bluesky",
            {"actor": "crumbandkettle.bsky.social", "app_password": "p", "post_replies": "true"},
        )
        keys = {k: "k" for k in ("consumer_key", "consumer_secret", "access_token")}
        _account(
            session,
            ws.id,
            "x",
            {
                "username": "crumbandkettle",
                "bearer_token": "b",
                "post_replies": "true",
                "access_token_secret": "s",
                **keys,
            },
        )
        _account(session, ws.id, "facebook", {"page_id": "104", "page_access_token": "t"})
        bluesky = _suggest(session, ws.id, Platform.BLUESKY, "at://did:plc:m/app.bsky.feed.post/3l")
        x_summoned = _suggest(session, ws.id, Platform.X, "1001", summons=True)
        x_not = _suggest(session, ws.id, Platform.X, "1002", summons=False)
        facebook = _suggest(session, ws.id, Platform.FACEBOOK, "104_9")
        session.commit()
        ids = (bluesky.id, x_summoned.id, x_not.id, facebook.id)
    sign_in(client, REVIEWER)
    page = client.get("/").text
    cards = {i: _card(page, i) for i in ids}
    assert "After approval: posted to Bluesky by Rapport" in cards[ids[0]]
    assert "After approval: posted to X by Rapport" in cards[ids[1]]  # it summoned the business
    # not summoned: X allows no automated reply, so a person posts it, with the intent link
    assert "After approval: post it yourself" in cards[ids[2]]
    assert "https://x.com/intent/tweet?in_reply_to=1002&text=Hi%20Maria" in cards[ids[2]]
    assert 'data-testid="copy"' in cards[ids[2]]
    # Facebook without the opt-in and no scheduler: post it yourself, with the post's link
    assert "After approval: post it yourself" in cards[ids[3]]
    assert "https://example.com/facebook/104_9" in cards[ids[3]]
    assert 'data-testid="copy"' in cards[ids[3]]
    assert 'data-testid="copy"' not in cards[ids[0]]
    assert 'data-testid="reconnect"' not in cards[ids[0]]

    # the Bluesky sign-in stopped working: the card says what must happen first
    with db.sessions() as session:
        from core.models import Account, AccountHealth

        bluesky_account = session.query(Account).filter_by(platform=Platform.BLUESKY).one()
        bluesky_account.health = AccountHealth.NEEDS_RECONNECT
        session.commit()
    card = _text(_card(client.get("/").text, ids[0]))
    assert "posted to Bluesky by Rapport — once the Bluesky account is reconnected" in card
    with db.sessions() as session:
        bluesky_account = session.query(Account).filter_by(platform=Platform.BLUESKY).one()
        bluesky_account.health = AccountHealth.OK
        session.commit()

    with db.sessions() as session:
        ws = make_workspace(session)  # the same workspace (upsert)
        webhooks_service.add_endpoint(
            session,
            workspace=ws,
            endpoint_in=EndpointCreate(url="http://93.184.216.34/hook"),
            fernet=KEY,
            allow_private=False,
        )
        session.commit()
    page = client.get("/").text
    assert "After approval: sent to your scheduler" in _card(page, ids[3])
    assert "After approval: posted to Bluesky by Rapport" in _card(page, ids[0])
    assert "After approval: post it yourself" in _card(page, ids[2])  # still a person's job


def test_the_queue_page_reads_the_posting_accounts_once(client: TestClient, db: Database) -> None:
    with db.sessions() as session:
        ws = make_workspace(session)
        make_user(session, email=REVIEWER, workspace=ws, role=Role.REVIEWER)
        _account(
            session,
            ws.id,
            "bluesky",
            {"actor": "crumbandkettle.bsky.social", "app_password": "p", "post_replies": "true"},
        )
        _suggest(session, ws.id, Platform.BLUESKY, "at://did:plc:m/app.bsky.feed.post/3l")
        session.commit()
    sign_in(client, REVIEWER)
    reads: list[str] = []

    def seen(conn: object, cursor: object, statement: str, params: object, *rest: object) -> None:
        if "post_replies" in str(params):
            reads.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        page = client.get("/").text
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert "After approval: posted to Bluesky by Rapport" in page
    assert len(reads) == 1, reads


def test_a_failed_post_is_in_the_sent_tab_with_its_error_and_retry_works_from_the_page(
    client: TestClient, db: Database
) -> None:
    with db.sessions() as session:
        ws = make_workspace(session)
        make_user(session, email=REVIEWER, workspace=ws, role=Role.REVIEWER)
        _account(
            session,
            ws.id,
            "bluesky",
            {"actor": "crumbandkettle.bsky.social", "app_password": "p", "post_replies": "true"},
        )
        failed = _suggest(
            session,
            ws.id,
            Platform.BLUESKY,
            "at://did:plc:m/app.bsky.feed.post/3l",
            status=SuggestionStatus.APPROVED,
            final_text="Hi Maria! Feed it twice a day.",
            posting_status=PostingStatus.FAILED,
            posting_error="Bluesky refused the reply: 400 InvalidRequest: Record/text too long",
        )
        posted = _suggest(
            session,
            ws.id,
            Platform.BLUESKY,
            "at://did:plc:m/app.bsky.feed.post/3m",
            status=SuggestionStatus.APPROVED,
            final_text="Lovely!",
            posting_status=PostingStatus.POSTED,
            posted_external_id="at://did:plc:b/app.bsky.feed.post/3n",
        )
        session.commit()
        failed_id, posted_id = failed.id, posted.id
    sign_in(client, REVIEWER)
    client.headers.pop("X-CSRF-Token")  # a browser form carries the token in its body
    sent = client.get("/?tab=sent").text
    card = _card(sent, failed_id)
    assert "Posting to Bluesky failed: Bluesky refused the reply: 400 InvalidRequest" in _text(card)
    assert 'data-testid="retry"' in card
    assert "Posted to Bluesky by Rapport (at://did:plc:b/app.bsky.feed.post/3n)" in _text(
        _card(sent, posted_id)
    )
    assert 'data-testid="retry"' not in _card(sent, posted_id)

    action = f"/workspaces/test-ws/suggestions/{failed_id}/posting/retry"
    forged = client.post(action, data={"tab": "sent"}, follow_redirects=False)
    assert forged.status_code == 403  # no CSRF token: refused, nothing queued
    retried = client.post(
        action, data={"tab": "sent", "csrf_token": csrf_from(sent)}, follow_redirects=False
    )
    assert retried.status_code == 303
    assert retried.headers["location"] == "/?workspace=test-ws&tab=sent"
    # queued again: it waits in the Approved tab until Rapport posts it
    assert f'id="s{failed_id}"' not in client.get("/?tab=sent").text
    approved = _card(client.get("/?tab=approved").text, failed_id)
    assert "Rapport posts it to Bluesky in a moment" in _text(approved)
    assert "Record/text too long" not in approved  # the failure is behind it
    again = client.post(
        action, data={"tab": "sent", "csrf_token": csrf_from(sent)}, follow_redirects=False
    )
    assert "only+a+failed+post+can+be+retried" in again.headers["location"]
