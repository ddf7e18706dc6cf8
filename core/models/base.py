"""Declarative base with a constraint naming convention, shared column helpers and enums."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import BigInteger, DateTime, Enum, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class IdMixin:
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)


class CreatedMixin:
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), default=utcnow
    )


def str_enum(enum_cls: type[enum.StrEnum]) -> Enum:
    """Store a StrEnum as its value in a VARCHAR (no native PG enum: easier migrations)."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )


class Platform(enum.StrEnum):
    X = "x"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    MASTODON = "mastodon"
    BLUESKY = "bluesky"
    FILE = "file"


class Role(enum.StrEnum):
    OWNER = "owner"
    REVIEWER = "reviewer"
    VIEWER = "viewer"


class AccountHealth(enum.StrEnum):
    OK = "ok"
    RATE_LIMITED = "rate-limited"
    NEEDS_RECONNECT = "needs-reconnect"
    OVER_BUDGET = "over-budget"
    UNREACHABLE = "unreachable"  # the platform's host did not answer; retried later


class DeliveryRoute(enum.StrEnum):
    API = "api"
    HANDOFF = "handoff"


class SuggestionStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    EDITED = "edited"
    REJECTED = "rejected"
    SNOOZED = "snoozed"
    EXPIRED = "expired"


class EventType(enum.StrEnum):
    """What a webhook can be told about (the Standard Webhooks `type` of a payload)."""

    REPLY_APPROVED = "reply.approved"
    REPLY_EDITED = "reply.edited"
    REPLY_REJECTED = "reply.rejected"
    REPLY_EXPIRED = "reply.expired"
    REPLY_HANDOFF_REQUIRED = "reply.handoff_required"
    SUGGESTION_CREATED = "suggestion.created"
    ACCOUNT_NEEDS_RECONNECT = "account.needs_reconnect"
    # Sent only by `rapport webhooks test`, to the one endpoint being tried.
    WEBHOOK_TEST = "webhook.test"


class DeliveryStatus(enum.StrEnum):
    """Where one event stands on its way to one endpoint."""

    PENDING = "pending"  # waiting for its first attempt
    RETRYING = "retrying"  # failed at least once, next attempt scheduled
    DELIVERED = "delivered"  # the receiver answered 2xx
    DEAD = "dead"  # every attempt failed: dead-lettered, can be replayed


class PostingStatus(enum.StrEnum):
    """An approved reply that Rapport posts itself (opt-in per connected account)."""

    QUEUED = "queued"  # committed with the approval; the worker posts it
    POSTED = "posted"  # the platform's id of the reply is stored
    FAILED = "failed"  # the platform refused it; the error says why


class Occasion(enum.StrEnum):
    """Why a post reached the queue: a draft to send, or a card for a person to write."""

    ANSWER = "answer"
    RECOMMEND = "recommend"
    HELP = "help"
    CONGRATULATE = "congratulate"
    CELEBRATE_OUTCOME = "celebrate_outcome"
    EMPATHISE = "empathise"
    THANKS = "thanks"
    COMPLAINT = "complaint"
    # Cards: no draft, a person writes the reply.
    PERSONAL_NOTE = "personal_note"
    CRISIS = "crisis"
    KNOWLEDGE_GAP = "knowledge_gap"
    OTHER_LANGUAGE = "other_language"
    NEEDS_PERSON = "needs_person"

    @property
    def is_card(self) -> bool:
        return self in CARDS


CARDS = frozenset(
    {
        Occasion.PERSONAL_NOTE,
        Occasion.CRISIS,
        Occasion.KNOWLEDGE_GAP,
        Occasion.OTHER_LANGUAGE,
        Occasion.NEEDS_PERSON,
    }
)
