"""X, with tweepy's v2 Client: mentions, quotes of the business's posts, followers' posts.

Reads are paid per resource (posts ~$0.005, users ~$0.01). Each request is checked against the
account's daily budget at its worst-case cost before it is sent; each page records what it
cost. A post that mentions or quotes the business *summons* it: only then may a reply go out by
API (see suggest/routes.py).

Cursors only move forward. X returns the newest posts first and pages towards older ones, so a
cursor (a `since_id`) is the newest post seen in the whole sync, saved with the page that held
it; an older page never moves it back (which would make the next sync read, and pay for, the
same posts again). Post texts arrive HTML-escaped (`&amp;`, `&lt;`, `&gt;`): they are unescaped
once, here.
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import Field, SecretStr, model_validator

from core.logging import get_logger
from core.models import Platform
from ingest.connectors.base import (
    BadItem,
    Budget,
    ConnectorSettings,
    NeedsReconnect,
    NoAnswer,
    Page,
    RetriableError,
    unreachable,
)
from ingest.schemas import PersonCreate, PostCreate

log = get_logger(__name__)

POST_USD = 0.005
USER_USD = 0.01
TWEET_FIELDS = [
    "created_at",
    "lang",
    "author_id",
    "conversation_id",
    "referenced_tweets",
    "in_reply_to_user_id",
    "entities",
]
USER_FIELDS = ["protected", "verified", "description", "created_at"]
TWEET_ARGS: dict[str, Any] = {
    "tweet_fields": TWEET_FIELDS,
    "user_fields": USER_FIELDS,
    "expansions": ["author_id"],
}
RESUME = "mentions:resume"  # where an interrupted run of mention pages goes on


class XSettings(ConnectorSettings):
    """How to read the business's X account."""

    username: str = Field(
        title="Business username", description="Without the @, e.g. crumbandkettle"
    )
    bearer_token: SecretStr = Field(
        title="Bearer token", description="From the X developer portal (app-only, read)."
    )
    daily_budget_usd: float = Field(
        default=2.0,
        ge=0,
        title="Daily read budget (USD)",
        description="Reading stops for the day when the estimated cost would pass this.",
    )
    max_followers: int = Field(default=1000, ge=1, title="Followers to read")
    posts_per_follower: int = Field(default=10, ge=5, le=100, title="Posts per follower")
    quoted_posts: int = Field(
        default=5,
        ge=0,
        le=20,
        title="Own posts checked for quotes",
        description="How many of the business's latest posts to check for quote posts.",
    )
    post_replies: bool = Field(
        default=False,
        title="Post approved replies",
        description="Rapport posts an approved reply itself when the post summoned the business "
        "(X allows nothing else by API); needs the four user-context keys below.",
    )
    consumer_key: SecretStr | None = Field(default=None, title="API key (consumer key)")
    consumer_secret: SecretStr | None = Field(default=None, title="API key secret")
    access_token: SecretStr | None = Field(
        default=None, title="Access token", description="Of the business's account, read+write."
    )
    access_token_secret: SecretStr | None = Field(default=None, title="Access token secret")

    @model_validator(mode="after")
    def _posting_needs_user_keys(self) -> XSettings:
        keys = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
        missing = [k for k in keys if not getattr(self, k)]
        if self.post_replies and missing:
            raise ValueError(f"post_replies needs the user-context keys: {', '.join(missing)}")
        return self


@contextmanager
def x_errors(*, reply_to: str | None = None) -> Iterator[None]:
    """tweepy's and requests' errors in the connector taxonomy, for reads and replies alike.

    Posting a reply (`reply_to`: the post answered) tries again a minute after an outage rather
    than five, and X refusing the reply (400, 403, 404) makes it a bad item; a read lets those
    refusals through (the mentions read handles a stale page token itself).
    """
    import requests
    import tweepy

    try:
        yield
    except (requests.ConnectionError, requests.Timeout) as exc:
        wait = 60 if reply_to else 300
        raise unreachable("api.twitter.com", exc, retry_after=wait) from exc
    except tweepy.TooManyRequests as exc:
        reset = float(exc.response.headers.get("x-rate-limit-reset", 0) or 0)
        raise RetriableError(
            "X rate limit reached", retry_after=max(reset - time.time(), 1.0)
        ) from exc
    except tweepy.Unauthorized as exc:
        raise NeedsReconnect(f"X refused the account's keys: {exc}") from exc
    except tweepy.TwitterServerError as exc:
        raise NoAnswer(f"X server error: {exc}", retry_after=60) from exc
    except tweepy.HTTPException as exc:
        if reply_to is None:
            raise
        raise BadItem(f"X refused the reply: {exc}", item_id=reply_to) from exc


