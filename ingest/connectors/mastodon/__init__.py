"""Mastodon, with Mastodon.py: mentions of the business, followers and their public statuses.

Honours people's choices: a follower with `noindex`, or who is neither `indexable` nor
`discoverable`, is not read; bots are skipped unless asked. Mentions are always read (the person
addressed the business), except from bots, whatever their visibility: a `direct` (or
followers-only) mention is read and marked private, so that a reply keeps it private.

Mentions are read oldest first from the cursor (`min_id`, following the `Link rel="prev"` pages
towards the present), so each page's cursor is the newest mention read so far: however many
mentions arrived between two syncs, none is skipped, and an interrupted sync resumes where it
stopped.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

from pydantic import Field, SecretStr

from core.logging import get_logger
from core.models import Platform
from ingest.connectors.base import (
    BadItem,
    Budget,
    ConnectorSettings,
    NeedsReconnect,
    Page,
    RetriableError,
    unreachable,
)
from ingest.connectors.html import to_text
from ingest.schemas import PersonCreate, PostCreate

log = get_logger(__name__)
# Mentions pages read per sync (40 each); the next sync goes on from the cursor.
MAX_MENTION_PAGES = 50
PRIVATE = ("private", "direct")


class MastodonSettings(ConnectorSettings):
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


def _alt_texts(status: Any) -> str:
    return "\n".join(
        str(m["description"]).strip()
        for m in status.get("media_attachments") or []
        if m.get("description") and str(m["description"]).strip()
    )


def _post(status: Any, *, summons: bool) -> PostCreate:
    try:
        text = to_text(status["content"])
        if status.get("spoiler_text"):
            text = f"{status['spoiler_text']}\n\n{text}"
        if not text:  # an image post: its alt text is what it says
            text = _alt_texts(status)
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
            private=status.get("visibility") in PRIVATE,
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


def _newest(ids: list[str], known: str | None) -> str | None:
    """The newest of `known` and `ids` (Mastodon ids are numbers that grow with time)."""
    numeric = [int(i) for i in ids if i.isdigit()]
    if known and known.isdigit():
        numeric.append(int(known))
    return str(max(numeric)) if numeric else known


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
        from mastodon import (
            MastodonNetworkError,
            MastodonRatelimitError,
            MastodonUnauthorizedError,
        )

        try:
            return getattr(self.client, method)(*args, **kwargs)
        except MastodonNetworkError as exc:
            raise unreachable(urlparse(self.settings.api_base_url).netloc or "?", exc) from exc
        except MastodonRatelimitError as exc:
            wait = max(float(getattr(self.client, "ratelimit_reset", 0) or 0) - time.time(), 60.0)
            raise RetriableError("Mastodon rate limit reached", retry_after=wait) from exc
        except MastodonUnauthorizedError as exc:
            raise NeedsReconnect(f"Mastodon refused the access token: {exc}") from exc

    def _page(
        self,
        statuses: list[Any],
        *,
        summons: bool,
        cursor_key: str | None,
        known: str | None,
        private_ok: bool = False,
    ) -> Page:
        """One page of statuses; the cursor moves only forward, to the newest id read."""
        page = Page(posts=[], reads=1)
        readable = ("public", "unlisted", *PRIVATE) if private_ok else ("public", "unlisted")
        for status in statuses:
            if status.get("visibility") not in readable or status.get("reblog"):
                continue
            try:
                page.posts.append(_post(status, summons=summons))
            except BadItem as exc:
                log.warning("ingest.mastodon.bad_item", item_id=exc.item_id, error=str(exc))
                page.errors.append(str(exc))
        newest = _newest([str(s.get("id", "")) for s in statuses], known)
        if cursor_key and newest != known and newest is not None:
            page.cursor_updates[cursor_key] = newest
        return page

    def _mention_pages(self, cursors: dict[str, Any]) -> Iterator[Page]:
        known: str | None = cursors.get("mentions")
        notifications = self._call("notifications", types=["mention"], min_id=known, limit=40)
        for _ in range(MAX_MENTION_PAGES):
            if not notifications:
                return
            mentions = [
                n["status"]
                for n in notifications
                if n.get("status")
                and (self.settings.include_bots or not n["status"]["account"].get("bot"))
            ]
            # the mentions cursor is a notification id, not a status id
            page = self._page(mentions, summons=True, cursor_key=None, known=None, private_ok=True)
            newest = _newest([str(n.get("id", "")) for n in notifications], known)
            if newest is not None and newest != known:
                page.cursor_updates["mentions"] = known = newest
            yield page
            if not cursors.get("mentions"):
                return  # a first sync reads the latest page only
            notifications = self._call("fetch_previous", notifications)

    def pages(self, *, cursors: dict[str, Any], budget: Budget | None = None) -> Iterator[Page]:
        me = self._call("account_verify_credentials")
        yield from self._mention_pages(cursors)

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
                yield self._page(
                    list(statuses or []), summons=False, cursor_key=key, known=cursors.get(key)
                )
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
