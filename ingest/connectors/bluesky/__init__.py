"""Bluesky, with atproto on the public AppView (no login): followers and their posts.

Honours the `!no-unauthenticated` self-label: people who ask not to be shown to logged-out
viewers are not read. A post that mentions the business's DID summons it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from typing import Any
from urllib.parse import urlparse

from pydantic import Field, SecretStr, model_validator

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
from ingest.schemas import PersonCreate, PostCreate

log = get_logger(__name__)
PUBLIC_APPVIEW = "https://public.api.bsky.app/xrpc"
DEFAULT_PDS = "https://bsky.social/xrpc"
OPT_OUT = "!no-unauthenticated"


class BlueskySettings(ConnectorSettings):
    """Which Bluesky account to listen around (public data only, no password needed)."""

    actor: str = Field(title="Handle or DID", description="e.g. crumbandkettle.bsky.social")
    appview_url: str = Field(
        default=PUBLIC_APPVIEW, title="AppView URL", description="The public Bluesky AppView."
    )
    max_followers: int = Field(default=2000, ge=1, title="Followers to read")
    posts_per_follower: int = Field(default=30, ge=1, le=100, title="Posts per follower")
    post_replies: bool = Field(
        default=False,
        title="Post approved replies",
        description="Rapport posts approved replies itself, in the post's thread (needs an app "
        "password). Off: your scheduler or you post them.",
    )
    app_password: SecretStr | None = Field(
        default=None,
        title="App password",
        description="Only to post replies: Settings → Privacy and security → App passwords.",
    )
    pds_url: str = Field(
        default=DEFAULT_PDS,
        title="PDS URL",
        description="Where the account lives (to sign in and post); bsky.social for most.",
    )

    @model_validator(mode="after")
    def _posting_needs_a_password(self) -> BlueskySettings:
        if self.post_replies and not self.app_password:
            raise ValueError("post_replies needs an app_password (to sign in and post)")
        return self


def _labels(value: Any) -> set[str]:
    return {label.val for label in (getattr(value, "labels", None) or [])}


def _person(profile: Any) -> PersonCreate:
    return PersonCreate(
        platform=Platform.BLUESKY,
        external_id=profile.did,
        handle=profile.handle,
        display_name=profile.display_name or "",
        profile_url=f"https://bsky.app/profile/{profile.handle}",
        flags={"labels": sorted(_labels(profile))} if _labels(profile) else {},
    )


def _mentions(record: Any) -> set[str]:
    dids = set()
    for facet in getattr(record, "facets", None) or []:
        for feature in facet.features:
            did = getattr(feature, "did", None)
            if did:
                dids.add(did)
    return dids


def _alt_texts(record: Any) -> str:
    """The alt texts of a post's images (also inside a record-with-media embed)."""
    embed = getattr(record, "embed", None)
    media = getattr(embed, "media", None) or embed
    images = getattr(media, "images", None) or []
    return "\n".join(i.alt.strip() for i in images if getattr(i, "alt", None) and i.alt.strip())


def _post(view: Any, business_did: str | None) -> PostCreate:
    try:
        record = view.record
        rkey = view.uri.rsplit("/", 1)[-1]
        reply = getattr(record, "reply", None)
        return PostCreate(
            platform=Platform.BLUESKY,
            external_id=view.uri,
            author=_person(view.author),
            # an image post without words says what its alt text says
            text=record.text or _alt_texts(record),
            posted_at=record.created_at,
            lang=(record.langs or [None])[0],
            url=f"https://bsky.app/profile/{view.author.handle}/post/{rkey}",
            in_reply_to=reply.parent.uri if reply else None,
            summons_business=bool(business_did and business_did in _mentions(record)),
            raw=view.model_dump(mode="json", by_alias=True),
        )
    except Exception as exc:  # noqa: BLE001 - any malformed field makes this one item bad
        raise BadItem(str(exc), item_id=str(getattr(view, "uri", "?"))) from exc


class BlueskyConnector:
    """Cursors: `newest:<did>` is the newest post time already read from that person."""

    platform = "bluesky"

    def __init__(self, settings: BlueskySettings, *, client: Any = None) -> None:
        from atproto import Client

        self.settings = settings
        self.client = client or Client(base_url=settings.appview_url)

    def _call(self, fn: Any, params: dict[str, Any]) -> Any:
        from atproto_client.exceptions import (
            NetworkError,
            RequestException,
            UnauthorizedError,
        )

        try:
            return fn(params=params)
        except UnauthorizedError as exc:
            raise NeedsReconnect(f"Bluesky refused the request: {exc}") from exc
        except RequestException as exc:
            status = getattr(getattr(exc, "response", None), "status_code", None)
            if status == 429 or status is None or status >= 500:
                headers = getattr(getattr(exc, "response", None), "headers", {}) or {}
                raise RetriableError(
                    f"Bluesky said {status or 'nothing'}",
                    retry_after=float(headers.get("retry-after", 60) or 60),
                ) from exc
            raise
        except NetworkError as exc:
            host = urlparse(self.settings.appview_url).netloc or "?"
            raise unreachable(host, exc) from exc

    def pages(self, *, cursors: dict[str, Any], budget: Budget | None = None) -> Iterator[Page]:
        graph, feed = self.client.app.bsky.graph, self.client.app.bsky.feed
        cursor: str | None = None
        seen = 0
        business_did: str | None = None
        while seen < self.settings.max_followers:
            response = self._call(
                graph.get_followers,
                {"actor": self.settings.actor, "limit": 100, "cursor": cursor},
            )
            business_did = response.subject.did
            for follower in response.followers:
                seen += 1
                if seen > self.settings.max_followers:
                    break
                if OPT_OUT in _labels(follower):
                    continue
                yield self._author_page(feed, follower.did, cursors, business_did)
            cursor = response.cursor
            if not cursor:
                break

    def _author_page(
        self, feed: Any, did: str, cursors: dict[str, Any], business_did: str | None
    ) -> Page:
        key = f"newest:{did}"
        known = cursors.get(key)
        response = self._call(
            feed.get_author_feed,
            {
                "actor": did,
                "limit": self.settings.posts_per_follower,
                "filter": "posts_with_replies",
            },
        )
        page = Page(posts=[], reads=1)
        newest = known
        for item in response.feed:
            if getattr(item, "reason", None) is not None:  # a repost, not their words
                continue
            view = item.post
            if view.author.did != did or OPT_OUT in _labels(view.author):
                continue
            try:
                post = _post(view, business_did)
            except BadItem as exc:
                log.warning("ingest.bluesky.bad_item", item_id=exc.item_id, error=str(exc))
                page.errors.append(str(exc))
                continue
            stamp = post.posted_at.astimezone(UTC).isoformat()
            if known and stamp <= known:
                continue
            newest = max(newest or stamp, stamp)
            page.posts.append(post)
        if newest and newest != known:  # only forward, only when something newer was read
            page.cursor_updates[key] = newest
        return page