def _person(user: Any) -> PersonCreate:
    return PersonCreate(
        platform=Platform.X,
        external_id=str(user.id),
        handle=user.username,
        display_name=user.name or "",
        profile_url=f"https://x.com/{user.username}",
        flags={"protected": True} if getattr(user, "protected", False) else {},
    )


def _unexpanded_person(author_id: str) -> PersonCreate:
    """An author X did not expand (suspended, withheld): known by id only, still answerable."""
    return PersonCreate(
        platform=Platform.X,
        external_id=author_id,
        handle=f"id:{author_id}",
        profile_url=f"https://x.com/i/user/{author_id}",
    )


def _post(tweet: Any, author: Any, *, summons: bool) -> PostCreate:
    try:
        refs = {r.type: str(r.id) for r in (tweet.referenced_tweets or [])}
        person = _person(author) if author is not None else _unexpanded_person(str(tweet.author_id))
        url = (
            f"https://x.com/{author.username}/status/{tweet.id}"
            if author is not None
            else f"https://x.com/i/web/status/{tweet.id}"
        )
        return PostCreate(
            platform=Platform.X,
            external_id=str(tweet.id),
            author=person,
            text=html.unescape(tweet.text or ""),
            posted_at=tweet.created_at,
            lang=tweet.lang if tweet.lang not in (None, "und", "zxx") else None,
            url=url,
            in_reply_to=refs.get("replied_to"),
            summons_business=summons,
            raw=tweet.data,
        )
    except Exception as exc:  # noqa: BLE001 - any malformed field makes this one item bad
        raise BadItem(str(exc), item_id=str(getattr(tweet, "id", "?"))) from exc


def newer(candidate: str | None, known: str | None) -> bool:
    """Whether post id `candidate` is newer than `known` (X ids are numbers growing with time)."""
    if not candidate or not str(candidate).isdigit():
        return False
    return not known or not str(known).isdigit() or int(candidate) > int(known)


