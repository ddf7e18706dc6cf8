"""The X connector on responses X really sent (tweepy's cassettes, X's own captures), parsed by
tweepy's real v2 Client. X pages go newest first, so a sync over several pages must keep the
newest id of the whole sync as its cursor, not the newest of the last (oldest) page."""

from datetime import UTC, datetime

import pytest
import responses
from responses import matchers

from ingest.connectors import Budget, XConnector, XSettings
from tests.recorded import cassette, cassette_json, json_file, needs_fixtures, postman_body

pytestmark = [
    needs_fixtures,
    # X's 2020 captures predate edits, so tweepy warns that edit_history_tweet_ids is missing.
    pytest.mark.filterwarnings("ignore:Tweet data missing default edit_history_tweet_ids"),
]

API = "https://api.twitter.com/2"
ME = "783214"  # @Twitter, as recorded in tweepy's test_client_get_user cassette
MENTIONS = f"{API}/users/{ME}/mentions"


def _connector() -> XConnector:
    return XConnector(
        XSettings(username="Twitter", bearer_token="AAAA", quoted_posts=0, max_followers=1)
    )


def _no_pagination_token(request) -> tuple[bool, str]:  # noqa: ANN001
    return "pagination_token" not in (request.url or ""), "a first page"


def _register(rsps: responses.RequestsMock) -> None:
    user = cassette("tweepy/test_client_get_user.yaml")[0]
    rsps.get(f"{API}/users/by/username/Twitter", body=user["body"], status=user["status"])
    # Page 1: tweepy's recording of GET /2/users/783214/mentions (Oct 2022, 10 mentions,
    # recorded without expansions, so no author objects and no times).
    rsps.get(
        MENTIONS,
        json=cassette_json("tweepy/test_client_get_users_mentions.yaml"),
        match=[_no_pagination_token],
    )
    # Page 2: X's own capture of GET /2/users/:id/tweets (a neighbouring endpoint with the same
    # shape: data + includes.users + meta.next_token), older posts of Sept 2020.
    rsps.get(
        MENTIONS,
        json=json_file("x_official/users_id_tweets__docs_quickstart_real_capture.json"),
        match=[
            matchers.query_param_matcher(
                {"pagination_token": "7140dibdnow9c7btw423i3sy3u5zupmkcpofxcsmxj48j"},
                strict_match=False,
            )
        ],
    )
    # Page 3: X's Postman example of recent search with expanded users (neighbouring endpoint,
    # same shape), replies of June 2020, no next_token: the last page.
    rsps.get(
        MENTIONS,
        json=postman_body(
            "search_tweets_recent_search__1_200_success_request_tweet_fields_with_expanded_use.json"
        ),
        match=[
            matchers.query_param_matcher(
                {"pagination_token": "t3buvdr5pujq9g7bggsnf3ep2ha28"}, strict_match=False
            )
        ],
    )
    # Followers: tweepy's recording (100 users, default fields); only the first is read here.
    rsps.get(
        f"{API}/users/{ME}/followers",
        json=cassette_json("tweepy/test_client_get_users_followers.yaml"),
    )
    # That follower's posts: X's Postman recent-search example with tweet fields (neighbouring
    # endpoint): real texts with `&amp;`, authors given by id only (no user expansion).
    rsps.get(
        f"{API}/users/1376998163739987969/tweets",
        json=postman_body("search_tweets_recent_search__2_200_success_request_tweet_fields.json"),
    )


def test_three_recorded_pages_of_mentions_are_all_read_and_the_cursor_is_the_newest() -> None:
    with responses.RequestsMock() as rsps:
        _register(rsps)
        pages = list(_connector().pages(cursors={}, budget=Budget(limit_usd=5.0)))
        mention_calls = [c.request.url for c in rsps.calls if "/mentions" in c.request.url]

    assert len(mention_calls) == 3  # every next_token was followed, and paging stopped
    mentions = [p for page in pages[1:4] for p in page.posts]
    # Page 1 was recorded without author expansion: X sent neither author nor time, so those
    # ten are reported by id, not stored with a made-up author.
    errors = [e for page in pages[1:4] for e in page.errors]
    page1 = cassette_json("tweepy/test_client_get_users_mentions.yaml")["data"]
    assert [e.split(":")[0] for e in errors] == [t["id"] for t in page1]
    # Pages 2 and 3: every item, with its author, text, time (UTC) and what it replies to.
    assert [(p.external_id, p.author.handle, p.posted_at, p.in_reply_to) for p in mentions] == [
        ("1301573587187331074", "TwitterDev", datetime(2020, 9, 3, 17, 31, 39, tzinfo=UTC), None),
        ("1301546240887398401", "TwitterDev", datetime(2020, 9, 3, 15, 43, tzinfo=UTC), None),
        ("1300888112948752389", "TwitterDev", datetime(2020, 9, 1, 20, 7, 50, tzinfo=UTC), None),
        ("1299485505478963200", "TwitterDev", datetime(2020, 8, 28, 23, 14, 22, tzinfo=UTC), None),
        ("1296887316556980230", "TwitterDev", datetime(2020, 8, 21, 19, 10, 5, tzinfo=UTC), None),
        (
            "1276035977375477760",
            "happycamper",
            datetime(2020, 6, 25, 6, 14, 19, tzinfo=UTC),
            "1275653067283759104",
        ),
        (
            "1275882613572583424",
            "snowman",
            datetime(2020, 6, 24, 20, 4, 54, tzinfo=UTC),
            "1273733248749690880",
        ),
        (
            "1275763727908798470",
            "jellybeanjones",
            datetime(2020, 6, 24, 12, 12, 29, tzinfo=UTC),
            "1275653067283759104",
        ),
        (
            "1275653067283759104",
            "snowman",
            datetime(2020, 6, 24, 4, 52, 46, tzinfo=UTC),
            "1274086728471461889",
        ),
    ]
    assert all(p.summons_business and p.posted_at.utcoffset() is not None for p in mentions)
    assert mentions[0].text.startswith("Starting today, you can see your monthly Tweet usage")
    assert mentions[0].author.external_id == "2244994945"
    assert mentions[0].url == "https://x.com/TwitterDev/status/1301573587187331074"
    # The cursor is the newest mention of the whole sync (page 1), saved with that page; the
    # older pages never move it back.
    updates = [page.cursor_updates.get("mentions") for page in pages[1:4]]
    assert updates == ["1578516295611748353", None, None]


