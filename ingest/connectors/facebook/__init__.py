"""Facebook Pages and Instagram business accounts, with facebook-sdk's GraphAPI.

A Page cannot read its followers' personal posts. It can read its own feed (visitor posts),
comments on its posts and posts that tag it; a linked Instagram business account can read
comments on its media and media it is tagged in (`tags`). Everything read here was addressed to the
business, so every post *summons* it. OAuth error 190 (expired or revoked token, e.g. after a
password change) means the owner must reconnect; user tokens expire after ~60 days, so a token
expiry date, when given, is surfaced a week ahead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

from pydantic import Field, SecretStr

from core.logging import get_logger
from core.models import Platform
from ingest.connectors.base import (
    BadItem,
    Budget,
    ConnectorError,
    ConnectorSettings,
    NeedsReconnect,
    NoAnswer,
    Page,
    RetriableError,
    unreachable,
)
from ingest.schemas import PersonCreate, PostCreate

log = get_logger(__name__)
RATE_LIMIT_CODES = {4, 17, 32, 613, 80001, 80002}
# `from` tells the Page's own posts from visitors' (and is only sent when asked for).
POST_FIELDS = (
    "id,message,attachments{type,description,title},created_time,updated_time,from,permalink_url"
)
COMMENT_FIELDS = "id,message,attachment,created_time,from,permalink_url,parent"
IG_COMMENT_FIELDS = "id,text,timestamp,username,from"


@contextmanager
def graph_errors(*, reply_to: str | None = None) -> Iterator[None]:
    """facebook-sdk's and requests' errors in the connector taxonomy, for reads and replies alike.

    OAuth error 190 means the owner must reconnect. Posting a reply (`reply_to`: the object
    commented on) tries again a minute after an outage rather than five, and any other refusal
    makes the reply a bad item; for a read it is an error of the sync.
    """
    import facebook
    import requests

    try:
        yield
    except (requests.ConnectionError, requests.Timeout) as exc:
        wait = 60 if reply_to else 300
        raise unreachable("graph.facebook.com", exc, retry_after=wait) from exc
    except facebook.GraphAPIError as exc:
        if exc.code == 190:
            raise NeedsReconnect(f"Facebook token no longer valid: {exc.message}") from exc
        if exc.code in RATE_LIMIT_CODES:
            raise RetriableError(f"Facebook rate limit: {exc.message}", retry_after=3600) from exc
        if exc.code in (1, 2):  # "an unknown error", "service temporarily unavailable"
            raise NoAnswer(f"Facebook did not answer: {exc.message}", retry_after=60) from exc
        if reply_to is None:
            raise ConnectorError(f"Facebook error {exc.code}: {exc.message}") from exc
        raise BadItem(f"Facebook refused the reply: {exc.message}", item_id=reply_to) from exc


class FacebookSettings(ConnectorSettings):
    """How to read the business's Facebook Page (and linked Instagram account)."""

    page_id: str = Field(title="Page ID", description="Numeric id of the Facebook Page.")
    page_access_token: SecretStr = Field(
        title="Page access token",
        description="With pages_read_engagement and pages_read_user_content "
        "(instagram_basic and instagram_manage_comments for Instagram).",
    )
    token_expires_at: datetime | None = Field(
        default=None, title="Token expiry", description="When the token expires, if it does."
    )
    instagram_account_id: str | None = Field(
        default=None, title="Instagram business account ID", description="Optional."
    )
    graph_version: str = Field(default="v21.0", title="Graph API version")
    own_posts_to_scan: int = Field(default=25, ge=1, le=100, title="Own posts scanned for comments")
    post_replies: bool = Field(
        default=False,
        title="Post approved replies",
        description="Rapport posts approved replies itself as the Page's comments (the token "
        "needs pages_manage_engagement). Off: your scheduler or you post them.",
    )


