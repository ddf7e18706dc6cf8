"""Posting approved replies to Bluesky with the real atproto client (served by respx): the
reply's strong refs to the thread's root and to the post, the stored uri, and no second post
after a try whose outcome was unknown."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import httpx
import pytest
import respx
from sqlalchemy.orm import Session

from core.database import Database
from core.models import (
    AccountHealth,
    DeliveryRoute,
    Platform,
    Post,
    PostingStatus,
    Suggestion,
    SuggestionStatus,
)
from ingest import accounts
from ingest.schemas import PersonCreate
from service.posting import service as posting_service
from suggest import posting as suggest_posting
from suggest import queue as suggest_queue
from suggest.events import UNDO_GRACE
from suggest.schemas import Decision
from tests.factories import make_post, make_suggestion, make_workspace
from tests.posting import KEY, run_posting

T0 = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
ENTRYWAY = "https://bsky.social/xrpc"
PDS = "https://porcini.us-east.host.bsky.network/xrpc"  # where the account lives (its DID doc)
BUSINESS_DID = "did:plc:r4ktcm2ubhvz6k4jyepmcnqa"
MARIA_DID = "did:plc:7iza6de2dwap2sbkpav7c6c6"
ROOT = {
    "uri": f"at://{MARIA_DID}/app.bsky.feed.post/3lbu4hfy5xk2r",
    "cid": "bafyreiby6kkf6kr7sswjhwsftp7dgl6xvznpxlgqvcd2w7g6bxm2fhfo3a",
}
POST = {
    "uri": f"at://{MARIA_DID}/app.bsky.feed.post/3lbu5ksm4wc2x",
    "cid": "bafyreihqvmgcrz7u2fx6tq6wu5hu4h7xwtwqhyc43vkaxlzcs2hbvnazge",
}


def _jwt(scope: str) -> str:
    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    now = int(datetime.now(UTC).timestamp())
    claims = {"scope": scope, "sub": BUSINESS_DID, "iat": now, "exp": now + 7200}
    return f"{part({'typ': 'at+jwt', 'alg': 'ES256K'})}.{part(claims)}.c2lnbmF0dXJl"


SESSION = {
    "did": BUSINESS_DID,
    "handle": "crumbandkettle.bsky.social",
    "email": "hello@crumbandkettle.example",
    "emailConfirmed": True,
    "active": True,
    "accessJwt": _jwt("com.atproto.appPass"),
    "refreshJwt": _jwt("com.atproto.refresh"),
    "didDoc": {
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": BUSINESS_DID,
        "alsoKnownAs": ["at://crumbandkettle.bsky.social"],
        "service": [
            {
                "id": "#atproto_pds",
                "type": "AtprotoPersonalDataServer",
                "serviceEndpoint": PDS.removesuffix("/xrpc"),
            }
        ],
    },
}


def _view(*, reply_to_root: bool) -> dict[str, object]:
    """A post view as the connector stores it (model_dump of the AppView's post)."""
    record: dict[str, object] = {
        "$type": "app.bsky.feed.post",
        "text": "Does anyone know how long a sourdough starter keeps in the fridge?",
        "createdAt": "2026-11-28T08:12:40.512Z",
        "langs": ["en"],
    }
    if reply_to_root:
        record["reply"] = {"root": ROOT, "parent": ROOT}
    return {
        **POST,
        "author": {"did": MARIA_DID, "handle": "maria.bsky.social", "displayName": "Maria"},
        "record": record,
        "indexedAt": "2026-11-28T08:12:41.003Z",
        "replyCount": 0,
        "likeCount": 2,
    }


def _setup(
    session: Session,
    *,
    reply_to_root: bool = True,
    text: str = "About a week, Maria: feed it first.",
    **decision: object,
) -> Suggestion:
    ws = make_workspace(session)
    accounts.add_account(
        session,
        workspace_id=ws.id,
        platform="bluesky",
        handle="crumbandkettle.bsky.social",
        values={
            "actor": "crumbandkettle.bsky.social",
            "app_password": "abcd-efgh-ijkl-mnop",
            "post_replies": "true",
        },
        fernet=KEY,
    )
    post = make_post(
        session,
        workspace_id=ws.id,
        platform=Platform.BLUESKY,
        external_id=POST["uri"],
        author=PersonCreate(
            platform=Platform.BLUESKY, external_id=MARIA_DID, handle="maria.bsky.social"
        ),
        lang="en",
        raw=_view(reply_to_root=reply_to_root),
    )
    suggestion = make_suggestion(session, post=post, route=DeliveryRoute.API)
    suggest_queue.decide(
        session,
        workspace=ws,
        suggestion_id=suggestion.id,
        decision_in=Decision.model_validate({"action": "approve", "final_text": text, **decision}),
        now=T0 - UNDO_GRACE,
    )
    assert suggestion.posting_status == PostingStatus.QUEUED
    return suggestion


def _created(rkey: str) -> dict[str, object]:
    return {
        "uri": f"at://{BUSINESS_DID}/app.bsky.feed.post/{rkey}",
        "cid": "bafyreigf3ukz7p3ey5tiq7wq7vpd3j6ztpjcpfyxivxzdy4ixyuqmrnz5e",
        "commit": {
            "cid": "bafyreia4q5w6x2bq3gf6bz4wlrxjm7ydxyyb6b7rlg5syw4ynq6hacjvfq",
            "rev": "3lbw2",
        },
        "validationStatus": "valid",
    }


def _ref(strong_ref: dict[str, str]) -> dict[str, str]:
    return {"uri": strong_ref["uri"], "cid": strong_ref["cid"]}


def _routes(router: respx.Router) -> respx.Route:
    router.post(f"{ENTRYWAY}/com.atproto.server.createSession").respond(json=SESSION)

    def create(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=_created(json.loads(request.content)["rkey"]))

    return router.post(f"{PDS}/com.atproto.repo.createRecord").mock(side_effect=create)


def test_a_reply_goes_into_the_thread_with_root_and_parent_refs_and_its_uri_is_stored(
    session: Session,
    db: Database,
) -> None:
    suggestion = _setup(session, reply_to_root=True)
    with respx.mock(assert_all_mocked=True) as router:
        create = _routes(router)
        assert run_posting(db, session, now=T0) == 1
    (call,) = create.calls
    sent = json.loads(call.request.content)
    assert call.request.headers["Authorization"] == f"Bearer {SESSION['accessJwt']}"
    assert sent["repo"] == BUSINESS_DID
    assert sent["collection"] == "app.bsky.feed.post"
    assert sent["record"]["text"] == "About a week, Maria: feed it first."
    # the post answered is the parent; the root is its thread's root, not the post itself
    assert _ref(sent["record"]["reply"]["parent"]) == POST
    assert _ref(sent["record"]["reply"]["root"]) == ROOT
    assert sent["record"]["langs"] == ["en"]
    assert suggestion.posting_status == PostingStatus.POSTED
    assert suggestion.posted_external_id == f"at://{BUSINESS_DID}/app.bsky.feed.post/{sent['rkey']}"


def test_a_post_that_starts_its_thread_is_both_root_and_parent(
    session: Session, db: Database
) -> None:
    suggestion = _setup(session, reply_to_root=False)
    with respx.mock(assert_all_mocked=True) as router:
        create = _routes(router)
        run_posting(db, session, now=T0)
    reply = json.loads(create.calls[0].request.content)["record"]["reply"]
    assert (_ref(reply["root"]), _ref(reply["parent"])) == (POST, POST)
    assert suggestion.posting_status == PostingStatus.POSTED


def test_after_a_timeout_that_did_post_the_retry_finds_the_reply_and_posts_nothing(
    session: Session,
    db: Database,
) -> None:
    suggestion = _setup(session)
    posted: dict[str, dict[str, object]] = {}  # what the PDS holds, by record key

    def create_then_time_out(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if body["rkey"] in posted:
            return httpx.Response(
                400, json={"error": "InvalidRequest", "message": "Record already exists"}
            )
        posted[body["rkey"]] = body["record"]
        raise httpx.ReadTimeout("the answer never came", request=request)

    def get_record(request: httpx.Request) -> httpx.Response:
        rkey = request.url.params["rkey"]
        if rkey not in posted:
            return httpx.Response(
                400, json={"error": "RecordNotFound", "message": "Could not locate record"}
            )
        return httpx.Response(
            200, json={**_created(rkey), "value": posted[rkey]} | {"commit": None}
        )

    with respx.mock(assert_all_mocked=True) as router:
        router.post(f"{ENTRYWAY}/com.atproto.server.createSession").respond(json=SESSION)
        create = router.post(f"{PDS}/com.atproto.repo.createRecord").mock(
            side_effect=create_then_time_out
        )
        lookup = router.get(f"{PDS}/com.atproto.repo.getRecord").mock(side_effect=get_record)
        run_posting(db, session, now=T0)
        assert suggestion.posting_status == PostingStatus.QUEUED
        assert "will try again" in (suggestion.posting_error or "")
        assert suggestion.posted_external_id is None
        # the next run, once the wait is over: the reply is found, not posted again
        later = T0.replace(minute=5)
        assert run_posting(db, session, now=later) == 1
    assert create.call_count == 1
    assert lookup.call_count == 1
    (rkey,) = posted
    assert suggestion.posting_status == PostingStatus.POSTED
    assert suggestion.posted_external_id == f"at://{BUSINESS_DID}/app.bsky.feed.post/{rkey}"


def test_a_crash_after_the_claim_checks_before_posting_and_posts_once(
    session: Session, db: Database
) -> None:
    suggestion = _setup(session)
    # the claim was committed, then the worker died before it stored anything
    posting_service.claim(session, limit=20, now=T0)
    with respx.mock(assert_all_mocked=True) as router:
        create = _routes(router)
        lookup = router.get(f"{PDS}/com.atproto.repo.getRecord").respond(
            400, json={"error": "RecordNotFound", "message": "Could not locate record"}
        )
        # another worker takes it up after the lease
        assert run_posting(db, session, now=T0.replace(minute=3)) == 1
    assert lookup.call_count == 1 and create.call_count == 1
    # the record key is the one chosen at the first claim
    assert suggestion.posted_external_id is not None
    assert suggestion.posted_external_id.endswith(
        json.loads(create.calls[0].request.content)["rkey"]
    )
    with respx.mock(assert_all_mocked=True):  # nothing is queued: no request at all
        assert run_posting(db, session, now=T0.replace(minute=9)) == 0


def test_a_run_signs_in_once_for_all_of_an_accounts_replies(session: Session, db: Database) -> None:
    first = _setup(session)
    for n in (2, 3):  # two more approved replies for the same account, to other posts
        uri = f"at://{MARIA_DID}/app.bsky.feed.post/3lbu5ksm4wc2{n}"
        post = make_post(
            session,
            workspace_id=first.workspace_id,
            platform=Platform.BLUESKY,
            external_id=uri,
            author=PersonCreate(
                platform=Platform.BLUESKY, external_id=MARIA_DID, handle="maria.bsky.social"
            ),
            raw={**_view(reply_to_root=False), "uri": uri},
        )
        make_suggestion(
            session,
            post=post,
            route=DeliveryRoute.API,
            status=SuggestionStatus.APPROVED,
            final_text=f"Reply number {n}",
            posting_status=PostingStatus.QUEUED,
        )
    with respx.mock(assert_all_mocked=True) as router:
        create = _routes(router)
        assert run_posting(db, session, now=T0) == 3
        sign_ins = [c for c in router.calls if c.request.url.path.endswith(".createSession")]
    assert create.call_count == 3
    assert len(sign_ins) == 1  # createSession is rate-limited per account
    # every reply was made with the session of that one sign-in
    auth = {c.request.headers["Authorization"] for c in create.calls}
    assert auth == {f"Bearer {SESSION['accessJwt']}"}


def test_a_revoked_app_password_fails_the_post_and_marks_the_account(
    session: Session, db: Database
) -> None:
    suggestion = _setup(session)
    with respx.mock(assert_all_mocked=True) as router:
        router.post(f"{ENTRYWAY}/com.atproto.server.createSession").respond(
            401,
            json={"error": "AuthenticationRequired", "message": "Invalid identifier or password"},
        )
        run_posting(db, session, now=T0)
    assert suggestion.posting_status == PostingStatus.FAILED
    assert "Invalid identifier or password" in (suggestion.posting_error or "")
    assert "Reconnect" in (suggestion.posting_error or "")
    from core.models import Account

    (account,) = session.query(Account).all()
    assert account.health == AccountHealth.NEEDS_RECONNECT


@pytest.mark.parametrize("values", [{"post_replies": "true"}])
def test_posting_without_an_app_password_is_refused_when_connecting(
    session: Session, values: dict[str, str]
) -> None:
    from core.errors import InvalidInput

    ws = make_workspace(session)
    with pytest.raises(InvalidInput, match="app_password"):
        accounts.add_account(
            session,
            workspace_id=ws.id,
            platform="bluesky",
            handle="crumbandkettle.bsky.social",
            values={"actor": "crumbandkettle.bsky.social", **values},
            fernet=KEY,
        )


def test_replies_claimed_together_get_distinct_record_keys(session: Session) -> None:
    from ingest.connectors.bluesky.reply import record_key

    first = _setup(session)
    other = make_suggestion(
        session,
        id=first.id + 1024,  # the same clock id in its record key
        post=session.get(Post, first.post_id),
        route=DeliveryRoute.API,
        drafter_version="t2",
        status=SuggestionStatus.APPROVED,
        final_text="Another reply",
        posting_status=PostingStatus.QUEUED,
    )
    posting_service.claim(session, limit=20, now=T0)
    assert first.posting_attempt_key != other.posting_attempt_key
    # a record key is a TID (as the PDS checks it); later times sort later
    from atproto_client.models.string_formats import TID_RE

    assert first.posting_attempt_key is not None and TID_RE.match(first.posting_attempt_key)
    assert record_key(T0, clock_id=1) < record_key(T0.replace(second=1), clock_id=0)


def test_a_surprising_answer_fails_that_reply_visibly_and_a_retry_checks_first(
    session: Session,
    db: Database,
) -> None:
    suggestion = _setup(session)
    with respx.mock(assert_all_mocked=True) as router:
        router.post(f"{ENTRYWAY}/com.atproto.server.createSession").respond(json=SESSION)
        router.post(f"{PDS}/com.atproto.repo.createRecord").respond(200, json={"unexpected": 1})
        run_posting(db, session, now=T0)
    assert suggestion.posting_status == PostingStatus.FAILED
    assert "Rapport could not post it" in (suggestion.posting_error or "")
    suggest_posting.retry(
        session, workspace_id=suggestion.workspace_id, suggestion_id=suggestion.id
    )
    with respx.mock(assert_all_mocked=True) as router:
        create = _routes(router)
        lookup = router.get(f"{PDS}/com.atproto.repo.getRecord").respond(
            400, json={"error": "RecordNotFound", "message": "Could not locate record"}
        )
        run_posting(db, session, now=T0.replace(minute=1))
    assert lookup.call_count == 1 and create.call_count == 1
    assert suggestion.posting_status == PostingStatus.POSTED


def test_a_link_in_the_reply_is_a_link_on_bluesky(session: Session, db: Database) -> None:
    _setup(
        session,
        text="Our starter guide (in café French too): https://crumb.example/starter.",
        approve_anyway=True,  # the guard asks about a link; the owner knows she wants it
        reason="She asked where the guide is",
    )
    with respx.mock(assert_all_mocked=True) as router:
        create = _routes(router)
        run_posting(db, session, now=T0)
    record = json.loads(create.calls[0].request.content)["record"]
    (facet,) = record["facets"]
    start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
    assert record["text"].encode()[start:end] == b"https://crumb.example/starter"
    assert facet["features"] == [
        {"$type": "app.bsky.richtext.facet#link", "uri": "https://crumb.example/starter"}
    ]
