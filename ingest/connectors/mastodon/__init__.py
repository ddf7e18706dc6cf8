"""Mastodon, with Mastodon.py: mentions of the business, followers and their public statuses.

Honours people's choices: a follower with `noindex`, or who is neither `indexable` nor
`discoverable`, is not read; bots are skipped unless asked. Mentions are always read (the person
addressed the business), except from bots.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, Field, SecretStr

from core.logging import get_logger
from core.models import Platform
from ingest.connectors.base import BadItem, Budget, NeedsReconnect, Page, RetriableError
from ingest.connectors.html import to_text
from ingest.schemas import PersonCreate, PostCreate

log = get_logger(__name__)


class MastodonSettings(BaseModel):
    """How to reach the business's Mastodon account."""

    api_base_url: str = Field(
        title="Instance URL",
        description="The server the account lives on, e.g. https://mastodon.social",
    )
    access_token: SecretStr = Field(
        title="Access token",
        description="From Preferences → Development → New application, scopes read:accounts, "
        "read:notifications, read:statuses (and write:statuses to reply).",
    )
    include_bots: bool = Field(
        default=False, title="Read bots", description="Also read bot accounts."
    )
    post_replies: bool = Field(
        default=False,
        title="Post approved replies",
        description="Rapport posts approved replies itself, as replies in the same visibility "
        "as the post (the token needs write:statuses). Off: your scheduler or you post them.",
    )
    max_followers: int = Field(
        default=2000, ge=1, title="Followers to read", description="At most this many followers."
    )
    statuses_per_follower: int = Field(
        default=40,
        ge=1,
        le=40,
        title="Statuses per follower",
        description="Per sync, newest first.",
    )


def _may_read_timeline(account: Any, include_bots: bool) -> bool:
    if account.get("bot") and not include_bots:
        return False
    if account.get("noindex"):
        return False
    return bool(account.get("indexable") or account.get("discoverable"))


def _person(account: Any) -> PersonCreate:
    return PersonCreate(
        platform=Platform.MASTODON,
        external_id=str(account["id"]),
        handle=str(account["acct"]),
        display_name=account.get("display_name") or "",
        profile_url=account.get("url"),
        flags={
            k: account.get(k)
            for k in ("bot", "noindex", "indexable", "discoverable")
            if account.get(k) is not None
        },
    )


def _post(status: Any, *, summons: bool) -> PostCreate:
    try:
        text = to_text(status["content"])
        if status.get("spoiler_text"):
            text = f"{status['spoiler_text']}\n\n{text}"
        return PostCreate(
            platform=Platform.MASTODON,
            external_id=str(status["id"]),
            author=_person(status["account"]),
            text=text,
            posted_at=status["created_at"],
            lang=status.get("language"),
            url=status.get("url"),
            in_reply_to=str(status["in_reply_to_id"]) if status.get("in_reply_to_id") else None,
            summons_business=summons,
            raw=_jsonable(status),
        )
    except Exception as exc:  # noqa: BLE001 - any malformed field makes this one item bad
        raise BadItem(str(exc), item_id=str(status.get("id", "?"))) from exc


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class MastodonConnector:
    """Reads one business account. Cursors: `mentions` and `since:<follower id>`."""

    platform = "mastodon"

    def __init__(self, settings: MastodonSettings, *, client: Any = None) -> None:
        from mastodon import Mastodon

        self.settings = settings
        self.client = client or Mastodon(
            api_base_url=settings.api_base_url,
            access_token=settings.access_token.get_secret_value(),
            ratelimit_method="throw",
            request_timeout=30,
        )

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        from mastodon import MastodonRatelimitError, MastodonUnauthorizedError

        try:
            return getattr(self.client, method)(*args, **kwargs)
        except MastodonRatelimitError as exc:
            wait = max(float(getattr(self.client, "ratelimit_reset", 0) or 0) - time.time(), 60.0)
            raise RetriableError("Mastodon rate limit reached", retry_after=wait) from exc
        except MastodonUnauthorizedError as exc:
            raise NeedsReconnect(f"Mastodon refused the access token: {exc}") from exc

    def _page(self, statuses: list[Any], *, summons: bool, cursor_key: str) -> Page:
        page = Page(posts=[])
        newest: int | None = None
        for status in statuses:
            status_id = int(status["id"]) if str(status.get("id", "")).isdigit() else None
            newest = max(newest or 0, status_id or 0) or newest
            if status.get("visibility") not in ("public", "unlisted") or status.get("reblog"):
                continue
            try:
                page.posts.append(_post(status, summons=summons))
            except BadItem as exc:
                log.warning("ingest.mastodon.bad_item", item_id=exc.item_id, error=str(exc))
                page.errors.append(str(exc))
        if newest:
            page.cursor_updates[cursor_key] = str(newest)
        page.reads = 1
        return page

    def pages(self, *, cursors: dict[str, Any], budget: Budget | None = None) -> Iterator[Page]:
        me = self._call("account_verify_credentials")
        notifications = self._call(
            "notifications", types=["mention"], since_id=cursors.get("mentions"), limit=40
        )
        mentions = [
            n["status"]
            for n in notifications
            if n.get("status")
            and (self.settings.include_bots or not n["status"]["account"].get("bot"))
        ]
        page = self._page(mentions, summons=True, cursor_key="mentions")
        if notifications:
            page.cursor_updates["mentions"] = str(max(int(n["id"]) for n in notifications))
        yield page

        followers = self._call("account_followers", me["id"], limit=80)
        seen = 0
        while followers and seen < self.settings.max_followers:
            for follower in followers:
                seen += 1
                if seen > self.settings.max_followers:
                    break
                if not _may_read_timeline(follower, self.settings.include_bots):
                    continue
                key = f"since:{follower['id']}"
                statuses = self._call(
                    "account_statuses",
                    follower["id"],
                    since_id=cursors.get(key),
                    exclude_reblogs=True,
                    limit=self.settings.statuses_per_follower,
                )
                yield self._page(list(statuses), summons=False, cursor_key=key)
            followers = self._call("fetch_next", followers)


def post_reply(
    settings: MastodonSettings,
    *,
    in_reply_to_id: str,
    text: str,
    visibility: str,
    idempotency_key: str,
    client: Any = None,
) -> str:
    """Post a reply status and return its id. The idempotency key makes a retry after a crash
    return the status already posted instead of posting it twice."""
    from mastodon import (
        Mastodon,
        MastodonAPIError,
        MastodonNetworkError,
        MastodonRatelimitError,
        MastodonServerError,
        MastodonUnauthorizedError,
    )

    client = client or Mastodon(
        api_base_url=settings.api_base_url,
        access_token=settings.access_token.get_secret_value(),
        ratelimit_method="throw",
        request_timeout=30,
        version_check_mode="none",
    )
    try:
        status = client.status_post(
            text,
            in_reply_to_id=in_reply_to_id,
            visibility=visibility,
            idempotency_key=idempotency_key,
        )
    except MastodonRatelimitError as exc:
        raise RetriableError("Mastodon rate limit reached", retry_after=300) from exc
    except (MastodonNetworkError, MastodonServerError) as exc:
        raise RetriableError(f"Mastodon did not answer: {exc}", retry_after=60) from exc
    except MastodonUnauthorizedError as exc:
        raise NeedsReconnect(f"Mastodon refused the access token: {exc}") from exc
    except MastodonAPIError as exc:
        raise BadItem(f"Mastodon refused the reply: {exc}", item_id=in_reply_to_id) from exc
    return str(status["id"])