def _ts(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z").astimezone(UTC)


def _person(author: dict[str, Any] | None, platform: Platform) -> PersonCreate:
    if not author or not author.get("id"):
        # The Graph API hides who wrote some comments; they still deserve an answer.
        return PersonCreate(
            platform=platform, external_id="unknown", handle="unknown", display_name=""
        )
    return PersonCreate(
        platform=platform,
        external_id=str(author["id"]),
        handle=str(author.get("username") or author.get("name") or author["id"]),
        display_name=str(author.get("name") or ""),
    )


def _words(item: dict[str, Any]) -> str:
    """The message, else what an attachment says (a photo's description); a sticker says
    nothing and is kept with no text."""
    if item.get("message"):
        return str(item["message"])
    attachment: dict[str, Any] = item.get("attachment") or next(
        iter((item.get("attachments") or {}).get("data") or []), {}
    )
    if attachment.get("type") == "sticker":
        return ""
    return str(attachment.get("description") or attachment.get("title") or "")


def _fb_post(item: dict[str, Any], in_reply_to: str | None = None) -> PostCreate:
    try:
        return PostCreate(
            platform=Platform.FACEBOOK,
            external_id=str(item["id"]),
            author=_person(item.get("from"), Platform.FACEBOOK),
            text=_words(item),
            posted_at=_ts(item["created_time"]),
            url=item.get("permalink_url"),
            in_reply_to=(item.get("parent") or {}).get("id") or in_reply_to,
            summons_business=True,
            raw=item,
        )
    except Exception as exc:  # noqa: BLE001 - any missing field makes this one item bad
        raise BadItem(f"missing or invalid {exc}", item_id=str(item.get("id", "?"))) from exc


def _ig_post(item: dict[str, Any], *, text_field: str, media_id: str | None = None) -> PostCreate:
    """A comment on the business's media (`text`), or media that tags it (`caption`)."""
    try:
        username = item.get("username")
        return PostCreate(
            platform=Platform.INSTAGRAM,
            external_id=str(item["id"]),
            author=_person(
                item.get("from") or {"id": username, "username": username}, Platform.INSTAGRAM
            ),
            text=item[text_field],
            posted_at=_ts(item["timestamp"]),
            url=item.get("permalink"),
            in_reply_to=media_id,
            summons_business=True,
            raw=item,
        )
    except Exception as exc:  # noqa: BLE001 - any missing field makes this one item bad
        raise BadItem(f"missing or invalid {exc}", item_id=str(item.get("id", "?"))) from exc


class FacebookConnector:
    """Cursors: the newest `created_time` read per edge (`feed`, `tagged`, `comments`, ...)."""

    platform = "facebook"

    def __init__(self, settings: FacebookSettings, *, graph: Any = None) -> None:
        import facebook

        self.settings = settings
        if graph is None:
            # facebook-sdk only knows Graph versions up to 3.1; the paths work with any.
            graph = facebook.GraphAPI(
                access_token=settings.page_access_token.get_secret_value(), timeout=30
            )
            graph.version = settings.graph_version
        self.graph = graph

    def _edge(self, node: str, edge: str, **args: Any) -> Iterator[dict[str, Any]]:
        """Every item of an edge, following `paging.next`."""
        while True:
            with graph_errors():
                page = self.graph.get_connections(node, edge, **args)
            yield from page.get("data", [])
            next_url = page.get("paging", {}).get("next")
            if not next_url:
                return
            args = {k: v[0] for k, v in parse_qs(urlparse(next_url).query).items()}
            args.pop("access_token", None)

    def _page_of(
        self, items: list[PostCreate], errors: list[str], key: str, known: str | None
    ) -> Page:
        fresh = [p for p in items if not known or p.posted_at.isoformat() > known]
        page = Page(posts=fresh, errors=errors, reads=len(items) + len(errors))
        if fresh:
            page.cursor_updates[key] = max(p.posted_at.isoformat() for p in fresh)
        return page

    def _collect(
        self, items: Iterator[dict[str, Any]], convert: Any
    ) -> tuple[list[PostCreate], list[str]]:
        posts, errors = [], []
        for item in items:
            try:
                posts.append(convert(item))
            except BadItem as exc:
                log.warning("ingest.facebook.bad_item", item_id=exc.item_id, error=str(exc))
                errors.append(str(exc))
        return posts, errors

    def pages(self, *, cursors: dict[str, Any], budget: Budget | None = None) -> Iterator[Page]:
        expires = self.settings.token_expires_at
        if expires and expires - datetime.now(UTC) < timedelta(days=7):
            yield Page(
                posts=[],
                notices=[
                    f"The Facebook token expires on {expires:%Y-%m-%d}: reconnect before then."
                ],
            )
        page_id = self.settings.page_id

        def since(key: str) -> dict[str, Any]:
            known = cursors.get(key)
            return {"since": int(datetime.fromisoformat(known).timestamp())} if known else {}

        feed = list(self._edge(page_id, "feed", fields=POST_FIELDS, **since("feed")))
        # Without `from` a post cannot be told apart from the Page's own: it is not read as a
        # visitor's (that would draft replies to the business itself), it is reported.
        anonymous = [i for i in feed if not (i.get("from") or {}).get("id")]
        visitors = [i for i in feed if (i.get("from") or {}).get("id") not in (None, page_id)]
        posts, errors = self._collect(iter(visitors), _fb_post)
        errors += [
            f"{i.get('id', '?')}: the Graph API did not say who wrote it (`from`); "
            "the token needs pages_read_user_content"
            for i in anonymous
        ]
        yield self._page_of(posts, errors, "feed", cursors.get("feed"))

        own = [i for i in feed if (i.get("from") or {}).get("id") == page_id]
        own = (
            own[: self.settings.own_posts_to_scan]
            or list(
                self._edge(page_id, "posts", fields="id", limit=self.settings.own_posts_to_scan)
            )[: self.settings.own_posts_to_scan]
        )
        comments: list[PostCreate] = []
        comment_errors: list[str] = []
        for post in own:
            found, bad = self._collect(
                self._edge(post["id"], "comments", fields=COMMENT_FIELDS, filter="stream"),
                lambda item, parent=post["id"]: _fb_post(item, in_reply_to=parent),
            )
            comments += [c for c in found if c.author.external_id != page_id]
            comment_errors += bad
        yield self._page_of(comments, comment_errors, "comments", cursors.get("comments"))

        tagged, bad = self._collect(
            self._edge(page_id, "tagged", fields=POST_FIELDS, **since("tagged")), _fb_post
        )
        yield self._page_of(tagged, bad, "tagged", cursors.get("tagged"))

        ig = self.settings.instagram_account_id
        if ig:
            media = list(self._edge(ig, "media", fields="id", limit=25))
            ig_posts: list[PostCreate] = []
            ig_errors: list[str] = []
            for item in media:
                found, bad = self._collect(
                    self._edge(item["id"], "comments", fields=IG_COMMENT_FIELDS),
                    lambda c, m=item["id"]: _ig_post(c, text_field="text", media_id=m),
                )
                ig_posts += found
                ig_errors += bad
            yield self._page_of(ig_posts, ig_errors, "ig_comments", cursors.get("ig_comments"))
            tags, bad = self._collect(
                self._edge(ig, "tags", fields="id,caption,timestamp,username,permalink"),
                lambda t: _ig_post(t, text_field="caption"),
            )
            yield self._page_of(tags, bad, "ig_tags", cursors.get("ig_tags"))
