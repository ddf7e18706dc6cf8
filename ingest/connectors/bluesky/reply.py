"""Posting a reply on Bluesky with atproto: a post record whose `reply` holds strong refs (uri +
cid) to the thread's root and to the post answered.

atproto has no idempotency key, so the reply's record key is chosen before the first try (a TID,
kept with the suggestion) and the record is created under that key. A try whose outcome is
unknown (a crash, a timeout, a 5xx) is followed by a `getRecord` of exactly that key before
posting again: found, it is the reply already posted; not found, it is posted under the same key
(which the PDS would refuse to create twice anyway). This is exact where looking through the
author feed for the same text would be a guess (the AppView indexes with a delay, and the owner
may post the same words twice on purpose).
"""

from __future__ import annotations

import re
import time
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

from core.logging import get_logger
from ingest.connectors.base import (
    BadItem,
    NeedsReconnect,
    NoAnswer,
    RetriableError,
    unreachable,
)
from ingest.connectors.bluesky import BlueskySettings

log = get_logger(__name__)
COLLECTION = "app.bsky.feed.post"
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
# A link in the reply's text; trailing punctuation is the sentence's, not the link's.
_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\"\.,;:!?)\]']")


def record_key(at: datetime, *, clock_id: int) -> str:
    """A TID (the record key Bluesky posts use): microseconds since 1970 and a 10-bit clock id,
    in sortable base32."""
    value = (int(at.timestamp() * 1_000_000) << 10) | (clock_id & 0x3FF)
    chars = []
    for _ in range(13):
        chars.append(_TID_ALPHABET[value & 0x1F])
        value >>= 5
    return "".join(reversed(chars))


def reply_refs(raw: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(root, parent) strong refs from the stored post view: the parent is the post itself; the
    root is its own reply root when it is a reply, else the post itself."""
    try:
        parent = {"uri": str(raw["uri"]), "cid": str(raw["cid"])}
    except (KeyError, TypeError):
        raise BadItem(
            "the stored post has no uri and cid to reply to", item_id=str(raw.get("uri", "?"))
        ) from None
    root = ((raw.get("record") or {}).get("reply") or {}).get("root") or {}
    if root.get("uri") and root.get("cid"):
        return {"uri": str(root["uri"]), "cid": str(root["cid"])}, parent
    return parent, parent


def link_facets(text: str) -> list[Any]:
    """Facets that make the links in `text` links (Bluesky counts in UTF-8 bytes)."""
    from atproto import models

    facets = []
    for match in _URL.finditer(text):
        start = len(text[: match.start()].encode())
        facets.append(
            models.AppBskyRichtextFacet.Main(
                index=models.AppBskyRichtextFacet.ByteSlice(
                    byte_start=start, byte_end=start + len(match.group().encode())
                ),
                features=[models.AppBskyRichtextFacet.Link(uri=match.group())],
            )
        )
    return facets


def _raise_for(exc: Exception, settings: BlueskySettings, item_id: str) -> None:
    """Translate atproto's errors into the connector taxonomy."""
    from atproto_client.exceptions import (
        BadRequestError,
        NetworkError,
        RateLimitExceededError,
        RequestException,
        UnauthorizedError,
    )

    response = getattr(exc, "response", None)
    if isinstance(exc, UnauthorizedError):
        raise NeedsReconnect(f"Bluesky refused the sign-in or the post: {exc}") from exc
    if isinstance(exc, RateLimitExceededError):
        headers = getattr(response, "headers", {}) or {}
        reset = headers.get("ratelimit-reset") or headers.get("RateLimit-Reset")
        wait = max(float(reset) - time.time(), 1.0) if reset else 300.0
        raise RetriableError("Bluesky rate limit reached", retry_after=wait) from exc
    if isinstance(exc, NetworkError) and response is None:
        raise unreachable(urlparse(settings.pds_url).netloc or "?", exc, retry_after=60) from exc
    if isinstance(exc, BadRequestError):
        raise BadItem(f"Bluesky refused the reply: {exc}", item_id=item_id) from exc
    if isinstance(exc, NetworkError | RequestException):
        raise NoAnswer(f"Bluesky did not answer: {exc}", retry_after=60) from exc
    raise exc


class SignIns:
    """The signed-in atproto clients of one posting run, by account: createSession is
    rate-limited per account, so each account signs in once per run (the client refreshes its
    own tokens)."""

    def __init__(self) -> None:
        self._clients: dict[tuple[str, str], tuple[Any, str]] = {}

    def client(self, settings: BlueskySettings) -> tuple[Any, str]:
        """The account's signed-in client and its DID, signing in on first use."""
        key = (settings.pds_url, settings.actor)
        if key not in self._clients:
            self._clients[key] = _signed_in_client(settings)
        return self._clients[key]


def _signed_in_client(settings: BlueskySettings) -> tuple[Any, str]:
    """An atproto client signed in with the account's app password, and the account's DID."""
    from atproto import Client
    from atproto_client.exceptions import AtProtocolError

    client = Client(base_url=settings.pds_url)
    signed_in: list[str] = []
    client.on_session_change(lambda _event, session: signed_in.append(session.did))
    password = settings.app_password.get_secret_value() if settings.app_password else ""
    try:
        # the profile is not needed to post: one request less
        client.login(settings.actor, password, fetch_bsky_profile=False)
    except AtProtocolError as exc:
        _raise_for(exc, settings, settings.actor)
    return client, signed_in[-1]


def post_reply(
    settings: BlueskySettings,
    *,
    raw: dict[str, Any],
    text: str,
    rkey: str,
    uncertain: bool,
    sign_ins: SignIns,
    lang: str | None = None,
) -> str:
    """Post `text` as a reply to the stored post `raw` under record key `rkey`; return its uri.

    `uncertain`: an earlier try may have posted it; look for the record first.
    """
    from atproto import models
    from atproto_client.exceptions import AtProtocolError, BadRequestError

    root, parent = reply_refs(raw)
    client, did = sign_ins.client(settings)
    posts = client.app.bsky.feed.post
    if uncertain:
        try:
            found = posts.get(did, rkey)
            log.info("posting.bluesky.found_earlier_try", uri=found.uri)
            return str(found.uri)
        except BadRequestError as exc:
            error = getattr(getattr(exc.response, "content", None), "error", None)
            if error != "RecordNotFound":
                _raise_for(exc, settings, parent["uri"])
        except AtProtocolError as exc:
            _raise_for(exc, settings, parent["uri"])
    record = models.AppBskyFeedPost.Record(
        created_at=client.get_current_time_iso(),
        text=text,
        reply=models.AppBskyFeedPost.ReplyRef(
            root=models.ComAtprotoRepoStrongRef.Main(**root),
            parent=models.ComAtprotoRepoStrongRef.Main(**parent),
        ),
        langs=[lang] if lang else None,
        facets=link_facets(text) or None,
    )
    try:
        created = posts.create(did, record, rkey=rkey)
    except AtProtocolError as exc:
        _raise_for(exc, settings, parent["uri"])
    return str(created.uri)
