"""Posting approved replies to X with the real tweepy Client (served by `responses`): only to a
post that summoned the business, once per interaction; anything else stays a hand-off."""

from __future__ import annotations

import json

import responses
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.database import Database
from core.models import (
    Account,
    AccountHealth,
    DeliveryRoute,
    Platform,
    Post,
    PostingStatus,
    Suggestion,
    Workspace,
)
from ingest import accounts
from ingest.schemas import PersonCreate
from suggest import posting as suggest_posting
from suggest import queue as suggest_queue
from suggest import routes
from suggest.events import UNDO_GRACE
from suggest.schemas import Decision
from tests.factories import make_post, make_suggestion, make_workspace
from tests.integration.test_posting_bluesky import T0
from tests.posting import KEY, run_posting

TWEETS = "https://api.twitter.com/2/tweets"
POST_ID = "1862154978324561936"
TEXT = "Hi Sam! Yes, the rye is vegan: flour, water, salt and starter."


def _created(id_: str) -> dict[str, object]:
    return {"data": {"id": id_, "text": f"@samruns {TEXT}", "edit_history_tweet_ids": [id_]}}


def _setup(session: Session, *, summons: bool) -> tuple[Workspace, Suggestion]:
    ws = make_workspace(session)
    accounts.add_account(
        session,
        workspace_id=ws.id,
        platform="x",
        handle="crumbandkettle",
        values={
            "username": "crumbandkettle",
            "bearer_token": "AAAAbearer",
            "post_replies": "true",
            "consumer_key": "ck",
            "consumer_secret": "cs",
            "access_token": "1500-at",
            "access_token_secret": "ats",
        },
        fernet=KEY,
    )
    post = make_post(
        session,
        workspace_id=ws.id,
        platform=Platform.X,
        external_id=POST_ID,
        author=PersonCreate(platform=Platform.X, external_id="2244994945", handle="samruns"),
        text="@crumbandkettle is your rye vegan?" if summons else "is rye bread vegan?",
        url=f"https://x.com/samruns/status/{POST_ID}",
        summons_business=summons,
    )
    route = routes.route_for(
        platform=Platform.X,
        post_external_id=POST_ID,
        post_url=post.url,
        summons_business=summons,
        already_replied=False,
        draft=TEXT,
    )
    suggestion = make_suggestion(
        session, post=post, route=route.route, handoff_url=route.handoff_url, draft=TEXT
    )
    return ws, suggestion


def _approve(session: Session, ws: Workspace, suggestion: Suggestion) -> None:
    suggest_queue.decide(
        session,
        workspace=ws,
        suggestion_id=suggestion.id,
        decision_in=Decision(action="approve"),
        now=T0 - UNDO_GRACE,
    )


def test_a_reply_to_a_post_that_summoned_the_business_is_posted_once(
    session: Session, db: Database
) -> None:
    ws, suggestion = _setup(session, summons=True)
    _approve(session, ws, suggestion)
    assert suggestion.posting_status == PostingStatus.QUEUED
    with responses.RequestsMock() as rsps:
        rsps.post(TWEETS, status=201, json=_created("1862160012345678901"))
        assert run_posting(db, session, now=T0) == 1
        (call,) = rsps.calls
    body = json.loads(call.request.body)
    assert body == {"text": TEXT, "reply": {"in_reply_to_tweet_id": POST_ID}}
    assert call.request.headers["Authorization"].startswith("OAuth ")  # the account's own keys
    assert (suggestion.posting_status, suggestion.posted_external_id) == (
        PostingStatus.POSTED,
        "1862160012345678901",
    )
    with responses.RequestsMock():  # posted: the next run sends nothing
        assert run_posting(db, session, now=T0) == 0


