"""The Bluesky connector with the real atproto client parsing AppView payloads (via respx)."""

from typing import Any

import httpx
import pytest
import respx

from ingest.connectors import BlueskyConnector, BlueskySettings, RetriableError

XRPC = "https://public.api.bsky.app/xrpc"
SHOP = "did:plc:shop000000000000000000"


def profile(did: str, handle: str, labels: list[str] | None = None) -> dict[str, Any]:
    return {
        "did": did,
        "handle": handle,
        "displayName": handle.split(".")[0].title(),
        "avatar": f"https://cdn.bsky.app/img/avatar/plain/{did}/x@jpeg",
        "labels": [
            {
                "src": did,
                "uri": f"at://{did}/app.bsky.actor.profile/self",
                "val": v,
                "cts": "2025-01-01T00:00:00.000Z",
            }
            for v in labels or []
        ],
        "createdAt": "2024-01-01T00:00:00.000Z",
        "indexedAt": "2024-06-01T00:00:00.000Z",
        "description": "",
    }


def post(author: dict[str, Any], rkey: str, text: str, created: str, **record: Any) -> dict:
    return {
        "post": {
            "uri": f"at://{author['did']}/app.bsky.feed.post/{rkey}",
            "cid": "bafyreib2rxk3rybk3aobmv5cjuql3bm2twh4jo5uxgf5shgmqlrd6v4u7u",
            "author": {k: author[k] for k in ("did", "handle", "displayName", "avatar", "labels")},
            "record": {
                "$type": "app.bsky.feed.post",
                "text": text,
                "createdAt": created,
                "langs": ["en"],
                **record,
            },
            "replyCount": 0,
            "repostCount": 0,
            "likeCount": 2,
            "quoteCount": 0,
            "indexedAt": created,
            "labels": [],
        }
    }


PRIYA = profile("did:plc:priya00000000000000000", "priya.bsky.social")
HIDDEN = profile("did:plc:hidden0000000000000000", "hidden.bsky.social", ["!no-unauthenticated"])
KIM = profile("did:plc:kim000000000000000000", "kim.bsky.social")


def _routes(router: respx.Router) -> None:
    router.get(f"{XRPC}/app.bsky.graph.getFollowers", params={"cursor": "page2"}).respond(
        json={"subject": profile(SHOP, "crumbandkettle.bsky.social"), "followers": [KIM]}
    )
    router.get(f"{XRPC}/app.bsky.graph.getFollowers").respond(
        json={
            "subject": profile(SHOP, "crumbandkettle.bsky.social"),
            "followers": [PRIYA, HIDDEN],
            "cursor": "page2",
        }
    )
    mention = {
        "facets": [
            {
                "index": {"byteStart": 0, "byteEnd": 15},
                "features": [{"$type": "app.bsky.richtext.facet#mention", "did": SHOP}],
            }
        ]
    }
    router.get(f"{XRPC}/app.bsky.feed.getAuthorFeed", params={"actor": PRIYA["did"]}).respond(
        json={
            "feed": [
                post(
                    PRIYA,
                    "3l2",
                    "@crumbandkettle what's a good cafetière ratio?",
                    "2026-11-24T10:00:00.000Z",
                    **mention,
                ),
                post(PRIYA, "3l1", "New job starts Monday!", "2026-11-20T08:00:00.000Z"),
                {
                    **post(KIM, "3k9", "Reposted", "2026-11-23T08:00:00.000Z"),
                    "reason": {
                        "$type": "app.bsky.feed.defs#reasonRepost",
                        "by": PRIYA,
                        "indexedAt": "2026-11-23T09:00:00.000Z",
                    },
                },
            ]
        }
    )
    router.get(f"{XRPC}/app.bsky.feed.getAuthorFeed", params={"actor": KIM["did"]}).respond(
        json={"feed": [post(KIM, "3m1", "Bread class was great", "2026-11-22T12:00:00.000Z")]}
    )


@respx.mock(assert_all_called=False)
def test_followers_and_their_own_posts_honouring_the_opt_out(respx_mock: respx.Router) -> None:
    _routes(respx_mock)
    pages = list(
        BlueskyConnector(BlueskySettings(actor="crumbandkettle.bsky.social")).pages(cursors={})
    )
    posts = [p for page in pages for p in page.posts]
    assert [p.text for p in posts] == [
        "@crumbandkettle what's a good cafetière ratio?",
        "New job starts Monday!",
        "Bread class was great",
    ]
    assert posts[0].summons_business and not posts[1].summons_business
    assert posts[0].url == "https://bsky.app/profile/priya.bsky.social/post/3l2"
    assert posts[0].author.external_id == PRIYA["did"]
    fetched = {c.request.url.params.get("actor") for c in respx_mock.calls}
    assert HIDDEN["did"] not in fetched  # never read someone who opted out


@respx.mock(assert_all_called=False)
def test_a_second_sync_yields_only_newer_posts(respx_mock: respx.Router) -> None:
    _routes(respx_mock)
    connector = BlueskyConnector(BlueskySettings(actor="crumbandkettle.bsky.social"))
    cursors: dict[str, Any] = {}
    for page in connector.pages(cursors={}):
        cursors.update(page.cursor_updates)
    again = [p for page in connector.pages(cursors=cursors) for p in page.posts]
    assert again == []


@respx.mock
def test_rate_limit_is_retriable(respx_mock: respx.Router) -> None:
    respx_mock.get(f"{XRPC}/app.bsky.graph.getFollowers").mock(
        return_value=httpx.Response(
            429, json={"error": "RateLimitExceeded"}, headers={"retry-after": "120"}
        )
    )
    with pytest.raises(RetriableError) as exc:
        list(BlueskyConnector(BlueskySettings(actor="x.bsky.social")).pages(cursors={}))
    assert exc.value.retry_after == 120
