"""The Facebook/Instagram connector with facebook-sdk's real GraphAPI (via responses)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import responses

from ingest.connectors import FacebookConnector, FacebookSettings, NeedsReconnect, RetriableError

GRAPH = "https://graph.facebook.com/v21.0"
PAGE = "104000000000001"
SHOP = {"id": PAGE, "name": "Crumb & Kettle"}
MORAG = {"id": "5550001", "name": "Morag Kerr"}
BETH = {"id": "5550002", "name": "Beth Simpson"}


def item(id_: str, who: dict | None, message: str | None, when: str) -> dict:
    value = {
        "id": id_,
        "created_time": when,
        "permalink_url": f"https://www.facebook.com/{PAGE}/posts/{id_.split('_')[-1]}",
    }
    if who:
        value["from"] = who
    if message is not None:
        value["message"] = message
    return value


def _settings(**overrides) -> FacebookSettings:  # noqa: ANN003
    return FacebookSettings(page_id=PAGE, page_access_token="EAAB", **overrides)


def _register(rsps: responses.RequestsMock) -> None:
    rsps.get(
        re.compile(rf"{GRAPH}/{PAGE}/feed\?(?!.*after=).*"),
        json={
            "data": [
                item(
                    f"{PAGE}_901",
                    SHOP,
                    "Our opening hours change next week",
                    "2026-11-23T08:00:00+0000",
                ),
                item(
                    f"{PAGE}_902",
                    MORAG,
                    "Could you do 30 mince pies for our choir on the 12th?",
                    "2026-11-24T10:00:00+0000",
                ),
            ],
            "paging": {
                "cursors": {"after": "QVFIU"},
                "next": f"{GRAPH}/{PAGE}/feed?access_token=EAAB&after=QVFIU&limit=25",
            },
        },
    )
    rsps.get(
        re.compile(rf"{GRAPH}/{PAGE}/feed\?.*after=QVFIU.*"),
        json={
            "data": [item(f"{PAGE}_903", BETH, None, "2026-11-24T11:00:00+0000")],
            "paging": {"cursors": {"before": "QVFIU"}},
        },
    )
    rsps.get(
        re.compile(rf"{GRAPH}/{PAGE}_901/comments\?.*"),
        json={
            "data": [
                item(
                    f"{PAGE}_901_71",
                    BETH,
                    "Will you be open on the Monday after?",
                    "2026-11-23T09:00:00+0000",
                ),
                item(
                    f"{PAGE}_901_72",
                    None,
                    "Thanks for letting us know!",
                    "2026-11-23T09:30:00+0000",
                ),
                item(f"{PAGE}_901_73", SHOP, "Yes, as usual.", "2026-11-23T10:00:00+0000"),
            ]
        },
    )
    rsps.get(re.compile(rf"{GRAPH}/{PAGE}/tagged\?.*"), json={"data": []})


def test_visitor_posts_comments_and_tags_all_summon_the_business() -> None:
    with responses.RequestsMock() as rsps:
        _register(rsps)
        pages = list(FacebookConnector(_settings()).pages(cursors={}))
    posts = {p.external_id: p for page in pages for p in page.posts}
    assert set(posts) == {f"{PAGE}_902", f"{PAGE}_903", f"{PAGE}_901_71", f"{PAGE}_901_72"}
    assert all(p.summons_business for p in posts.values())
    assert posts[f"{PAGE}_902"].author.display_name == "Morag Kerr"
    assert posts[f"{PAGE}_901_71"].in_reply_to == f"{PAGE}_901"
    assert posts[f"{PAGE}_901_72"].author.external_id == "unknown"  # Graph hid the author
    assert posts[f"{PAGE}_903"].text == ""  # no message: kept, with no words to read
    assert not any(f"{PAGE}_903" in e for page in pages for e in page.errors)
    cursors = {k: v for page in pages for k, v in page.cursor_updates.items()}
    assert cursors["feed"].startswith("2026-11-24T11:00")


def test_feed_cursor_becomes_since_and_old_comments_are_not_repeated() -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _register(rsps)
        cursors = {"feed": "2026-11-24T10:00:00+00:00", "comments": "2026-11-23T09:30:00+00:00"}
        pages = list(FacebookConnector(_settings()).pages(cursors=cursors))
        feed_call = next(c.request.url for c in rsps.calls if "/feed?" in c.request.url)
    assert f"since={int(datetime(2026, 11, 24, 10, tzinfo=UTC).timestamp())}" in feed_call
    assert [p.external_id for page in pages for p in page.posts] == [f"{PAGE}_903"]


def test_expiring_token_is_surfaced_and_error_190_needs_reconnect() -> None:
    soon = datetime.now(UTC) + timedelta(days=3)
    with responses.RequestsMock() as rsps:
        rsps.get(
            re.compile(rf"{GRAPH}/{PAGE}/feed\?.*"),
            status=400,
            json={
                "error": {
                    "message": "Error validating access token: The session has been "
                    "invalidated because the user changed their password.",
                    "type": "OAuthException",
                    "code": 190,
                    "error_subcode": 460,
                }
            },
        )
        reading = FacebookConnector(_settings(token_expires_at=soon)).pages(cursors={})
        first = next(reading)
        assert "reconnect before then" in first.notices[0]
        with pytest.raises(NeedsReconnect, match="password"):
            next(reading)


def test_rate_limit_is_retriable() -> None:
    with responses.RequestsMock() as rsps:
        rsps.get(
            re.compile(rf"{GRAPH}/{PAGE}/feed\?.*"),
            status=400,
            json={
                "error": {
                    "message": "(#4) Application request limit reached",
                    "type": "OAuthException",
                    "code": 4,
                }
            },
        )
        with pytest.raises(RetriableError):
            list(FacebookConnector(_settings()).pages(cursors={}))


def test_instagram_comments_and_tags() -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _register(rsps)
        rsps.get(re.compile(rf"{GRAPH}/1784000001/media\?.*"), json={"data": [{"id": "1790001"}]})
        rsps.get(
            re.compile(rf"{GRAPH}/1790001/comments\?.*"),
            json={
                "data": [
                    {
                        "id": "1800001",
                        "text": "Is the rye back this week?",
                        "timestamp": "2026-11-24T12:00:00+0000",
                        "username": "ahmed_eats",
                        "from": {"id": "1770001", "username": "ahmed_eats"},
                    }
                ]
            },
        )
        rsps.get(
            re.compile(rf"{GRAPH}/1784000001/tags\?.*"),
            json={
                "data": [
                    {
                        "id": "1790009",
                        "caption": "Best rye in Leith @crumbandkettle",
                        "timestamp": "2026-11-24T13:00:00+0000",
                        "username": "ahmed_eats",
                        "permalink": "https://www.instagram.com/p/C0abc/",
                    }
                ]
            },
        )
        pages = list(
            FacebookConnector(_settings(instagram_account_id="1784000001")).pages(cursors={})
        )
    ig = [p for page in pages for p in page.posts if p.platform.value == "instagram"]
    assert [(p.text, p.author.handle, p.in_reply_to) for p in ig] == [
        ("Is the rye back this week?", "ahmed_eats", "1790001"),
        ("Best rye in Leith @crumbandkettle", "ahmed_eats", None),
    ]
    assert all(p.summons_business for p in ig)


def test_a_sticker_comment_is_kept_without_words() -> None:
    sticker = {
        **item(f"{PAGE}_901_73", MORAG, None, "2026-11-24T12:00:00+0000"),
        "attachment": {"type": "sticker", "url": "https://scontent.xx.fbcdn.net/sticker.png"},
    }
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(
            re.compile(rf"{GRAPH}/{PAGE}/feed\?.*"),
            json={"data": [item(f"{PAGE}_901", SHOP, "New loaf", "2026-11-23T08:00:00+0000")]},
        )
        rsps.get(re.compile(rf"{GRAPH}/{PAGE}_901/comments\?.*"), json={"data": [sticker]})
        rsps.get(re.compile(rf"{GRAPH}/{PAGE}/tagged\?.*"), json={"data": []})
        pages = list(FacebookConnector(_settings()).pages(cursors={}))
        asked = next(c.request.url for c in rsps.calls if "/comments" in c.request.url)
    (comment,) = [p for page in pages for p in page.posts]
    assert comment.external_id == f"{PAGE}_901_73" and comment.text == ""
    assert comment.author.display_name == "Morag Kerr" and comment.in_reply_to == f"{PAGE}_901"
    assert "attachment" in asked and "from" in asked