class XConnector:
    """Cursors: `mentions` and `since:<user id>` (since_id), `quotes:<post id>`, and
    `mentions:resume` (where a half-read run of mention pages goes on)."""

    platform = "x"

    def __init__(self, settings: XSettings, *, client: Any = None) -> None:
        import tweepy

        self.settings = settings
        self.client = client or tweepy.Client(
            bearer_token=settings.bearer_token.get_secret_value(), wait_on_rate_limit=False
        )

    def _call(self, method: str, budget: Budget, worst_usd: float, **params: Any) -> Any:
        budget.check(worst_usd)
        with x_errors():
            return getattr(self.client, method)(**params)

    def _tweets_page(
        self,
        response: Any,
        *,
        summons: bool,
        cursor_key: str,
        budget: Budget,
        cursors: dict[str, Any],
    ) -> Page:
        """One page of posts; `cursors` holds the newest id seen so far in this sync, and the
        page moves it forward only when it holds a newer post."""
        users = {str(u.id): u for u in (response.includes or {}).get("users", [])}
        page = Page(posts=[], reads=0)
        for tweet in response.data or []:
            author = users.get(str(tweet.author_id))
            try:
                if author is None and not tweet.author_id:
                    raise BadItem("no author id (not asked for?)", item_id=str(tweet.id))
                page.posts.append(_post(tweet, author, summons=summons))
            except BadItem as exc:
                log.warning("ingest.x.bad_item", item_id=exc.item_id, error=str(exc))
                page.errors.append(str(exc))
        page.reads = len(response.data or []) + len(users)
        page.cost_usd = round(len(response.data or []) * POST_USD + len(users) * USER_USD, 4)
        budget.spend(page.cost_usd)
        ids = [str(t.id) for t in response.data or []]
        newest = (response.meta or {}).get("newest_id") or max(ids, key=int, default=None)
        if newer(newest, cursors.get(cursor_key)):
            page.cursor_updates[cursor_key] = cursors[cursor_key] = str(newest)
        return page

    def _mentions(
        self,
        me_id: Any,
        budget: Budget,
        cursors: dict[str, Any],
        *,
        since_id: str | None,
        token: str | None = None,
    ) -> Iterator[Page]:
        """One run of mention pages, newest first. The cursor moves to the newest mention with
        the first page; each page also saves where the run goes on (`mentions:resume`), so a
        sync interrupted between pages finishes the older pages next time instead of skipping
        them."""
        import tweepy

        while True:
            count = max(budget.affordable(POST_USD + USER_USD, 100), 5)  # X's minimum is 5
            try:
                response = self._call(
                    "get_users_mentions",
                    budget,
                    count * (POST_USD + USER_USD),
                    id=me_id,
                    since_id=since_id,
                    max_results=count,
                    pagination_token=token,
                    **TWEET_ARGS,
                )
            except tweepy.BadRequest as exc:
                if token is None:
                    raise
                yield Page(
                    posts=[],
                    cursor_updates={RESUME: None},
                    errors=[f"the interrupted read of older mentions could not go on: {exc}"],
                )
                return
            page = self._tweets_page(
                response, summons=True, cursor_key="mentions", budget=budget, cursors=cursors
            )
            next_token = (response.meta or {}).get("next_token")
            more = bool(next_token) and next_token != token
            page.cursor_updates[RESUME] = (
                {"since_id": since_id, "token": next_token} if more else None
            )
            yield page
            if not more:
                return
            token = next_token

    def pages(self, *, cursors: dict[str, Any], budget: Budget | None = None) -> Iterator[Page]:
        budget = budget or Budget(limit_usd=self.settings.daily_budget_usd)
        since = dict(cursors)  # what the last sync read: the `since_id` of every request
        cursors = dict(cursors)  # the newest id seen so far in this sync
        tweet_args = TWEET_ARGS
        me = self._call(
            "get_user", budget, USER_USD, username=self.settings.username.lstrip("@")
        ).data
        budget.spend(USER_USD)
        yield Page(posts=[], reads=1, cost_usd=USER_USD)

        # mentions (quotes that @mention the business arrive here too); first finish a run of
        # pages that an earlier sync left half read, then read what is new since the cursor
        resume = cursors.get(RESUME)
        if resume:
            yield from self._mentions(
                me.id, budget, cursors, since_id=resume.get("since_id"), token=resume.get("token")
            )
        yield from self._mentions(me.id, budget, cursors, since_id=since.get("mentions"))

        if self.settings.quoted_posts:
            own = self._call(
                "get_users_tweets",
                budget,
                self.settings.quoted_posts * POST_USD,
                id=me.id,
                max_results=max(self.settings.quoted_posts, 5),
                exclude=["retweets", "replies"],
            )
            own_cost = len(own.data or []) * POST_USD
            budget.spend(own_cost)
            yield Page(posts=[], reads=len(own.data or []), cost_usd=own_cost)
            for tweet in (own.data or [])[: self.settings.quoted_posts]:
                count = max(budget.affordable(POST_USD + USER_USD, 100), 10)  # X's minimum
                response = self._call(
                    "get_quote_tweets",
                    budget,
                    count * (POST_USD + USER_USD),
                    id=tweet.id,
                    max_results=count,
                    **tweet_args,
                )
                key = f"quotes:{tweet.id}"
                page = self._tweets_page(
                    response, summons=True, cursor_key=key, budget=budget, cursors=cursors
                )
                page.posts = [p for p in page.posts if newer(p.external_id, since.get(key))]
                yield page

        seen, token = 0, None
        while seen < self.settings.max_followers:
            # ask only for as many followers as the budget can pay for
            wanted = min(1000, self.settings.max_followers - seen)
            count = budget.affordable(USER_USD, wanted)
            response = self._call(
                "get_users_followers",
                budget,
                max(count, 1) * USER_USD,
                id=me.id,
                max_results=max(count, 1),
                pagination_token=token,
                user_fields=USER_FIELDS,
            )
            followers = response.data or []
            budget.spend(len(followers) * USER_USD)
            yield Page(posts=[], reads=len(followers), cost_usd=len(followers) * USER_USD)
            for user in followers:
                seen += 1
                if seen > self.settings.max_followers:
                    break
                if getattr(user, "protected", False):
                    continue
                key = f"since:{user.id}"
                posts = self._call(
                    "get_users_tweets",
                    budget,
                    self.settings.posts_per_follower * (POST_USD + USER_USD),
                    id=user.id,
                    since_id=since.get(key),
                    max_results=self.settings.posts_per_follower,
                    exclude=["retweets"],
                    **tweet_args,
                )
                yield self._tweets_page(
                    posts, summons=False, cursor_key=key, budget=budget, cursors=cursors
                )
            token = (response.meta or {}).get("next_token")
            if not token:
                break
