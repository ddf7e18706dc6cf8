"""What the suggestion stage produces and shows."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from core.models import DeliveryRoute, Occasion, Platform, PostingStatus, SuggestionStatus


class SuggestionRead(BaseModel):
    id: int
    status: SuggestionStatus
    occasion: Occasion
    score: float
    person_handle: str
    person_name: str
    platform: str
    post_text: str
    post_url: str | None
    posted_at: datetime
    rationale: str
    draft: str
    final_text: str | None
    guard_passed: bool
    guard_reasons: list[str]
    route: DeliveryRoute
    handoff_url: str | None
    interests: list[str]
    created_at: datetime
    evidence: list[tuple[str, list[str]]] = []  # (interest, posts that show it)
    replied_before: list[str] = []
    knowledge_used: list[str] = []
    based_on: str | None = None  # "your reply to @x on 2026-11-20", when reply memory was used
    # When Rapport posts the reply itself: queued, posted (with the platform's id) or failed.
    posting_status: PostingStatus | None = None
    posted_external_id: str | None = None
    posting_error: str | None = None
    snoozed_until: datetime | None = None
    decided_at: datetime | None = None
    max_chars: int | None = None  # the platform's limit for a reply


class SuggestResult(BaseModel):
    considered: int = 0
    created: int = 0
    blocked_by_guard: int = 0
    skipped_recently_replied: int = 0
    expired: int = 0


class DecisionAction(enum.StrEnum):
    APPROVE = "approve"
    REJECT = "reject"  # "skip" on the review page
    SNOOZE = "snooze"
    UNDO = "undo"  # back to the queue, as it was before the last decision


MAX_SNOOZE_HOURS = 24 * 30


class QueueTab(enum.StrEnum):
    """The review page's tabs: what is waiting, and what became of the rest."""

    TO_REVIEW = "to-review"
    APPROVED = "approved"
    SENT = "sent"
    SNOOZED = "snoozed"
    SKIPPED = "skipped"


class QueuePage(BaseModel):
    """One page of a tab, the cursor of the next page, and every tab's count."""

    cards: list[SuggestionRead]
    next_cursor: str | None
    counts: dict[QueueTab, int]


class Decision(BaseModel):
    """A reviewer's decision on one suggestion."""

    action: DecisionAction
    # The reply as sent; None approves the draft as it is. Checked against the platform's
    # limit when decided; this bound only keeps absurd bodies out.
    final_text: str | None = Field(default=None, max_length=10_000)
    snooze_hours: int = Field(default=24, ge=1, le=MAX_SNOOZE_HOURS)
    # A chosen time to come back (instead of snooze_hours); within 30 days.
    snooze_until: datetime | None = None
    # Send an edit the guard blocked, as written: needs a reason, which is kept with who said so.
    approve_anyway: bool = False
    reason: str | None = Field(default=None, max_length=500)
    # For a knowledge-gap card: keep the reply as a knowledge snippet with this title.
    save_as_knowledge: str | None = Field(default=None, max_length=200)


class RememberedReply(BaseModel):
    """A reply the owner sent, kept to start from when a similar post comes."""

    suggestion_id: int
    occasion: Occasion
    text: str
    decided_at: datetime | None
    person_name: str
    person_handle: str
    post_text: str
    embedding: list[float]


class Candidate(BaseModel):
    """A post with its reading, as opportunity selection and drafting see it."""

    id: int | None = None
    person_id: int | None = None
    external_id: str
    platform: Platform
    url: str | None
    text: str
    posted_at: datetime
    summons_business: bool
    display_name: str
    handle: str
    person_flags: dict[str, Any] = {}
    intent: str
    sentiment: str | None
    language: str | None
    flags: list[str]
    has_question: bool
    keyphrases: list[str]
    embedding: list[float]


class DraftRead(BaseModel):
    """What `rapport draft` prints for one post."""

    post_id: str
    person: str
    intent: str
    occasion: Occasion | None = None
    no_reply_because: str | None = None
    score: float | None = None
    draft: str | None = None
    guard_passed: bool | None = None
    guard_reasons: list[str] = []
    route: DeliveryRoute | None = None
    handoff_url: str | None = None
    rationale: str | None = None
    knowledge_used: list[str] = []


class GuardRead(BaseModel):
    """What `rapport guard` prints for one candidate reply."""

    line: int
    post: str
    reply: str
    passed: bool
    reasons: list[str]


class KnowledgeGap(BaseModel):
    """A question people asked that the business's knowledge did not answer."""

    question: str
    asked: int
    people: list[str]
    suggestion_ids: list[int]
    answered: bool


class ReplySent(BaseModel):
    """What the business replied to one of a person's posts."""

    suggestion_id: int
    status: SuggestionStatus
    occasion: Occasion
    post_text: str
    posted_at: datetime
    reply: str
    decided_at: datetime | None


class KnowledgeUse(BaseModel):
    """How often drafts used one knowledge snippet."""

    title: str
    drafts: int
    sent: int
    last_used_at: datetime
