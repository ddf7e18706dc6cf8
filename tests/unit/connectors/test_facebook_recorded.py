"""The Facebook connector on Graph API responses really sent to python-facebook's author
(2021, the 'Facebook for Developers' Page 19292868552), served with `responses` so that the
real facebook-sdk GraphAPI parses them. facebook-sdk itself has no recordings (SOURCES.md).

These recordings were made without asking for `from`, as many real tokens see them: without it
a Page's own posts cannot be told from visitors', so feed posts are reported, not read as
visitors' (which would draft replies to the business itself)."""

import re
from datetime import UTC, datetime

import responses

from ingest.connectors import FacebookConnector, FacebookSettings
from tests.recorded import json_file, needs_fixtures

pytestmark = needs_fixtures

GRAPH = "https://graph.facebook.com/v21.0"
PAGE = "19292868552"
DATA = "facebook/python-facebook_testdata"


def _pages(rsps: responses.RequestsMock, path: str, first: str, second: str) -> None:
    """An edge over two recorded pages: the first links to the second (`after=after`)."""
    url = re.compile(rf"{re.escape(GRAPH)}/{path}\?.*")
    rsps.get(url, json=json_file(f"{DATA}/{second}"), match=[_has_after])
    rsps.get(url, json=json_file(f"{DATA}/{first}"))


def _has_after(request) -> tuple[bool, str]:  # noqa: ANN001
    return "after=after" in (request.url or ""), "the second page"


def _read() -> tuple[list, list[str], list[str]]:
    with responses.RequestsMock() as rsps:
        _pages(
            rsps,
            f"{PAGE}/feed",
            "posts_feeds_default_fields_p1.json",
            "posts_feeds_default_fields_p2.json",
        )
        _pages(
            rsps,
            f"{PAGE}/posts",
            "posts_feeds_default_fields_p1.json",
            "posts_feeds_default_fields_p2.json",
        )
        # comments recorded on another post of the same Page (a neighbouring node)
        _pages(
            rsps,
            f"{PAGE}_10158349356748553/comments",
            "comments_comments_p1.json",
            "comments_comments_p2.json",
        )
        # python-facebook's own /tagged test serves the feed recording; so does this one
        _pages(
            rsps,
            f"{PAGE}/tagged",
            "posts_feeds_default_fields_p1.json",
            "posts_feeds_default_fields_p2.json",
        )
        settings = FacebookSettings(page_id=PAGE, page_access_token="EAAB", own_posts_to_scan=1)
        pages = list(FacebookConnector(settings).pages(cursors={}))
        urls = [c.request.url for c in rsps.calls]
    return pages, urls, [e for page in pages for e in page.errors]


def test_feed_posts_without_from_are_reported_not_read_as_visitors() -> None:
    pages, urls, _ = _read()
    feed_calls = [u for u in urls if f"/{PAGE}/feed" in u]
    assert len(feed_calls) == 2 and "fields=id%2Cmessage" in feed_calls[0]
    assert "from" in feed_calls[0]  # `from` is asked for
    recorded = [
        item["id"]
        for name in ("posts_feeds_default_fields_p1.json", "posts_feeds_default_fields_p2.json")
        for item in json_file(f"{DATA}/{name}")["data"]
    ]
    assert pages[0].posts == []
    assert [e.split(":")[0] for e in pages[0].errors] == recorded
    assert all("`from`" in e for e in pages[0].errors)


def test_recorded_comments_without_ids_are_reported_and_paging_is_followed() -> None:
    pages, urls, _ = _read()
    comment_calls = [u for u in urls if "/comments" in u]
    assert len(comment_calls) == 2 and "after=after" in comment_calls[1]
    # The recording has no comment ids: each of the 15 is reported, none stored without one.
    assert pages[1].posts == [] and len(pages[1].errors) == 15
    assert all(e.startswith("?: missing or invalid 'id'") for e in pages[1].errors)


def test_recorded_tagged_posts_are_read_with_texts_times_and_links() -> None:
    pages, _, _ = _read()
    tagged = pages[2].posts
    recorded = [
        item
        for name in ("posts_feeds_default_fields_p1.json", "posts_feeds_default_fields_p2.json")
        for item in json_file(f"{DATA}/{name}")["data"]
    ]
    assert [p.external_id for p in tagged] == [i["id"] for i in recorded]
    assert [p.text for p in tagged] == [i["message"] for i in recorded]
    assert [p.url for p in tagged] == [i["permalink_url"] for i in recorded]
    for post, item in zip(tagged, recorded, strict=True):
        assert post.posted_at == datetime.strptime(
            item["created_time"], "%Y-%m-%dT%H:%M:%S%z"
        ).astimezone(UTC)
        assert post.posted_at.utcoffset() is not None and post.summons_business
    first = tagged[0]
    assert first.posted_at == datetime(2021, 7, 9, 19, 9, 52, tzinfo=UTC)  # "+0000" read as UTC
    assert first.text.startswith("Singaporean logistics company Ninja Van")
    assert pages[2].cursor_updates == {"tagged": max(p.posted_at for p in tagged).isoformat()}
