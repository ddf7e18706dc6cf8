"""The review queue: today's cards, a reviewer's decisions, and the questions nobody answered."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from core import audit
from core.errors import Conflict, InvalidInput, NotFound
from core.models import (
    Occasion,
    Platform,
    PostingStatus,
    Suggestion,
    SuggestionStatus,
    Workspace,
)
from ingest import knowledge, workspaces
from suggest import events, guard, posting, repository, routes
from suggest.need import read_need
from suggest.schemas import (
    MAX_SNOOZE_HOURS,
    Decision,
    DecisionAction,
    KnowledgeGap,
    KnowledgeUse,
    QueuePage,
    QueueTab,
    ReplySent,
    SuggestionRead,
)


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
        snoozed_until=suggestion.snoozed_until,
        decided_at=suggestion.decided_at,
        max_chars=routes.RULES[suggestion.post.platform].max_chars,
    )


def queue(
    session: Session,
    *,
    workspace_id: int,
    statuses: Sequence[SuggestionStatus] = (SuggestionStatus.PENDING,),
    limit: int = 200,
    after: str | None = None,
    platform: Platform | None = None,
    occasion: Occasion | None = None,
    tab: QueueTab | None = None,
    search: str | None = None,
) -> list[SuggestionRead]:
    """The Today queue: pending suggestions (and snoozed ones that are due), most useful first.

    `after` is the cursor of the previous page (`next_cursor`), `tab` replaces `statuses`.
    """
    woken_by = datetime.now(UTC) if SuggestionStatus.PENDING in statuses or tab else None
    suggestions = repository.list_suggestions(
        session,
        workspace_id=workspace_id,
        statuses=statuses,
        limit=limit,
        woken_by=woken_by,
        tab=tab,
        after=parse_cursor(after),
        platform=platform,
        occasion=occasion,
        search=search.strip() if search else None,
    )
    people = list({s.person_id for s in suggestions})
    evidence = repository.interest_evidence(session, person_ids=people)
    replied = repository.previous_replies(session, person_ids=people)
    return [to_read(s, evidence.get(s.person_id), replied.get(s.person_id)) for s in suggestions]


def page(
    session: Session,
    *,
    workspace_id: int,
    tab: QueueTab = QueueTab.TO_REVIEW,
    limit: int = 30,
    after: str | None = None,
    platform: Platform | None = None,
    occasion: Occasion | None = None,
    search: str | None = None,
) -> QueuePage:
    """One page of a tab of the review page, with the next page's cursor and the tab counts."""
    cards = queue(
        session,
        workspace_id=workspace_id,
        tab=tab,
        limit=limit,
        after=after,
        platform=platform,
        occasion=occasion,
        search=search,
    )
    counts = repository.count_tabs(session, workspace_id=workspace_id, now=datetime.now(UTC))
    return QueuePage(
        cards=cards, next_cursor=cursor_after(cards) if len(cards) == limit else None, counts=counts
    )


def cursor_after(cards: Sequence[SuggestionRead]) -> str | None:
    """The keyset cursor that continues after the last of these cards."""
    return f"{cards[-1].score!r}_{cards[-1].id}" if cards else None


def parse_cursor(cursor: str | None) -> tuple[float, int] | None:
    if not cursor:
        return None
    score, _, last_id = cursor.partition("_")
    try:
        parsed = (float(score), int(last_id))
    except ValueError:
        raise InvalidInput(f"'{cursor}' is not a page cursor: use next_cursor as given.") from None
    if not math.isfinite(parsed[0]) or not 0 < parsed[1] < 2**63:
        raise InvalidInput(f"'{cursor}' is not a page cursor: use next_cursor as given.")
    return parsed


UNDO_WINDOW = timedelta(minutes=15)
DECIDED = (SuggestionStatus.APPROVED, SuggestionStatus.EDITED, SuggestionStatus.REJECTED)


