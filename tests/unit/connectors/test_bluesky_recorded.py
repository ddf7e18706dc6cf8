"""The Bluesky connector on responses the AppView really sent (recorded by atproto's own test
suite), parsed by the real atproto client through respx.

No recorded getFollowers or getAuthorFeed response exists (see SOURCES.md), so both are served
from their neighbouring recordings, with the shapes the lexicons give: getFollows of
test.marshal.dev says it follows marshal.dev, so it is served as marshal.dev's follower; the
recorded getPostThread PostView (an image post with no text and an empty alt text) is served as
the one item of that follower's getAuthorFeed (the same app.bsky.feed.defs#postView)."""

from datetime import UTC, datetime

import httpx
import respx

from ingest.connectors import BlueskyConnector, BlueskySettings
from tests.recorded import json_file, needs_fixtures

pytestmark = needs_fixtures

XRPC = "https://public.api.bsky.app/xrpc"


def _recorded() -> tuple[dict, dict, dict]:
    follows = json_file("bluesky/recorded/get_follows.json")
    business = next(p for p in follows["follows"] if p["handle"] == "marshal.dev")
    thread = json_file("bluesky/recorded/thread_view_post_with_embed_media.json")
    return business, follows["subject"], thread["thread"]["post"]


def test_a_recorded_image_post_without_words_is_kept_with_its_author_and_time() -> None:
    business, follower, view = _recorded()
    with respx.mock(assert_all_called=True) as router:
        followers = router.get(f"{XRPC}/app.bsky.graph.getFollowers").mock(
            return_value=httpx.Response(200, json={"subject": business, "followers": [follower]})
        )
        feed = router.get(f"{XRPC}/app.bsky.feed.getAuthorFeed").mock(
            return_value=httpx.Response(200, json={"feed": [{"post": view}]})
        )
        pages = list(BlueskyConnector(BlueskySettings(actor="marshal.dev")).pages(cursors={}))

    assert followers.calls.last.request.url.params["actor"] == "marshal.dev"
    assert feed.calls.last.request.url.params["actor"] == follower["did"]
    (post,) = [p for page in pages for p in page.posts]
    assert (
        post.external_id == "at://did:plc:kvwvcn5iqfooopmyzvb4qzba/app.bsky.feed.post/3kaheyt6vpc22"
    )
    assert post.author.external_id == "did:plc:kvwvcn5iqfooopmyzvb4qzba"
    assert post.author.handle == "test.marshal.dev" and post.author.display_name == "Python SDK"
    assert post.text == ""  # an image with an empty alt text: kept, nothing for analysis to read
    assert post.posted_at == datetime(2023, 9, 28, 12, 49, 36, 735000, tzinfo=UTC)
    assert post.lang == "en" and post.in_reply_to is None and not post.summons_business
    assert post.url == "https://bsky.app/profile/test.marshal.dev/post/3kaheyt6vpc22"
    assert pages[0].errors == []
    assert pages[0].cursor_updates == {
        "newest:did:plc:kvwvcn5iqfooopmyzvb4qzba": "2023-09-28T12:49:36.735000+00:00"
    }


def test_the_recorded_post_is_not_read_twice() -> None:
    business, follower, view = _recorded()
    with respx.mock() as router:
        router.get(f"{XRPC}/app.bsky.graph.getFollowers").mock(
            return_value=httpx.Response(200, json={"subject": business, "followers": [follower]})
        )
        router.get(f"{XRPC}/app.bsky.feed.getAuthorFeed").mock(
            return_value=httpx.Response(200, json={"feed": [{"post": view}]})
        )
        cursors = {"newest:did:plc:kvwvcn5iqfooopmyzvb4qzba": "2023-09-28T12:49:36.735000+00:00"}
        pages = list(BlueskyConnector(BlueskySettings(actor="marshal.dev")).pages(cursors=cursors))
    assert [p for page in pages for p in page.posts] == []
    assert all(not page.cursor_updates for page in pages)  # the cursor never moves back
