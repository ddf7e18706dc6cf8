"""The Mastodon connector on responses Mastodon really sent (Mastodon.py's cassettes, recorded
against a development server and against mastodon.social), parsed by the real Mastodon.py.

Mentions are read oldest first from the cursor, following the `Link rel="prev"` pages towards
the present, so a page of 40 never hides the mentions after it; direct mentions are read and
marked private."""

from datetime import UTC, datetime

import responses
from responses import matchers

from ingest.connectors import MastodonConnector, MastodonSettings
from tests.recorded import cassette, needs_fixtures

pytestmark = needs_fixtures

DEV = "http://localhost:3000"  # Mastodon.py's development server recordings
SOCIAL = "https://mastodon.social"  # Mastodon.py's entity recordings (real accounts)


def _serve(rsps: responses.RequestsMock, base: str, path: str, recorded: dict, **kw) -> None:  # noqa: ANN003
    headers = {k: v for k, v in recorded["headers"].items() if k in ("link",)}
    rsps.get(
        f"{base}{path}",
        body=recorded["body"],
        status=recorded["status"],
        headers=headers,
        content_type="application/json",
        **kw,
    )


def _connector(base: str) -> MastodonConnector:
    return MastodonConnector(MastodonSettings(api_base_url=base, access_token="t0ken"))


def _min_id(value: str):  # noqa: ANN202
    return matchers.query_param_matcher({"min_id": value}, strict_match=False)


def test_a_recorded_mention_page_then_the_newer_pages_it_links_to() -> None:
    me = cassette("mastodon/test_verify_credentials.yaml")[0]
    mentions = cassette("mastodon/test_notifications_mentions_only.yaml")[1]
    followers = cassette("mastodon/test_account_followers.yaml")[1]  # recorded: no followers
    with responses.RequestsMock() as rsps:
        _serve(rsps, DEV, "/api/v1/accounts/verify_credentials", me)
        _serve(rsps, DEV, "/api/v1/notifications", mentions, match=[_min_id("20")])
        # The recorded page links to newer mentions (rel="prev", min_id=21); Mastodon answers
        # an empty list when there are none.
        rsps.get(f"{DEV}/api/v1/notifications", json=[], match=[_min_id("21")])
        _serve(rsps, DEV, "/api/v1/accounts/117020457910412882/followers", followers)
        pages = list(_connector(DEV).pages(cursors={"mentions": "20"}))
        asked = [c.request.url for c in rsps.calls if "/notifications" in c.request.url]

    assert len(asked) == 2 and "types%5B%5D=mention" in asked[0]
    (post,) = [p for page in pages for p in page.posts]
    assert post.external_id == "117020577157693549"
    assert post.author.handle == "admin" and post.author.external_id == "117020565693913441"
    assert post.text == "@mastodonpy_test hello!"
    assert post.posted_at == datetime(2026, 8, 1, 13, 51, 42, 823000, tzinfo=UTC)
    assert post.in_reply_to is None and post.lang == "en"
    assert post.url == f"{DEV}/@admin/117020577157693549"
    assert post.summons_business and not post.private
    assert [p.cursor_updates for p in pages] == [{"mentions": "21"}]


def test_forty_recorded_mentions_from_mastodon_social_with_a_direct_one() -> None:
    me = cassette("mastodon/test_verify_credentials.yaml")[0]
    page = cassette("mastodon/entity_tests/test_entity_notification.yaml")[0]
    assert 'rel="next"' in page["headers"]["link"] and 'rel="prev"' in page["headers"]["link"]
    with responses.RequestsMock() as rsps:
        _serve(rsps, SOCIAL, "/api/v1/accounts/verify_credentials", me)
        _serve(rsps, SOCIAL, "/api/v1/notifications", page, match=[_min_id("541000000")])
        rsps.get(f"{SOCIAL}/api/v1/notifications", json=[], match=[_min_id("550622655")])
        rsps.get(f"{SOCIAL}/api/v1/accounts/117020457910412882/followers", json=[])
        pages = list(_connector(SOCIAL).pages(cursors={"mentions": "541000000"}))

    # 39 of the 40 recorded mentions have no status (deleted since): nothing to read. The one
    # left is a direct message: read, marked private, summoning the business.
    (post,) = [p for page in pages for p in page.posts]
    assert post.external_id == "116275331587890092"
    assert post.author.handle == "latencyobs@icosahedron.website"
    assert post.private and post.summons_business
    assert post.text.startswith("@halcy@mastodon.social @halcy@glitch.social @halcy@hachyderm.io")
    assert post.posted_at == datetime(2026, 3, 22, 23, 5, 57, tzinfo=UTC)
    assert post.raw["visibility"] == "direct"
    # the cursor is the newest notification of the page, saved with it
    assert pages[0].cursor_updates == {"mentions": "550622655"}


def test_a_first_sync_reads_the_latest_recorded_page_only() -> None:
    me = cassette("mastodon/test_verify_credentials.yaml")[0]
    page = cassette("mastodon/entity_tests/test_entity_notification.yaml")[0]
    with responses.RequestsMock() as rsps:
        _serve(rsps, SOCIAL, "/api/v1/accounts/verify_credentials", me)
        _serve(rsps, SOCIAL, "/api/v1/notifications", page)
        rsps.get(f"{SOCIAL}/api/v1/accounts/117020457910412882/followers", json=[])
        pages = list(_connector(SOCIAL).pages(cursors={}))
        asked = [c.request.url for c in rsps.calls if "/notifications" in c.request.url]
    assert len(asked) == 1 and "min_id" not in asked[0]
    assert pages[0].cursor_updates == {"mentions": "550622655"}
