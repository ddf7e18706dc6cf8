from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import (
    Base,
    CreatedMixin,
    DeliveryRoute,
    IdMixin,
    Occasion,
    PostingStatus,
    SuggestionStatus,
    str_enum,
)

if TYPE_CHECKING:
    from core.models.person import Person
    from core.models.post import Post


class Suggestion(IdMixin, CreatedMixin, Base):
    """A drafted reply to a post, waiting for (or past) a person's decision."""

    __tablename__ = "suggestion"
    __table_args__ = (
        UniqueConstraint("post_id", "drafter_version"),
        Index("ix_suggestion_workspace_id_status", "workspace_id", "status"),
        # The review queue's order and keyset pages: (score, id) descending per workspace.
        Index("ix_suggestion_workspace_id_score_id", "workspace_id", "score", "id"),
    )

    workspace_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("workspace.id", ondelete="CASCADE")
    )
    post_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("post.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    drafter_version: Mapped[str] = mapped_column(String(100))
    occasion: Mapped[Occasion] = mapped_column(str_enum(Occasion))
    score: Mapped[float] = mapped_column(Float, default=0.0)
    draft: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text)
    # Facts the draft used: {"interests": [...], "knowledge": [...]}.
    grounding: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    guard_passed: Mapped[bool] = mapped_column(Boolean)
    guard_reasons: Mapped[list[str]] = mapped_column(JSONB, default=list)
    route: Mapped[DeliveryRoute] = mapped_column(str_enum(DeliveryRoute))
    handoff_url: Mapped[str | None] = mapped_column(String(2000))
    status: Mapped[SuggestionStatus] = mapped_column(
        str_enum(SuggestionStatus), default=SuggestionStatus.PENDING
    )
    reviewer_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("user.id", ondelete="SET NULL")
    )
    final_text: Mapped[str | None] = mapped_column(Text)
    snoozed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Posting by Rapport itself (accounts that opted in): state, the platform's id of the reply.
    posting_status: Mapped[PostingStatus | None] = mapped_column(
        str_enum(PostingStatus), index=True
    )
    posted_external_id: Mapped[str | None] = mapped_column(String(200))
    posted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    posting_error: Mapped[str | None] = mapped_column(Text)
    # After a rate limit or an outage: not before this time.
    posting_next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set (and committed) before a reply is sent; still set on the next try means the last try's
    # outcome is unknown (a crash, a timeout), so the platform is checked before posting again.
    # On Bluesky it is the record key of the reply, chosen before the first try.
    posting_attempt_key: Mapped[str | None] = mapped_column(String(100))
    posting_attempted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    post: Mapped[Post] = relationship(lazy="raise")
    person: Mapped[Person] = relationship(lazy="raise")
