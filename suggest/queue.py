"""The review queue: today's cards, a reviewer's decisions, and the questions nobody answered."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from core.errors import Conflict, InvalidInput, NotFound
from core.models import Occasion, Suggestion, SuggestionStatus, Workspace
from suggest import events, posting, repository
from suggest.need import read_need
from suggest.schemas import Decision, KnowledgeGap, KnowledgeUse, ReplySent, SuggestionRead


def to_read(
    suggestion: Suggestion,
    evidence: list[tuple[str, list[str]]] | None = None,
    replied_before: list[str] | None = None,
) -> SuggestionRead:
    evidence = evidence or []
    grounding = suggestion.grounding or {}
    return SuggestionRead(
        id=suggestion.id,
        status=suggestion.status,
        occasion=suggestion.occasion,
        score=suggestion.score,
        person_handle=suggestion.person.handle,
        person_name=suggestion.person.display_name,
        platform=suggestion.post.platform.value,
        post_text=suggestion.post.text,
        post_url=suggestion.post.url,
        posted_at=suggestion.post.posted_at,
        rationale=suggestion.rationale,
        draft=suggestion.draft,
        final_text=suggestion.final_text,
        guard_passed=suggestion.guard_passed,
        guard_reasons=list(suggestion.guard_reasons or []),
        route=suggestion.route,
        handoff_url=suggestion.handoff_url,
        interests=[label for label, _ in evidence],
        evidence=evidence,
        replied_before=replied_before or [],
        knowledge_used=list(grounding.get("knowledge", [])),
        based_on=grounding.get("based_on"),
        created_at=suggestion.created_at,
        posting_status=suggestion.posting_status,
        posted_external_id=suggestion.posted_external_id,
        posting_error=suggestion.posting_error,
    )


def queue(
    session: Session,
    *,
    workspace_id: int,
    statuses: Sequence[SuggestionStatus] = (SuggestionStatus.PENDING,),
    limit: int = 200,
) -> list[SuggestionRead]:
    """The Today queue: pending suggestions (and snoozed ones that are due), most useful first."""
    woken_by = datetime.now(UTC) if SuggestionStatus.PENDING in statuses else None
    suggestions = repository.list_suggestions(
        session, workspace_id=workspace_id, statuses=statuses, limit=limit, woken_by=woken_by
    )
    people = [s.person_id for s in suggestions]
    evidence = repository.interest_evidence(session, person_ids=people)
    replied = repository.previous_replies(session, person_ids=people)
    return [to_read(s, evidence.get(s.person_id), replied.get(s.person_id)) for s in suggestions]


def decide(
    session: Session,
    *,
    workspace: Workspace,
    suggestion_id: int,
    decision_in: Decision,
    now: datetime | None = None,
) -> SuggestionRead:
    """Apply a reviewer's decision: approve (as drafted or edited), reject or snooze.

    An approved answer to a knowledge-gap card can be kept as a knowledge snippet in the same
    step (`save_as_knowledge` is its title), so the next person who asks gets a draft.
    """
    now = now or datetime.now(UTC)
    suggestion = repository.get_suggestion(
        session, workspace_id=workspace.id, suggestion_id=suggestion_id
    )
    if suggestion is None:
        raise NotFound(f"No suggestion {suggestion_id} in this workspace.")
    if suggestion.status not in (SuggestionStatus.PENDING, SuggestionStatus.SNOOZED):
        raise Conflict(f"Suggestion {suggestion_id} is already {suggestion.status.value}.")
    if decision_in.action == "approve":
        text = (decision_in.final_text or "").strip()
        if text and text != suggestion.draft:
            suggestion.status, suggestion.final_text = SuggestionStatus.EDITED, text
        elif not suggestion.draft and not text:
            raise InvalidInput("This suggestion has no draft: write the reply before approving.")
        else:
            suggestion.status, suggestion.final_text = SuggestionStatus.APPROVED, suggestion.draft
        if decision_in.save_as_knowledge:
            _save_as_knowledge(workspace, decision_in.save_as_knowledge, suggestion.final_text)
    elif decision_in.action == "reject":
        suggestion.status = SuggestionStatus.REJECTED
    elif decision_in.action == "snooze":
        suggestion.status = SuggestionStatus.SNOOZED
        suggestion.snoozed_until = now + timedelta(hours=decision_in.snooze_hours)
    else:
        raise InvalidInput(f"Unknown action '{decision_in.action}': use approve, reject or snooze.")
    suggestion.decided_at = now
    session.flush()
    # Posting and the webhook outbox rows commit (or roll back) with the decision itself.
    posting.queue_if_posting(session, suggestion=suggestion)
    events.record_decision(session, workspace=workspace, suggestion=suggestion, now=now)
    return to_read(suggestion)


def _save_as_knowledge(workspace: Workspace, title: str, text: str | None) -> None:
    title = title.strip()
    if not title or not text:
        raise InvalidInput("To save an answer as knowledge, give it a title and a text.")
    if any(k.get("title") == title for k in workspace.knowledge or []):
        raise Conflict(f"A knowledge snippet titled '{title}' already exists: pick another title.")
    # A new list, so that SQLAlchemy sees the JSONB column change.
    workspace.knowledge = [*(workspace.knowledge or []), {"title": title, "text": text}]


def knowledge_gaps(
    session: Session, *, workspace_id: int, since: datetime, limit: int = 20
) -> list[KnowledgeGap]:
    """The questions people asked this week that no snippet answered, most asked first."""
    rows = repository.cards_since(
        session, workspace_id=workspace_id, occasion=Occasion.KNOWLEDGE_GAP, since=since
    )
    counts: Counter[str] = Counter()
    examples: dict[str, list[tuple[int, str, str, SuggestionStatus]]] = {}
    for row in rows:
        question = read_need(row.text).question or row.text
        key = " ".join(question.lower().split())
        counts[key] += 1
        examples.setdefault(key, []).append((row.id, row.handle, question, row.status))
    return [
        KnowledgeGap(
            question=examples[key][0][2],
            asked=count,
            people=sorted({handle for _, handle, _, _ in examples[key]}),
            suggestion_ids=[sid for sid, _, _, _ in examples[key]],
            answered=any(
                status in (SuggestionStatus.APPROVED, SuggestionStatus.EDITED)
                for *_, status in examples[key]
            ),
        )
        for key, count in counts.most_common(limit)
    ]


def replies_to(session: Session, *, workspace_id: int, person_id: int) -> list[ReplySent]:
    """What was replied to one person before, newest first."""
    return [
        ReplySent(
            suggestion_id=r.id,
            status=r.status,
            occasion=r.occasion,
            post_text=r.post_text,
            posted_at=r.posted_at,
            reply=r.final_text or "",
            decided_at=r.decided_at,
        )
        for r in repository.replies_to_person(
            session, workspace_id=workspace_id, person_id=person_id
        )
    ]


def knowledge_usage(session: Session, *, workspace_id: int) -> dict[str, KnowledgeUse]:
    """Which knowledge snippets drafts used, by title."""
    return {
        r.title: KnowledgeUse(
            title=r.title, drafts=r.drafts, sent=r.sent, last_used_at=r.last_used_at
        )
        for r in repository.knowledge_usage(session, workspace_id=workspace_id)
    }
