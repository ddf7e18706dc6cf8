"""The lifecycle events of a suggestion, written to the webhook outbox with the change itself."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from core.events import outbox
from core.events.payloads import ReplyData
from core.models import (
    DeliveryRoute,
    EventType,
    Platform,
    Suggestion,
    SuggestionStatus,
    Workspace,
)
from suggest import repository

# A decision leaves Rapport (to a scheduler, or posted) only after this long, so that the review
# page's Undo can still take it back.
UNDO_GRACE = timedelta(seconds=30)


def decision_events(suggestion: Suggestion) -> list[EventType]:
    """What a decision tells the webhooks: an approval (edited or not) is `reply.approved`, so a
    scheduler needs one event type; an edit is also `reply.edited`; a reply a person must post
    is also `reply.handoff_required`. Snoozing tells nothing."""
    status = suggestion.status
    if status == SuggestionStatus.REJECTED:
        return [EventType.REPLY_REJECTED]
    if status == SuggestionStatus.EXPIRED:
        return [EventType.REPLY_EXPIRED]
    if status not in (SuggestionStatus.APPROVED, SuggestionStatus.EDITED):
        return []
    types = [EventType.REPLY_APPROVED]
    if status == SuggestionStatus.EDITED:
        types.append(EventType.REPLY_EDITED)
    if suggestion.route == DeliveryRoute.HANDOFF:
        types.append(EventType.REPLY_HANDOFF_REQUIRED)
    return types


def withdraw_decision(session: Session, *, suggestion: Suggestion) -> bool:
    """Take back the events of the suggestion's decision before any endpoint got them (undo);
    False when one was already sent: then the decision stands."""
    return outbox.withdraw(
        session, suggestion_id=suggestion.id, event_types=decision_events(suggestion)
    )


def reply_data(
    suggestion: Suggestion,
    *,
    workspace: Workspace,
    event_type: EventType,
    accounts: dict[Platform, str],
    now: datetime,
) -> ReplyData:
    post, person = suggestion.post, suggestion.person
    decided = suggestion.status in (SuggestionStatus.APPROVED, SuggestionStatus.EDITED)
    return ReplyData(
        idempotency_key=outbox.event_id(
            f"{workspace.id}:suggestion:{suggestion.id}:{event_type.value}"
        ),
        workspace=workspace.name,
        suggestion_id=suggestion.id,
        status=suggestion.status,
        occasion=suggestion.occasion,
        platform=post.platform,
        account=accounts.get(post.platform),
        in_reply_to_id=post.external_id,
        in_reply_to_url=post.url,
        in_reply_to_author=person.handle,
        private=post.private,
        text=(suggestion.final_text if decided and suggestion.final_text else suggestion.draft),
        draft=suggestion.draft,
        edited=suggestion.status == SuggestionStatus.EDITED,
        route=suggestion.route,
        handoff_url=suggestion.handoff_url,
        posted_by_rapport=suggestion.posting_status is not None,
        # Rapport does not hold replies back: once decided, post as soon as you like.
        suggested_time=suggestion.decided_at or now,
        decided_at=suggestion.decided_at,
    )


def record_decision(
    session: Session, *, workspace: Workspace, suggestion: Suggestion, now: datetime
) -> int:
    """Write the decision's events to the outbox, sent once the undo grace has passed; returns
    how many deliveries that makes."""
    return _record(
        session,
        workspace,
        [suggestion],
        decision_events(suggestion),
        now,
        not_before=now + UNDO_GRACE,
    )


def record_for_suggestions(
    session: Session,
    *,
    workspace: Workspace,
    suggestion_ids: Sequence[int],
    now: datetime | None = None,
    expired: bool = False,
) -> int:
    """`suggestion.created` (or `reply.expired`) for these suggestions."""
    event_type = EventType.REPLY_EXPIRED if expired else EventType.SUGGESTION_CREATED
    if not suggestion_ids or not outbox.subscribed_endpoint_ids(
        session, workspace_id=workspace.id, event_type=event_type
    ):
        return 0
    suggestions = repository.suggestions_by_id(session, ids=suggestion_ids)
    return _record(session, workspace, suggestions, [event_type], now or datetime.now(UTC))


def _record(
    session: Session,
    workspace: Workspace,
    suggestions: Sequence[Suggestion],
    event_types: Sequence[EventType],
    now: datetime,
    not_before: datetime | None = None,
) -> int:
    sent = 0
    accounts: dict[Platform, str] | None = None
    for event_type in event_types:
        endpoints = outbox.subscribed_endpoint_ids(
            session, workspace_id=workspace.id, event_type=event_type
        )
        if not endpoints:
            continue
        if accounts is None:
            accounts = repository.account_handles(session, workspace_id=workspace.id)
        for suggestion in suggestions:
            sent += outbox.record(
                session,
                workspace_id=workspace.id,
                event_type=event_type,
                data=reply_data(
                    suggestion,
                    workspace=workspace,
                    event_type=event_type,
                    accounts=accounts,
                    now=now,
                ),
                suggestion_id=suggestion.id,
                not_before=not_before,
                now=now,
                endpoint_ids=endpoints,
            )
    return sent
