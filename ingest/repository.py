"""Every query of the ingest stage: workspaces, people and posts, stored idempotently."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, case, delete, func, literal_column, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.models import Person, Post, PostAnalysis, Workspace
from ingest.schemas import PersonCreate, WorkspaceCreate


def get_workspace(session: Session, *, name: str) -> Workspace | None:
    return session.scalar(select(Workspace).where(Workspace.name == name))


def list_workspaces(session: Session) -> Sequence[Workspace]:
    return session.scalars(select(Workspace).order_by(Workspace.name)).all()


def upsert_workspace(session: Session, *, workspace_in: WorkspaceCreate) -> Workspace:
    values = workspace_in.model_dump()
    values["knowledge"] = [k.model_dump() for k in workspace_in.knowledge]
    stmt = insert(Workspace).values(**values)
    upsert = stmt.on_conflict_do_update(
        index_elements=[Workspace.name],
        set_={k: stmt.excluded[k] for k in values if k != "name"},
    ).returning(Workspace.id)
    workspace_id = session.execute(upsert).scalar_one()
    workspace = session.get(Workspace, workspace_id, populate_existing=True)
    assert workspace is not None
    return workspace


def create_workspace(session: Session, *, name: str) -> Workspace:
    workspace = Workspace(name=name, display_name=name)
    session.add(workspace)
    session.flush()
    return workspace


def upsert_people(
    session: Session, *, workspace_id: int, people: Sequence[PersonCreate], seen_at: datetime
) -> tuple[dict[tuple[str, str], int], int]:
    """Insert or refresh people; return ids by (platform, external id) and the count of new."""
    unique = {(p.platform.value, p.external_id): p for p in people}
    if not unique:
        return {}, 0
    rows = [
        {
            "workspace_id": workspace_id,
            "platform": p.platform,
            "external_id": p.external_id,
            "handle": p.handle,
            "display_name": p.display_name,
            "profile_url": p.profile_url,
            "flags": p.flags,
            "last_seen_at": seen_at,
        }
        for p in unique.values()
    ]
    stmt = insert(Person).values(rows)
    changed = tuple_(Person.handle, Person.display_name, Person.profile_url, Person.flags)
    incoming = tuple_(
        stmt.excluded.handle,
        stmt.excluded.display_name,
        stmt.excluded.profile_url,
        stmt.excluded.flags,
    )
    upsert = stmt.on_conflict_do_update(
        constraint="uq_person_workspace_id_platform_external_id",
        set_={
            "handle": stmt.excluded.handle,
            "display_name": stmt.excluded.display_name,
            "profile_url": stmt.excluded.profile_url,
            "flags": stmt.excluded.flags,
            "last_seen_at": func.greatest(Person.last_seen_at, stmt.excluded.last_seen_at),
        },
        where=changed.is_distinct_from(incoming),
    ).returning(Person.id, _inserted())
    new = sum(1 for row in session.execute(upsert) if row.inserted)
    ids = session.execute(
        select(Person.platform, Person.external_id, Person.id).where(
            Person.workspace_id == workspace_id,
            tuple_(Person.platform, Person.external_id).in_(list(unique)),
        )
    )
    return {(r.platform.value, r.external_id): r.id for r in ids}, new


def _inserted() -> Any:
    # xmax is 0 on a freshly inserted row version and non-zero on an updated one.
    return (literal_column("xmax") == 0).label("inserted")


def existing_post_texts(
    session: Session, *, workspace_id: int, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    rows = session.execute(
        select(Post.platform, Post.external_id, func.md5(Post.text)).where(
            Post.workspace_id == workspace_id,
            tuple_(Post.platform, Post.external_id).in_(list(keys)),
        )
    )
    return {(r[0].value, r[1]): r[2] for r in rows}


def upsert_posts(session: Session, *, rows: Sequence[dict[str, Any]]) -> list[Row[Any]]:
    """Insert new posts, update changed ones in place, leave identical ones untouched.

    Returns (id, inserted) for each row inserted or updated; unchanged rows are absent.
    """
    if not rows:
        return []
    stmt = insert(Post).values(list(rows))
    compared = ["text", "lang", "url", "posted_at", "in_reply_to", "summons_business", "raw"]
    current = tuple_(*(getattr(Post, c) for c in compared), Post.deleted_at.is_(None))
    incoming = tuple_(*(stmt.excluded[c] for c in compared), stmt.excluded.deleted_at.is_(None))
    upsert = stmt.on_conflict_do_update(
        constraint="uq_post_workspace_id_platform_external_id",
        set_={
            **{c: stmt.excluded[c] for c in compared},
            "person_id": stmt.excluded.person_id,
            # Keep the first time we saw a deletion; clear it if the post reappears.
            "deleted_at": _deleted_at(stmt),
            "updated_at": func.now(),
        },
        where=current.is_distinct_from(incoming),
    ).returning(Post.id, Post.platform, Post.external_id, _inserted())
    return list(session.execute(upsert))


def _deleted_at(stmt: Any) -> Any:
    # Keep the first time we saw a deletion; clear it if the post reappears upstream.
    return case(
        (stmt.excluded.deleted_at.is_(None), None),
        else_=func.coalesce(Post.deleted_at, stmt.excluded.deleted_at),
    )


def forget_analyses(session: Session, *, post_ids: Sequence[int]) -> None:
    """Drop analyses of posts whose text changed, so the next pass reads the new text."""
    if post_ids:
        session.execute(delete(PostAnalysis).where(PostAnalysis.post_id.in_(post_ids)))


def count_people_posts(session: Session, *, workspace_id: int) -> tuple[int, int]:
    people = session.scalar(
        select(func.count()).select_from(Person).where(Person.workspace_id == workspace_id)
    )
    posts = session.scalar(
        select(func.count()).select_from(Post).where(Post.workspace_id == workspace_id)
    )
    return int(people or 0), int(posts or 0)