def test_the_next_sync_asks_only_for_mentions_newer_than_the_newest_read() -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _register(rsps)
        list(_connector().pages(cursors={"mentions": "1578516295611748353"}))
        first = next(c.request.url for c in rsps.calls if "/mentions" in c.request.url)
    assert "since_id=1578516295611748353" in first


def test_recorded_texts_are_unescaped_once_and_authors_known_by_id_are_kept() -> None:
    with responses.RequestsMock() as rsps:
        _register(rsps)
        pages = list(_connector().pages(cursors={}))
    follower_posts = {p.external_id: p for p in pages[-1].posts}
    recorded = postman_body("search_tweets_recent_search__2_200_success_request_tweet_fields.json")
    assert set(follower_posts) == {t["id"] for t in recorded["data"]}
    vigil = follower_posts["1275840878238552064"]
    assert "McCarren vigil & march 7" in vigil.text and "&amp;" not in vigil.text
    camps = follower_posts["1275840891014561796"]
    assert "allergies (not a worry in this setting) & kids" in camps.text
    assert vigil.author.external_id == "3031898016" and vigil.author.handle == "id:3031898016"
    assert vigil.posted_at == datetime(2020, 6, 24, 17, 19, 4, tzinfo=UTC)
    assert not vigil.summons_business
    assert pages[-1].cursor_updates == {"since:1376998163739987969": "1275840892285399041"}


@pytest.mark.parametrize("cursor", [None, "1578516295611748353"])
def test_a_recorded_followers_page_costs_what_it_read(cursor: str | None) -> None:
    with responses.RequestsMock() as rsps:
        _register(rsps)
        budget = Budget(limit_usd=5.0)
        pages = list(
            _connector().pages(cursors={"mentions": cursor} if cursor else {}, budget=budget)
        )
    followers_page = next(p for p in pages if p.reads == 100 and not p.posts)
    assert followers_page.cost_usd == pytest.approx(1.0)  # 100 users read at $0.01
    assert budget.spent_usd == pytest.approx(sum(p.cost_usd for p in pages))


def test_a_sync_interrupted_after_the_first_page_finishes_the_older_pages_next_time() -> None:
    saved: dict = {}
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _register(rsps)
        reading = _connector().pages(cursors={})
        for page in reading:  # each page is committed with its cursors, then the process dies
            saved.update(page.cursor_updates)
            if "mentions" in page.cursor_updates:
                break
    assert saved["mentions"] == "1578516295611748353"
    assert saved["mentions:resume"] == {
        "since_id": None,
        "token": "7140dibdnow9c7btw423i3sy3u5zupmkcpofxcsmxj48j",
    }

    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _register(rsps)
        pages = list(_connector().pages(cursors=saved))
        asked = [c.request.url for c in rsps.calls if "/mentions" in c.request.url]
    for page in pages:
        saved.update(page.cursor_updates)
    # the half-read run goes on where it stopped (pages 2 and 3), then the new run starts
    # from the newest mention already read
    assert "pagination_token=7140dibdnow9c7btw423i3sy3u5zupmkcpofxcsmxj48j" in asked[0]
    assert "since_id" not in asked[0]
    assert "pagination_token=t3buvdr5pujq9g7bggsnf3ep2ha28" in asked[1]
    assert "since_id=1578516295611748353" in asked[2]
    read = [p.external_id for page in pages for p in page.posts if p.summons_business]
    assert "1301573587187331074" in read and "1275653067283759104" in read
    assert saved["mentions"] == "1578516295611748353" and saved["mentions:resume"] is None
