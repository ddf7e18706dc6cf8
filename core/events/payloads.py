"""The payloads webhooks receive: a Standard Webhooks envelope (`type`, `timestamp`, `data`)
with `version`, one data shape per event type. JSON Schema files for each ship in
`core/events/schemas/`."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.models.base import (
    AccountHealth,
    DeliveryRoute,
    EventType,
    Occasion,
    Platform,
    SuggestionStatus,
)

VERSION = 1


class ReplyData(BaseModel):
    """A suggested reply and what to do with it (every `reply.*` and `suggestion.created`)."""

    model_config = ConfigDict(extra="forbid")

    idempotency_key: str = Field(
        description="Equals the `webhook-id` header: the same for every retry and replay. "
        "A scheduler that posts replies keeps it, and posts nothing twice."
    )
    workspace: str = Field(description="The workspace (business) name.")
    suggestion_id: int
    status: SuggestionStatus
    occasion: Occasion = Field(description="Why the post got a reply or a card.")
    platform: Platform
    account: str | None = Field(
        description="The business's connected account on that platform (handle), if any."
    )
    in_reply_to_id: str = Field(description="The platform's id of the post to reply to.")
    in_reply_to_url: str | None = Field(description="Link to the post to reply to.")
    in_reply_to_author: str = Field(description="Handle of the person who wrote the post.")
    private: bool = Field(
        default=False,
        description="The post was seen only by the business (a direct or followers-only "
        "mention): post the reply with the same private visibility, never publicly.",
    )
    text: str = Field(
        description="The reply to post: the final text once approved (as edited), else the draft "
        "(empty for a card a person writes)."
    )
    draft: str = Field(description="The draft as suggested.")
    edited: bool = Field(description="The reviewer changed the draft before approving.")
    route: DeliveryRoute = Field(
        description="`api`: the platform allows an automated reply; `handoff`: a person must "
        "post it through `handoff_url`."
    )
    handoff_url: str | None = Field(
        description="The platform's reply link a person opens to post the reply themselves."
    )
    posted_by_rapport: bool = Field(
        description="Rapport posts this reply itself (the account opted in): a scheduler must "
        "not post it too."
    )
    suggested_time: datetime = Field(description="When to post it: not before this time.")
    decided_at: datetime | None


class AccountData(BaseModel):
    """A connected account needs the owner's attention (`account.needs_reconnect`)."""

    model_config = ConfigDict(extra="forbid")

    idempotency_key: str
    workspace: str
    account_id: int
    platform: Platform
    account: str = Field(description="The account's handle.")
    health: AccountHealth
    detail: str = Field(description="What happened and what to do, in a sentence.")


class TestData(BaseModel):
    """A test event sent by `rapport webhooks test` (never retried)."""

    model_config = ConfigDict(extra="forbid")

    idempotency_key: str
    workspace: str
    endpoint_id: int
    message: str


EventData = ReplyData | AccountData | TestData

DATA_FOR: dict[EventType, type[BaseModel]] = {
    EventType.REPLY_APPROVED: ReplyData,
    EventType.REPLY_EDITED: ReplyData,
    EventType.REPLY_REJECTED: ReplyData,
    EventType.REPLY_EXPIRED: ReplyData,
    EventType.REPLY_HANDOFF_REQUIRED: ReplyData,
    EventType.SUGGESTION_CREATED: ReplyData,
    EventType.ACCOUNT_NEEDS_RECONNECT: AccountData,
    EventType.WEBHOOK_TEST: TestData,
}


class Envelope(BaseModel):
    """What is POSTed: `{"type", "version", "timestamp", "data"}` (Standard Webhooks shape)."""

    model_config = ConfigDict(extra="forbid")

    type: EventType
    version: Literal[1] = 1
    timestamp: datetime = Field(description="When the event happened (ISO 8601, UTC).")
    data: EventData