def test_a_post_that_did_not_summon_the_business_stays_a_handoff(
    session: Session, db: Database
) -> None:
    ws, suggestion = _setup(session, summons=False)
    assert suggestion.route == DeliveryRoute.HANDOFF
    assert suggestion.handoff_url == (
        f"https://x.com/intent/tweet?in_reply_to={POST_ID}&text=Hi%20Sam%21%20Yes%2C%20the%20rye"
        "%20is%20vegan%3A%20flour%2C%20water%2C%20salt%20and%20starter."
    )
    _approve(session, ws, suggestion)
    assert suggestion.posting_status is None
    with responses.RequestsMock():  # no request may be sent
        assert run_posting(db, session, now=T0) == 0
    # even if one were queued by mistake, it is refused without a request, with the link
    suggestion.posting_status = PostingStatus.QUEUED
    with responses.RequestsMock():
        run_posting(db, session, now=T0)
    assert suggestion.posting_status == PostingStatus.FAILED
    assert "only when summoned" in (suggestion.posting_error or "")
    assert "x.com/intent/tweet?in_reply_to=" in (suggestion.posting_error or "")


def test_only_one_reply_per_interaction(session: Session, db: Database) -> None:
    ws, first = _setup(session, summons=True)
    second = make_suggestion(
        session,
        post=session.get(Post, first.post_id),
        route=DeliveryRoute.API,
        drafter_version="t2",
        draft=TEXT,
    )
    first.posted_external_id, first.posting_status = "1862160012345678901", PostingStatus.POSTED
    _approve(session, ws, second)
    assert second.posting_status == PostingStatus.QUEUED
    with responses.RequestsMock():  # no second reply is sent
        run_posting(db, session, now=T0)
    assert second.posting_status == PostingStatus.FAILED
    assert "one reply per interaction" in (second.posting_error or "")


def test_a_server_error_is_not_blindly_retried_a_person_looks_then_retries(
    session: Session,
    db: Database,
) -> None:
    ws, suggestion = _setup(session, summons=True)
    _approve(session, ws, suggestion)
    with responses.RequestsMock() as rsps:
        rsps.post(TWEETS, status=503, json={"title": "Service Unavailable", "status": 503})
        run_posting(db, session, now=T0)
        assert suggestion.posting_status == PostingStatus.QUEUED
        # the next run cannot tell whether X posted it: it asks a person instead of posting
        run_posting(db, session, now=T0.replace(minute=5))
        assert len(rsps.calls) == 1
    assert suggestion.posting_status == PostingStatus.FAILED
    assert "could not tell whether X received" in (suggestion.posting_error or "")
    # the person looked: not there, so they retry, and it is posted
    suggest_posting.retry(session, workspace_id=ws.id, suggestion_id=suggestion.id)
    with responses.RequestsMock() as rsps:
        rsps.post(TWEETS, status=201, json=_created("1862160099999999999"))
        run_posting(db, session, now=T0.replace(minute=6))
    assert suggestion.posted_external_id == "1862160099999999999"


def test_revoked_keys_fail_the_post_and_mark_the_account(session: Session, db: Database) -> None:
    ws, suggestion = _setup(session, summons=True)
    _approve(session, ws, suggestion)
    with responses.RequestsMock() as rsps:
        rsps.post(
            TWEETS,
            status=401,
            json={
                "title": "Unauthorized",
                "type": "about:blank",
                "status": 401,
                "detail": "Unauthorized",
            },
        )
        run_posting(db, session, now=T0)
    assert suggestion.posting_status == PostingStatus.FAILED
    assert "Reconnect" in (suggestion.posting_error or "")
    account = session.scalars(select(Account)).one()
    assert account.health == AccountHealth.NEEDS_RECONNECT


def test_a_post_that_times_out_is_not_sent_again_blindly(session: Session, db: Database) -> None:
    import requests

    ws, suggestion = _setup(session, summons=True)
    _approve(session, ws, suggestion)
    with responses.RequestsMock() as rsps:
        rsps.post(TWEETS, body=requests.ReadTimeout("read timed out"))
        run_posting(db, session, now=T0)
        assert rsps.calls[0].request.req_kwargs["timeout"] == 30  # never an endless wait
        assert suggestion.posting_status == PostingStatus.QUEUED
        assert "will try again" in (suggestion.posting_error or "")
        run_posting(db, session, now=T0.replace(minute=5))
        assert len(rsps.calls) == 1
    assert suggestion.posting_status == PostingStatus.FAILED
    assert "Look at the post on X" in (suggestion.posting_error or "")
