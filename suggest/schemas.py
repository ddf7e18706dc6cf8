"""What the suggestion stage produces and shows."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from core.models import DeliveryRoute, SuggestionStatus


class SuggestionRead(BaseModel):
    id: int
    status: SuggestionStatus
    occasion: str
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


class SuggestResult(BaseModel):
    considered: int = 0
    created: int = 0
    blocked_by_guard: int = 0
    skipped_recently_replied: int = 0


class Decision(BaseModel):
    """A reviewer's decision on one suggestion."""

    action: str  # approve, reject, snooze
    final_text: str | None = None
    snooze_hours: int = 24