class GuardBlocked(InvalidInput):
    """The guard blocked this reply. Change it, or approve anyway with a reason."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__(
            f"The guard blocked this reply: {'; '.join(reasons)}. Change it, or approve "
            "anyway with a reason."
        )


def decide(
    session: Session,
    *,
    workspace: Workspace,
    suggestion_id: int,
    decision_in: Decision,
    reviewer_id: int | None = None,
    reviewer: str = "",
    now: datetime | None = None,
) -> SuggestionRead:
    """Apply a reviewer's decision: approve (as drafted or edited), reject, snooze or undo.

    The row is locked for the decision, so of two reviewers deciding on one card the second
    gets a Conflict. An edited reply must pass the guard, or be approved anyway with a reason.
    An approved answer to a knowledge-gap card can be kept as a knowledge snippet in the same
    step (`save_as_knowledge` is its title), so the next person who asks gets a draft.
    Every decision is written to the audit log with the card before and after.
    """
    now = now or datetime.now(UTC)
    suggestion = repository.lock_suggestion(
        session, workspace_id=workspace.id, suggestion_id=suggestion_id
    )
    if suggestion is None:
        raise NotFound(f"No suggestion {suggestion_id} in this workspace.")
    before = _snapshot(suggestion)
    detail: dict[str, Any] = {}
    if decision_in.action == DecisionAction.UNDO:
        _undo(session, suggestion, now=now)
    else:
        _check_open(session, suggestion, now=now)
        if decision_in.action == DecisionAction.APPROVE:
            detail = _approve(session, workspace, suggestion, decision_in)
        elif decision_in.action == DecisionAction.REJECT:
            suggestion.status = SuggestionStatus.REJECTED
        else:
            suggestion.status = SuggestionStatus.SNOOZED
            suggestion.snoozed_until = _snooze_end(decision_in, now=now)
        suggestion.decided_at = now
        suggestion.reviewer_id = reviewer_id
    session.flush()
    # Posting and the webhook outbox rows commit (or roll back) with the decision itself.
    posting.queue_if_posting(session, suggestion=suggestion)
    events.record_decision(session, workspace=workspace, suggestion=suggestion, now=now)
    audit.record(
        session,
        workspace_id=workspace.id,
        user_id=reviewer_id,
        action=f"suggestion.{decision_in.action.value}",
        subject_type="suggestion",
        subject_id=suggestion.id,
        detail={"by": reviewer, "before": before, "after": _snapshot(suggestion), **detail},
    )
    return to_read(suggestion)


def _check_open(session: Session, suggestion: Suggestion, *, now: datetime) -> None:
    """A card can be decided while pending, or snoozed and due again; else it is a conflict."""
    status = suggestion.status
    due = status == SuggestionStatus.SNOOZED and (
        suggestion.snoozed_until is None or suggestion.snoozed_until <= now
    )
    if status == SuggestionStatus.PENDING or due:
        return
    last = audit.last_entry(
        session, subject_type="suggestion", subject_id=suggestion.id, action_prefix="suggestion."
    )
    by = f" by {last.detail['by']}" if last is not None and last.detail.get("by") else ""
    until = (
        f" until {suggestion.snoozed_until:%a %d %b %H:%M} UTC"
        if status == SuggestionStatus.SNOOZED and suggestion.snoozed_until
        else ""
    )
    raise Conflict(
        f"Suggestion {suggestion.id} is already {status.value}{by}{until}: "
        "someone decided on it first. Reload to see the current queue."
    )


def _approve(
    session: Session, workspace: Workspace, suggestion: Suggestion, decision_in: Decision
) -> dict[str, Any]:
    """Approve as drafted or as edited (guarded); return what the audit log should add."""
    text = suggestion.draft if decision_in.final_text is None else decision_in.final_text.strip()
    if not text:
        raise InvalidInput(
            "The reply is empty: write it before approving, or skip the card."
            if suggestion.draft
            else "This suggestion has no draft: write the reply before approving."
        )
    limit = routes.RULES[suggestion.post.platform].max_chars
    if len(text) > limit:
        raise InvalidInput(
            f"The reply is {len(text)} characters; {suggestion.post.platform.value} allows {limit}."
        )
    detail: dict[str, Any] = {}
    if text == suggestion.draft:
        suggestion.status = SuggestionStatus.APPROVED
    else:
        verdict = guard.check(text, _guard_context(session, workspace, suggestion, decision_in))
        if not verdict.passed:
            reason = (decision_in.reason or "").strip()
            if not decision_in.approve_anyway:
                raise GuardBlocked(verdict.reasons)
            if not reason:
                raise InvalidInput(
                    "Say why this reply should go out although the guard blocked it."
                )
            detail = {"approved_anyway": True, "reason": reason, "guard_reasons": verdict.reasons}
        suggestion.status = SuggestionStatus.EDITED
        suggestion.guard_passed, suggestion.guard_reasons = verdict.passed, verdict.reasons
    suggestion.final_text = text
    if decision_in.save_as_knowledge:
        _save_as_knowledge(session, workspace, decision_in.save_as_knowledge, text)
    return detail


def _guard_context(
    session: Session, workspace: Workspace, suggestion: Suggestion, decision_in: Decision
) -> guard.GuardContext:
    post, person = suggestion.post, suggestion.person
    recent = repository.recent_texts(session, person_ids=[person.id]).get(person.id, [])
    # An answer being saved as knowledge is knowledge: its facts are the owner's to state. So
    # is a reply the owner wrote on a card with no draft (a question the knowledge does not
    # cover): what it says of the business is what they know; selling is still checked.
    owners_facts = decision_in.save_as_knowledge or not suggestion.draft
    extra = [decision_in.final_text or ""] if owners_facts else []
    # The knowledge the draft answered with still answers when the owner edits it.
    used = set((suggestion.grounding or {}).get("knowledge", []))
    return guard.context_for(
        workspace,
        post_text=post.text,
        summons_business=post.summons_business,
        person_names=[person.display_name, person.handle],
        recent_texts=recent,
        extra_knowledge=extra,
        answer_texts=[k["text"] for k in workspace.knowledge or [] if k.get("title") in used],
        max_chars=routes.RULES[post.platform].max_chars,
    )


def _snooze_end(decision_in: Decision, *, now: datetime) -> datetime:
    if decision_in.snooze_until is None:
        return now + timedelta(hours=decision_in.snooze_hours)
    until = decision_in.snooze_until
    if until.tzinfo is None:
        until = until.replace(tzinfo=UTC)
    if until <= now:
        raise InvalidInput("Snooze until a time in the future.")
    if until > now + timedelta(hours=MAX_SNOOZE_HOURS):
        raise InvalidInput("Snooze for at most 30 days.")
    return until


def _undo(session: Session, suggestion: Suggestion, *, now: datetime) -> None:
    """Put a card back as it was before its last decision (a snooze any time, else 15 min)."""
    recent = suggestion.decided_at is not None and now - suggestion.decided_at <= UNDO_WINDOW
    if suggestion.status == SuggestionStatus.PENDING:
        raise Conflict(f"Suggestion {suggestion.id} is waiting for a decision: nothing to undo.")
    if suggestion.status != SuggestionStatus.SNOOZED and not (
        suggestion.status in DECIDED and recent
    ):
        raise Conflict(
            f"Suggestion {suggestion.id} was {suggestion.status.value} more than "
            f"{UNDO_WINDOW.seconds // 60} minutes ago: it can no longer be undone."
        )
    last = audit.last_entry(
        session, subject_type="suggestion", subject_id=suggestion.id, action_prefix="suggestion."
    )
    before = last.detail.get("before", {}) if last is not None else {}
    # What already left Rapport can't be taken back from here.
    if suggestion.posting_status == PostingStatus.POSTED:
        raise Conflict(
            f"This reply is already posted on {suggestion.post.platform.value.capitalize()}: "
            "delete it there if it should not stand."
        )
    if not events.withdraw_decision(session, suggestion=suggestion):
        raise Conflict(
            "This decision was already sent to your scheduler: change it there; it can no "
            "longer be undone here."
        )
    suggestion.posting_status = None
    suggestion.posting_error = None
    suggestion.status = SuggestionStatus.PENDING
    suggestion.final_text = None
    suggestion.snoozed_until = None
    suggestion.decided_at = None
    suggestion.reviewer_id = None
    if "guard_passed" in before:
        suggestion.guard_passed = before["guard_passed"]
        suggestion.guard_reasons = before.get("guard_reasons", [])


def _snapshot(suggestion: Suggestion) -> dict[str, Any]:
    """What the audit log keeps of a suggestion before and after a decision."""
    return {
        "status": suggestion.status.value,
        "final_text": suggestion.final_text,
        "snoozed_until": suggestion.snoozed_until.isoformat() if suggestion.snoozed_until else None,
        "guard_passed": suggestion.guard_passed,
        "guard_reasons": list(suggestion.guard_reasons or []),
    }


def _save_as_knowledge(
    session: Session, workspace: Workspace, title: str, text: str | None
) -> None:
    title = title.strip()
    if not title or not text:
        raise InvalidInput("To save an answer as knowledge, give it a title and a text.")
    snippet_in = workspaces.snippet({"title": title, "text": text})
    knowledge.add(session, workspace=workspace, snippet_in=snippet_in)


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
