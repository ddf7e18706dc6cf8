"""Every query of the suggestion stage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, selectinload

from core.models import (
    DeliveryRoute,
    Interest,
    Person,
    Post,
    PostAnalysis,
    Suggestion,
    SuggestionStatus,
)


def candidate_posts(
    session: Session,
    *,
    workspace_id: int,
    model_version: str,
    drafter_version: str,
    since: datetime,
) -> Sequence[Any]:
    """Recent, live, analysed posts that have no suggestion from this drafter yet."""
    suggested = select(Suggestion.id).where(
        Suggestion.post_id == Post.id, Suggestion.drafter_version == drafter_version
    )
    return session.execute(
        select(
            Post.id,
            Post.external_id,
            Post.platform,
            Post.url,
            Post.text,
            Post.posted_at,
            Post.summons_business,
            Post.person_id,
            Person.display_name,
            Person.handle,
            Person.flags.label("person_flags"),
            PostAnalysis.intent,
            PostAnalysis.sentiment,
            PostAnalysis.language,
            PostAnalysis.flags,
            PostAnalysis.has_question,
            PostAnalysis.keyphrases,
            PostAnalysis.embedding,
        )
        .join(Person, Person.id == Post.person_id)
        .join(PostAnalysis, PostAnalysis.post_id == Post.id)
        .where(
            Post.workspace_id == workspace_id,
            Post.deleted_at.is_(None),
            Post.posted_at >= since,
            PostAnalysis.model_version == model_version,
            ~suggested.exists(),
        )
        .order_by(Post.posted_at.desc())
    ).all()


def people_suggested_since(session: Session, *, workspace_id: int, since: datetime) -> set[int]:
    return set(
        session.scalars(
            select(Suggestion.person_id).where(
                Suggestion.workspace_id == workspace_id, Suggestion.created_at >= since
            )
        )
    )


def recent_texts(
    session: Session, *, person_ids: Sequence[int], limit: int = 10
) -> dict[int, list[str]]:
    ranked = (
        select(
            Post.person_id,
            Post.text,
            func.row_number()
            .over(partition_by=Post.person_id, order_by=Post.posted_at.desc())
            .label("n"),
        )
        .where(Post.person_id.in_(person_ids), Post.deleted_at.is_(None))
        .subquery()
    )
    out: dict[int, list[str]] = {}
    for row in session.execute(
        select(ranked.c.person_id, ranked.c.text).where(ranked.c.n <= limit)
    ):
        out.setdefault(row.person_id, []).append(row.text)
    return out


def top_interests(
    session: Session, *, person_ids: Sequence[int], limit: int = 5
) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    rows = session.execute(
        select(Interest.person_id, Interest.label)
        .where(Interest.person_id.in_(person_ids))
        .order_by(Interest.person_id, Interest.weight.desc())
    )
    for row in rows:
        labels = out.setdefault(row.person_id, [])
        if len(labels) < limit:
            labels.append(row.label)
    return out


def interest_evidence(
    session: Session, *, person_ids: Sequence[int], limit: int = 5
) -> dict[int, list[tuple[str, list[str]]]]:
    """Each person's strongest interests with the texts of the posts that show them."""
    rows = session.execute(
        select(Interest.person_id, Interest.label, Interest.evidence_post_ids)
        .where(Interest.person_id.in_(person_ids))
        .order_by(Interest.person_id, Interest.weight.desc())
    ).all()
    kept: dict[int, list[tuple[str, list[int]]]] = {}
    for row in rows:
        items = kept.setdefault(row.person_id, [])
        if len(items) < limit:
            items.append((row.label, list(row.evidence_post_ids)[:2]))
    post_ids = {p for items in kept.values() for _, ids in items for p in ids}
    texts = dict(session.execute(select(Post.id, Post.text).where(Post.id.in_(post_ids))).all())
    return {
        person: [(label, [texts[p] for p in ids if p in texts]) for label, ids in items]
        for person, items in kept.items()
    }


def previous_replies(
    session: Session, *, person_ids: Sequence[int], limit: int = 3
) -> dict[int, list[str]]:
    """What the business already said to each person (approved or edited replies)."""
    rows = session.execute(
        select(Suggestion.person_id, Suggestion.final_text)
        .where(
            Suggestion.person_id.in_(person_ids),
            Suggestion.status.in_([SuggestionStatus.APPROVED, SuggestionStatus.EDITED]),
        )
        .order_by(Suggestion.person_id, Suggestion.decided_at.desc())
    )
    out: dict[int, list[str]] = {}
    for row in rows:
        replies = out.setdefault(row.person_id, [])
        if len(replies) < limit and row.final_text:
            replies.append(row.final_text)
    return out


def posts_replied_by_api(session: Session, *, post_ids: Sequence[int]) -> set[int]:
    """Posts that already have a reply going out by API (one reply per interaction on X)."""
    return set(
        session.scalars(
            select(Suggestion.post_id).where(
                Suggestion.post_id.in_(post_ids),
                Suggestion.route == DeliveryRoute.API,
                Suggestion.status.in_(
                    [SuggestionStatus.PENDING, SuggestionStatus.APPROVED, SuggestionStatus.EDITED]
                ),
            )
        )
    )


def insert_suggestion(session: Session, *, values: dict[str, Any]) -> int | None:
    stmt = (
        insert(Suggestion)
        .values(**values)
        .on_conflict_do_nothing(constraint="uq_suggestion_post_id_drafter_version")
        .returning(Suggestion.id)
    )
    return session.execute(stmt).scalar_one_or_none()


def list_suggestions(
    session: Session,
    *,
    workspace_id: int,
    statuses: Sequence[SuggestionStatus],
    limit: int,
    woken_by: datetime | None = None,
) -> Sequence[Suggestion]:
    """Suggestions in these states; with `woken_by`, also snoozed ones whose snooze has ended."""
    wanted: ColumnElement[bool] = Suggestion.status.in_(statuses)
    if woken_by is not None:
        wanted = or_(
            wanted,
            (Suggestion.status == SuggestionStatus.SNOOZED)
            & (Suggestion.snoozed_until <= woken_by),
        )
    return session.scalars(
        select(Suggestion)
        .where(Suggestion.workspace_id == workspace_id, wanted)
        .options(selectinload(Suggestion.post), selectinload(Suggestion.person))
        .order_by(Suggestion.score.desc(), Suggestion.id)
        .limit(limit)
    ).all()


def get_suggestion(session: Session, *, workspace_id: int, suggestion_id: int) -> Suggestion | None:
    return session.scalar(
        select(Suggestion)
        .where(Suggestion.workspace_id == workspace_id, Suggestion.id == suggestion_id)
        .options(selectinload(Suggestion.post), selectinload(Suggestion.person))
    )


def count_suggestions(session: Session, *, workspace_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Suggestion)
            .where(Suggestion.workspace_id == workspace_id)
        )
        or 0
    )


def expire_pending(session: Session, *, workspace_id: int, created_before: datetime) -> int:
    """Pending or snoozed suggestions older than `created_before` become expired."""
    from sqlalchemy import update

    result = session.execute(
        update(Suggestion)
        .where(
            Suggestion.workspace_id == workspace_id,
            Suggestion.status.in_([SuggestionStatus.PENDING, SuggestionStatus.SNOOZED]),
            Suggestion.created_at < created_before,
        )
        .values(status=SuggestionStatus.EXPIRED)
    )
    return int(getattr(result, "rowcount", 0) or 0)
