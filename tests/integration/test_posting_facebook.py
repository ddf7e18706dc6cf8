"""Posting approved replies to Facebook with the real facebook-sdk GraphAPI (served by
`responses`): a comment by the Page on the visitor's post or comment, its id stored; error 190
marks the account needs-reconnect; no second comment after an unknown outcome."""

from __future__ import annotations

from urllib.parse import parse_qsl

import responses
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.database import Database
from core.models import Account, AccountHealth, DeliveryRoute, Platform, PostingStatus, Suggestion
from ingest import accounts
from ingest.schemas import PersonCreate
from suggest import queue as suggest_queue
from suggest.events import UNDO_GRACE
from suggest.schemas import Decision
from tests.factories import make_post, make_suggestion, make_workspace
from tests.integration.test_posting_bluesky import T0
from tests.posting import KEY, run_posting

GRAPH = "https://graph.facebook.com/v21.0"
PAGE_ID = "104738295012345"
POST_ID = f"{PAGE_ID}_1209876543210987"  # a visitor's post on the Page's feed
TEXT = "Hi Ana! Yes, we open at 8 on Sundays."


def _setup(session: Session, *, raw: dict[str, object] | None = None, external_id: str = POST_ID):
    ws = make_workspace(session)
    accounts.add_account(
        session,
        workspace_id=ws.id,
        platform="facebook",
        handle="Crumb & Kettle",
        values={"page_id": PAGE_ID, "page_access_token": "EAAGpage", "post_replies": "true"},
        fernet=KEY,
    )
    post = make_post(
        session,
        workspace_id=ws.id,
        platform=Platform.FACEBOOK,
        external_id=external_id,
        author=PersonCreate(platform=Platform.FACEBOOK, external_id="3021", handle="Ana Ruiz"),
        text="Are you open on Sunday mornings?",
        summons_business=True,
        raw=raw or {"id": external_id, "message": "Are you open on Sunday mornings?"},
    )
    suggestion = make_suggestion(session, post=post, route=DeliveryRoute.API, draft=TEXT)
    suggest_queue.decide(
        session,
        workspace=ws,
        suggestion_id=suggestion.id,
        decision_in=Decision(action="approve"),
        now=T0 - UNDO_GRACE,
    )
    assert suggestion.posting_status == PostingStatus.QUEUED
    return suggestion


def test_a_reply_is_a_page_comment_on_the_post_and_its_id_is_stored(
    session: Session, db: Database
) -> None:
    suggestion = _setup(session)
    with responses.RequestsMock() as rsps:
        rsps.post(f"{GRAPH}/{POST_ID}/comments", json={"id": "1209876543210987_774411223344"})
        run_posting(db, session, now=T0)
        (call,) = rsps.calls
    form = dict(parse_qsl(call.request.body))
    assert form["message"] == TEXT
    assert form["access_token"] == "EAAGpage"  # the Page's token: the Page comments
    assert suggestion.posting_status == PostingStatus.POSTED
    assert suggestion.posted_external_id == "1209876543210987_774411223344"


def test_a_reply_to_a_comment_reply_goes_to_the_comment_it_belongs_to(
    session: Session, db: Database
) -> None:
    comment = "1209876543210987_555"
    raw = {"id": "1209876543210987_556", "message": "+1", "parent": {"id": comment}}
    suggestion = _setup(session, raw=raw, external_id="1209876543210987_556")
    with responses.RequestsMock() as rsps:
        rsps.post(f"{GRAPH}/{comment}/comments", json={"id": "1209876543210987_557"})
        run_posting(db, session, now=T0)
    assert suggestion.posted_external_id == "1209876543210987_557"


def test_error_190_fails_the_post_and_marks_the_account_needs_reconnect(
    session: Session, db: Database
) -> None:
    suggestion = _setup(session)
    with responses.RequestsMock() as rsps:
        rsps.post(
            f"{GRAPH}/{POST_ID}/comments",
            status=400,
            json={
                "error": {
                    "message": "Error validating access token: The session has been invalidated "
                    "because the user changed their password.",
                    "type": "OAuthException",
                    "code": 190,
                    "error_subcode": 460,
                    "fbtrace_id": "AbCdEfGhIjK",
                }
            },
        )
        run_posting(db, session, now=T0)
    assert suggestion.posting_status == PostingStatus.FAILED
    assert "changed their password" in (suggestion.posting_error or "")
    account = session.scalars(select(Account)).one()
    assert account.health == AccountHealth.NEEDS_RECONNECT
    assert "Reconnect" in account.health_detail


def test_after_an_unknown_outcome_the_pages_comment_is_found_not_posted_twice(
    session: Session,
    db: Database,
) -> None:
    suggestion: Suggestion = _setup(session)
    unavailable = {
        "error": {
            "message": "An unexpected error has occurred. Please retry your request later.",
            "type": "OAuthException",
            "is_transient": True,
            "code": 2,
            "fbtrace_id": "AzYxWvUt",
        }
    }
    comments = {
        "data": [
            {"id": "1209876543210987_901", "message": "Lovely!", "from": {"id": "3999"}},
            {
                "id": "1209876543210987_902",
                "message": TEXT,
                "from": {"name": "Crumb & Kettle", "id": PAGE_ID},
            },
        ],
        "paging": {"cursors": {"before": "QVFIUm", "after": "QVFIUn"}},
    }
    with responses.RequestsMock() as rsps:
        rsps.post(f"{GRAPH}/{POST_ID}/comments", status=500, json=unavailable)
        run_posting(db, session, now=T0)
        assert suggestion.posting_status == PostingStatus.QUEUED
        rsps.get(f"{GRAPH}/{POST_ID}/comments", json=comments)
        run_posting(db, session, now=T0.replace(minute=5))
        assert [c.request.method for c in rsps.calls] == ["POST", "GET"]
    assert suggestion.posting_status == PostingStatus.POSTED
    assert suggestion.posted_external_id == "1209876543210987_902"
