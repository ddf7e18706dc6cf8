"""The Mastodon connector with the real Mastodon.py parsing documented payloads."""

import re

import pytest
import responses

from ingest.connectors import MastodonConnector, MastodonSettings, NeedsReconnect, RetriableError
from tests.mastodon_payloads import BASE, account, mention, status

ME = account("1", "crumbandkettle")
MARIA = account("11", "maria@mastodon.scot")
BOT = account("12", "newsbot", bot=True)
HIDDEN = account("13", "quiet", noindex=True)
PRIVATE = account("14", "shy", indexable=False, discoverable=False)
TAM = account("15", "tam@mastodon.scot")


def _connector(**overrides) -> MastodonConnector:  # noqa: ANN003
    settings = MastodonSettings(api_base_url=BASE, access_token="t0ken", **overrides)
    return MastodonConnector(settings)


def _register_happy_path(rsps: responses.RequestsMock) -> None:
    rsps.get(f"{BASE}/api/v1/accounts/verify_credentials", json=ME)
    rsps.get(
        f"{BASE}/api/v1/notifications",
        json=[mention("900", status("5001", MARIA, "<p>@crumbandkettle open on Monday?</p>"))],
    )
    rsps.get(
        f"{BASE}/api/v1/accounts/1/followers",
        json=[MARIA, BOT, HIDDEN, PRIVATE],
        headers={"Link": f'<{BASE}/api/v1/accounts/1/followers?max_id=7>; rel="next"'},
        match=[responses.matchers.query_param_matcher({"limit": "80"})],
    )
    rsps.get(
        f"{BASE}/api/v1/accounts/1/followers",
        json=[TAM],
        match=[responses.matchers.query_param_matcher({"limit": "80", "max_id": "7"})],
    )
    rsps.get(
        f"{BASE}/api/v1/accounts/11/statuses",
        json=[
            status("5003", MARIA, "<p>First 16 km run!<br>Half-marathon training works.</p>"),
            status("5002", MARIA, "<p>followers only</p>", visibility="private"),
        ],
    )
    rsps.get(
        f"{BASE}/api/v1/accounts/15/statuses",
        json=[
            status("6002", TAM, "<p>Flat loaf again. What am I doing wrong?</p>", language="en"),
            {"id": "6001", "account": TAM, "visibility": "public"},  # malformed: no content
        ],
    )


def test_reads_mentions_and_followers_it_may_read() -> None:
    with responses.RequestsMock() as rsps:
        _register_happy_path(rsps)
        pages = list(_connector().pages(cursors={}))

    mention_page, *follower_pages = pages
    assert [p.external_id for p in mention_page.posts] == ["5001"]
    assert mention_page.posts[0].summons_business is True
    assert mention_page.cursor_updates == {"mentions": "900"}

    posts = [p for page in follower_pages for p in page.posts]
    assert [p.external_id for p in posts] == ["5003", "6002"]  # no bot, noindex, private
    assert posts[0].text == "First 16 km run!\nHalf-marathon training works."
    assert posts[0].author.handle == "maria@mastodon.scot"
    assert posts[0].raw["uri"].endswith("/statuses/5003")
    assert {k: v for page in follower_pages for k, v in page.cursor_updates.items()} == {
        "since:11": "5003",
        "since:15": "6002",
    }
    assert any("6001" in e for page in follower_pages for e in page.errors)


def test_cursors_ask_only_for_what_is_new() -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _register_happy_path(rsps)
        list(_connector().pages(cursors={"mentions": "900", "since:11": "5003"}))
        calls = {c.request.url for c in rsps.calls}
    assert any("notifications" in u and "min_id=900" in u for u in calls)
    assert any("/accounts/11/statuses" in u and "since_id=5003" in u for u in calls)


def test_bots_are_read_only_when_asked() -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _register_happy_path(rsps)
        rsps.get(f"{BASE}/api/v1/accounts/12/statuses", json=[status("7001", BOT, "<p>News</p>")])
        pages = list(_connector(include_bots=True).pages(cursors={}))
    assert "7001" in {p.external_id for page in pages for p in page.posts}


def test_rate_limit_is_retriable_and_a_bad_token_needs_reconnect() -> None:
    with responses.RequestsMock() as rsps:
        rsps.get(
            f"{BASE}/api/v1/accounts/verify_credentials",
            status=429,
            json={"error": "Too many requests"},
            headers={"X-RateLimit-Reset": "2099-01-01T00:00:00.000Z"},
        )
        with pytest.raises(RetriableError) as exc:
            list(_connector().pages(cursors={}))
    assert exc.value.retry_after >= 60

    with responses.RequestsMock() as rsps:
        rsps.get(
            re.compile(f"{BASE}/api/v1/accounts/verify_credentials"),
            status=401,
            json={"error": "The access token is invalid"},
        )
        with pytest.raises(NeedsReconnect, match="access token"):
            list(_connector().pages(cursors={}))


def test_an_image_post_reads_as_its_alt_text_and_a_direct_mention_is_private() -> None:
    image = status(
        "5004",
        MARIA,
        "",
        media_attachments=[
            {"id": "1", "type": "image", "description": "A sourdough loaf with an open crumb"},
            {"id": "2", "type": "image", "description": None},
        ],
    )
    private = status("5005", TAM, "<p>@crumbandkettle can I order a cake?</p>", visibility="direct")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(f"{BASE}/api/v1/accounts/verify_credentials", json=ME)
        rsps.get(f"{BASE}/api/v1/notifications", json=[mention("901", private)])
        rsps.get(f"{BASE}/api/v1/accounts/1/followers", json=[MARIA])
        rsps.get(f"{BASE}/api/v1/accounts/11/statuses", json=[image])
        pages = list(_connector().pages(cursors={}))
    posts = {p.external_id: p for page in pages for p in page.posts}
    assert posts["5004"].text == "A sourdough loaf with an open crumb"
    assert posts["5005"].private and posts["5005"].summons_business
    assert not posts["5004"].private
