"""The X connector with tweepy's real v2 Client parsing documented payloads (via responses)."""

import re
import time

import pytest
import responses

from ingest.connectors import (
    Budget,
    NeedsReconnect,
    OverBudget,
    RetriableError,
    XConnector,
    XSettings,
)

API = "https://api.twitter.com/2"
ME = {"id": "100", "name": "Crumb & Kettle", "username": "crumbandkettle"}
JAMIE = {"id": "201", "name": "Jamie Lin", "username": "jamie_codes", "protected": False}
LOCKED = {"id": "202", "name": "Private", "username": "locked_acct", "protected": True}
KEZ = {"id": "203", "name": "Kez Adeyemi", "username": "fit_with_kez", "protected": False}


def tweet(id_: str, author: dict, text: str, **extra) -> dict:  # noqa: ANN003
    return {
        "id": id_,
        "text": text,
        "author_id": author["id"],
        "lang": "en",
        "created_at": "2026-11-24T09:00:00.000Z",
        "conversation_id": id_,
        "edit_history_tweet_ids": [id_],
        **extra,
    }


def tweets(items: list[dict], users: list[dict], **meta) -> dict:  # noqa: ANN003
    ids = [t["id"] for t in items]
    return {
        "data": items,
        "includes": {"users": users},
        "meta": {
            "result_count": len(items),
            **({"newest_id": max(ids, key=int), "oldest_id": min(ids, key=int)} if ids else {}),
            **meta,
        },
    }


def _register(rsps: responses.RequestsMock) -> None:
    rsps.get(f"{API}/users/by/username/crumbandkettle", json={"data": ME})
    rsps.get(
        re.compile(rf"{API}/users/100/mentions\?(?!.*pagination_token).*"),
        json=tweets(
            [tweet("1002", JAMIE, "@crumbandkettle open on Sundays?")], [JAMIE], next_token="p2"
        ),
    )
    rsps.get(
        re.compile(rf"{API}/users/100/mentions\?.*pagination_token=p2.*"),
        json=tweets([tweet("1001", KEZ, "@crumbandkettle loved the rye")], [KEZ]),
    )
    rsps.get(
        re.compile(rf"{API}/users/100/tweets\?.*"),
        json={
            "data": [
                {"id": "900", "text": "Our Friday loaf is back", "edit_history_tweet_ids": ["900"]}
            ],
            "meta": {"result_count": 1},
        },
    )
    rsps.get(
        re.compile(rf"{API}/tweets/900/quote_tweets\?.*"),
        json=tweets(
            [
                tweet(
                    "1003",
                    KEZ,
                    "This is the best rye in Leith",
                    referenced_tweets=[{"type": "quoted", "id": "900"}],
                )
            ],
            [KEZ],
        ),
    )
    rsps.get(
        re.compile(rf"{API}/users/100/followers\?.*"),
        json={"data": [JAMIE, LOCKED, KEZ], "meta": {"result_count": 3}},
    )
    rsps.get(
        re.compile(rf"{API}/users/201/tweets\?.*"),
        json=tweets(
            [
                tweet("2002", JAMIE, "Shipping on a Friday"),
                {
                    "id": "2001",
                    "text": "no author",
                    "author_id": "999",
                    "edit_history_tweet_ids": ["2001"],
                },
            ],
            [JAMIE],
        ),
    )
    rsps.get(re.compile(rf"{API}/users/203/tweets\?.*"), json={"meta": {"result_count": 0}})


def _x(**overrides) -> XConnector:  # noqa: ANN003
    return XConnector(XSettings(username="crumbandkettle", bearer_token="AAAA", **overrides))


def test_mentions_quotes_and_followers_posts_with_summons_and_cost() -> None:
    with responses.RequestsMock() as rsps:
        _register(rsps)
        budget = Budget(limit_usd=10.0)
        pages = list(_x().pages(cursors={}, budget=budget))
        urls = [c.request.url for c in rsps.calls]
    posts = {p.external_id: p for page in pages for p in page.posts}
    assert set(posts) == {"1001", "1002", "1003", "2002"}
    assert all(posts[i].summons_business for i in ("1001", "1002", "1003"))
    assert not posts["2002"].summons_business
    assert posts["1002"].url == "https://x.com/jamie_codes/status/1002"
    assert not any("/users/202/" in u for u in urls)  # protected accounts are not read
    assert any("2001" in e for page in pages for e in page.errors)
    cursors = {k: v for page in pages for k, v in page.cursor_updates.items()}
    assert cursors["mentions"] == "1001" or cursors["mentions"] == "1002"
    assert cursors["since:201"] == "2002"
    assert budget.spent_usd == pytest.approx(sum(p.cost_usd for p in pages))
    assert budget.spent_usd > 0


def test_cursors_become_since_ids() -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _register(rsps)
        list(_x().pages(cursors={"mentions": "1002", "since:201": "2002"}))
        urls = [c.request.url for c in rsps.calls]
    assert any("/mentions" in u and "since_id=1002" in u for u in urls)
    assert any("/users/201/tweets" in u and "since_id=2002" in u for u in urls)


def test_reading_stops_before_passing_the_daily_budget() -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _register(rsps)
        budget = Budget(limit_usd=0.1)
        pages = []
        reading = _x().pages(cursors={}, budget=budget)
        with pytest.raises(OverBudget, match="0.10"):
            pages.extend(reading)
    assert [p.external_id for page in pages for p in page.posts] == ["1002", "1001"]
    assert budget.spent_usd <= 0.1


def test_rate_limit_uses_the_reset_header_and_401_needs_reconnect() -> None:
    reset = int(time.time()) + 600
    with responses.RequestsMock() as rsps:
        rsps.get(
            f"{API}/users/by/username/crumbandkettle",
            status=429,
            json={"title": "Too Many Requests"},
            headers={"x-rate-limit-reset": str(reset)},
        )
        with pytest.raises(RetriableError) as exc:
            list(_x().pages(cursors={}))
    assert 590 <= exc.value.retry_after <= 600
    with responses.RequestsMock() as rsps:
        rsps.get(
            f"{API}/users/by/username/crumbandkettle",
            status=401,
            json={"title": "Unauthorized", "detail": "Unauthorized", "status": 401},
        )
        with pytest.raises(NeedsReconnect):
            list(_x().pages(cursors={}))
