"""Every query of the analysis stage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
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
    """Live posts with words and no analysis at this model version, locked until the caller
    commits.

    Posts another transaction is reading are skipped (not waited for), so two workers (or two
    `rapport run`) on one workspace share the work instead of doing it twice.
    """
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
        .with_for_update(of=Post, skip_locked=True)
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
    # analysed_at is the database's clock, so "analysed since" compares like with like across hosts
    stmt = (
        insert(PostAnalysis)
        .values([{**row, "analysed_at": func.now()} for row in rows])
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


def people_analysed_since(
    session: Session, *, workspace_id: int, model_version: str, since: datetime
) -> list[int]:
    """People with a post read at this model version at or after `since` (database time)."""
    return list(
        session.scalars(
            select(Post.person_id)
            .join(PostAnalysis, PostAnalysis.post_id == Post.id)
            .where(
                PostAnalysis.workspace_id == workspace_id,
                PostAnalysis.model_version == model_version,
                PostAnalysis.analysed_at >= since,
            )
            .distinct()
            .order_by(Post.person_id)
        )
    )


def database_now(session: Session) -> datetime:
    """The database's clock: every host compares times against the same one."""
    now: datetime | None = session.scalar(select(func.now()))
    assert now is not None
    return now


def replace_interests(
    session: Session, *, person_ids: Sequence[int], rows: Sequence[dict[str, Any]]
) -> None:
    """These people's interests become `rows`.

    Safe when two runs rebuild the same people at once: the second one's insert meets the first
    one's rows and updates them (ON CONFLICT) instead of failing on the unique key; rows are
    written in key order so that two writers never wait on each other crosswise.
    """
    session.execute(delete(Interest).where(Interest.person_id.in_(person_ids)))
    if not rows:
        return
    ordered = sorted(rows, key=lambda r: (r["person_id"], r["kind"], r["label"]))
    for start in range(0, len(ordered), 5000):  # one statement per 5,000 rows (parameter limit)
        stmt = insert(Interest).values(ordered[start : start + 5000])
        session.execute(
            stmt.on_conflict_do_update(
                constraint="uq_interest_person_id_kind_label",
                set_={
                    "weight": stmt.excluded.weight,
                    "evidence_post_ids": stmt.excluded.evidence_post_ids,
                    "last_seen_at": stmt.excluded.last_seen_at,
                    "workspace_id": stmt.excluded.workspace_id,
                },
            )
        )


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


def post_briefs(
    session: Session,
    *,
    ids: Sequence[int] | None = None,
    person_id: int | None = None,
    limit: int = 100,
) -> list[Any]:
    """(id, text, posted_at, url) of posts by id or by one person, newest first."""
    query = select(Post.id, Post.text, Post.posted_at, Post.url).where(Post.deleted_at.is_(None))
    if ids is not None:
        query = query.where(Post.id.in_(ids))
    if person_id is not None:
        query = query.where(Post.person_id == person_id)
    return list(session.execute(query.order_by(Post.posted_at.desc()).limit(limit)).all())


def latest_model_version(session: Session, *, workspace_id: int) -> str | None:
    """The model version of the workspace's newest analysis (None before any analysis)."""
    return session.scalar(
        select(PostAnalysis.model_version)
        .join(Post, Post.id == PostAnalysis.post_id)
        .where(Post.workspace_id == workspace_id)
        .order_by(PostAnalysis.analysed_at.desc())
        .limit(1)
    )
