"""Post the approved replies queued for posting; store the platform's id of each reply."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy.orm import Session

from core.logging import get_logger
from core.models import Platform, PostingStatus, Suggestion
from ingest import accounts
from ingest.connectors import NeedsReconnect, RetriableError
from ingest.connectors.base import BadItem
from ingest.connectors.mastodon import MastodonSettings, post_reply
from suggest import repository as suggest_repository

log = get_logger(__name__)

VISIBILITIES = ("public", "unlisted", "private", "direct")


def idempotency_key(suggestion: Suggestion) -> str:
    """The same for every try of one reply, so the platform posts it at most once."""
    return f"rapport-suggestion-{suggestion.id}"


def reply_text(suggestion: Suggestion) -> str:
    """The approved text, addressed to the author (a Mastodon reply mentions them)."""
    text = suggestion.final_text or suggestion.draft
    mention = f"@{suggestion.person.handle.lstrip('@')}"
    return text if mention.lower() in text.lower() else f"{mention} {text}"


def visibility(suggestion: Suggestion) -> str:
    """The post's own visibility: a reply to an unlisted post stays unlisted."""
    value = (suggestion.post.raw or {}).get("visibility")
    return value if value in VISIBILITIES else "public"


def post_queued(
    session: Session,
    *,
    fernet: Fernet,
    limit: int = 20,
    now: datetime | None = None,
    client_for: Callable[[MastodonSettings], Any] | None = None,
) -> int:
    """Post one batch of queued replies; returns how many were tried.

    A refused reply is marked failed with the platform's reason; a rate limit or outage leaves
    it queued for the next run (the idempotency key makes that retry safe).
    """
    now = now or datetime.now(UTC)
    queued = suggest_repository.claim_queued_posts(session, limit=limit, now=now)
    for suggestion in queued:
        account = suggest_repository.posting_account(
            session, workspace_id=suggestion.workspace_id, platform=suggestion.post.platform
        )
        if account is None or suggestion.post.platform != Platform.MASTODON:
            suggestion.posting_status = PostingStatus.FAILED
            suggestion.posting_error = "No connected account posts replies on this platform now."
            continue
        settings = accounts.connector_settings(account, fernet)
        assert isinstance(settings, MastodonSettings)
        try:
            sent_id = post_reply(
                settings,
                in_reply_to_id=suggestion.post.external_id,
                text=reply_text(suggestion),
                visibility=visibility(suggestion),
                idempotency_key=idempotency_key(suggestion),
                client=client_for(settings) if client_for else None,
            )
        except RetriableError as exc:
            suggestion.posting_error = f"{exc} (will try again)"
            suggestion.posting_next_attempt_at = now + timedelta(seconds=exc.retry_after)
            continue
        except (NeedsReconnect, BadItem) as exc:
            suggestion.posting_status, suggestion.posting_error = PostingStatus.FAILED, str(exc)
            log.warning("posting.failed", suggestion_id=suggestion.id, error=str(exc))
            continue
        suggestion.posting_status, suggestion.posted_external_id = PostingStatus.POSTED, sent_id
        suggestion.posted_at, suggestion.posting_error = now, None
        suggestion.posting_next_attempt_at = None
        log.info("posting.posted", suggestion_id=suggestion.id, external_id=sent_id)
    session.flush()
    return len(queued)
