"""Every query of the analysis stage."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.models import Interest, Person, Post, PostAnalysis

# A post with no words (an image without alt text, a sticker) is kept but not read: there is
# nothing for the readers to read, and no reply to draft from it.
HAS_WORDS = Post.text.regexp_match(r"\w")


def posts_to_analyse(
    session: Session, *, workspace_id: int, model_version: str, limit: int
) -> Sequence[Any]:
    """Live posts with words and no analysis at this model version."""
    done = select(PostAnalysis.id).where(
        PostAnalysis.post_id == Post.id, PostAnalysis.model_version == model_version
    )
    return session.execute(
        select(Post.id, Post.text, Post.lang, Post.person_id)
        .where(
            Post.workspace_id == workspace_id,
            Post.deleted_at.is_(None),
            HAS_WORDS,
            ~done.exists(),
        )
        .order_by(Post.id)
        .limit(limit)
    ).all()


def count_to_analyse(session: Session, *, workspace_id: int, model_version: str) -> int:
    done = select(PostAnalysis.id).where(
        PostAnalysis.post_id == Post.id, PostAnalysis.model_version == model_version
    )
    return int(
        session.scalar(
            select(func.count())
            .select_from(Post)
            .where(
                Post.workspace_id == workspace_id,
                Post.deleted_at.is_(None),
                HAS_WORDS,
                ~done.exists(),
            )
        )
        or 0
    )


def insert_analyses(session: Session, *, rows: Sequence[dict[str, Any]]) -> int:
    if not rows:
        return 0
    stmt = (
        insert(PostAnalysis)
        .values(list(rows))
        .on_conflict_do_nothing(constraint="uq_post_analysis_post_id_model_version")
        .returning(PostAnalysis.id)
    )
    return len(session.execute(stmt).all())


def person_readings(
    session: Session, *, workspace_id: int, person_ids: Sequence[int], model_version: str
) -> Sequence[Any]:
    """Each person's analysed live posts, newest first."""
    return session.execute(
        select(
            Post.person_id,
            Post.id,
            Post.external_id,
            Post.text,
            Post.posted_at,
            PostAnalysis.intent,
            PostAnalysis.topics,
            PostAnalysis.keyphrases,
            PostAnalysis.sentiment,
            PostAnalysis.language,
            PostAnalysis.flags,
        )
        .join(PostAnalysis, PostAnalysis.post_id == Post.id)
        .where(
            Post.workspace_id == workspace_id,
            Post.person_id.in_(person_ids),
            Post.deleted_at.is_(None),
            PostAnalysis.model_version == model_version,
        )
        .order_by(Post.person_id, Post.posted_at.desc())
    ).all()


def all_person_ids(session: Session, *, workspace_id: int) -> list[int]:
    return list(session.scalars(select(Person.id).where(Person.workspace_id == workspace_id)))


def replace_interests(
    session: Session, *, person_ids: Sequence[int], rows: Sequence[dict[str, Any]]
) -> None:
    """These people's interests become `rows` (one delete, then batched inserts)."""
    session.execute(delete(Interest).where(Interest.person_id.in_(person_ids)))
    if rows:
        session.execute(insert(Interest), list(rows))


def find_person(session: Session, *, workspace_id: int, handle: str) -> Person | None:
    handle = handle.lstrip("@")
    return session.scalar(
        select(Person)
        .where(Person.workspace_id == workspace_id, func.lower(Person.handle) == handle.lower())
        .limit(1)
    )


def interests_of(session: Session, *, person_id: int) -> Sequence[Interest]:
    return session.scalars(
        select(Interest).where(Interest.person_id == person_id).order_by(Interest.weight.desc())
    ).all()


def posts_by_ids(session: Session, *, ids: Sequence[int]) -> dict[int, str]:
    rows = session.execute(select(Post.id, Post.text).where(Post.id.in_(ids)))
    return {r.id: r.text for r in rows}
