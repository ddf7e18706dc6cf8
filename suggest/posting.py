"""Which approved replies Rapport posts itself: where the platform allows a reply by API (the
`api` route, see routes.py: on X only when the post summoned the business) and the business
opted in on its connected account (`post_replies`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from core.errors import Conflict, NotFound
from core.models import (
    AccountHealth,
    DeliveryRoute,
    Platform,
    PostingStatus,
    Suggestion,
    SuggestionStatus,
)
from suggest import events, repository

# Platforms whose replies Rapport can post itself.
POSTS_ITSELF = frozenset({Platform.MASTODON, Platform.BLUESKY, Platform.X, Platform.FACEBOOK})


@dataclass(frozen=True)
class PostingPlatforms:
    """Where Rapport posts approved `api` replies itself in a workspace."""

    posts_on: frozenset[Platform]
    reconnect: frozenset[Platform]  # of those, where the account must be reconnected first


def posting_platforms(session: Session, *, workspace_id: int) -> PostingPlatforms:
    """The platforms Rapport posts on for this workspace, and those waiting for a reconnect."""
    rows = repository.posting_accounts(session, workspace_id=workspace_id)
    posts_on = frozenset(p for p, _ in rows) & POSTS_ITSELF
    reconnect = frozenset(p for p, health in rows if health == AccountHealth.NEEDS_RECONNECT)
    return PostingPlatforms(posts_on=posts_on, reconnect=reconnect & posts_on)


def queue_if_posting(session: Session, *, suggestion: Suggestion) -> bool:
    """Mark an approved reply to be posted by Rapport (committed with the approval)."""
    if (
        suggestion.status in (SuggestionStatus.APPROVED, SuggestionStatus.EDITED)
        and suggestion.route == DeliveryRoute.API
        and suggestion.final_text
        and suggestion.post.platform
        in posting_platforms(session, workspace_id=suggestion.workspace_id).posts_on
    ):
        suggestion.posting_status = PostingStatus.QUEUED
        # Posted after the undo grace: until then, Undo takes it back.
        suggestion.posting_next_attempt_at = (
            suggestion.decided_at or datetime.now(UTC)
        ) + events.UNDO_GRACE
        return True
    return False


def retry(session: Session, *, workspace_id: int, suggestion_id: int) -> Suggestion:
    """Queue a reply whose posting failed again (e.g. after reconnecting the account)."""
    suggestion = repository.get_suggestion(
        session, workspace_id=workspace_id, suggestion_id=suggestion_id
    )
    if suggestion is None:
        raise NotFound(f"No suggestion {suggestion_id} in this workspace.")
    if suggestion.posting_status != PostingStatus.FAILED:
        state = suggestion.posting_status.value if suggestion.posting_status else "not posted"
        raise Conflict(
            f"Suggestion {suggestion_id} is {state} by Rapport: only a failed post can be retried."
        )
    suggestion.posting_status, suggestion.posting_next_attempt_at = PostingStatus.QUEUED, None
    suggestion.posting_error = None  # the new try tells its own story
    session.flush()
    return suggestion
